import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../../engines/runtime/mailbox.js';

describe('Mailbox', () => {
  it('wakes the owning task on every put and runs actions in FIFO order', () => {
    let wakes = 0;
    const m = new Mailbox(() => wakes++);
    const log: string[] = [];
    m.put(() => log.push('a'));
    m.put(() => log.push('b'));
    expect(wakes).toBe(2);
    expect(m.size).toBe(2);
    expect(m.isEmpty).toBe(false);
    expect(log).toEqual([]);
    expect(m.runAll()).toBe(2);
    expect(log).toEqual(['a', 'b']);
    expect(m.isEmpty).toBe(true);
    expect(m.runAll()).toBe(0);
  });

  it('runs actions queued while running in the same call, up to max', () => {
    const m = new Mailbox();
    const log: string[] = [];
    m.put(() => {
      log.push('a');
      m.put(() => log.push('c'));
    });
    m.put(() => log.push('b'));
    expect(m.runAll()).toBe(3);
    expect(log).toEqual(['a', 'b', 'c']);

    for (let i = 0; i < 5; i++) m.put(() => log.push(`x${i}`));
    expect(m.runAll(2)).toBe(2);
    expect(m.size).toBe(3);
    expect(m.runAll(10)).toBe(3);
    expect(log.slice(3)).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
  });

  it('bind sets the wake function later and wakes at once if mail is waiting', () => {
    const m = new Mailbox();
    m.put(() => {}); // no task yet: nothing to wake
    let wakes = 0;
    m.bind(() => wakes++);
    expect(wakes).toBe(1);
    m.put(() => {});
    expect(wakes).toBe(2);
    const empty = new Mailbox();
    let w2 = 0;
    empty.bind(() => w2++);
    expect(w2).toBe(0);
  });

  it('propagates a throwing action and keeps the rest queued', () => {
    const m = new Mailbox();
    const log: string[] = [];
    m.put(() => {
      throw new Error('bad mail');
    });
    m.put(() => log.push('next'));
    expect(() => m.runAll()).toThrow('bad mail');
    expect(m.size).toBe(1);
    m.runAll();
    expect(log).toEqual(['next']);
  });
});
