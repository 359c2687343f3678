/**
 * The external system a two-phase-commit sink writes to, as a transactional Kafka topic behaves: records of
 * a transaction become visible only when it commits, and committing the same transaction twice is a no-op
 * (the transaction log remembers it). It outlives every attempt of the job, as the external system outlives
 * a TaskManager: a restarted sink that finds a pre-committed transaction in its restored state commits it,
 * and nothing is written twice.
 */
import type { SinkSet, SinkWriter, StagedRecord, TransactionalSinkSet } from '../../api/index.js';

export type { StagedRecord };

export class TransactionalSinks implements TransactionalSinkSet {
  private readonly committed = new Set<string>();
  /** Transactions committed, and commits of an already committed one (after a restore). */
  commits = 0;
  repeatedCommits = 0;

  constructor(private readonly inner: SinkSet) {}

  get(name: string): SinkWriter {
    return this.inner.get(name);
  }

  /** Makes transaction `id`'s records visible, once. */
  commit(id: string, sink: string, records: readonly StagedRecord[]): void {
    if (this.committed.has(id)) {
      this.repeatedCommits++;
      return;
    }
    this.committed.add(id);
    this.commits++;
    const writer = this.inner.get(sink);
    for (const [value, emitTime, ingestTime] of records) writer.write(value, emitTime, ingestTime);
  }
}
