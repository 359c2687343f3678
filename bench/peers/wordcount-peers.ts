/**
 * The keyed word count (`wordcount`: split on whitespace, count per word per tumbling event-time window,
 * watermark = highest event time - maxDelay - 1, a word whose window has already fired is late and
 * dropped) written the ways a Node programmer would without this project, plus the project's own compiled
 * dataflow with no harness around it. Every peer takes the same pre-parsed events and returns the same
 * window results `{windowStart, windowEnd, key, value}` (the main program checks their digests equal).
 *
 * Each returns its results, the time it took (ms, from the first event handed over to the last result
 * collected; the results collected into an array in every peer alike) and the process's CPU time meanwhile.
 */
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from, mergeMap, Observable, type OperatorFunction } from 'rxjs';
import { defaultOptionValues, type RunIO } from '../../engines/api/index.js';
import { compileDataflow } from '../../engines/reference/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import { splitWords, wordcount, type WordcountEvent } from '../../workloads/wordcount/index.js';

export interface WindowCount {
  windowStart: number;
  windowEnd: number;
  key: string;
  value: number;
}

export interface PeerRun {
  results: WindowCount[];
  /** Processing time (ms). */
  elapsedMs: number;
  /** CPU time of the process meanwhile (ms, all threads: GC and JIT included). */
  cpuMs: number;
}

