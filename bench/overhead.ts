/**
 * The harness's own cost, over the same events in the same process, runs alternating and medians compared:
 * - measured: the reference engine on `wordcount` at --rate max with everything on (event log, driver,
 *   scheduler, sinks with latency histograms and digest, sampler), as `streamarena run` runs it;
 * - bare: the same compiled dataflow pushed by a plain for-loop, with a sink that only counts: no log, no
 *   driver, no scheduler, no measurement. measured / bare is the harness overhead;
 * - bare + measured sinks: the bare loop into the sinks a measured `--input` run uses (latency histograms,
 *   exact output digest), to split the overhead into the sinks' share and the rest (log, driver, scheduler);
 * - hand-written: word count specialised by hand (plain Maps of numbers), for scale: what a generic
 *   dataflow costs over code written for one job.
 *
 * Event times advance `perMs` events per ms: a --rate max run stamps wall-clock times, so its event-time
 * density is its throughput (about 1000 events/ms for the reference); a smaller density means fewer events
 * per window, so more window results per input event (the sinks' share of the cost grows).
 *
 *   npm run bench:overhead -- [events=1000000] [rounds=5] [perMs=1000]
 */
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { defaultOptionValues, type RunIO } from '../engines/api/index.js';
import { compileDataflow } from '../engines/reference/index.js';
import { systemClock } from '../engines/runtime/index.js';
import { wordcount, splitWords, type WordcountEvent } from '../workloads/wordcount/index.js';
import { readInputFile } from './driver/index.js';
import { MeasuredSinks } from './metrics/index.js';
import { runTrial } from './runner/trial.js';

const events = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 5);
const perMs = Number(process.argv[4] ?? 1000);
const values = defaultOptionValues(wordcount.options);
const windowMs = values.window as number;
const maxDelay = values.maxDelay as number;

// The same events for all three: generated once, `perMs` events per ms of event time.
const gen = wordcount.generator(values, 42);
const dir = mkdtempSync(join(tmpdir(), 'streamarena-overhead-'));
const file = join(dir, 'events.jsonl');
const lines: string[] = [];
for (let k = 0; k < events; k++) lines.push(JSON.stringify(gen.next(k, 1_700_000_000_000 + k / perMs)));
writeFileSync(file, lines.join('\n') + '\n');
const data = (await readInputFile(file, wordcount.parseInputLine)) as WordcountEvent[];

/** Throughput (wall clock) and CPU time of the process (all its threads: GC and JIT included) per event. */
interface Timing {
  perSec: number;
  /** CPU µs per input event. */
  cpuUsPerEvent: number;
  results: number;
}

