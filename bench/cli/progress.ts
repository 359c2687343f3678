/**
 * Progress on stderr while the matrix runs: one line rewritten in place on a TTY, nothing otherwise (so
 * that logs of CI jobs stay clean).
 */
import type { MatrixListener, TrialSpec } from '../runner/index.js';
import { formatMs, formatRate } from '../../reports/format/index.js';

export function ttyProgress(stream: NodeJS.WriteStream = process.stderr): MatrixListener {
  if (!stream.isTTY) return {};
  const label = (i: number, total: number, s: TrialSpec) => `[${i + 1}/${total}] ${s.engine} x ${s.workload} trial ${s.trial}`;
  const write = (text: string) => stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 120) - 1)}`);
  return {
    trialStarted: (i, total, s) => write(`${label(i, total, s)}: starting`),
    trialProgress: (i, total, s, p) => {
      const of = p.plannedMs ? `/${(p.plannedMs / 1000).toFixed(0)}` : '';
      const lat = p.latency ? ` p99 ${formatMs(p.latency.p99)}` : '';
      write(
        `${label(i, total, s)}: ${p.phase} ${(p.elapsedMs / 1000).toFixed(0)}${of} s, in ${formatRate(p.inputEventsPerSec)} ev/s, backlog ${p.backlog}${lat}`,
      );
    },
    trialFinished: (i, total, s, outcome) => {
      const what =
        outcome.status === 'ok'
          ? `${formatRate(outcome.throughput.inputEventsPerSec)} ev/s, event-time p50 ${formatMs(outcome.latency.eventTime.p50)}`
          : `FAILED: ${outcome.error}`;
      write(`${label(i, total, s)}: ${what}\n`);
    },
  };
}
