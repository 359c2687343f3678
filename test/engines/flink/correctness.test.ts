/**
 * The flink engine against the reference engine (the oracle): for the same bounded input without late
 * records, every sink receives the same multiset of values, for every operator kind of the dataflow API,
 * at parallelism 1 and 3, with chaining on and off, with checkpoints off and on (both modes), with network
 * settings that force many small buffers and little credit, and with per-operator parallelism, chaining
 * and slot-sharing hints. Inputs come from seeded generators (the workloads' own and this suite's).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  reducing,
  session,
  sliding,
  sumOf,
  tumbling,
  type Dataflow,
  type OptionValue,
  type WindowResult,
} from '../../../engines/api/index.js';
import { flinkEngine } from '../../../engines/flink/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { expectSameAsReference, runBounded, sortedValues } from '../../support/run-bounded.js';
import { windowedWordCount } from '../../support/flows.js';
import { events, runStepped, type Ev } from './support.js';

/** How one flink run is configured. */
interface Variant {
  name: string;
  parallelism: number;
  values?: Readonly<Record<string, OptionValue>>;
  /** Stepped on a ManualClock, 20 events per 5 ms (watermarks, flushes and checkpoints mid-input), else from timer to timer. */
  stepped?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'p1', parallelism: 1 },
  { name: 'p3', parallelism: 3 },
  { name: 'p3 chaining off', parallelism: 3, values: { chaining: false } },
  {
    name: 'p1 stepped, exactly-once checkpoints every 20 ms, buffer timeout 0',
    parallelism: 1,
    stepped: true,
    values: { checkpointInterval: 20, bufferTimeout: 0 },
  },
  {
    name: 'p3 stepped, chaining off, exactly-once checkpoints every 20 ms',
    parallelism: 3,
    stepped: true,
    values: { chaining: false, checkpointInterval: 20, watermarkInterval: 30 },
  },
  {
    name: 'p3 stepped, at-least-once checkpoints, 256-byte buffers, 1 credit, no floating buffers, no timeout',
    parallelism: 3,
    stepped: true,
    values: {
      checkpointMode: 'at_least_once',
      checkpointInterval: 15,
      bufferSize: 256,
      buffersPerChannel: 1,
      floatingBuffersPerGate: 0,
      maxBuffersPerChannel: 1,
      bufferTimeout: null,
      watermarkInterval: 20,
    },
  },
];

/** Every variant's output equals the reference engine's, sink by sink, and nothing is late. */
async function agrees(flow: Dataflow, input: readonly unknown[], variants: Variant[] = VARIANTS): Promise<void> {
  for (const v of variants) {
    await expectSameAsReference(flinkEngine, flow, input, {
      parallelisms: [v.parallelism],
      cases: [
        {
          label: v.name,
          values: v.values,
          drive: v.stepped ? { kind: 'stepped', stepMs: 5 } : { kind: 'next-timer' },
          eventsPerStep: v.stepped ? 20 : undefined,
        },
      ],
      check: (run, label) => {
        expect(run.late.total, `${label}: late records`).toBe(0);
        if (v.values?.checkpointInterval !== undefined) {
          expect(
            run.stats.checkpoints.some((c) => c.status === 'completed'),
            `${label}: some checkpoint completed`,
          ).toBe(true);
        }
      },
    });
  }
}

const wordsFlow = windowedWordCount;

