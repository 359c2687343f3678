/** Counts late records per operator, the same way for every engine. */
import type { MetricsRecorder } from '../../engines/api/index.js';

export class LateRecordCounter implements MetricsRecorder {
  readonly byOperator: Record<string, number> = {};
  total = 0;

  lateRecordsDropped(operator: string, count: number): void {
    this.byOperator[operator] = (this.byOperator[operator] ?? 0) + count;
    this.total += count;
  }
}
