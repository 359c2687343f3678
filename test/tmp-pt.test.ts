import { it } from 'vitest';
import { count, DataflowBuilder, sliding } from '../engines/api/index.js';
import { sparkEngine } from '../engines/spark/index.js';
import { runVirtual } from './engines/spark/support.js';
it('pt', async () => {
  const b = new DataflowBuilder('pt');
  b.source<string>('words')
    .keyBy((w) => w)
    .processingTimeWindow(sliding(30, 10))
    .aggregate(count<string>(), 'count')
    .sink('out');
  const input = Array.from({ length: 200 }, (_, i) => 'abc'[i % 3]);
  const r = await runVirtual(sparkEngine, b.build(), input, {
    values: { batchInterval: 10, maxRatePerPartition: 1000, windowOperation: 'reduceByKeyAndWindowInv', checkpointInterval: '40ms' },
  });
  console.log(r.sinks.out.length, r.stats.checkpointsTotal);
});