function startTiming(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function stopTiming(start: { wall: number; cpu: NodeJS.CpuUsage }, n: number, results: number): Timing {
  const wallMs = performance.now() - start.wall;
  const cpu = process.cpuUsage(start.cpu);
  return { perSec: (n / wallMs) * 1000, cpuUsPerEvent: (cpu.user + cpu.system) / n, results };
}

/**
 * The reference engine's compiled dataflow, pushed by a for-loop into a counting sink, or into the
 * measured sinks of an `--input` run (every record measured, every record digested).
 */
function bareLoop(input: readonly WordcountEvent[], withSinks = false): Timing {
  let results = 0;
  const definition = wordcount.dataflow(values);
  const measuredSinks = withSinks ? new MeasuredSinks(definition, systemClock, undefined, true) : undefined;
  if (measuredSinks) measuredSinks.measureFrom = 0;
  const io = {
    sinks: measuredSinks ?? { get: () => ({ write: () => void results++ }) },
    metrics: { lateRecordsDropped: () => undefined },
    clock: systemClock,
  } as unknown as RunIO;
  const flow = compileDataflow(definition, io);
  const start = startTiming();
  for (let k = 0; k < input.length; k++) {
    flow.push(input[k], k, k, k);
    if (flow.watermarkDirty()) flow.advanceWatermarks();
  }
  flow.finish();
  return stopTiming(start, input.length, measuredSinks?.records ?? results);
}

/** Word count per tumbling window with the same watermark rule, specialised by hand. */
function handWritten(input: readonly WordcountEvent[]): Timing {
  const start = startTiming();
  const windows = new Map<number, Map<string, number>>();
  let maxSeen = -Infinity;
  let results = 0;
  const fire = (watermark: number) => {
    for (const [ws, counts] of windows) {
      if (ws + windowMs - 1 > watermark) continue;
      results += counts.size;
      windows.delete(ws);
    }
  };
  for (const e of input) {
    const ws = Math.floor(e.time / windowMs) * windowMs;
    const watermarkBefore = maxSeen - maxDelay - 1;
    if (ws + windowMs - 1 > watermarkBefore) {
      let counts = windows.get(ws);
      if (!counts) windows.set(ws, (counts = new Map()));
      for (const w of splitWords(e.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    if (e.time > maxSeen) {
      maxSeen = e.time;
      fire(maxSeen - maxDelay - 1);
    }
  }
  fire(Infinity);
  return stopTiming(start, input.length, results);
}

async function measured(): Promise<Timing> {
  const r = await runTrial({
    engine: 'reference',
    workload: 'wordcount',
    trial: 1,
    parallelism: 1,
    seed: 42,
    load: { rate: 'max', warmupMs: 0 },
    options: {},
    input: file,
    drainTimeoutMs: 600_000,
  });
  const cpuMs = r.resources.cpuUserMs + r.resources.cpuSystemMs;
  return { perSec: r.throughput.inputEventsPerSec, cpuUsPerEvent: (cpuMs * 1000) / r.input.events, results: r.output.records };
}

const runs: { bare: Timing; sinks: Timing; full: Timing; hand: Timing }[] = [];
const results = new Set<number>();
for (let i = 0; i < rounds; i++) {
  const round = { bare: bareLoop(data), sinks: bareLoop(data, true), full: await measured(), hand: handWritten(data) };
  runs.push(round);
  for (const t of Object.values(round)) results.add(t.results);
  const say = (t: Timing) => `${Math.round(t.perSec)} events/s ${t.cpuUsPerEvent.toFixed(2)} µs CPU`;
  process.stderr.write(
    `round ${i + 1}/${rounds}: bare ${say(round.bare)}, bare + sinks ${say(round.sinks)}, measured ${say(round.full)}, hand-written ${say(round.hand)}\n`,
  );
}
rmSync(dir, { recursive: true, force: true });
if (results.size !== 1) throw new Error(`the loops disagree on the number of window results: ${[...results].join(', ')}`);
const med = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
/** Median over rounds of the paired ratio - 1, in per cent: each round's runs ran back to back. */
const pct = (f: (r: (typeof runs)[number]) => number) => Math.round((med(f) - 1) * 1000) / 10;
console.log(
  JSON.stringify(
    {
      events,
      rounds,
      eventsPerMs: perMs,
      windowResults: [...results][0],
      bareEventsPerSec: Math.round(med((r) => r.bare.perSec)),
      bareWithSinksEventsPerSec: Math.round(med((r) => r.sinks.perSec)),
      measuredEventsPerSec: Math.round(med((r) => r.full.perSec)),
      handWrittenEventsPerSec: Math.round(med((r) => r.hand.perSec)),
      bareCpuUsPerEvent: Math.round(med((r) => r.bare.cpuUsPerEvent) * 1000) / 1000,
      measuredCpuUsPerEvent: Math.round(med((r) => r.full.cpuUsPerEvent) * 1000) / 1000,
      harnessOverheadPercent: pct((r) => r.bare.perSec / r.full.perSec),
      harnessOverheadCpuPercent: pct((r) => r.full.cpuUsPerEvent / r.bare.cpuUsPerEvent),
      sinksOverheadPercent: pct((r) => r.bare.perSec / r.sinks.perSec),
      sinksOverheadCpuPercent: pct((r) => r.sinks.cpuUsPerEvent / r.bare.cpuUsPerEvent),
      genericDataflowCostPercent: pct((r) => r.hand.perSec / r.bare.perSec),
    },
    null,
    1,
  ),
);
