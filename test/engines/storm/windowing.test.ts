/**
 * Storm's windowing: the window manager with the watermark time eviction and trigger policies, and the
 * watermark generator inside the bolt.
 */
import { describe, expect, it } from 'vitest';
import {
  MessageIdGenerator, WaterMarkEventGenerator, WatermarkTimeEvictionPolicy, WatermarkTimeTriggerPolicy, WindowManager,
} from '../../../engines/storm/index.js';

interface Ev {
  ts: number;
}

function windowManager(length: number, slide: number) {
  const activations: { events: number[]; news: number[]; expired: number[]; end: number }[] = [];
  const expired: number[] = [];
  const eviction = new WatermarkTimeEvictionPolicy(length);
  const manager = new WindowManager<Ev>({
    onExpiry: (events) => expired.push(...events.map((e) => e.ts)),
    onActivation: (events, news, gone, end) => activations.push({ events: events.map((e) => e.ts), news: news.map((e) => e.ts), expired: gone.map((e) => e.ts), end }),
  }, eviction, (e) => e.ts);
  const trigger = new WatermarkTimeTriggerPolicy(slide, manager, eviction);
  manager.setTriggerPolicy(trigger);
  const add = (...ts: number[]) => ts.forEach((t) => manager.add({ ts: t }));
  return { manager, trigger, activations, expired, add };
}

describe('the window manager with the watermark time policies', () => {
  it('tumbling: evaluates each window up to the watermark; a tuple expires at the next window, not at its own', () => {
    const w = windowManager(100, 100);
    w.add(5, 50, 99, 100, 150, 250, 120);
    w.manager.addWatermark(199);
    // Windows are [start, start + 100): the event at 100 opens the second window.
    expect(w.activations).toEqual([
      { events: [5, 50, 99], news: [5, 50, 99], expired: [], end: 99 },
      { events: [100, 150, 120], news: [100, 150, 120], expired: [5, 50, 99], end: 199 },
    ]);
    expect(w.expired).toEqual([5, 50, 99]);
    expect(w.manager.held).toBe(4); // 100, 150, 120 wait for the next window; 250 is in it
    w.manager.addWatermark(1000);
    expect(w.activations.map((a) => [a.end, a.events])).toEqual([[99, [5, 50, 99]], [199, [100, 150, 120]], [299, [250]]]);
    // Evaluating [300,400) expired 250 and found it empty; with no later event the trigger policy stopped.
    expect(w.expired).toEqual([5, 50, 99, 100, 150, 120, 250]);
    expect(w.trigger.nextEnd).toBe(399);
    expect(w.manager.held).toBe(0);
    w.add(420);
    w.manager.expireAll(); // the end of a bounded input
    expect(w.expired.at(-1)).toBe(420);
    expect(w.manager.held).toBe(0);
  });

  it('sliding: every window holding an event, with new and expired tuples; gaps in event time are skipped', () => {
    const w = windowManager(60, 20);
    w.add(5, 25, 45);
    w.manager.addWatermark(100);
    expect(w.activations).toEqual([
      { events: [5], news: [5], expired: [], end: 19 },
      { events: [5, 25], news: [25], expired: [], end: 39 },
      { events: [5, 25, 45], news: [45], expired: [], end: 59 },
      { events: [25, 45], news: [], expired: [5], end: 79 },
      { events: [45], news: [], expired: [25], end: 99 },
    ]);
    w.add(500);
    const evaluated = w.trigger.evaluated;
    w.manager.addWatermark(600);
    expect(w.activations.slice(5).map((a) => [a.end, a.events])).toEqual([[519, [500]], [539, [500]], [559, [500]]]);
    // 119 (empty, 45 expires), then straight to 519, 539, 559, and 579 (empty): five, not twenty-four.
    expect(w.trigger.evaluated - evaluated).toBe(5);
    expect(w.expired).toEqual([5, 25, 45, 500]);
  });

  it('expires nothing before the first watermark; compaction between watermarks finds nothing new', () => {
    const w = windowManager(10, 10);
    for (let t = 0; t < 99; t++) w.add(t);
    expect(w.expired).toEqual([]);
    w.manager.addWatermark(9);
    expect(w.expired).toEqual([]);
    expect(w.activations.map((a) => a.end)).toEqual([9]);
    // The 100th add scans with the last reference (9): nothing before 0 to expire yet.
    w.add(99);
    w.manager.addWatermark(19);
    expect(w.expired).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Every 100th add scans the front with the last reference; with watermark policies that finds nothing
    // the last evaluation did not already expire (Storm says as much of EXPIRE_EVENTS_THRESHOLD).
    for (let t = 100; t < 300; t++) w.add(t);
    expect(w.expired.length).toBe(10);
    expect(w.manager.held).toBe(290);
    expect(w.manager.peakHeld).toBe(290);
  });
});

describe("Storm's watermark event generator", () => {
  it('the minimum over input streams of the largest timestamp, minus the lag, once every stream has data', () => {
    const got: number[] = [];
    const g = new WaterMarkEventGenerator((wm) => got.push(wm), 1000, 10, 2);
    expect(g.track(0, 100)).toBe(true);
    g.run();
    expect(got).toEqual([]); // stream 1 has delivered nothing yet
    expect(g.track(1, 50)).toBe(true);
    g.run();
    expect(got).toEqual([40]);
    expect(g.track(0, 30)).toBe(false); // below the last watermark: late
    expect(g.track(1, 40)).toBe(true); // at it: not late
    g.run();
    expect(got).toEqual([40]); // no advance, no event
    g.track(1, 80);
    g.run();
    expect(got).toEqual([40, 70]);
    expect(g.generated).toBe(2);
  });

  it('draws the same ids in bulk as one at a time', () => {
    const a = new MessageIdGenerator(7);
    const b = new MessageIdGenerator(7);
    const hi = new Int32Array(1000);
    const lo = new Int32Array(1000);
    a.fill(hi, lo, 1000);
    const id = new Int32Array(2);
    for (let i = 0; i < 1000; i++) {
      b.draw(id);
      expect([hi[i], lo[i]]).toEqual([id[0], id[1]]);
    }
  });
});
