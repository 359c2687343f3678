import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, SystemClock, systemClock } from '../../../engines/runtime/clocks.js';

describe('ManualClock', () => {
  it('starts at the given time and moves only when told', () => {
    expect(new ManualClock().now()).toBe(0);
    const c = new ManualClock(1000);
    expect(c.now()).toBe(1000);
    c.advance(5);
    expect(c.now()).toBe(1005);
    c.set(1010.5);
    expect(c.now()).toBe(1010.5);
    expect(() => c.set(1000)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => c.set(NaN)).toThrow(RangeError);
    expect(() => new ManualClock(NaN)).toThrow(RangeError);
  });

  it('fires due timers in time order, ties in scheduling order, with now() at each timer time', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    c.schedule(30, () => log.push(`c@${c.now()}`));
    c.schedule(10, () => log.push(`a1@${c.now()}`));
    c.schedule(10, () => log.push(`a2@${c.now()}`));
    c.schedule(20, () => log.push(`b@${c.now()}`));
    c.schedule(50, () => log.push(`late@${c.now()}`));
    expect(c.pendingTimers).toBe(5);
    expect(c.nextTimerAt).toBe(10);
    c.advance(30);
    expect(log).toEqual(['a1@10', 'a2@10', 'b@20', 'c@30']);
    expect(c.now()).toBe(30);
    expect(c.pendingTimers).toBe(1);
    expect(c.nextTimerAt).toBe(50);
  });

  it('never fires synchronously; a timer already due fires at the next advance(0)', () => {
    const c = new ManualClock(100);
    let fired = 0;
    c.schedule(50, () => fired++);
    expect(fired).toBe(0);
    c.advance(0);
    expect(fired).toBe(1);
    expect(c.now()).toBe(100); // never goes backwards to the timer's time
  });

  it('fires timers scheduled by a firing timer in the same advance when they are due', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    c.schedule(10, () => {
      log.push('first');
      c.schedule(15, () => log.push(`second@${c.now()}`));
      c.schedule(5, () => log.push(`past@${c.now()}`));
      c.schedule(25, () => log.push('not yet'));
    });
    c.advance(20);
    expect(log).toEqual(['first', 'past@10', 'second@15']);
    expect(c.pendingTimers).toBe(1);
    c.advance(5);
    expect(log.at(-1)).toBe('not yet');
  });

  it('does not fire a cancelled timer; cancel is idempotent and harmless after firing', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    const a = c.schedule(10, () => log.push('a'));
    const b = c.schedule(10, () => log.push('b'));
    a.cancel();
    a.cancel();
    expect(c.pendingTimers).toBe(1);
    c.advance(10);
    expect(log).toEqual(['b']);
    b.cancel();
    expect(c.pendingTimers).toBe(0);
  });

  it('a timer can cancel a later one that is due in the same advance', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    let later: { cancel(): void } | undefined;
    c.schedule(1, () => {
      log.push('first');
      later?.cancel();
    });
    later = c.schedule(2, () => log.push('later'));
    c.advance(5);
    expect(log).toEqual(['first']);
  });

  it('purges many cancelled timers without losing live ones', () => {
    const c = new ManualClock(0);
    const fired: number[] = [];
    const handles = [];
    for (let i = 0; i < 1000; i++) handles.push(c.schedule(i, () => fired.push(i)));
    for (let i = 0; i < 1000; i++) if (i % 10 !== 0) handles[i].cancel();
    expect(c.pendingTimers).toBe(100);
    c.advance(1000);
    expect(fired).toEqual(Array.from({ length: 100 }, (_, k) => k * 10));
  });

  it('runDeferred runs deferred callbacks, including ones they queue, and returns how many ran', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    c.defer(() => {
      log.push('a');
      c.defer(() => log.push('c'));
    });
    c.defer(() => log.push('b'));
    expect(log).toEqual([]);
    expect(c.pendingDeferred).toBe(2);
    expect(c.runDeferred()).toBe(3);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(c.runDeferred()).toBe(0);
  });

  it('runDeferred refuses to spin forever', () => {
    const c = new ManualClock(0);
    const again = (): void => c.defer(again);
    c.defer(again);
    expect(() => c.runDeferred(100)).toThrow(/yielding forever/);
  });

  it('advance runs queued deferred callbacks first, and the ones a timer causes before the next timer', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    c.defer(() => log.push(`deferred-before@${c.now()}`));
    c.schedule(10, () => {
      log.push('t10');
      c.defer(() => log.push(`deferred-from-t10@${c.now()}`));
    });
    c.schedule(20, () => log.push('t20'));
    c.advance(30);
    expect(log).toEqual(['deferred-before@0', 't10', 'deferred-from-t10@10', 't20']);
  });

  it('propagates an error thrown by a timer, leaving later timers pending', () => {
    const c = new ManualClock(0);
    const log: string[] = [];
    c.schedule(10, () => {
      throw new Error('boom');
    });
    c.schedule(20, () => log.push('t20'));
    expect(() => c.advance(30)).toThrow('boom');
    expect(c.now()).toBe(10);
    expect(c.pendingTimers).toBe(1);
    c.advance(20);
    expect(log).toEqual(['t20']);
  });

  it('rejects NaN times and non-function callbacks', () => {
    const c = new ManualClock(0);
    expect(() => c.schedule(NaN, () => {})).toThrow(RangeError);
    expect(() => c.schedule(1, undefined as unknown as () => void)).toThrow(TypeError);
  });
});

