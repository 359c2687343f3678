/**
 * Q5, Q7 and Q11 on random seeded inputs (the Nexmark generator, out of order within the watermark bound,
 * tuned for ties), against brute-force answers computed here from the raw events: every window and
 * session enumerated directly, no engine code involved.
 */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, type OptionValues } from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import type { Workload } from '../../../workloads/index.js';
import { canonicalJson } from '../../../reports/digest.js';
import {
  nexmarkGenerator,
  generatorConfig,
  nexmarkQ5,
  nexmarkQ7,
  nexmarkQ11,
  NEXMARK_OPTIONS,
  type Bid,
  type NexmarkEvent,
} from '../../../workloads/nexmark/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';

const EPOCH = 1_767_225_600_000;
const SEEDS = [1, 2, 3];

/** 6000 events at 100 events/s (60 s), some delayed by up to 1 s (the watermark allows 4 s), few auctions and prices. */
function randomEvents(seed: number): NexmarkEvent[] {
  const values = {
    ...defaultOptionValues(NEXMARK_OPTIONS),
    hotAuctionRatio: 1,
    numInFlightAuctions: 5,
    numActivePeople: 30,
    occasionalDelay: 1000,
    probDelayedEvent: 0.2,
  } as OptionValues;
  const gen = nexmarkGenerator(generatorConfig(values), seed);
  return Array.from({ length: 6000 }, (_, k) => {
    const e = gen.next(k, EPOCH + k * 10);
    // Coarse prices, so that windows have several bids at their maximum.
    return e.type === 'bid' ? { ...e, price: 100 * (1 + (e.price % 7)) } : e;
  });
}

async function engineResults(workload: Workload, events: NexmarkEvent[]): Promise<string[]> {
  const flow = workload.dataflow(defaultOptionValues(workload.options) as OptionValues);
  const r = await runBounded(referenceEngine, flow, events);
  expect(r.late.total).toBe(0);
  return sortedValues(r.sinks[flow.sinks[0].name]);
}

const onlyBids = (events: NexmarkEvent[]) => events.filter((e): e is Bid => e.type === 'bid');
const sortedJson = (records: object[]) => records.map((r) => canonicalJson(r)).sort();

function bruteForceQ5(events: NexmarkEvent[], size = 10_000, slide = 2000): string[] {
  const counts = new Map<number, Map<number, number>>();
  for (const b of onlyBids(events)) {
    for (let s = Math.floor(b.dateTime / slide) * slide; s > b.dateTime - size; s -= slide) {
      let byAuction = counts.get(s);
      if (!byAuction) counts.set(s, (byAuction = new Map()));
      byAuction.set(b.auction, (byAuction.get(b.auction) ?? 0) + 1);
    }
  }
  const out: object[] = [];
  for (const [s, byAuction] of counts) {
    const max = Math.max(...byAuction.values());
    for (const [auction, num] of byAuction) if (num === max) out.push({ windowStart: s, windowEnd: s + size, auction, num });
  }
  return sortedJson(out);
}

function bruteForceQ7(events: NexmarkEvent[], size = 10_000): string[] {
  const byWindow = new Map<number, Bid[]>();
  for (const b of onlyBids(events)) {
    const s = Math.floor(b.dateTime / size) * size;
    byWindow.set(s, [...(byWindow.get(s) ?? []), b]);
  }
  const out: object[] = [];
  for (const [s, list] of byWindow) {
    const max = Math.max(...list.map((b) => b.price));
    for (const b of list)
      if (b.price === max)
        out.push({ windowStart: s, windowEnd: s + size, auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime });
  }
  return sortedJson(out);
}

function bruteForceQ11(events: NexmarkEvent[], gap = 10_000): string[] {
  const times = new Map<number, number[]>();
  for (const b of onlyBids(events)) times.set(b.bidder, [...(times.get(b.bidder) ?? []), b.dateTime]);
  const out: object[] = [];
  for (const [bidder, ts] of times) {
    ts.sort((a, b) => a - b);
    let start = ts[0];
    let end = ts[0] + gap;
    let n = 1;
    for (const t of ts.slice(1)) {
      if (t <= end) {
        // [t, t + gap) touches or overlaps the session: it merges
        end = Math.max(end, t + gap);
        n++;
      } else {
        out.push({ bidder, bidCount: n, windowStart: start, windowEnd: end });
        start = t;
        end = t + gap;
        n = 1;
      }
    }
    out.push({ bidder, bidCount: n, windowStart: start, windowEnd: end });
  }
  return sortedJson(out);
}

describe('Nexmark Q5, Q7, Q11 against brute force on random seeded inputs (reference engine)', () => {
  for (const seed of SEEDS) {
    const events = randomEvents(seed);

    it(`Q5 hot items, seed ${seed}`, async () => {
      const expected = bruteForceQ5(events);
      expect(expected.length).toBeGreaterThan(30);
      expect(new Set(expected.map((r) => (JSON.parse(r) as { windowStart: number }).windowStart)).size).toBeLessThan(expected.length); // ties happen
      expect(await engineResults(nexmarkQ5, events)).toEqual(expected);
    });

    it(`Q7 highest bid, seed ${seed}`, async () => {
      const expected = bruteForceQ7(events);
      expect(expected.length).toBeGreaterThan(7 * 2);
      expect(await engineResults(nexmarkQ7, events)).toEqual(expected);
    });

    it(`Q11 user sessions, seed ${seed}`, async () => {
      const expected = bruteForceQ11(events);
      expect(expected.some((r) => (JSON.parse(r) as { bidCount: number }).bidCount > 1)).toBe(true);
      expect(await engineResults(nexmarkQ11, events)).toEqual(expected);
    });
  }
});
