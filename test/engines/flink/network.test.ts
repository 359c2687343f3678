/**
 * The network stack between two tasks: records serialized into buffers that are sent when full, when the
 * output flusher fires, after every element with a zero buffer timeout, or when an event is written
 * behind them; watermarks in band; credit-based flow control with exclusive and floating buffers; and the
 * producer's availability (backpressure) following its buffer pool.
 */
import { describe, expect, it } from 'vitest';
import { deserializeRecords } from '../../../engines/runtime/index.js';
import {
  BufferStats,
  CHECKPOINT_BARRIER,
  deserializeEvent,
  isWatermarkFrame,
  OutputAvailability,
  ResultPartition,
  SingleInputGate,
  type InputChannel,
} from '../../../engines/flink/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { defaultOptionValues } from '../../../engines/api/index.js';
import { runStepped } from './support.js';

interface Setup {
  partition: ResultPartition;
  channels: InputChannel[];
  gate: SingleInputGate;
  stats: BufferStats;
  availability: OutputAvailability;
}

function setup(
  o: {
    subs?: number;
    bufferSize?: number;
    exclusive?: number;
    floating?: number;
    pool?: number;
    maxBacklog?: number;
    flushAlways?: boolean;
  } = {},
): Setup {
  const stats = new BufferStats();
  const availability = new OutputAvailability();
  const subs = o.subs ?? 1;
  const partition = new ResultPartition(
    'p',
    subs,
    {
      bufferSize: o.bufferSize ?? 256,
      poolSize: o.pool ?? 100,
      maxBuffersPerChannel: o.maxBacklog ?? 100,
      flushAlways: o.flushAlways ?? false,
    },
    stats,
    availability,
  );
  const gate = new SingleInputGate('g', 0, o.floating ?? 0);
  const channels: InputChannel[] = [];
  for (let s = 0; s < subs; s++) {
    const ch = gate.addChannel(o.exclusive ?? 2, false, stats);
    ch.connect(partition, s);
    channels.push(ch);
  }
  return { partition, channels, gate, stats, availability };
}

/** Takes every queued buffer off a channel, deserializing it; returns what it held. */
function drain(ch: InputChannel, recycle = true): string[] {
  const got: string[] = [];
  for (let b = ch.poll(); b !== undefined; b = ch.poll()) {
    if (!b.isBuffer) {
      const e = deserializeEvent(b);
      got.push(e.kind === CHECKPOINT_BARRIER ? `barrier ${e.checkpointId}` : 'end');
      continue;
    }
    deserializeRecords(b.bytes, (v, et, em) => got.push(isWatermarkFrame(em) ? `wm ${et}` : String(v)));
    if (recycle) ch.recycle();
  }
  return got;
}

const rec = (p: ResultPartition, v: string, sub = 0) => p.emitRecord(sub, v, 0, 1, 2);

describe('buffers', () => {
  it('are sent when full; a partially filled buffer waits', () => {
    const { partition, channels, stats } = setup({ bufferSize: 128 });
    for (let i = 0; i < 3; i++) rec(partition, `r${i}`);
    expect(channels[0].queue.size).toBe(0); // 3 x ~32 bytes: not full yet
    for (let i = 3; i < 10; i++) rec(partition, `r${i}`);
    expect(stats.flushedFull).toBeGreaterThan(0);
    const got = drain(channels[0]);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(got.map((_, i) => `r${i}`));
    expect(stats.toJSON().avgFillRatio).toBeGreaterThan(0.7);
  });

  it('the output flusher sends partial buffers (flushedByTimeout); buffer timeout 0 sends every element', () => {
    const a = setup();
    rec(a.partition, 'x');
    a.partition.flushAll();
    expect(drain(a.channels[0])).toEqual(['x']);
    expect(a.stats.flushedByTimeout).toBe(1);
    a.partition.flushAll(); // nothing to flush
    expect(a.stats.flushedByTimeout).toBe(1);

    const b = setup({ flushAlways: true, exclusive: 10 });
    for (const v of ['a', 'b', 'c']) rec(b.partition, v);
    b.partition.broadcastWatermark(7);
    expect(b.channels[0].queue.size).toBe(4);
    expect(b.stats.flushedByTimeout).toBe(4);
    expect(drain(b.channels[0])).toEqual(['a', 'b', 'c', 'wm 7']);
  });

  it('watermarks travel in band (no flush); barriers and end of partition flush what is in front of them', () => {
    const { partition, channels, stats } = setup();
    rec(partition, 'a');
    partition.broadcastWatermark(5);
    rec(partition, 'b');
    expect(channels[0].queue.size).toBe(0);
    partition.broadcastEvent({ kind: CHECKPOINT_BARRIER, checkpointId: 3, timestamp: 0 });
    expect(stats.flushedByEvent).toBe(1);
    rec(partition, 'c');
    partition.finish();
    expect(drain(channels[0])).toEqual(['a', 'wm 5', 'b', 'barrier 3', 'c', 'end']);
    expect(stats.flushedByEvent).toBe(2);
  });
});

