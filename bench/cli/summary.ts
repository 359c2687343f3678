/** The readable summary of a results file: medians over trials per engine and workload. */
import { median } from 'simple-statistics';
import type { ResultsFile, RunResult, SinkFileRecord } from '../../reports/schema.js';
import { formatBytes, formatFaultTable, formatMs, formatRate, textTable } from '../../reports/format/index.js';
import type { YsbLatencySummary } from '../../workloads/ysb/window-updates.js';

/** Column of the output digest. */
const DIGEST = 13;

export function formatSummary(results: ResultsFile): string {
  const ok = results.runs.filter((r): r is RunResult => r.status === 'ok');
  const failed = results.runs.filter((r) => r.status === 'failed');
  const groups = new Map<string, RunResult[]>();
  for (const r of ok) {
    const key = `${r.engine}\u0000${r.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const med = (runs: RunResult[], f: (r: RunResult) => number) => median(runs.map(f));
  /** The median of a field older files lack, or undefined when no trial has it. */
  const medOf = (runs: RunResult[], f: (r: RunResult) => number | undefined) => {
    const xs = runs.map(f).filter((v): v is number => v !== undefined);
    return xs.length > 0 ? median(xs) : undefined;
  };
  const rows = [...groups.values()].map((runs) => {
    const digests = new Set(runs.map((r) => r.output.digest));
    return [
      runs[0].engine,
      runs[0].workload,
      String(runs.length),
      formatRate(med(runs, (r) => r.throughput.inputEventsPerSec)),
      maybe(
        medOf(runs, (r) => r.throughput.readEventsPerSec),
        formatRate,
      ),
      maybe(
        medOf(runs, (r) => r.input.lagAtEndMs),
        formatMs,
      ),
      formatRate(med(runs, (r) => r.throughput.outputRecordsPerSec)),
      // '-' when no measured record came out (a driver that never reached the window's schedule).
      maybe(
        medOf(runs, (r) => (r.latency.eventTime.count > 0 ? r.latency.eventTime.p50 : undefined)),
        formatMs,
      ),
      maybe(
        medOf(runs, (r) => (r.latency.eventTime.count > 0 ? r.latency.eventTime.p99 : undefined)),
        formatMs,
      ),
      maybe(
        medOf(runs, (r) => (r.latency.processingTime.count > 0 ? r.latency.processingTime.p50 : undefined)),
        formatMs,
      ),
      maybe(
        medOf(runs, (r) => (r.latency.processingTime.count > 0 ? r.latency.processingTime.p99 : undefined)),
        formatMs,
      ),
      formatBytes(med(runs, (r) => r.resources.rssPeakBytes)),
      String(med(runs, (r) => r.output.lateRecordsDropped)),
      digests.size === 1
        ? runs[0].output.digest.slice(0, 14)
        : runs.every((r) => r.input.source === 'file')
          ? `DIFFER (${digests.size})`
          : 'n/a',
    ];
  });
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(
      textTable(
        [
          'engine',
          'workload',
          'trials',
          'in ev/s',
          'read ev/s',
          'lag end',
          'out rec/s',
          'evt p50',
          'evt p99',
          'proc p50',
          'proc p99',
          'peak RSS',
          'late',
          'output digest',
        ],
        rows,
        [false, false, true, true, true, true, true, true, true, true, true, true, true, false],
      ),
    );
    lines.push(
      'medians over trials; evt = event-time latency (now - intended send time), proc = processing-time latency (now - read from log)',
      'in ev/s = the events sent in the measured window that the engine read, however late; read ev/s = what it read while the window',
      'was open; lag end = how far its reading trailed the schedule when the window closed. An engine that kept up lags by little',
      '(a micro-batch engine by up to a batch interval, and its read ev/s swings with where its batches fall); a lag that grows with -d',
      'and a read ev/s below the rate mean it fell behind and read the rest during the drain.',
    );
    if (rows.some((r) => r[DIGEST] === 'n/a'))
      lines.push(
        'output digest n/a: generated events carry wall-clock times, so outputs differ between trials; use --input to compare outputs',
      );
  }
  for (const runs of groups.values()) {
    const bound = runs.filter((r) => r.input.driverBound === true);
    if (bound.length === 0) continue;
    const sent = med(bound, (r) => r.input.eventsTotal);
    const offered = med(bound, (r) => r.input.offered ?? Number.NaN);
    lines.push(
      `DRIVER-BOUND ${runs[0].engine} x ${runs[0].workload} (${bound.length} of ${runs.length} trials): the driver could not send ${count(Number(runs[0].input.rate))} ev/s (too high a rate, or an engine that kept the process it shares with the driver busy): it sent ${count(sent)} of the ${count(offered)} events offered (medians), so the engine was never offered this rate and the figures above do not measure it there (in ev/s is what it read while the window was open). Lower -r.`,
    );
  }
  for (const runs of groups.values()) {
    const rejected = runs.filter((r) => (r.input.rejectedLines ?? 0) > 0);
    if (rejected.length === 0) continue;
    const first = rejected[0].input;
    lines.push(
      `REJECTED LINES ${runs[0].engine} x ${runs[0].workload}: ${rejected.map((r) => r.input.rejectedLines).join(', ')} line(s) from ${first.address} in ${rejected.length} of ${runs.length} trials were not ${runs[0].workload} events (first: ${first.firstRejection ?? 'no reason recorded'})`,
    );
  }
  const ysb = ysbLatencyTable(groups);
  if (ysb !== undefined) lines.push('', ysb);
  const faults = formatFaultTable(ok);
  if (faults !== undefined) lines.push('', faults);
  lines.push(...(results.sinkFiles ?? []).map(describeSinkFile));
  for (const f of failed) lines.push(`FAILED ${f.engine} x ${f.workload} trial ${f.trial}: ${f.error}`);
  if (results.interrupted) lines.push('interrupted: only the trials above completed');
  return lines.join('\n');
}

/**
 * YSB's own latency (the last write of a window's count minus the window's end), which the per-record
 * columns above do not show: with the flush sink a record's latency is that of its latest event, not the
 * window's. Undefined when no ysb trial sampled a closed window.
 */
function ysbLatencyTable(groups: Map<string, RunResult[]>): string | undefined {
  const rows: string[][] = [];
  for (const runs of groups.values()) {
    const stats = runs
      .map((r) => r.workloadStats?.ysbLatency as YsbLatencySummary | undefined)
      .filter((s): s is YsbLatencySummary => s !== undefined && s.windows > 0);
    if (runs[0].workload !== 'ysb' || stats.length === 0) continue;
    const med = (f: (s: YsbLatencySummary) => number) => median(stats.map(f));
    rows.push([
      runs[0].engine,
      String(runs[0].workloadStats?.sinkMode ?? ''),
      String(med((s) => s.windows)),
      formatMs(med((s) => s.p50)),
      formatMs(med((s) => s.p99)),
      formatMs(med((s) => s.max)),
      String(med((s) => s.truncated)),
    ]);
  }
  if (rows.length === 0) return undefined;
  return [
    "YSB's latency: the last update of each (campaign, window) minus the window's end, medians over trials",
    textTable(['engine', 'sink', 'windows', 'p50', 'p99', 'max', 'cut off'], rows, [false, false, true, true, true, true, true]),
    'cut off = windows still open when the input ended (left out of the percentiles)',
  ].join('\n');
}

/** One line per sink file: whose records it holds, and whether the other trials agreed with them. */
export function describeSinkFile(f: SinkFileRecord): string {
  const head = `sink file ${f.path}: ${f.engine} x ${f.workload} trial ${f.trial}`;
  const agree = f.agreeingTrials.length > 0 ? `; ${plural('trial', f.agreeingTrials)} agreed (digest ${f.digest})` : '';
  const differ = f.differingTrials
    .map((d) => `; OUTPUT DIFFERS in trial ${d.trial}: digest ${d.digest}, not ${f.digest} (its records are in ${d.path})`)
    .join('');
  return head + agree + differ;
}

function plural(word: string, trials: readonly number[]): string {
  return `${word}${trials.length > 1 ? 's' : ''} ${trials.join(', ')}`;
}

function maybe(v: number | undefined, format: (v: number) => string): string {
  return v === undefined ? '-' : format(v);
}

function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '?';
}
