/**
 * The storm engine's output equals the reference engine's, for every operator kind of the dataflow API,
 * at parallelism 1 and 3, with one and several workers, in both flavours, with Storm's windowed bolts and
 * the incremental ones, with ackers on (and then no tree fails, nothing is replayed, nothing is
 * duplicated) and off: the wordcount fixture, the real workloads, and seeded random inputs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  session,
  sliding,
  sumOf,
  tumbling,
  type Dataflow,
  type OptionValue,
  type WindowResult,
} from '../../../engines/api/index.js';
import { stormEngine } from '../../../engines/storm/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { expectSameAsReference as expectSame, runBounded, sortedValues } from '../../support/run-bounded.js';
import { prng } from './support/virtual-run.js';

/** Engine configurations every flow is checked under. */
const CONFIGS: Record<string, OptionValue>[] = [
  {},
  { windowing: 'incremental' },
  { ackers: '0' },
  { workers: 3, supervisors: 2 },
  { flavour: 'jstorm' },
  { flavour: 'jstorm', workers: 2, ackers: '0' },
];

function label(values: Record<string, unknown>, parallelism: number): string {
  return `p=${parallelism} ${JSON.stringify(values)}`;
}

/** Storm = reference under every configuration, and with ackers every tree completed: nothing failed, replayed or left pending. */
async function expectSameAsReference(flow: Dataflow, events: readonly unknown[], configs = CONFIGS, parallelisms = [1, 3]): Promise<void> {
  await expectSame(stormEngine, flow, events, {
    parallelisms,
    cases: configs.map((values) => ({ label: JSON.stringify(values), values })),
    check: (r, what) => {
      expect(r.late.total, what).toBe(0);
      expect(r.stats.failed, what).toBe(0);
      expect(r.stats.replayed, what).toBe(0);
      expect(r.stats.acked, what).toBe(events.length);
      expect(r.stats.completeLatencyMs === null, what).toBe(r.stats.acker === null);
      if (r.stats.acker !== null) expect(r.stats.acker.pending, what).toBe(0);
      // Everything was committed: the log retains at most its last segment.
      expect(r.log.retainedEntries, what).toBeLessThanOrEqual(4096 * parallelisms[parallelisms.length - 1]!);
    },
  });
}

interface WordsEvent {
  t: number;
  words: string[];
}

/** Times rise by random steps; each event goes back at most `jitter` (< maxDelay: nothing is late or at the bound). */
function words(seed: number, n: number, jitter: number, vocab = ['ba', 'be', 'bi', 'Ba', 'ca', 'cu', 'da', 'x']): WordsEvent[] {
  const r = prng(seed);
  let clock = 0;
  return Array.from({ length: n }, () => {
    clock += r.int(12);
    return { t: clock - r.int(jitter + 1), words: Array.from({ length: r.int(4) }, () => r.pick(vocab)) };
  });
}

/** map, flatMap, filter, timestamps, tumbling/sliding/session windows, fan-out to several sinks, a window after a window. */
function windowsFlow(maxDelay: number): Dataflow {
  const b = new DataflowBuilder('windows');
  const ws = b
    .source<WordsEvent>('events')
    .withTimestamps((e) => e.t, { maxDelay }, 'timestamps')
    .flatMap((e) => e.words, 'split')
    .filter((w) => w !== 'x', 'drop-x')
    .map((w) => w.toLowerCase(), 'lower');
  const counts = ws
    .keyBy((w) => w)
    .window(tumbling(50))
    .aggregate(count<string>(), 'count');
  counts.sink('counts');
  counts
    .keyBy((r) => r.key)
    .window(tumbling(200))
    .aggregate(
      sumOf<WindowResult<string, number>>((r) => r.value),
      'sum-of-counts',
    )
    .sink('sums');
  ws.keyBy((w) => w)
    .window(sliding(60, 20))
    .aggregate(count<string>(), 'sliding-count')
    .sink('sliding');
  ws.keyBy((w) => w)
    .window(session(15))
    .aggregate(count<string>(), 'session-count')
    .sink('sessions');
  return b.build();
}

