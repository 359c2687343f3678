import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engines/runtime/clocks.js';
import { Mailbox } from '../../../engines/runtime/mailbox.js';
import { Scheduler } from '../../../engines/runtime/scheduler.js';
import { TimerService } from '../../../engines/runtime/timers.js';

function setup(start = 0) {
  const clock = new ManualClock(start);
  let wakes = 0;
  const mailbox = new Mailbox(() => wakes++);
  const timers = new TimerService(clock, mailbox);
  return { clock, mailbox, timers, wakes: () => wakes };
}

describe('TimerService', () => {
  it('puts a due timer into the mailbox instead of running it from the clock', () => {
    const { clock, mailbox, timers, wakes } = setup(1000);
    const fired: number[] = [];
    timers.register(1010, (t) => fired.push(t));
    expect(timers.pending).toBe(1);
    clock.advance(9);
    expect(mailbox.size).toBe(0);
    clock.advance(5);
    expect(fired).toEqual([]); // not from the clock callback
    expect(mailbox.size).toBe(1);
    expect(wakes()).toBe(1);
    mailbox.runAll();
    expect(fired).toEqual([1010]); // the scheduled time, not the time it ran (1014)
    expect(timers.pending).toBe(0);
    expect(timers.now()).toBe(1014);
  });

  it('runs timers due together in time order, ties in registration order', () => {
    const { clock, mailbox, timers } = setup();
    const log: string[] = [];
    timers.register(20, () => log.push('b'));
    timers.register(10, () => log.push('a1'));
    timers.register(10, () => log.push('a2'));
    clock.advance(30);
    mailbox.runAll();
    expect(log).toEqual(['a1', 'a2', 'b']);
  });

  it('never runs a cancelled timer, even one cancelled after it came due', () => {
    const { clock, mailbox, timers } = setup();
    const log: string[] = [];
    const early = timers.register(10, () => log.push('early'));
    const queued = timers.register(20, () => log.push('queued'));
    early.cancel();
    expect(clock.pendingTimers).toBe(1); // the clock timer is cancelled too
    clock.advance(20);
    expect(mailbox.size).toBe(1);
    queued.cancel(); // due and in the mailbox, but the task has not run it yet
    mailbox.runAll();
    expect(log).toEqual([]);
    expect(timers.pending).toBe(0);
    queued.cancel(); // idempotent
  });

  it('ticks at a fixed rate when the task keeps up', () => {
    const { clock, mailbox, timers } = setup(0);
    const ticks: number[] = [];
    const p = timers.periodic(100, (t) => ticks.push(t));
    expect(p.intervalMs).toBe(100);
    expect(p.nextAtMs).toBe(100);
    for (let i = 0; i < 4; i++) {
      clock.advance(100);
      mailbox.runAll();
    }
    expect(ticks).toEqual([100, 200, 300, 400]);
    expect(p.missedTicks).toBe(0);
    expect(p.nextAtMs).toBe(500);
  });

  it('skips missed ticks rather than bursting', () => {
    const { clock, mailbox, timers } = setup(0);
    const ticks: number[] = [];
    const p = timers.periodic(100, (t) => ticks.push(t));
    clock.advance(350); // the task was busy: ticks 200 and 300 pass without it running
    expect(mailbox.size).toBe(1); // one tick queued, not three
    mailbox.runAll();
    expect(ticks).toEqual([100]);
    expect(p.missedTicks).toBe(2);
    expect(p.nextAtMs).toBe(400);
    clock.advance(50);
    mailbox.runAll();
    expect(ticks).toEqual([100, 400]);
    expect(p.nextAtMs).toBe(500);
    // Tick 500 runs at 600, exactly on the next tick time: that one counts as missed too (the next tick
    // is the first strictly after now), so the task never gets two ticks back to back.
    clock.advance(200);
    mailbox.runAll();
    expect(ticks).toEqual([100, 400, 500]);
    expect(p.missedTicks).toBe(3);
    expect(p.nextAtMs).toBe(700);
  });

  it('starts at firstAtMs when given, and can be cancelled from its own callback', () => {
    const { clock, mailbox, timers } = setup(0);
    const ticks: number[] = [];
    const p = timers.periodic(
      10,
      (t) => {
        ticks.push(t);
        if (ticks.length === 2) p.cancel();
      },
      5,
    );
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      mailbox.runAll();
    }
    expect(ticks).toEqual([5, 15]);
    expect(timers.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(() => timers.periodic(0, () => {})).toThrow(RangeError);
  });

  it('shutdown cancels everything and ignores later registrations', () => {
    const { clock, mailbox, timers } = setup(0);
    const log: string[] = [];
    timers.register(10, () => log.push('one-shot'));
    timers.periodic(10, () => log.push('periodic'));
    clock.advance(10); // both queued in the mailbox
    timers.register(30, () => log.push('later'));
    timers.shutdown();
    expect(timers.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    mailbox.runAll();
    timers.register(40, () => log.push('after shutdown')).cancel();
    const p = timers.periodic(10, () => log.push('after shutdown'));
    expect(p.nextAtMs).toBe(Infinity);
    clock.advance(100);
    mailbox.runAll();
    expect(log).toEqual([]);
  });

  it('runs timer callbacks in the owning task turn, serialized with its records', async () => {
    const clock = new ManualClock(0);
    const mailbox = new Mailbox();
    const timers = new TimerService(clock, mailbox);
    const s = new Scheduler({ clock });
    const log: string[] = [];
    let inRun = false;
    let remaining = 3;
    const handle = s.spawn('task', {
      run() {
        inRun = true;
        mailbox.runAll(); // mail first, then the default action
        inRun = false;
        return remaining === 0 ? 'done' : 'park';
      },
    });
    mailbox.bind(handle.wake);
    timers.periodic(10, (t) => {
      log.push(`tick ${t} at ${clock.now()} in run: ${inRun}`);
      remaining--;
    });
    const done = s.done();
    clock.advance(100);
    await done;
    expect(log).toEqual(['tick 10 at 10 in run: true', 'tick 20 at 20 in run: true', 'tick 30 at 30 in run: true']);
  });
});
