import { describe, expect, it } from 'vitest';
import type { Cancellable, Clock } from '../../../engines/api/clock.js';
import { ManualClock } from '../../../engines/runtime/clocks.js';
import { Scheduler, type Runnable, type TaskHandle, type TaskResult } from '../../../engines/runtime/scheduler.js';

/** A task scripted as a list of results; logs each run as `name:budget`. */
function scripted(name: string, results: TaskResult[], log: string[], onRun?: () => void): Runnable {
  let i = 0;
  return {
    run(budget) {
      log.push(`${name}:${budget}`);
      onRun?.();
      return results[Math.min(i++, results.length - 1)];
    },
  };
}

/**
 * A clock whose time advances 1 ms at every read, with a deferred queue stepped one callback at a time:
 * it makes slicing and busy-time accounting observable without real time.
 */
class TickingClock implements Clock {
  t = 0;
  reads = 0;
  readonly deferred: (() => void)[] = [];
  now(): number {
    this.reads++;
    return ++this.t;
  }
  schedule(): Cancellable {
    throw new Error('not used');
  }
  defer(cb: () => void): void {
    this.deferred.push(cb);
  }
  step(): boolean {
    const cb = this.deferred.shift();
    cb?.();
    return cb !== undefined;
  }
}

describe('Scheduler', () => {
  it('runs a spawned task later (never inside spawn) with the default quantum as budget', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock });
    const log: string[] = [];
    const h = s.spawn('a', scripted('a', ['done'], log));
    expect(h.name).toBe('a');
    expect(h.state).toBe('runnable');
    expect(log).toEqual([]);
    clock.runDeferred();
    expect(log).toEqual(['a:512']);
    expect(h.state).toBe('done');
  });

  it('round-robins FIFO with the same budget for every run', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 7 });
    const log: string[] = [];
    for (const n of ['a', 'b', 'c']) s.spawn(n, scripted(n, ['yield', 'yield', 'done'], log));
    clock.runDeferred();
    expect(log).toEqual(['a:7', 'b:7', 'c:7', 'a:7', 'b:7', 'c:7', 'a:7', 'b:7', 'c:7']);
  });

  it('does not run a parked task until it is woken; wake is idempotent and unbound-safe', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 1 });
    const log: string[] = [];
    const h = s.spawn('p', scripted('p', ['park', 'park', 'done'], log));
    clock.runDeferred();
    expect(log).toEqual(['p:1']);
    expect(h.state).toBe('parked');
    expect(clock.pendingDeferred).toBe(0); // quiet: nothing queued
    expect(clock.pendingTimers).toBe(0); // and no timers
    const wake = h.wake; // unbound
    wake();
    wake();
    expect(h.state).toBe('runnable');
    expect(clock.pendingDeferred).toBe(1); // exactly one restart
    clock.runDeferred();
    expect(log).toEqual(['p:1', 'p:1']);
    expect(h.state).toBe('parked');
    h.wake();
    clock.runDeferred();
    expect(h.state).toBe('done');
    h.wake(); // no-op on a done task
    expect(clock.pendingDeferred).toBe(0);
    expect(log).toHaveLength(3);
  });

  it('does not lose a wake that arrives while the task is running', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock });
    const log: string[] = [];
    let handle: TaskHandle | undefined;
    let runs = 0;
    handle = s.spawn('w', {
      run() {
        runs++;
        log.push(`run${runs}:${handle?.state}`);
        if (runs === 1) {
          handle?.wake(); // e.g. a waiter that fired synchronously at registration
          return 'park';
        }
        return 'done';
      },
    });
    clock.runDeferred();
    expect(log).toEqual(['run1:running', 'run2:running']);
    expect(handle.state).toBe('done');
    expect(s.stats().tasks[0].parks).toBe(0);
  });

  it('waking a runnable task does not queue it twice', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock });
    const log: string[] = [];
    const h = s.spawn('a', scripted('a', ['yield', 'done'], log));
    h.wake();
    h.wake();
    clock.runDeferred();
    expect(log).toEqual(['a:512', 'a:512']);
  });

  it('a task woken by another task runs in the same slice', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 1 });
    const log: string[] = [];
    const consumer = s.spawn('consumer', scripted('consumer', ['park', 'done'], log));
    s.spawn(
      'producer',
      scripted('producer', ['done'], log, () => consumer.wake()),
    );
    clock.runDeferred();
    expect(log).toEqual(['consumer:1', 'producer:1', 'consumer:1']);
    expect(s.stats().slices).toBe(1);
  });

  it('a task spawned by a running task joins the back of the queue', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 1 });
    const log: string[] = [];
    s.spawn(
      'a',
      scripted('a', ['yield', 'done'], log, () => {
        if (log.length === 1) s.spawn('c', scripted('c', ['done'], log));
      }),
    );
    s.spawn('b', scripted('b', ['done'], log));
    clock.runDeferred();
    expect(log).toEqual(['a:1', 'b:1', 'c:1', 'a:1']);
  });

  it('yields to the host after sliceMs of clock time and reads the clock once per run', () => {
    const clock = new TickingClock();
    const s = new Scheduler({ clock, sliceMs: 3, quantum: 10 });
    const log: string[] = [];
    s.spawn('a', scripted('a', Array(9).fill('yield').concat('done'), log));
    s.spawn('b', scripted('b', Array(9).fill('yield').concat('done'), log));
    expect(clock.deferred).toHaveLength(1);
    clock.step();
    // slice starts at t=1 with deadline 4; runs end at 2, 3, 4: three runs, then a deferred continuation.
    expect(log).toEqual(['a:10', 'b:10', 'a:10']);
    expect(clock.deferred).toHaveLength(1);
    while (clock.step());
    expect(log).toHaveLength(20);
    const st = s.stats();
    expect(st.slices).toBe(7);
    // One read at the start of each slice and one after each run: never per record.
    expect(clock.reads).toBe(20 + 7);
    // Each run is measured as 1 ms on this clock.
    expect(st.tasks.map((t) => [t.name, t.runs, t.busyMs, t.state])).toEqual([
      ['a', 10, 10, 'done'],
      ['b', 10, 10, 'done'],
    ]);
  });

  it('goes quiet when nothing is runnable', () => {
    const clock = new TickingClock();
    const s = new Scheduler({ clock });
    const log: string[] = [];
    const h = s.spawn('a', scripted('a', ['park', 'park', 'done'], log));
    clock.step();
    expect(clock.deferred).toHaveLength(0);
    const reads = clock.reads;
    h.wake();
    expect(clock.deferred).toHaveLength(1);
    expect(clock.reads).toBe(reads); // a wake does not touch the clock
    clock.step();
    expect(log).toHaveLength(2);
  });

  it('done() resolves at once with no tasks, and when every task is done', async () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock });
    await expect(s.done()).resolves.toBeUndefined();
    const log: string[] = [];
    s.spawn('a', scripted('a', ['yield', 'done'], log));
    const h = s.spawn('b', scripted('b', ['park', 'done'], log));
    let settled = false;
    const p = s.done().then(() => {
      settled = true;
    });
    clock.runDeferred();
    await Promise.resolve();
    expect(settled).toBe(false); // b is parked
    expect(s.liveTasks).toBe(1);
    h.wake();
    clock.runDeferred();
    await p;
    expect(settled).toBe(true);
    expect(s.liveTasks).toBe(0);
  });

  it('rejects done() with the task error wrapped with its name, and then runs nothing more', async () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 1 });
    const log: string[] = [];
    const cause = new Error('bad record');
    const done = s.done();
    await expect(done).resolves.toBeUndefined(); // nothing spawned yet
    const p = s.spawn('parked', scripted('parked', ['park', 'done'], log));
    s.spawn('failing', {
      run: () => {
        log.push('failing');
        throw cause;
      },
    });
    s.spawn('other', scripted('other', ['yield', 'yield', 'done'], log));
    const result = s.done();
    clock.runDeferred();
    await expect(result).rejects.toThrow('task failing failed: bad record');
    const err = await s.done().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).cause).toBe(cause);
    expect(s.error).toBe(err);
    expect(log).toEqual(['parked:1', 'failing']); // 'other' never ran
    p.wake();
    clock.runDeferred();
    expect(log).toEqual(['parked:1', 'failing']);
    expect(() => s.spawn('late', scripted('late', ['done'], log))).toThrow(/failed/);
  });

  it('wraps non-Error throws and rejects an invalid run result', async () => {
    const clock = new ManualClock();
    const s1 = new Scheduler({ clock });
    s1.spawn('t', {
      run: () => {
        throw 'text';
      },
    });
    const d1 = s1.done();
    clock.runDeferred();
    await expect(d1).rejects.toThrow('task t failed: text');

    const s2 = new Scheduler({ clock });
    s2.spawn('odd', { run: () => 'later' as unknown as TaskResult });
    const d2 = s2.done();
    clock.runDeferred();
    await expect(d2).rejects.toThrow(/task odd failed: run\(\) returned later/);
  });

  it('stop() runs nothing more and resolves done(), also when called by a running task', async () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock, quantum: 1 });
    const log: string[] = [];
    const parked = s.spawn('parked', scripted('parked', ['park', 'done'], log));
    s.spawn(
      'stopper',
      scripted('stopper', ['yield'], log, () => s.stop()),
    );
    s.spawn('never', scripted('never', ['done'], log));
    const done = s.done();
    clock.runDeferred();
    await expect(done).resolves.toBeUndefined();
    expect(log).toEqual(['parked:1', 'stopper:1']);
    parked.wake();
    clock.runDeferred();
    expect(log).toEqual(['parked:1', 'stopper:1']);
    await expect(s.done()).resolves.toBeUndefined();
    expect(() => s.spawn('late', scripted('late', ['done'], log))).toThrow(/stopped/);
  });

  it('reports per-task stats', () => {
    const clock = new ManualClock();
    const s = new Scheduler({ clock });
    const log: string[] = [];
    const h = s.spawn('a', scripted('a', ['park', 'yield', 'park', 'done'], log));
    s.spawn('b', scripted('b', ['yield', 'yield', 'done'], log));
    clock.runDeferred();
    h.wake();
    clock.runDeferred();
    expect(log).toEqual(['a:512', 'b:512', 'b:512', 'b:512', 'a:512', 'a:512']);
    const st = s.stats();
    expect(st.tasks.map(({ name, runs, parks, state }) => ({ name, runs, parks, state }))).toEqual([
      { name: 'a', runs: 3, parks: 2, state: 'parked' },
      { name: 'b', runs: 3, parks: 0, state: 'done' },
    ]);
    expect(st.slices).toBe(2);
    expect(st.tasks.every((t) => t.busyMs === 0)).toBe(true); // a ManualClock does not move while tasks run
  });

  it('validates its options', () => {
    const clock = new ManualClock();
    expect(() => new Scheduler({ clock, quantum: 0 })).toThrow(RangeError);
    expect(() => new Scheduler({ clock, quantum: 1.5 })).toThrow(RangeError);
    expect(() => new Scheduler({ clock, sliceMs: -1 })).toThrow(RangeError);
  });
});
