/**
 * Sinks across a process boundary: a task in another process writes sink records to a
 * {@link RemoteSinkSet}, which batches them and sends them to the driver, where {@link serveSinks} hands
 * each to the run's own sink writers, in order per sender. So the measurement (counts, digest, latency
 * against the one cluster clock) happens in the driver process for every deployment, and results files
 * look the same. A batch goes out at the end of the sender's current turn or when it is full, whichever
 * comes first, so that a record waits for its batch at most one scheduler turn.
 *
 * A transaction (a two-phase-commit sink's, committed when its checkpoint completes) travels whole, after
 * what was batched before it; the driver's sink set, which must take transactions, commits it once.
 */
import type { Clock, SinkSet, SinkWriter, StagedRecord, TransactionalSinkSet } from '../../api/index.js';
import { isTransactional } from '../../api/index.js';
import { deserializeRecords, RecordSerializer } from '../codec.js';
import { WithBytes, type ControlChannel } from './control-channel.js';

/** Records per batch at most. */
export const SINK_BATCH_RECORDS = 512;
/** Bytes per codec buffer of a batch. */
const SINK_BUFFER_BYTES = 64 * 1024;

/** A batch: codec buffers one after another; each record's event-time field carries its sink's index. */
interface SinkBatch {
  readonly chunks: number[];
}

/** A transaction: its id and sink, and its records as codec buffers. */
interface SinkCommit extends SinkBatch {
  readonly id: string;
  readonly sink: string;
}

/** Visits every record of a batch's codec buffers. */
function eachRecord(
  batch: WithBytes<SinkBatch>,
  visit: (value: unknown, sink: number, emitTime: number, ingestTime: number) => void,
): void {
  let at = 0;
  for (const length of batch.meta.chunks) {
    deserializeRecords(batch.bytes.subarray(at, at + length), visit);
    at += length;
  }
}

/** Writes each received record to `sinks` (by the sender's sink names), in the order written; commits transactions. */
export function serveSinks(channel: ControlChannel, sinks: SinkSet, names: readonly string[]): void {
  const writers = names.map((n) => sinks.get(n));
  channel.on('sink.records', (batch: WithBytes<SinkBatch>) => {
    eachRecord(batch, (value, sink, emitTime, ingestTime) => writers[sink].write(value, emitTime, ingestTime));
  });
  channel.on('sink.commit', (batch: WithBytes<SinkCommit>) => {
    if (!isTransactional(sinks)) throw new Error(`sink ${batch.meta.sink}: a transaction arrived, but the driver's sinks take none`);
    const records: StagedRecord[] = [];
    eachRecord(batch, (value, _sink, emitTime, ingestTime) => records.push([value, emitTime, ingestTime]));
    sinks.commit(batch.meta.id, batch.meta.sink, records);
  });
}

export class RemoteSinkSet implements TransactionalSinkSet {
  private readonly serializer = new RecordSerializer(SINK_BUFFER_BYTES);
  private readonly finished: Uint8Array[] = [];
  private batched = 0;
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
          if (!this.serializer.write(value, index, emitTime, ingestTime)) {
            this.finished.push(this.serializer.finish());
            this.serializer.write(value, index, emitTime, ingestTime); // an empty buffer takes any record
          }
          if (++this.batched >= SINK_BATCH_RECORDS) this.flush();
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

  /** Sends transaction `id` whole, after what is batched (the driver commits it once). */
  commit(id: string, sink: string, records: readonly StagedRecord[]): void {
    this.flush();
    const index = this.names.indexOf(sink);
    if (index < 0) throw new Error(`no sink named '${sink}'`);
    const serializer = new RecordSerializer(SINK_BUFFER_BYTES);
    const parts: Uint8Array[] = [];
    for (const [value, emitTime, ingestTime] of records) {
      if (!serializer.write(value, index, emitTime, ingestTime)) {
        parts.push(serializer.finish());
        serializer.write(value, index, emitTime, ingestTime);
      }
    }
    if (serializer.recordCount > 0) parts.push(serializer.finish());
    this.records += records.length;
    const meta: SinkCommit = { id, sink, chunks: parts.map((p) => p.byteLength) };
    this.channel.sendWithBytes('sink.commit', meta, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** Sends what is batched. */
  flush(): void {
    this.scheduled = false;
    if (this.batched === 0) return;
    this.records += this.batched;
    this.batched = 0;
    if (this.serializer.recordCount > 0) this.finished.push(this.serializer.finish());
    const parts = this.finished.splice(0);
    const meta: SinkBatch = { chunks: parts.map((p) => p.byteLength) };
    this.channel.sendWithBytes('sink.records', meta, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }
}

/** `sinks`, calling `first` once, when the first record of any sink is written (a deployment's start-up figure). */
export function onFirstRecord(sinks: SinkSet, first: () => void): SinkSet {
  let seen = false;
  return {
    get: (name) => {
      const inner = sinks.get(name);
      return {
        write: (value, emitTime, ingestTime) => {
          if (!seen) {
            seen = true;
            first();
          }
          inner.write(value, emitTime, ingestTime);
        },
      };
    },
  };
}
