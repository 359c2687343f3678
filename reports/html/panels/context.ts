/** What an engine panel gets besides the engine's statistics. */
import type { ChartRegistry } from '../charts.js';

export interface PanelContext {
  /** Where the panel registers its charts. */
  charts: ChartRegistry;
  /** The series name of the engine in this report (the engine, or `engine (file)`). */
  label: string;
  /** The workload the trial ran. */
  workload: string;
}
