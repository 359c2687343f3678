/** The self-contained HTML report (`streamarena report`, and `report.html` beside every `run`). */
export { renderReport, type ReportInput } from './render.js';
export type { ReportSource, RunGroup } from './data.js';
export type { PlanOutcome, PlanProvider } from './plans-section.js';
export { escapeHtml, jsonForScript } from '../page/index.js';
export { planDiagram, planLayout, type PlanLayout } from './plan-diagram.js';
export { BaselineComparison, type FigureChange } from './baseline-change.js';
export { STYLES } from './styles.js';
