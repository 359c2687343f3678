/**
 * The acker bolt `__acker` (Storm's `Acker`): one ledger entry per spout tuple tree, keyed by root id,
 * holding the XOR of every edge id reported so far, the spout task and the start time.
 *
 * - `__ack_init(root, v)` from the spout and `__ack_ack(root, v)` from bolts XOR `v` into the entry
 *   (either may arrive first: they travel by different paths).
 * - Once the spout task is known (the init has arrived) and the value is zero, the tree is complete: the
 *   entry is removed and `__ack_ack(root)` goes to the spout task (direct). `__ack_fail` marks the entry
 *   failed and the spout gets `__ack_fail(root)`.
 * - The ledger is a {@link RotatingMap} of 3 buckets (TIMEOUT_BUCKET_NUM) rotated every message timeout on
 *   the acker's tick (JStorm: every timeout / 2 on its own clock); expired entries are dropped silently,
 *   the spout's own timeout replays them.
 */
import type { StormConfig, StormTestHooks } from '../config.js';
import type { BoltOutputCollector } from '../executor/output-collector.js';
import { ACK_ACK, ACK_FAIL, ACK_INIT, SPOUT_ACK, SPOUT_FAIL, type Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';
import { RotatingMap } from './rotating-map.js';
import { FIELD_A, FIELD_B, FIELD_C, FIELD_D } from './tuple-id-table.js';

export const ACKER_COMPONENT_ID = '__acker';
/** Storm's Acker.TIMEOUT_BUCKET_NUM. */
export const TIMEOUT_BUCKET_NUM = 3;

/** Ledger fields: a/b = XOR value (hi/lo), c = spout task + 1 (0 = init not seen), d = failed, f = start time. */
export class Acker implements IBolt {
  readonly autoAck = false;
  private readonly pending = new RotatingMap(TIMEOUT_BUCKET_NUM);
  private collector!: BoltOutputCollector;
  private context!: TopologyContext;
  /** Trees completed, failed, and entries expired by rotation. */
  completed = 0;
  failed = 0;
  expired = 0;
  dropped = 0;

  constructor(
    private readonly config: StormConfig,
    private readonly hooks: StormTestHooks,
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.context = context;
    this.collector = collector as BoltOutputCollector;
    const every = this.config.flavour === 'jstorm' ? this.config.messageTimeoutMs / (TIMEOUT_BUCKET_NUM - 1) : this.config.messageTimeoutMs;
    context.timers.periodic(every, () => {
      this.expired += this.pending.rotate();
    });
  }

  execute(t: Tuple): void {
    const hi = t.rootHi;
    const lo = t.rootLo;
    const kind = t.kind;
    if (kind === ACK_ACK && this.hooks.dropAck?.(hi, lo)) {
      this.dropped++;
      return;
    }
    const pending = this.pending;
    let slot = pending.find(hi, lo);
    let table = pending.foundIn;
    if (slot < 0) {
      table = pending.newest;
      slot = pending.insert(hi, lo);
    }
    const ints = table.ints;
    const b = slot << 3;
    if (kind === ACK_INIT) {
      ints[b + FIELD_A] ^= t.edgeHi;
      ints[b + FIELD_B] ^= t.edgeLo;
      ints[b + FIELD_C] = t.srcTask + 1;
      table.floats[(slot << 2) + 3] = this.context.clock.now();
    } else if (kind === ACK_ACK) {
      ints[b + FIELD_A] ^= t.edgeHi;
      ints[b + FIELD_B] ^= t.edgeLo;
    } else if (kind === ACK_FAIL) {
      ints[b + FIELD_D] = 1;
    } else {
      throw new Error(`the acker received a tuple of kind ${kind}`);
    }
    const spoutTask = ints[b + FIELD_C] - 1;
    if (spoutTask < 0) return;
    if (ints[b + FIELD_D] !== 0) {
      table.removeAt(slot);
      this.failed++;
      this.collector.sendControl(SPOUT_FAIL, spoutTask, hi, lo, 0, 0);
    } else if (ints[b + FIELD_A] === 0 && ints[b + FIELD_B] === 0) {
      table.removeAt(slot);
      this.completed++;
      this.collector.sendControl(SPOUT_ACK, spoutTask, hi, lo, 0, 0);
    }
  }

  /** Trees being tracked. */
  get size(): number {
    return this.pending.size;
  }
}