interface SideEvent {
  t: number;
  side: 'L' | 'R';
  key: number;
  id: number;
}

function sides(seed: number, n: number, jitter: number): SideEvent[] {
  const r = prng(seed);
  let clock = 0;
  return Array.from({ length: n }, (_, id) => {
    clock += r.int(10);
    return { t: clock - r.int(jitter + 1), side: r.next() < 0.5 ? 'L' : 'R', key: r.int(12), id };
  });
}

/** Incremental join, window join, and a self-join (one stream on both sides). */
function joinsFlow(maxDelay: number): Dataflow {
  const b = new DataflowBuilder('joins');
  const ts = b.source<SideEvent>('events').withTimestamps((e) => e.t, { maxDelay }, 'timestamps');
  const left = ts.filter((e) => e.side === 'L', 'left');
  const right = ts.filter((e) => e.side === 'R', 'right');
  left
    .keyBy((e) => e.key)
    .join(
      right.keyBy((e) => e.key),
      (l, r) => ({ l: l.id, r: r.id }),
      'join',
    )
    .sink('joined');
  left
    .keyBy((e) => e.key)
    .windowJoin(
      right.keyBy((e) => e.key),
      tumbling(40),
      (l, r, w) => ({ l: l.id, r: r.id, w: w.start }),
      'window-join',
    )
    .sink('window-joined');
  const small = right.filter((e) => e.id % 5 === 0, 'every-fifth');
  small
    .keyBy((e) => e.key % 3)
    .join(
      small.keyBy((e) => e.key % 3),
      (a, c) => [a.id, c.id],
      'self-join',
    )
    .sink('self-joined');
  return b.build();
}

describe('storm = reference: every operator kind', () => {
  for (const seed of [3, 17]) {
    it(`windows, fan-out, a window after a window (seed ${seed})`, async () => {
      await expectSameAsReference(windowsFlow(30), words(seed, 700, 29));
    });
    it(`incremental join, window join, self-join (seed ${seed})`, async () => {
      await expectSameAsReference(joinsFlow(25), sides(seed, 500, 24));
    });
  }
});

describe('storm = reference: the workloads', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
  const inputLines = readFileSync(fixture('wordcount-ooo.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const expectedLines = readFileSync(fixture('wordcount-ooo.expected.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const events = inputLines.map((l) => wordcount.parseInputLine(l));
  const flow = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 5000, maxDelay: 2000 });

  it('the wordcount-ooo fixture gives the expected file (wall clock, runBounded), every configuration', async () => {
    for (const parallelism of [1, 3]) {
      for (const values of CONFIGS) {
        const r = await runBounded(stormEngine, flow, events, { parallelism, values: values as never });
        expect(sortedValues(r.sinks.counts), label(values, parallelism)).toEqual(expectedLines);
        expect(r.late.total).toBe(0);
      }
    }
  });

  it('generated wordcount and stateless inputs (seeded workload generators)', async () => {
    const wcValues = { ...defaultOptionValues(wordcount.options), window: 200, maxDelay: 100, disorder: 99, keys: 300 };
    const gen = wordcount.generator(wcValues, 5);
    const wcEvents = Array.from({ length: 1500 }, (_, k) => gen.next(k, 10_000 + k));
    await expectSameAsReference(wordcount.dataflow(wcValues), wcEvents, CONFIGS.slice(0, 5));
    const sgen = stateless.generator(defaultOptionValues(stateless.options), 9);
    const sEvents = Array.from({ length: 1500 }, (_, k) => sgen.next(k, 10_000 + k));
    await expectSameAsReference(stateless.dataflow(defaultOptionValues(stateless.options)), sEvents, CONFIGS.slice(0, 5));
  });
});
