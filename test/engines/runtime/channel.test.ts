import { describe, expect, it } from 'vitest';
import { BoundedChannel } from '../../../engines/runtime/channel.js';
import { ManualClock, systemClock } from '../../../engines/runtime/clocks.js';
import { Scheduler, type TaskHandle, type TaskResult } from '../../../engines/runtime/scheduler.js';

describe('BoundedChannel', () => {
  it('is a FIFO bounded by its capacity', () => {
    const ch = new BoundedChannel<number>(3);
    expect(ch.capacity).toBe(3);
    expect(ch.isEmpty).toBe(true);
    expect(ch.offer(1)).toBe(true);
    expect(ch.offer(2)).toBe(true);
    expect(ch.offer(3)).toBe(true);
    expect(ch.isFull).toBe(true);
    expect(ch.remaining).toBe(0);
    expect(ch.offer(4)).toBe(false);
    expect(ch.size).toBe(3);
    expect(ch.peek()).toBe(1);
    expect(ch.poll()).toBe(1);
    expect(ch.offer(4)).toBe(true);
    expect([ch.poll(), ch.poll(), ch.poll()]).toEqual([2, 3, 4]);
    expect(ch.poll()).toBeUndefined();
    expect(ch.peek()).toBeUndefined();
    expect(ch.isEmpty).toBe(true);
  });

  it('keeps FIFO order through wrap-around and storage growth up to a large capacity', () => {
    const ch = new BoundedChannel<number>(1000);
    const model: number[] = [];
    let next = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < (round % 13) + 1; i++) {
        if (ch.offer(next)) model.push(next);
        next++;
      }
      for (let i = 0; i < round % 7; i++) expect(ch.poll()).toBe(model.shift());
    }
    expect(ch.size).toBe(model.length);
    const out: number[] = [];
    expect(ch.drainTo(out, Infinity)).toBe(model.length);
    expect(out).toEqual(model);
  });

  it('tracks the high-water mark', () => {
    const ch = new BoundedChannel<string>(10);
    ch.offer('a');
    ch.offer('b');
    ch.offer('c');
    ch.poll();
    ch.poll();
    ch.offer('d');
    expect(ch.highWaterMark).toBe(3);
    for (let i = 0; i < 20; i++) ch.offer('x');
    expect(ch.highWaterMark).toBe(10);
  });

  it('drainTo moves at most max items onto the end of the array', () => {
    const ch = new BoundedChannel<number>(8);
    for (let i = 1; i <= 5; i++) ch.offer(i);
    const out = [0];
    expect(ch.drainTo(out, 3)).toBe(3);
    expect(out).toEqual([0, 1, 2, 3]);
    expect(ch.drainTo(out, 10)).toBe(2);
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ch.drainTo(out, 10)).toBe(0);
  });

  it('close stops offers, keeps queued items readable, and reports drained', () => {
    const ch = new BoundedChannel<number>(4);
    ch.offer(1);
    ch.close();
    ch.close(); // idempotent
    expect(ch.isClosed).toBe(true);
    expect(ch.isDrained).toBe(false);
    expect(() => ch.offer(2)).toThrow(/closed/);
    expect(ch.poll()).toBe(1);
    expect(ch.isDrained).toBe(true);
  });

  it('calls a reader waiter once when an item arrives, or at once if one is there', () => {
    const ch = new BoundedChannel<number>(4);
    const calls: string[] = [];
    ch.onReadable(() => calls.push('r1'));
    ch.onReadable(() => calls.push('r2'));
    expect(calls).toEqual([]);
    ch.offer(1);
    expect(calls).toEqual(['r1', 'r2']);
    ch.offer(2); // one-shot: not called again
    expect(calls).toEqual(['r1', 'r2']);
    ch.onReadable(() => calls.push('now')); // condition holds: synchronous call
    expect(calls).toEqual(['r1', 'r2', 'now']);
  });

  it('calls reader waiters on close, and at once on a closed channel', () => {
    const ch = new BoundedChannel<number>(4);
    const calls: string[] = [];
    ch.onReadable(() => calls.push('waiting'));
    ch.close();
    expect(calls).toEqual(['waiting']);
    ch.onReadable(() => calls.push('after-close'));
    expect(calls).toEqual(['waiting', 'after-close']);
  });

  it('calls a writer waiter once when space frees up, or at once if there is space', () => {
    const ch = new BoundedChannel<number>(2);
    const calls: string[] = [];
    ch.onWritable(() => calls.push('space'));
    expect(calls).toEqual(['space']);
    ch.offer(1);
    ch.offer(2);
    ch.onWritable(() => calls.push('w1'));
    ch.onWritable(() => calls.push('w2'));
    expect(ch.drainTo([], 0)).toBe(0); // nothing freed: nobody called
    expect(calls).toEqual(['space']);
    ch.poll();
    expect(calls).toEqual(['space', 'w1', 'w2']);
    ch.offer(3);
    ch.onWritable(() => calls.push('w3'));
    ch.drainTo([], 1);
    expect(calls).toEqual(['space', 'w1', 'w2', 'w3']);
    ch.poll();
    expect(calls).toHaveLength(4);
  });

  it('calls writer waiters on close so a parked producer is not stranded', () => {
    const ch = new BoundedChannel<number>(1);
    ch.offer(1);
    const calls: string[] = [];
    ch.onWritable(() => calls.push('w'));
    ch.close();
    expect(calls).toEqual(['w']);
  });

  it('does not call a waiter twice when it re-registers during the notification', () => {
    const ch = new BoundedChannel<number>(4);
    let calls = 0;
    const waiter = (): void => {
      calls++;
      ch.poll();
      ch.onReadable(waiter); // empty again: stays registered for the next item
    };
    ch.onReadable(waiter);
    ch.offer(1);
    expect(calls).toBe(1);
    ch.offer(2);
    expect(calls).toBe(2);
  });

  it('calls every waiter even if one throws, then rethrows the first error', () => {
    const ch = new BoundedChannel<number>(4);
    const calls: string[] = [];
    ch.onReadable(() => {
      throw new Error('w1');
    });
    ch.onReadable(() => calls.push('w2'));
    expect(() => ch.offer(1)).toThrow('w1');
    expect(calls).toEqual(['w2']);
    expect(ch.size).toBe(1); // the item was queued
  });

  it('rejects a capacity that is not a positive whole number', () => {
    expect(() => new BoundedChannel(0)).toThrow(RangeError);
    expect(() => new BoundedChannel(2.5)).toThrow(RangeError);
  });
});