describe('flink = reference: windows', () => {
  it('tumbling windows over out-of-order input (seeds 1, 2)', async () => {
    for (const seed of [1, 2]) await agrees(wordsFlow('tumbling', tumbling(100), 40), events(seed, 700, { jitter: 39 }));
  });

  it('sliding windows, including slide > size (gaps)', async () => {
    await agrees(wordsFlow('sliding', sliding(120, 40), 30), events(3, 600, { jitter: 29 }));
    await agrees(wordsFlow('sliding-gaps', sliding(30, 50), 20), events(4, 600, { jitter: 19 }), VARIANTS.slice(0, 4));
  });

  it('session windows (no record exactly at the out-of-orderness bound)', async () => {
    await agrees(wordsFlow('sessions', session(25), 15), events(5, 600, { step: 14, jitter: 14 }));
  });

  it('a window after a window, keyed differently', async () => {
    const b = new DataflowBuilder('window-after-window');
    b.source<Ev>('events')
      .withTimestamps((e) => e.t, { maxDelay: 30 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(50))
      .aggregate(
        sumOf<Ev>((e) => e.n),
        'sum-per-key',
      )
      .keyBy((r) => (r as WindowResult<string, number>).value % 4)
      .window(tumbling(200))
      .aggregate(count(), 'count-per-bucket')
      .sink('out');
    await agrees(b.build(), events(6, 800, { jitter: 29 }));
  });

  it('windows without timestamps (watermark only at the end of input) and a reducing aggregate', async () => {
    const b = new DataflowBuilder('no-timestamps');
    b.source<Ev>('events')
      .map((e) => ({ k: e.k, n: e.n, t: e.t }), 'narrow')
      .keyBy((e) => e.k)
      .window(tumbling(5))
      // A total order, so that the result does not depend on arrival order.
      .aggregate(
        reducing<{ k: string; n: number; t: number }>('max-n', (x, y) => (x.n > y.n || (x.n === y.n && x.t >= y.t) ? x : y)),
        'max',
      )
      .sink('out');
    await agrees(b.build(), events(7, 400));
  });
});

describe('flink = reference: stateless operators, joins, fan-out', () => {
  it('map, flatMap, filter and fan-out to several sinks (chained branches)', async () => {
    const b = new DataflowBuilder('fan-out');
    const parsed = b.source<Ev>('events').map((e) => ({ k: e.k, n: e.n * 2, w: e.words.length }), 'project');
    parsed.filter((e) => e.n % 3 === 0, 'multiples-of-3').sink('multiples');
    parsed.flatMap((e) => Array.from({ length: e.w }, (_, i) => `${e.k}:${i}`), 'explode').sink('exploded');
    parsed.sink('all');
    await agrees(b.build(), events(8, 500));
  });

  it('incremental join of two filtered branches', async () => {
    const b = new DataflowBuilder('join');
    const ts = b.source<Ev>('events').withTimestamps((e) => e.t, { maxDelay: 20 }, 'timestamps');
    const left = ts.filter((e) => e.n % 2 === 0, 'evens').keyBy((e) => e.k);
    const right = ts
      .filter((e) => e.n % 2 === 1, 'odds')
      .map((e) => ({ key: e.k, m: e.n }), 'reshape')
      .keyBy((e) => e.key);
    left.join(right, (l, r) => ({ k: l.k, l: l.n, r: r.m }), 'pairs').sink('out');
    await agrees(b.build(), events(9, 240, { jitter: 19, keys: 12 }));
  });

  it('windowed join, then a self-join of one keyed stream', async () => {
    const b = new DataflowBuilder('window-join');
    const ts = b.source<Ev>('events').withTimestamps((e) => e.t, { maxDelay: 25 }, 'timestamps');
    const left = ts.filter((e) => e.n < 50, 'low').keyBy((e) => e.k);
    const right = ts.filter((e) => e.n >= 50, 'high').keyBy((e) => e.k);
    left.windowJoin(right, tumbling(60), (l, r, w) => ({ k: l.k, l: l.n, r: r.n, start: w.start }), 'joined').sink('out');
    await agrees(b.build(), events(10, 500, { jitter: 24 }));

    const s = new DataflowBuilder('self-join');
    const keyed = s
      .source<Ev>('events')
      .filter((e) => e.n < 20, 'few')
      .keyBy((e) => e.k);
    keyed.join(keyed, (l, r) => `${l.n}-${r.n}`, 'self').sink('out');
    await agrees(s.build(), events(11, 300));
  });

  it('per-operator parallelism (rebalance edges), chaining hints and slot-sharing groups', async () => {
    const b = new DataflowBuilder('hints');
    b.source<Ev>('events')
      .withTimestamps((e) => e.t, { maxDelay: 30 }, { name: 'timestamps', hints: { flink: { startNewChain: true } } })
      .map((e) => ({ k: e.k, n: e.n }), { name: 'narrow', parallelism: 2 })
      .filter((e) => e.n !== 13, { name: 'not-13', hints: { flink: { disableChaining: true } } })
      .keyBy((e) => e.k)
      .window(tumbling(80))
      .aggregate(
        sumOf<{ k: string; n: number }>((e) => e.n),
        { name: 'sum', parallelism: 2, hints: { flink: { slotSharingGroup: 'windows' } } },
      )
      .sink({ name: 'out', parallelism: 1 });
    await agrees(b.build(), events(12, 600, { jitter: 29 }));
  });
});

describe('flink = reference: the workloads, with inputs from their own generators', () => {
  it('wordcount (generated, Zipf words, disorder inside the bound)', async () => {
    const values = { ...defaultOptionValues(wordcount.options), window: 200, maxDelay: 60, disorder: 50, keys: 300, wordsPerEvent: 4 };
    const gen = wordcount.generator(values, 99);
    const input = Array.from({ length: 2000 }, (_, k) => gen.next(k, 1_000_000 + k * 2));
    await agrees(wordcount.dataflow(values), input);
  });

  it('stateless (generated YSB JSON text)', async () => {
    const values = defaultOptionValues(stateless.options);
    const gen = stateless.generator(values, 7);
    const input = Array.from({ length: 1500 }, (_, k) => gen.next(k, 1_000_000 + k));
    await agrees(stateless.dataflow(values), input);
  });

  it('the wordcount-ooo fixture gives the expected file (window 5000, maxDelay 2000)', async () => {
    const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
    const input = readFileSync(fixture('wordcount-ooo.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => wordcount.parseInputLine(l));
    const expected = readFileSync(fixture('wordcount-ooo.expected.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const flow = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 5000, maxDelay: 2000 });
    for (const v of VARIANTS) {
      const got = v.stepped
        ? await runStepped(flow, input, { parallelism: v.parallelism, values: v.values })
        : await runBounded(flinkEngine, flow, input, { parallelism: v.parallelism, values: v.values, drive: { kind: 'next-timer' } });
      expect(sortedValues(got.sinks.counts ?? []), v.name).toEqual(expected);
    }
  });
});
