/**
 * What the driver's event log server delivers to one consumer process on loopback (events/s): the bound
 * on any engine's input in the standalone deployment. The log is filled before the consumer starts and
 * closed, so the figure is the server's and the protocol's (fetch, JSON, TCP, prefetch), not the
 * generator's. The consumer reads like a Flink source: every partition, batch by batch, committing.
 *
 * node dist/bench/cluster/event-log-throughput.js [workload=wordcount] [events=400000] [partitions=1] [runs=3]
 */
import { fork } from 'node:child_process';
import { defaultOptionValues } from '../../engines/api/index.js';
import { ControlServer, serveEventLog } from '../../engines/runtime/cluster/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import { workloads } from '../../workloads/index.js';
import { EventLog } from '../driver/index.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

async function once(workload: string, events: number, partitions: number): Promise<{ eventsPerSec: number; cpuMs: number }> {
  const w = workloads[workload];
  if (w === undefined) throw new Error(`unknown workload '${workload}'`);
  const gen = w.generator(defaultOptionValues(w.options), 42);
  const log = new EventLog(partitions, systemClock);
  const t0 = systemClock.now();
  for (let k = 0; k < events; k++) log.append(k % partitions, gen.next(k, t0 + k), t0 + k);
  log.close();
  const server = new ControlServer({ name: 'driver' }, (ch) => serveEventLog(ch, log));
  const port = await server.listen(0);
  const consumer = fork(join(dirname(fileURLToPath(import.meta.url)), 'event-log-consumer.js'), [String(port)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpu0 = process.cpuUsage();
  const result = await new Promise<{ events: number; elapsedMs: number }>((resolve, reject) => {
    consumer.once('message', (m) => resolve(m as { events: number; elapsedMs: number }));
    consumer.once('exit', (code) => reject(new Error(`consumer exited with code ${code}`)));
  });
  const cpu = process.cpuUsage(cpu0);
  await server.close();
  if (result.events !== events) throw new Error(`consumer read ${result.events} of ${events} events`);
  return { eventsPerSec: (result.events / result.elapsedMs) * 1000, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const [workload = 'wordcount', events = '400000', partitions = '1', runs = '3'] = process.argv.slice(2);
  const rates: number[] = [];
  for (let r = 0; r < Number(runs); r++) {
    const { eventsPerSec, cpuMs } = await once(workload, Number(events), Number(partitions));
    rates.push(eventsPerSec);
    process.stdout.write(
      `${workload}: ${Math.round(eventsPerSec)} events/s to one consumer (server CPU ${Math.round(cpuMs)} ms for ${events} events)\n`,
    );
  }
  rates.sort((a, b) => a - b);
  process.stdout.write(
    `${workload}: median ${Math.round(rates[rates.length >> 1])} events/s over ${runs} runs, ${partitions} partition(s)\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