/** A producer/consumer pair on the scheduler that parks on the channel's waiters. */
function pipeline(total: number, capacity: number) {
  const ch = new BoundedChannel<number>(capacity);
  const received: number[] = [];
  let producer: TaskHandle | undefined;
  let consumer: TaskHandle | undefined;
  let next = 0;
  const produce = (budget: number): TaskResult => {
    for (let i = 0; i < budget; i++) {
      if (next === total) {
        ch.close();
        return 'done';
      }
      if (!ch.offer(next)) {
        ch.onWritable((producer as TaskHandle).wake);
        return 'park';
      }
      next++;
    }
    return 'yield';
  };
  const consume = (budget: number): TaskResult => {
    const n = ch.drainTo(received, budget);
    if (ch.isDrained) return 'done';
    if (n === 0) {
      ch.onReadable((consumer as TaskHandle).wake);
      return 'park';
    }
    return 'yield';
  };
  return {
    ch,
    received,
    start(s: Scheduler) {
      producer = s.spawn('producer', { run: produce });
      consumer = s.spawn('consumer', { run: consume });
    },
  };
}

describe('BoundedChannel with the scheduler', () => {
  it('moves every item in order under backpressure (manual clock)', async () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 5 });
    const p = pipeline(1000, 3);
    p.start(s);
    const done = s.done();
    clock.runDeferred();
    await done;
    expect(p.received).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p.ch.highWaterMark).toBe(3);
    const st = s.stats().tasks;
    expect(st.every((t) => t.state === 'done')).toBe(true);
    expect(st[0].parks).toBeGreaterThan(0); // the producer did hit backpressure
  });

  it('moves every item in order on the system clock', async () => {
    const s = new Scheduler({ clock: systemClock, quantum: 64, sliceMs: 1 });
    const p = pipeline(20_000, 100);
    p.start(s);
    await s.done();
    expect(p.received).toHaveLength(20_000);
    expect(p.received.every((v, i) => v === i)).toBe(true);
  });
});
