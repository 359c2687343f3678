/**
 * CoGroupedRDD over inputs that share its partitioner (every dependency narrow, no shuffle): partition i
 * reads partition i of every input into one hash map, key -> the values each input has for it, and emits
 * `[key, groups]` with `groups[j]` the values of input j (each a partial `[acc, n]`). The frame times are
 * the maxima over all of the key's values. What ReducedWindowedDStream merges windows with.
 */
import type { Key } from '../../api/index.js';
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { DrainPump, SequencePump } from './combine-by-key-rdd.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { OneToOneDependency, RDD, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** One key's values of every input. */
export type CoGroups = [acc: unknown, n: number][][];

interface Grouped {
  groups: CoGroups;
  emitTime: number;
  ingestTime: number;
}

export class CoGroupedRDD extends RDD {
  private readonly deps: readonly OneToOneDependency[];

  constructor(
    sc: SparkContext,
    readonly rdds: readonly RDD[],
    readonly part: HashPartitioner,
    name: string,
  ) {
    super(sc, name);
    for (const r of rdds)
      if (!part.equals(r.partitioner))
        throw new Error(`CoGroupedRDD ${name}: ${r.describe()} is not partitioned by its partitioner (a shuffle would be needed)`);
    this.deps = rdds.map((r) => new OneToOneDependency(r));
  }

  get kind(): string {
    return 'CoGroupedRDD';
  }

  get numPartitions(): number {
    return this.part.numPartitions;
  }

  get dependencies(): readonly OneToOneDependency[] {
    return this.deps;
  }

  override get partitioner(): HashPartitioner {
    return this.part;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    const map = new Map<Key, Grouped>();
    const inputs = this.rdds.length;
    const reader =
      (j: number): Emit =>
      (v, _et, em, ig) => {
        const [key, acc, n] = v as [Key, unknown, number];
        let g = map.get(key);
        if (g === undefined) {
          g = { groups: Array.from({ length: inputs }, () => []), emitTime: em, ingestTime: ig };
          map.set(key, g);
        } else {
          if (em > g.emitTime) g.emitTime = em;
          if (ig > g.ingestTime) g.ingestTime = ig;
        }
        g.groups[j].push([acc, n]);
      };
    const read = new SequencePump(this.rdds.map((rdd, j) => () => rdd.iterator(split, ctx, reader(j))));
    return new DrainPump(read, () => {
      for (const [key, g] of map) out([key, g.groups], g.emitTime, g.emitTime, g.ingestTime);
    });
  }
}