/** Starts the clocks of a peer run. */
function begin(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function end(start: { wall: number; cpu: NodeJS.CpuUsage }, results: WindowCount[]): PeerRun {
  const cpu = process.cpuUsage(start.cpu);
  return { results, elapsedMs: performance.now() - start.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export interface WordcountParams {
  /** Window size (ms). */
  windowMs: number;
  /** Out-of-orderness bound of the watermark (ms). */
  maxDelay: number;
}

/**
 * The windowing itself, shared by the hand-written peers (loop, RxJS operator, Transform) so that they
 * differ only in how records reach it: open windows by start, a count per word in each.
 */
class TumblingWordCounts {
  private readonly windows = new Map<number, Map<string, number>>();
  private maxSeen = Number.NEGATIVE_INFINITY;

  constructor(private readonly p: WordcountParams) {}

  /** Counts `word` at `time` unless its window has fired; returns the watermark after it. */
  add(word: string, time: number): number {
    const size = this.p.windowMs;
    const start = Math.floor(time / size) * size;
    if (start + size - 1 > this.maxSeen - this.p.maxDelay - 1) {
      let counts = this.windows.get(start);
      if (counts === undefined) this.windows.set(start, (counts = new Map()));
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    if (time > this.maxSeen) this.maxSeen = time;
    return this.maxSeen - this.p.maxDelay - 1;
  }

  /** Emits and forgets every window that ends at or before `watermark` + 1. */
  fire(watermark: number, emit: (r: WindowCount) => void): void {
    const size = this.p.windowMs;
    for (const [start, counts] of this.windows) {
      if (start + size - 1 > watermark) continue;
      for (const [key, value] of counts) emit({ windowStart: start, windowEnd: start + size, key, value });
      this.windows.delete(start);
    }
  }

  /** Start of the earliest open window (Infinity when none): nothing fires before the watermark reaches its end. */
  get firstEnd(): number {
    let first = Number.POSITIVE_INFINITY;
    for (const start of this.windows.keys()) if (start < first) first = start;
    return first + this.p.windowMs - 1;
  }
}

/** A plain for-loop over the events. */
export function plainLoop(events: readonly WordcountEvent[], p: WordcountParams): PeerRun {
  const results: WindowCount[] = [];
  const emit = (r: WindowCount) => void results.push(r);
  const start = begin();
  const state = new TumblingWordCounts(p);
  let nextFire = Number.POSITIVE_INFINITY;
  let watermark = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const words = splitWords(e.text);
    for (let w = 0; w < words.length; w++) watermark = state.add(words[w]!, e.time);
    if (nextFire === Number.POSITIVE_INFINITY) nextFire = state.firstEnd;
    if (watermark >= nextFire) {
      state.fire(watermark, emit);
      nextFire = state.firstEnd;
    }
  }
  state.fire(Number.POSITIVE_INFINITY, emit);
  return end(start, results);
}

/**
 * RxJS 7: `from(events)`, `mergeMap` splitting each event into its words (flatMap), and a custom keyed
 * tumbling-window operator built the way RxJS operators are (an Observable subscribing to its source),
 * which fires windows as the watermark passes them and the rest on completion.
 */
export function rxjs(events: readonly WordcountEvent[], p: WordcountParams): Promise<PeerRun> {
  const windowCounts = (): OperatorFunction<{ word: string; time: number }, WindowCount> => (source) =>
    new Observable<WindowCount>((subscriber) => {
      const state = new TumblingWordCounts(p);
      const emit = (r: WindowCount) => subscriber.next(r);
      let nextFire = Number.POSITIVE_INFINITY;
      return source.subscribe({
        next: ({ word, time }) => {
          const watermark = state.add(word, time);
          if (nextFire === Number.POSITIVE_INFINITY) nextFire = state.firstEnd;
          if (watermark >= nextFire) {
            state.fire(watermark, emit);
            nextFire = state.firstEnd;
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          state.fire(Number.POSITIVE_INFINITY, emit);
          subscriber.complete();
        },
      });
    });
  return new Promise((resolve, reject) => {
    const results: WindowCount[] = [];
    const start = begin();
    from(events)
      .pipe(
        mergeMap((e) => splitWords(e.text).map((word) => ({ word, time: e.time }))),
        windowCounts(),
      )
      .subscribe({
        next: (r) => void results.push(r),
        error: reject,
        complete: () => resolve(end(start, results)),
      });
  });
}

/** Node streams in object mode: `Readable.from(events)` -> a `Transform` (split and count) -> a `Writable` collecting. */
export async function nodeStreams(events: readonly WordcountEvent[], p: WordcountParams): Promise<PeerRun> {
  const results: WindowCount[] = [];
  const start = begin();
  const state = new TumblingWordCounts(p);
  let nextFire = Number.POSITIVE_INFINITY;
  const counter = new Transform({
    objectMode: true,
    transform(e: WordcountEvent, _encoding, done) {
      const words = splitWords(e.text);
      let watermark = Number.NEGATIVE_INFINITY;
      for (let w = 0; w < words.length; w++) watermark = state.add(words[w]!, e.time);
      if (nextFire === Number.POSITIVE_INFINITY) nextFire = state.firstEnd;
      if (watermark >= nextFire) {
        state.fire(watermark, (r) => this.push(r));
        nextFire = state.firstEnd;
      }
      done();
    },
    flush(done) {
      state.fire(Number.POSITIVE_INFINITY, (r) => this.push(r));
      done();
    },
  });
  const collect = new Writable({
    objectMode: true,
    write(r: WindowCount, _encoding, done) {
      results.push(r);
      done();
    },
  });
  await pipeline(Readable.from(events), counter, collect);
  return end(start, results);
}

/** The reference engine's compiled dataflow of `wordcount`, pushed by a for-loop: no log, driver, scheduler or measurement. */
export function compiledDataflow(events: readonly WordcountEvent[], p: WordcountParams): PeerRun {
  const results: WindowCount[] = [];
  const io = {
    sinks: { get: () => ({ write: (r: WindowCount) => void results.push(r) }) },
    metrics: { lateRecordsDropped: () => undefined },
    clock: systemClock,
  } as unknown as RunIO;
  const values = { ...defaultOptionValues(wordcount.options), window: p.windowMs, maxDelay: p.maxDelay };
  const flow = compileDataflow(wordcount.dataflow(values), io);
  const start = begin();
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    flow.push(e, e.time, e.time, 0);
    if (flow.watermarkDirty()) flow.advanceWatermarks();
  }
  flow.finish();
  return end(start, results);
}

/** The in-process peers, by the name the benchmark prints. */
export const peers: Readonly<Record<string, (events: readonly WordcountEvent[], p: WordcountParams) => PeerRun | Promise<PeerRun>>> = {
  'plain loop': plainLoop,
  'RxJS 7': rxjs,
  'stream.Transform': nodeStreams,
  'compiled dataflow, bare loop': compiledDataflow,
};
