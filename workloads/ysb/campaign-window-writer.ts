/**
 * YSB's window sink, `CampaignProcessorCommon.writeWindow`, with the original's Redis layout:
 *
 * - `HSET <campaign> <window_ts> <windowUUID>` the first time a window is written,
 * - `HSET <campaign> windows <listUUID>` the first time a campaign is, and `LPUSH <listUUID> <window_ts>`,
 * - `HINCRBY <windowUUID> seen_count <n>`, `HSET <windowUUID> time_updated <now ms>`,
 *   `LPUSH time_updated <now ms>`.
 *
 * The engine hands over a window's running count (every early firing and the final one); `n` is what it
 * grew since this writer last wrote it, so `seen_count` ends at the final count even when an engine
 * repeats a result (a replay). The original reads the window's UUID back from Redis before each write;
 * this writer is the database's only writer during a run (setup emptied it), so it remembers them.
 */
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';

interface WrittenWindow {
  uuid: string;
  seenCount: number;
}

export class CampaignWindowWriter {
  private readonly windows = new Map<string, WrittenWindow>();
  private readonly windowLists = new Map<string, string>();
  private readonly pending = new Set<Promise<unknown>>();
  private failure: Error | undefined;
  /** Window writes issued. */
  writes = 0;

  constructor(private readonly client: RedisConnection) {}

  /** Writes `campaign`'s window starting at `windowTs` (ms) with running count `count`, updated at `nowMs`. */
  writeWindow(campaign: string, windowTs: number, count: number, nowMs: number): void {
    const ts = String(windowTs);
    const id = `${campaign}\u0000${ts}`;
    let win = this.windows.get(id);
    if (win === undefined) {
      win = { uuid: randomUUID(), seenCount: 0 };
      this.windows.set(id, win);
      this.track(this.client.hSet(campaign, ts, win.uuid));
      let list = this.windowLists.get(campaign);
      if (list === undefined) {
        list = randomUUID();
        this.windowLists.set(campaign, list);
        this.track(this.client.hSet(campaign, 'windows', list));
      }
      this.track(this.client.lPush(list, ts));
    }
    const delta = count - win.seenCount;
    if (delta <= 0) return; // nothing new: a repeated result
    win.seenCount = count;
    const now = String(Math.floor(nowMs));
    this.track(this.client.hIncrBy(win.uuid, 'seen_count', delta));
    this.track(this.client.hSet(win.uuid, 'time_updated', now));
    this.track(this.client.lPush('time_updated', now));
    this.writes++;
  }

  /** Waits for every write issued so far; throws the first that failed. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }

  private track(p: Promise<unknown>): void {
    const tracked: Promise<unknown> = p.then(
      () => this.pending.delete(tracked),
      (err: Error) => {
        this.pending.delete(tracked);
        this.failure ??= new Error(`ysb.redis: a window write failed: ${err.message}`);
      },
    );
    this.pending.add(tracked);
  }
}
