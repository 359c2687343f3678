export * from './emit.js';
export * from './watermarks.js';
export * from './keyed-windows.js';
export * from './window-aggregation.js';
export * from './window-join.js';
export * from './incremental-join.js';
