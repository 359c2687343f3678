/**
 * Sinks across a process boundary: a task in another process writes sink records to a
 * {@link RemoteSinkSet}, which batches them and sends them to the driver, where {@link serveSinks} hands
 * each to the run's own sink writers, in order per sender. So the measurement (counts, digest, latency
 * against the one cluster clock) happens in the driver process for every deployment, and results files
 * look the same. A batch goes out at the end of the sender's current turn or when it is full, whichever
 * comes first, so that a record waits for its batch at most one scheduler turn.
 */
import type { Clock, SinkSet, SinkWriter } from '../../api/index.js';
import type { ControlChannel } from './control-channel.js';

/** Records per batch at most. */
export const SINK_BATCH_RECORDS = 512;

/** `[sink index, value, emitTime, ingestTime]`. */
type SinkRow = [number, unknown, number, number];

/** Writes each received record to `sinks` (by the sender's sink names). */
export function serveSinks(channel: ControlChannel, sinks: SinkSet, names: readonly string[]): void {
  const writers = names.map((n) => sinks.get(n));
  channel.on('sink.records', (rows: SinkRow[]) => {
    for (const [sink, value, emitTime, ingestTime] of rows) writers[sink].write(value, emitTime, ingestTime);
  });
}

export class RemoteSinkSet implements SinkSet {
  private rows: SinkRow[] = [];
  private scheduled = false;
  private readonly writers = new Map<string, SinkWriter>();
  /** Records sent. */
  records = 0;

  constructor(
    private readonly channel: ControlChannel,
    private readonly clock: Clock,
    readonly names: readonly string[],
  ) {
    names.forEach((name, index) => {
      this.writers.set(name, {
        write: (value, emitTime, ingestTime) => {
          this.rows.push([index, value, emitTime, ingestTime]);
          if (this.rows.length >= SINK_BATCH_RECORDS) this.flush();
          else if (!this.scheduled) {
            this.scheduled = true;
            this.clock.defer(() => this.flush());
          }
        },
      });
    });
  }

  get(name: string): SinkWriter {
    const w = this.writers.get(name);
    if (w === undefined) throw new Error(`no sink named '${name}'`);
    return w;
  }

  /** Sends what is batched. */
  flush(): void {
    this.scheduled = false;
    if (this.rows.length === 0) return;
    this.records += this.rows.length;
    this.channel.send('sink.records', this.rows);
    this.rows = [];
  }
}
