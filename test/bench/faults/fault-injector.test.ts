import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultSpec, withFailingFunctions } from '../../../bench/faults/index.js';
import {
  defaultOptionValues,
  InjectedTaskFailure,
  injectedFaultOf,
  type FaultKind,
  type FaultListener,
  type ResolvedFault,
  type RunningJob,
} from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { workloads } from '../../../workloads/index.js';

/** A job with `count` daemons of each kind that records what it was given. */
function fakeJob(count: number) {
  const injected: ResolvedFault[] = [];
  const job: RunningJob & { faults: { daemons(k: FaultKind): number; inject(f: ResolvedFault, l: FaultListener): void } } = {
    drained: async () => {},
    stop: async () => {},
    stats: () => ({}),
    faults: {
      daemons: () => count,
      inject: (f, l) => {
        injected.push(f);
        l.event({ fault: f.index, type: 'injected', timeMs: 0 });
      },
    },
  };
  return { job, injected };
}

describe('the fault injector', () => {
  it('injects each fault at the load start plus its time, a random target drawn with the seed', () => {
    const faults = ['kill-worker:random@1s', 'kill-worker:2@2s', 'kill-worker@3s'].map(parseFaultSpec);
    const draw = (seed: number) => {
      const clock = new ManualClock(10_000);
      const { job, injected } = fakeJob(4);
      const injector = new FaultInjector(faults, clock, seed, undefined);
      injector.start(job, 10_000);
      clock.advance(999);
      expect(injected).toHaveLength(0);
      clock.advance(1);
      expect(injected).toHaveLength(1);
      clock.advance(2000);
      return { injected, targets: injector.targets };
    };
    const a = draw(42);
    expect(a.injected.map((f) => [f.index, f.kind])).toEqual([
      [0, 'kill-worker'],
      [1, 'kill-worker'],
      [2, 'kill-worker'],
    ]);
    const random = Number(a.injected[0].target);
    expect(random >= 0 && random < 4).toBe(true);
    expect(a.injected.slice(1).map((f) => f.target)).toEqual(['2', '0']);
    expect(a.targets).toEqual([String(random), '2', '0']);
    // The same seed draws the same daemon.
    expect(draw(42).injected[0].target).toBe(String(random));
  });

  it('makes the named user function throw once, at its first call after the fault time', () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const faults = [parseFaultSpec('kill-task:split@1s')];
    const failing = withFailingFunctions(flow, faults);
    const split = failing.dataflow.nodes.find((n) => n.name === 'split');
    if (split?.kind !== 'flatMap') throw new Error('wordcount has a flatMap split');
    const clock = new ManualClock(0);
    const injector = new FaultInjector(faults, clock, 1, failing);
    injector.start(fakeJob(1).job, 0);
    const line = (flow.nodes.find((n) => n.name === 'split') as typeof split).fn;
    const sample = { text: 'a b', time: 0 };
    expect(() => split.fn(sample)).not.toThrow(); // before the fault's time
    clock.advance(1000);
    let thrown: unknown;
    try {
      split.fn(sample);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InjectedTaskFailure);
    expect(injectedFaultOf(new Error('task x failed', { cause: thrown }))).toBe(0);
    expect([...split.fn(sample)]).toEqual([...line(sample)]); // once only
    expect(injector.events.map((e) => e.type)).toEqual(['injected']);
    expect(injectedFaultOf(new Error('a genuine bug'))).toBe(-1);
  });
});
