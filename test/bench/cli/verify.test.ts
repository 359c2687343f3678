/**
 * `streamarena verify`: exit 0 when every engine agrees with the reference engine, 1 with a readable
 * difference (which engine, which workload, which records: expected and got) when one does not or fails,
 * 2 for usage errors. In this process: engines that disagree are injected through the registry.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine, WindowResult } from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { workloads } from '../../../workloads/index.js';
import { main } from '../../../bench/cli/main.js';
import { runVerify, type VerifyFlags, type VerifyRegistry } from '../../../bench/cli/commands/verify.js';
import { boundedInput, diffRecords, describeDifference, VERIFY_EPOCH_MS } from '../../../bench/verify/index.js';

/** The reference engine with a fault in what its sinks receive. */
function faulty(name: string, fault: (value: unknown, index: number) => unknown | undefined): Engine {
  return {
    ...referenceEngine,
    name,
    async start(flow, io, opts) {
      let n = 0;
      const sinks = {
        get(sink: string) {
          const inner = io.sinks.get(sink);
          return {
            write(value: unknown, emitTime: number, ingestTime: number) {
              const changed = fault(value, n++);
              if (changed !== undefined) inner.write(changed, emitTime, ingestTime);
            },
          };
        },
      };
      return referenceEngine.start(flow, { ...io, sinks }, opts);
    },
  };
}

const offByOne = faulty('off-by-one', (v, i) =>
  i === 3 ? { ...(v as WindowResult), value: (v as WindowResult<string, number>).value + 1 } : v,
);
const dropsOne = faulty('drops-one', (v, i) => (i === 0 ? undefined : v));
const broken: Engine = {
  ...referenceEngine,
  name: 'broken',
  start: async () => {
    throw new Error('cannot start');
  },
};
const stuck: Engine = {
  ...referenceEngine,
  name: 'stuck',
  start: async () => ({ drained: () => new Promise<void>(() => {}), stop: async () => {}, stats: () => ({}) }),
};

const registry: VerifyRegistry = {
  engines: { reference: referenceEngine, 'off-by-one': offByOne, 'drops-one': dropsOne, broken, stuck },
  workloads,
};

function flags(extra: Partial<VerifyFlags>): VerifyFlags {
  return { engine: 'reference', workload: 'ysb', events: '12000', seed: '42', parallelism: '1', option: [], timeout: '60s', ...extra };
}

async function verifyOutput(f: VerifyFlags): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runVerify(f, registry, (t) => (text += t));
  return { code, text };
}

