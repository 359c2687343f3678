/**
 * Storm's `PartialKeyGrouping` ("power of both choices"): the key's hash selects two candidate tasks
 * (`RandomTwoTaskAssignmentCreator`) and `BalancedTargetSelector` sends the tuple to whichever has received
 * fewer tuples from this producer. A key is thereby split over at most two tasks, which balances skewed
 * keys; downstream state must merge the two partial results.
 */
import { hashKey } from '../../runtime/index.js';
import type { FieldsSelector } from '../topology/components.js';
import type { Grouper } from './grouper.js';

export class PartialKeyGrouping implements Grouper {
  readonly all = false;
  private readonly key: FieldsSelector['key'];
  /** Tuples sent to each target (by index in `targets`). */
  readonly sent: Float64Array;

  constructor(
    readonly targets: readonly number[],
    selector: FieldsSelector,
  ) {
    if (targets.length === 0) throw new Error('a partial-key grouping needs at least one target task');
    this.key = selector.key;
    this.sent = new Float64Array(targets.length);
  }

  /** The two candidate target indexes of `value`'s key. */
  candidates(value: unknown): [number, number] {
    const n = this.targets.length;
    const h1 = hashKey(this.key(value));
    let h2 = Math.imul(h1 ^ (h1 >>> 16), 0x7feb352d);
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0x846ca68b);
    h2 = (h2 ^ (h2 >>> 16)) >>> 0;
    return [h1 % n, h2 % n];
  }

  choose(value: unknown): number {
    const [a, b] = this.candidates(value);
    const i = this.sent[a] > this.sent[b] ? b : a;
    this.sent[i]++;
    return this.targets[i];
  }
}
