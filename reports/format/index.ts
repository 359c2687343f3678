/** Number and table formatting shared by the terminal (bench/cli) and the reports, which both import it from here. */
export { formatBytes, formatChange, formatMs, formatPercent, formatPValue, formatRate } from './numbers.js';
export { textTable } from './text-table.js';
export { faultRows, formatFaultTable, FAULT_TABLE_HEADER } from './fault-table.js';