describe('SystemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads epoch milliseconds from performance, monotonically', () => {
    const before = performance.timeOrigin + performance.now();
    const a = systemClock.now();
    const b = systemClock.now();
    const after = performance.timeOrigin + performance.now();
    expect(a).toBeGreaterThanOrEqual(before);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(after).toBeGreaterThanOrEqual(b);
    expect(systemClock).toBeInstanceOf(SystemClock);
  });

  it('drives all timers from one native timer, in time order, re-armed as needed', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const c = new SystemClock();
    const t0 = c.now();
    const log: string[] = [];
    c.schedule(t0 + 30, () => log.push('c'));
    c.schedule(t0 + 10, () => log.push('a1'));
    c.schedule(t0 + 10, () => log.push('a2'));
    const cancelled = c.schedule(t0 + 20, () => log.push('cancelled'));
    c.schedule(t0 + 20, () => log.push('b'));
    expect(vi.getTimerCount()).toBe(1);
    expect(c.pendingTimers).toBe(5);
    cancelled.cancel();
    vi.advanceTimersByTime(9);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['a1', 'a2']);
    expect(vi.getTimerCount()).toBe(1); // re-armed for the next one
    vi.advanceTimersByTime(20);
    expect(log).toEqual(['a1', 'a2', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
    expect(c.pendingTimers).toBe(0);
  });

  it('re-arms earlier when an earlier timer is scheduled, and disarms when every timer is cancelled', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const c = new SystemClock();
    const t0 = c.now();
    const log: string[] = [];
    const late = c.schedule(t0 + 1000, () => log.push('late'));
    const early = c.schedule(t0 + 5, () => log.push('early'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5);
    expect(log).toEqual(['early']);
    late.cancel();
    early.cancel(); // already fired: harmless
    expect(vi.getTimerCount()).toBe(0); // nothing left to keep the process alive
    vi.advanceTimersByTime(2000);
    expect(log).toEqual(['early']);
  });

  it('fires a timer in the past soon, and timers a callback schedules in the past in the same pass', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const c = new SystemClock();
    const log: string[] = [];
    c.schedule(c.now() - 100, () => {
      log.push('past');
      c.schedule(c.now() - 1, () => log.push('nested'));
    });
    expect(log).toEqual([]); // never synchronously
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['past', 'nested']);
  });

  it('keeps firing due timers after one throws, then rethrows the first error', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const c = new SystemClock();
    const t0 = c.now();
    const log: string[] = [];
    c.schedule(t0 + 1, () => {
      throw new Error('first');
    });
    c.schedule(t0 + 1, () => log.push('after'));
    c.schedule(t0 + 50, () => log.push('next'));
    expect(() => vi.advanceTimersByTime(1)).toThrow('first');
    expect(log).toEqual(['after']);
    vi.advanceTimersByTime(49);
    expect(log).toEqual(['after', 'next']);
  });

  it('defers with setImmediate', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const c = new SystemClock();
    let ran = false;
    c.defer(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    vi.runOnlyPendingTimers();
    expect(ran).toBe(true);
  });

  it('fires real timers in order on the real event loop', async () => {
    const c = new SystemClock();
    const log: number[] = [];
    const t0 = c.now();
    await new Promise<void>((resolve) => {
      c.schedule(t0 + 3, () => log.push(3));
      c.schedule(t0 + 1, () => log.push(1));
      c.schedule(t0 + 2, () => log.push(2));
      c.schedule(t0 + 4, () => resolve());
    });
    expect(log).toEqual([1, 2, 3]);
    expect(c.now()).toBeGreaterThanOrEqual(t0 + 4);
  });
});

describe('ManualClock.elapse', () => {
  it('moves time inside a callback without firing anything; overdue timers fire at the next advance', () => {
    const clock = new ManualClock(100);
    const fired: number[] = [];
    clock.schedule(105, () => fired.push(clock.now()));
    clock.elapse(10);
    expect(clock.now()).toBe(110);
    expect(fired).toEqual([]);
    clock.advance(0);
    expect(fired).toEqual([110]); // late, as after a long task on the real clock
    expect(() => clock.elapse(-1)).toThrow(RangeError);
  });

  it('time spent inside a timer or deferred callback during set is kept: the clock never goes back', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.schedule(10, () => clock.elapse(25)); // a long task run by the timer
    clock.schedule(20, () => seen.push(clock.now())); // due during that task: fires late
    clock.set(20);
    expect(clock.now()).toBe(35);
    expect(seen).toEqual([35]);
    clock.defer(() => clock.elapse(5));
    clock.set(36);
    expect(clock.now()).toBe(40);
  });
});
