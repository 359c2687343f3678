/** How the supervisor watches its workers (Storm's defaults.yaml). */
import type { OptionSpec, OptionValues } from '../../api/index.js';

export const supervisionOptions: readonly OptionSpec[] = [
  {
    key: 'supervisorMonitorFrequency',
    type: 'duration',
    default: 3000,
    unit: 'ms',
    min: 1,
    description: 'supervisor.monitor.frequency.secs: how often a supervisor checks its workers and relaunches a dead one',
  },
];

/** ms. */
export function supervisorMonitorFrequency(values: OptionValues): number {
  return Number(values.supervisorMonitorFrequency ?? 3000);
}
