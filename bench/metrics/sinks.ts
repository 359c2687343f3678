/**
 * The sinks of a measured run. Every sink record is counted and, when asked, digested; records whose max
 * emitTime falls in the measurement window (after warm-up) have their event-time latency (now - emitTime)
 * and processing-time latency (now - ingestTime) recorded. Optionally every record is written as JSONL.
 *
 * The digest is the sinks' largest cost per record (canonical JSON and a 64-bit hash), so a run that
 * cannot compare outputs (generated input carries wall-clock times) does not pay for it.
 */
import type { Clock, Dataflow, SinkSet, SinkWriter } from '../../engines/api/index.js';
import { LatencyHistogram } from '../../engines/runtime/index.js';
import { canonicalJson, OutputDigest } from '../../reports/digest.js';
import type { JsonlWriter } from './jsonl-writer.js';

export class MeasuredSinks implements SinkSet {
  readonly eventTime = new LatencyHistogram();
  readonly processingTime = new LatencyHistogram();
  /** Event-time latency of the current sampling interval; the sampler resets it. */
  readonly intervalEventTime = new LatencyHistogram();
  /** The output digest; undefined when the run does not digest (see the constructor). */
  readonly digest: OutputDigest | undefined;
  /** All sink records. */
  records = 0;
  /** Sink records inside the measurement window. */
  measuredRecords = 0;
  /** Clock time of the last sink record (ms since epoch); NaN before any. */
  lastWriteTime = Number.NaN;
  /** Records with emitTime at or after this (ms since epoch) are measured; set when the driver starts. */
  measureFrom = Number.POSITIVE_INFINITY;
  private readonly writers = new Map<string, SinkWriter>();

  constructor(
    flow: Dataflow,
    private readonly clock: Clock,
    private readonly file?: JsonlWriter,
    /** Digest every record (exact, order-independent); a sink file is always digested, to check trials against it. */
    digest = true,
  ) {
    this.digest = digest || file !== undefined ? new OutputDigest() : undefined;
    const tagged = flow.sinks.length > 1;
    for (const sink of flow.sinks) this.writers.set(sink.name, this.writerFor(sink.name, tagged));
  }

  get(name: string): SinkWriter {
    const writer = this.writers.get(name);
    if (writer === undefined) throw new Error(`no sink named '${name}'`);
    return writer;
  }

  private writerFor(name: string, tagged: boolean): SinkWriter {
    return {
      write: (value, emitTime, ingestTime) => {
        const now = this.clock.now();
        if (this.file !== undefined) {
          const json = canonicalJson(value);
          this.digest!.addCanonical(json);
          this.file.writeLine(tagged ? `{"sink":${JSON.stringify(name)},"record":${json}}` : json);
        } else this.digest?.add(value); // hashes the canonical text without building it
        this.records++;
        this.lastWriteTime = now;
        if (emitTime >= this.measureFrom) {
          this.measuredRecords++;
          const latency = now - emitTime;
          this.eventTime.record(latency);
          this.intervalEventTime.record(latency);
          this.processingTime.record(now - ingestTime);
        }
      },
    };
  }
}
