/** The optional workload hooks: a session for every workload, and sink effects after every write. */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, type OptionValues, type SinkSet } from '../../engines/api/index.js';
import { referenceEngine } from '../../engines/reference/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import { startWorkloadSession, withSinkEffects, comparableOutput, workloads, type WorkloadSession } from '../../workloads/index.js';

describe('workload hooks', () => {
  it('give a workload without hooks a session that is just its dataflow', async () => {
    const w = workloads.wordcount;
    const values = defaultOptionValues(w.options) as OptionValues;
    const session = await startWorkloadSession(w, values, { clock: systemClock });
    expect(session.dataflow.name).toBe('wordcount');
    expect(session.sinkEffect).toBeUndefined();
    await session.teardown();
    expect(comparableOutput(w, values, 'counts', [1, 2])).toEqual([1, 2]);
  });

  it('call the sink effect after the inner write, with the sink name and times', () => {
    const log: string[] = [];
    const inner: SinkSet = { get: (name) => ({ write: (v) => log.push(`write ${name} ${String(v)}`) }) };
    const session: WorkloadSession = {
      dataflow: undefined as never,
      sinkEffect: (sink, v, em, ig) => log.push(`effect ${sink} ${String(v)} ${em} ${ig}`),
      teardown: async () => {},
    };
    const sinks = withSinkEffects(inner, session);
    sinks.get('out').write('a', 1, 2);
    sinks.get('out').write('b', 3, 4);
    expect(log).toEqual(['write out a', 'effect out a 1 2', 'write out b', 'effect out b 3 4']);
    expect(withSinkEffects(inner, { dataflow: undefined as never, teardown: async () => {} })).toBe(inner);
  });

  it('every workload builds its dataflow and explains on the reference engine', async () => {
    for (const w of Object.values(workloads)) {
      const values = defaultOptionValues(w.options) as OptionValues;
      const flow = w.dataflow(values);
      expect(flow.sinks.length).toBeGreaterThan(0);
      expect(referenceEngine.explain(flow, { parallelism: 2, values: {} }).text).toContain(`dataflow ${w.name}`);
    }
  });
});
