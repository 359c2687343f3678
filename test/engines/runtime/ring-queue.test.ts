import { describe, expect, it } from 'vitest';
import { RingQueue } from '../../../engines/runtime/ring-queue.js';

describe('RingQueue', () => {
  it('is FIFO across growth and wrap-around', () => {
    const q = new RingQueue<number>(4);
    const model: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so the head wraps many times while the ring grows.
    for (let round = 0; round < 200; round++) {
      const pushes = ((round * 7) % 5) + 1;
      for (let i = 0; i < pushes; i++) {
        q.push(next);
        model.push(next++);
      }
      const shifts = (round * 3) % 4;
      for (let i = 0; i < shifts; i++) expect(q.shift()).toBe(model.shift());
      expect(q.size).toBe(model.length);
      expect(q.peek()).toBe(model[0]);
    }
    for (let i = 0; i < model.length; i++) expect(q.at(i)).toBe(model[i]);
    expect(q.at(-1)).toBeUndefined();
    expect(q.at(model.length)).toBeUndefined();
    while (model.length) expect(q.shift()).toBe(model.shift());
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
    expect(q.isEmpty).toBe(true);
  });

  it('clear empties the queue and it stays usable', () => {
    const q = new RingQueue<string>();
    q.push('a');
    q.push('b');
    q.shift();
    q.push('c');
    q.clear();
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
    q.push('d');
    expect(q.shift()).toBe('d');
  });
});
