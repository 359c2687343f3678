/**
 * Storm's `ShuffleGrouping`: round robin over the target tasks in an order shuffled once at prepare time,
 * so that producers do not all start on the same task. (Storm 2's default, `LoadAwareShuffleGrouping`,
 * additionally skews the choice by target load; that refinement is not modelled: as with
 * `topology.disable.loadaware.messaging=true`.)
 */
import type { Grouper } from './grouper.js';

export class ShuffleGrouping implements Grouper {
  readonly all = false;
  private readonly choices: number[];
  private current = 0;

  /**
   * @param targets the target task ids (ascending)
   * @param seed seeds the one-time shuffle (each producer task passes its own)
   */
  constructor(
    readonly targets: readonly number[],
    seed: number,
  ) {
    if (targets.length === 0) throw new Error('a shuffle grouping needs at least one target task');
    this.choices = [...targets];
    let s = seed | 0;
    for (let i = this.choices.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      const j = (s >>> 8) % (i + 1);
      [this.choices[i], this.choices[j]] = [this.choices[j], this.choices[i]];
    }
    this.current = (seed >>> 0) % this.choices.length;
  }

  choose(_value: unknown): number {
    const c = this.choices;
    let i = this.current + 1;
    if (i >= c.length) i = 0;
    this.current = i;
    return c[i];
  }
}
