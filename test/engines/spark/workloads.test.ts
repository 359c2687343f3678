/**
 * Every registered workload runs on spark and gives the reference engine's results on the same
 * generated input (event times fixed here, so both see identical events), at parallelism 1 and 3.
 */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues } from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { sparkEngine } from '../../../engines/spark/index.js';
import { workloads } from '../../../workloads/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { runVirtual } from './support.js';

describe('registered workloads on spark = reference', () => {
  for (const w of Object.values(workloads)) {
    it(w.name, async () => {
      const values = defaultOptionValues(w.options);
      const flow = w.dataflow(values);
      const gen = w.generator(values, 11);
      const t0 = 1_700_000_000_000;
      const n = 3000;
      const events = Array.from({ length: n }, (_, k) => gen.next(k, t0 + k * 2));
      const timestamps = events.map((_, k) => t0 + k * 2);
      for (const parallelism of [1, 3]) {
        const ref = await runBounded(referenceEngine, flow, events, { parallelism, timestamps });
        const spark = await runVirtual(sparkEngine, flow, events, {
          parallelism,
          timestamps,
          values: { batchInterval: 100, maxRatePerPartition: 5000 },
        });
        // Late records would depend on where each engine advances watermarks: compare inputs without.
        expect(ref.late.total, `${w.name}: the generated input must have no late records`).toBe(0);
        for (const sink of flow.sinks) {
          expect(sortedValues(spark.sinks[sink.name]), `${w.name} p=${parallelism} ${sink.name}`).toEqual(
            sortedValues(ref.sinks[sink.name]),
          );
        }
      }
    });
  }
});
