import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engines/runtime/clocks.js';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  HeartbeatMonitor,
  HeartbeatSender,
} from '../../../../engines/runtime/cluster/index.js';

describe('heartbeats', () => {
  it("defaults are Flink's heartbeat.interval and heartbeat.timeout", () => {
    expect(DEFAULT_HEARTBEAT_INTERVAL_MS).toBe(10_000);
    expect(DEFAULT_HEARTBEAT_TIMEOUT_MS).toBe(50_000);
  });

  it('a peer that keeps beating is never lost; one that stops is reported once, after the timeout', () => {
    const clock = new ManualClock(0);
    const lost: [string, number][] = [];
    const monitor = new HeartbeatMonitor<{ rss: number }>(clock, 500, (peer, silent) => lost.push([peer, silent]));
    monitor.monitor('tm-1');
    monitor.monitor('tm-2');
    const beats = { n: 0 };
    const sender = new HeartbeatSender(clock, 100, () => {
      beats.n++;
      monitor.received('tm-1', { rss: beats.n });
    });
    sender.start();
    clock.advance(450);
    expect(lost).toEqual([]);
    clock.advance(100); // tm-2 silent for 550 ms, checked every 50 ms
    expect(lost.map((l) => l[0])).toEqual(['tm-2']);
    expect(lost[0][1]).toBeGreaterThanOrEqual(500);
    expect(lost[0][1]).toBeLessThanOrEqual(550);
    clock.advance(5000);
    expect(lost.map((l) => l[0])).toEqual(['tm-2']); // once, and tm-1 still beating
    const status = monitor.status();
    expect(status.map((s) => s.peer)).toEqual(['tm-1']);
    expect(status[0].heartbeats).toBe(beats.n);
    expect(status[0].payload).toEqual({ rss: beats.n });
    sender.stop();
    clock.advance(400); // the last beat was at 5500, 50 ms before the stop
    expect(lost.map((l) => l[0])).toEqual(['tm-2']);
    clock.advance(100);
    expect(lost.map((l) => l[0])).toEqual(['tm-2', 'tm-1']);
    monitor.stop();
  });
});