describe('streamarena verify', () => {
  it('exits 0 and says so when the engines agree', async () => {
    const { code, text } = await verifyOutput(flags({ workload: 'ysb,nexmark-q5', parallelism: '3' }));
    expect(code).toBe(0);
    expect(text).toMatch(/^ok +reference +ysb +200 records/m);
    expect(text).toMatch(/^ok +reference +nexmark-q5 +\d+ records/m);
    expect(text).toMatch(/all 2 agree with the reference engine \(12000 events per workload, seed 42, parallelism 3\)/);
  });

  it('exits 1 and shows the window whose count differs: engine, workload, key, expected and got', async () => {
    const { code, text } = await verifyOutput(flags({ engine: 'reference,off-by-one' }));
    expect(code).toBe(1);
    expect(text).toMatch(/^ok +reference +ysb/m);
    expect(text).toMatch(/^DIFFER +off-by-one +ysb +200 records \(reference: 200\)/m);
    expect(text).toMatch(/sink 'campaign-windows': 200 records expected \(reference\), 200 got; 1 missing, 1 unexpected/);
    expect(text).toMatch(/at key="[0-9a-f-]{36}", windowEnd=\d+, windowStart=\d+: value: expected (\d+), got \d+/);
    const [, expected, got] = /value: expected (\d+), got (\d+)/.exec(text)!;
    expect(Number(got)).toBe(Number(expected) + 1);
    expect(text).toMatch(/1 of 2 differ from the reference engine, 0 failed/);
  });

  it('lists missing records when an engine loses one', async () => {
    const { code, text } = await verifyOutput(flags({ engine: 'drops-one', workload: 'nexmark-q3' }));
    expect(code).toBe(1);
    expect(text).toMatch(/sink 'nexmark_q3': (\d+) records expected \(reference\), \d+ got; 1 missing, 0 unexpected/);
    expect(text).toMatch(/missing \(expected, not got\):\n +\{"city":"[^"]+","id":\d+,"name":"[^"]+","state":"(OR|ID|CA)"\}/);
  });

  it('reports an engine that fails or does not finish, and exits 1', async () => {
    // The timeout is real time and also bounds the reference run of 500 events: 2 s, so that a busy machine
    // cannot time the oracle out; the stuck engine never drains, whatever the timeout.
    const { code, text } = await verifyOutput(flags({ engine: 'broken,stuck', workload: 'nexmark-q0', timeout: '2s', events: '500' }));
    expect(code).toBe(1);
    expect(text).toMatch(/^FAILED +broken +nexmark-q0 +cannot start/m);
    expect(text).toMatch(/^FAILED +stuck +nexmark-q0 +did not finish within 2 s \(500 events\)/m);
  });

  it('prints the report as JSON with --json', async () => {
    const { code, text } = await verifyOutput(flags({ workload: 'nexmark-q7', json: true, events: '3000' }));
    expect(code).toBe(0);
    const report = JSON.parse(text) as { ok: boolean; cases: { engine: string; workload: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.cases).toEqual([expect.objectContaining({ engine: 'reference', workload: 'nexmark-q7', status: 'agree' })]);
  });

  it('passes options to the workloads (-o), and compares YSB flush output by the latest count per window', async () => {
    const { code, text } = await verifyOutput(flags({ option: ['ysb.sinkMode=flush', 'ysb.window=5000'] }));
    expect(code).toBe(0);
    expect(text).toMatch(/^ok +reference +ysb +300 records/m);
  });
});

describe('streamarena verify: usage errors exit 2 with one line', () => {
  let stderr = '';
  afterEach(() => vi.restoreAllMocks());

  async function usage(args: string[]): Promise<number> {
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    return main(args);
  }

  it.each([
    [['verify', '-e', 'refrence'], /unknown name 'refrence' \(did you mean reference\?\)/],
    [['verify', '-w', 'nexmark-q4'], /--workload: unknown name 'nexmark-q4'/],
    [['verify', '-n', '0'], /--events: '0' is not a whole number >= 1/],
    [['verify', '-p', 'two'], /--parallelism: 'two'/],
    [['verify', '-o', 'ysb.sinkMode=sometimes'], /option ysb.sinkMode: 'sometimes' is not one of window, flush/],
    [['verify', '--timeout', 'soon'], /--timeout: 'soon' is not a duration/],
  ])('%j', async (args, message) => {
    expect(await usage(args)).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('verify building blocks', () => {
  it('generates the same bounded input every time, at fixed event times', () => {
    const values = { ...Object.fromEntries(workloads['nexmark-q0'].options.map((o) => [o.key, o.default])) };
    const a = boundedInput(workloads['nexmark-q0'], values, 3, 100);
    const b = boundedInput(workloads['nexmark-q0'], values, 3, 100);
    expect(a).toEqual(b);
    expect(a.timestamps[0]).toBe(VERIFY_EPOCH_MS);
    expect(a.timestamps[99]).toBe(VERIFY_EPOCH_MS + 99);
  });

  it('compares records as multisets and pairs near-identical records', () => {
    expect(diffRecords('s', [{ a: 1 }, { a: 1 }, { b: 2 }], [{ b: 2 }, { a: 1 }, { a: 1 }])).toBeUndefined();
    const d = diffRecords('s', [{ a: 1 }, { a: 1 }], [{ a: 1 }])!;
    expect(d.missing).toEqual(['{"a":1}']);
    const text = describeDifference(
      diffRecords(
        'out',
        [{ bidder: 7, bidCount: 3, windowStart: 0, windowEnd: 25_000 }],
        [{ bidder: 7, bidCount: 2, windowStart: 0, windowEnd: 15_000 }],
      )!,
    ).join('\n');
    expect(text).toMatch(/at bidder=7, windowStart=0: bidCount: expected 3, got 2; windowEnd: expected 25000, got 15000/);
  });
});
