/** The consumer process of event-log-throughput.ts: reads the served log to its end as a source does. */
import { connectControl, ClusterClock, epochOffsetOf, RemoteEventLog, watchParent } from '../../engines/runtime/cluster/index.js';
import { systemClock } from '../../engines/runtime/index.js';

watchParent();

async function main(): Promise<void> {
  const clock = new ClusterClock(epochOffsetOf(systemClock));
  const channel = await connectControl(Number(process.argv[2]), { name: 'consumer' });
  const log = await RemoteEventLog.open(channel, clock);
  const t0 = clock.now();
  let events = 0;
  const offsets = Array.from({ length: log.partitions }, (_, q) => log.startOffset(q));
  await new Promise<void>((resolve) => {
    const step = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (let q = 0; q < log.partitions; q++) {
          const batch = log.read(q, offsets[q], 512);
          if (batch === undefined) continue;
          for (let i = 0; i < batch.count; i++) if (batch.values[batch.index + i] === undefined) throw new Error('hole');
          offsets[q] += batch.count;
          events += batch.count;
          log.commit(q, offsets[q]);
          progressed = true;
        }
      }
      if (log.isClosed() && offsets.every((o, q) => o >= log.endOffset(q))) resolve();
      else for (let q = 0; q < log.partitions; q++) log.waitForData(q, offsets[q], step);
    };
    step();
  });
  process.send?.({ events, elapsedMs: clock.now() - t0 });
  channel.close();
  process.exit(0);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