describe('credit-based flow control', () => {
  it('a subpartition sends only while the channel has credit; a recycled buffer returns one', () => {
    const { partition, channels } = setup({ exclusive: 2, flushAlways: true });
    for (const v of ['a', 'b', 'c', 'd', 'e']) rec(partition, v);
    const ch = channels[0];
    expect(ch.queue.size).toBe(2); // two exclusive buffers = two credits
    expect(partition.subpartitions[0].backlog).toBe(3);
    expect(partition.subpartitions[0].credit).toBe(0);
    ch.poll();
    ch.recycle(); // credit back: the next buffer comes at once
    expect(ch.queue.size).toBe(2);
    expect(partition.subpartitions[0].backlog).toBe(2);
    expect(drain(ch)).toEqual(['b', 'c', 'd', 'e']);
    expect(partition.subpartitions[0].backlog).toBe(0);
  });

  it('events need no credit but never overtake buffers', () => {
    const { partition, channels } = setup({ exclusive: 1, flushAlways: true });
    rec(partition, 'a');
    rec(partition, 'b');
    partition.broadcastEvent({ kind: CHECKPOINT_BARRIER, checkpointId: 1, timestamp: 0 });
    expect(channels[0].queue.size).toBe(1);
    expect(drain(channels[0])).toEqual(['a', 'b', 'barrier 1']);
  });

  it('floating buffers go to channels with a backlog, and back to the gate when no longer needed', () => {
    const { partition, channels, gate } = setup({ subs: 2, exclusive: 1, floating: 3, flushAlways: true });
    for (const v of ['a', 'b', 'c', 'd', 'e']) rec(partition, v, 0);
    // Channel 0: 1 exclusive + 3 floating = 4 buffers; the sender still has one queued.
    expect(channels[0].floating).toBe(3);
    expect(gate.floatingAvailable).toBe(0);
    expect(channels[0].queue.size).toBe(4);
    rec(partition, 'x', 1);
    expect(channels[1].queue.size).toBe(1); // its exclusive credit
    expect(drain(channels[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Nothing more queued at the sender: floating buffers went back to the gate.
    expect(channels[0].floating).toBe(0);
    expect(gate.floatingAvailable).toBe(3);
  });

  it('the producer becomes unavailable when its pool is used up or a subpartition queues too much, and available again as buffers leave', () => {
    const { partition, channels, availability } = setup({ exclusive: 1, pool: 3, maxBacklog: 10, flushAlways: true });
    let woken = 0;
    rec(partition, 'a'); // sent: in use 0
    rec(partition, 'b'); // queued: 1
    rec(partition, 'c'); // queued: 2
    expect(availability.isAvailable).toBe(true);
    rec(partition, 'd'); // queued: 3 = pool
    expect(availability.isAvailable).toBe(false);
    availability.onAvailable(() => woken++);
    expect(woken).toBe(0);
    channels[0].poll();
    channels[0].recycle(); // 'b' sent
    expect(availability.isAvailable).toBe(true);
    expect(woken).toBe(1);

    const s = setup({ exclusive: 1, pool: 100, maxBacklog: 2, flushAlways: true });
    for (const v of ['a', 'b', 'c']) rec(s.partition, v);
    expect(s.availability.isAvailable).toBe(false); // two queued on one subpartition
  });
});

describe('the network in a running job', () => {
  const flow = () => stateless.dataflow(defaultOptionValues(stateless.options));
  const input = (() => {
    const gen = stateless.generator(defaultOptionValues(stateless.options), 3);
    return Array.from({ length: 600 }, (_, k) => gen.next(k, 1_000_000 + k));
  })();

  it('chained: no network at all; chaining off: every edge serializes', async () => {
    const on = (await runStepped(flow(), input)).job.stats();
    expect((on.buffers as { sent: number }).sent).toBe(0);
    const off = (await runStepped(flow(), input, { values: { chaining: false } })).job.stats();
    expect((off.buffers as { sent: number }).sent).toBeGreaterThan(4);
    expect((off.chains as unknown[]).length).toBe(5);
  });

  it('buffer timeout 0 sends one buffer per element; 100 ms sends few, fuller buffers; off sends only full ones and at events', async () => {
    const stats = async (bufferTimeout: number | null) =>
      (await runStepped(flow(), input, { values: { chaining: false, bufferTimeout }, stepMs: 5 })).job.stats().buffers;
    const zero = await stats(0);
    const hundred = await stats(100);
    const never = await stats(null);
    expect(zero.sent).toBeGreaterThan(1500); // 600 parsed + ~200 views + ~200 projected... one buffer each
    expect(zero.flushedByTimeout).toBeGreaterThanOrEqual(zero.sent - zero.flushedByEvent);
    expect(hundred.sent).toBeLessThan(zero.sent / 10);
    expect(hundred.flushedByTimeout).toBeGreaterThan(0);
    expect(hundred.avgFillRatio).toBeGreaterThan(zero.avgFillRatio);
    expect(never.flushedByTimeout).toBe(0);
    expect(never.flushedByEvent).toBeGreaterThan(0);
  });
});
