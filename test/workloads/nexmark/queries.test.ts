/**
 * Every Nexmark query on a small input whose results were worked out by hand, on the reference engine,
 * compared exactly (as multisets: canonical JSON, sorted).
 */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, type OptionValues } from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import type { Workload } from '../../../workloads/index.js';
import {
  nexmarkQ0,
  nexmarkQ1,
  nexmarkQ2,
  nexmarkQ3,
  nexmarkQ5,
  nexmarkQ7,
  nexmarkQ8,
  nexmarkQ11,
  type Auction,
  type Bid,
  type NexmarkEvent,
  type Person,
} from '../../../workloads/nexmark/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { canonicalJson } from '../../../reports/digest.js';

const person = (id: number, name: string, state: string, dateTime: number): Person => ({
  type: 'person',
  id,
  name,
  emailAddress: 'x@y.com',
  creditCard: '0000 0000 0000 0000',
  city: `${state}-city`,
  state,
  dateTime,
  extra: '',
});
const auction = (id: number, seller: number, category: number, dateTime: number): Auction => ({
  type: 'auction',
  id,
  itemName: 'item',
  description: 'd',
  initialBid: 100,
  reserve: 200,
  dateTime,
  expires: dateTime + 60_000,
  seller,
  category,
  extra: '',
});
const bid = (auctionId: number, bidder: number, price: number, dateTime: number): Bid => ({
  type: 'bid',
  auction: auctionId,
  bidder,
  price,
  channel: 'Google',
  url: 'https://www.nexmark.com/a/b/c/item.htm?query=1',
  dateTime,
  extra: 'pad',
});

async function results(workload: Workload, events: NexmarkEvent[], extra: Record<string, unknown> = {}): Promise<string[]> {
  const values = { ...defaultOptionValues(workload.options), ...extra } as OptionValues;
  const flow = workload.dataflow(values);
  const r = await runBounded(referenceEngine, flow, events);
  expect(r.late.total).toBe(0);
  return sortedValues(r.sinks[flow.sinks[0].name]);
}

const expectRecords = (records: object[]) => records.map((r) => canonicalJson(r)).sort();

describe('Nexmark queries on hand-checked inputs (reference engine)', () => {
  it('Q0 passes every bid through as {auction, bidder, price, dateTime, extra}', async () => {
    const events = [person(1000, 'A', 'OR', 1), bid(1000, 1001, 500, 2), auction(1000, 1000, 10, 3), bid(1001, 1002, 7, 4)];
    expect(await results(nexmarkQ0, events)).toEqual(
      expectRecords([
        { auction: 1000, bidder: 1001, price: 500, dateTime: 2, extra: 'pad' },
        { auction: 1001, bidder: 1002, price: 7, dateTime: 4, extra: 'pad' },
      ]),
    );
  });

  it('Q1 converts prices with price * 89 / 100 in whole cents', async () => {
    const events = [bid(1000, 1001, 1000, 1), bid(1000, 1001, 999, 2), bid(1000, 1001, 100_000_000, 3), person(1000, 'A', 'OR', 4)];
    expect(await results(nexmarkQ1, events)).toEqual(
      expectRecords([
        { auction: 1000, bidder: 1001, price: 890, dateTime: 1, extra: 'pad' },
        { auction: 1000, bidder: 1001, price: 889, dateTime: 2, extra: 'pad' }, // 889.11
        { auction: 1000, bidder: 1001, price: 89_000_000, dateTime: 3, extra: 'pad' },
      ]),
    );
  });

  it('Q2 keeps {auction, price} of bids on auctions that are multiples of 123', async () => {
    const events = [bid(1107, 1, 10, 1), bid(1000, 1, 20, 2), bid(1230, 1, 30, 3), bid(1231, 1, 40, 4), auction(1107, 1, 10, 5)];
    expect(await results(nexmarkQ2, events)).toEqual(
      expectRecords([
        { auction: 1107, price: 10 },
        { auction: 1230, price: 30 },
      ]),
    );
    expect(await results(nexmarkQ2, events, { auctionSkip: 1000 })).toEqual(expectRecords([{ auction: 1000, price: 20 }]));
  });

  it('Q3 joins people in OR, ID or CA with their category-10 auctions, whichever arrives first', async () => {
    const events = [
      person(1000, 'Ann', 'OR', 1),
      person(1001, 'Bob', 'WA', 2),
      person(1002, 'Cat', 'CA', 3),
      auction(2000, 1000, 10, 4), // Ann, OR, category 10: a match
      auction(2001, 1001, 10, 5), // Bob is in WA
      auction(2002, 1002, 11, 6), // category 11
      auction(2003, 1003, 10, 7), // its seller arrives later
      person(1003, 'Dan', 'ID', 8), // ... and matches then
      auction(2004, 1000, 10, 9), // Ann again
    ];
    expect(await results(nexmarkQ3, events)).toEqual(
      expectRecords([
        { name: 'Ann', city: 'OR-city', state: 'OR', id: 2000 },
        { name: 'Dan', city: 'ID-city', state: 'ID', id: 2003 },
        { name: 'Ann', city: 'OR-city', state: 'OR', id: 2004 },
      ]),
    );
  });

  it('Q5 finds, per 10 s window sliding every 2 s, every auction with the most bids', async () => {
    const events = [
      bid(1, 100, 5, 1000),
      bid(2, 100, 5, 1200),
      bid(1, 100, 5, 1500), // a1: 2, a2: 1
      person(1000, 'A', 'OR', 2000),
      bid(3, 100, 5, 5000),
      bid(3, 100, 5, 5100),
      bid(3, 100, 5, 5200), // a3: 3
      bid(4, 100, 5, 11_000),
      bid(4, 100, 5, 11_500),
      bid(4, 100, 5, 11_900), // a4: 3, ties a3 in [2000, 12000) and [4000, 14000)
    ];
    const w = (windowStart: number, auctionId: number, num: number) => ({
      windowStart,
      windowEnd: windowStart + 10_000,
      auction: auctionId,
      num,
    });
    expect(await results(nexmarkQ5, events)).toEqual(
      expectRecords([
        w(-8000, 1, 2),
        w(-6000, 1, 2),
        w(-4000, 3, 3),
        w(-2000, 3, 3),
        w(0, 3, 3),
        w(2000, 3, 3),
        w(2000, 4, 3),
        w(4000, 3, 3),
        w(4000, 4, 3),
        w(6000, 4, 3),
        w(8000, 4, 3),
        w(10_000, 4, 3),
      ]),
    );
  });

  it('Q7 finds every bid at the maximum price of its 10 s window, never matching another window', async () => {
    const events = [
      bid(1, 10, 50, 1000),
      bid(2, 11, 80, 2000),
      bid(3, 12, 80, 9999), // [0, 10000): max 80, twice
      bid(4, 13, 30, 10_000),
      bid(7, 16, 25, 12_000),
      bid(5, 14, 20, 15_000), // [10000, 20000): max 30
      bid(6, 15, 80, 25_000), // [20000, 30000): 80 again, but alone in its window
    ];
    const r = (windowStart: number, a: number, bidder: number, price: number, dateTime: number) => ({
      windowStart,
      windowEnd: windowStart + 10_000,
      auction: a,
      bidder,
      price,
      dateTime,
    });
    expect(await results(nexmarkQ7, events)).toEqual(
      expectRecords([r(0, 2, 11, 80, 2000), r(0, 3, 12, 80, 9999), r(10_000, 4, 13, 30, 10_000), r(20_000, 6, 15, 80, 25_000)]),
    );
  });

  it('Q8 finds people who opened an auction in the 10 s window in which they joined, once per window', async () => {
    const events = [
      person(1000, 'Ann', 'OR', 1000),
      auction(1, 1000, 10, 2000),
      auction(2, 1000, 11, 3000), // two auctions: one result
      auction(3, 1003, 10, 5000), // nobody joined as 1003
      person(1001, 'Bob', 'WA', 9000),
      auction(4, 1001, 10, 10_500), // next window
      person(1002, 'Cat', 'CA', 12_000),
      auction(5, 1002, 12, 19_999), // same window [10000, 20000)
    ];
    expect(await results(nexmarkQ8, events)).toEqual(
      expectRecords([
        { id: 1000, name: 'Ann', windowStart: 0 },
        { id: 1002, name: 'Cat', windowStart: 10_000 },
      ]),
    );
  });

  it('Q11 counts bids per bidder per session with a 10 s gap; sessions that touch merge', async () => {
    const events = [
      bid(1, 7, 1, 0),
      bid(1, 8, 1, 1000),
      bid(1, 7, 1, 5000),
      bid(1, 8, 1, 11_001),
      bid(1, 7, 1, 15_000), // exactly one gap after 5000: [5000, 15000) and [15000, 25000) touch
      person(1000, 'A', 'OR', 20_000),
      bid(1, 7, 1, 40_000),
    ];
    expect(await results(nexmarkQ11, events)).toEqual(
      expectRecords([
        { bidder: 7, bidCount: 3, windowStart: 0, windowEnd: 25_000 },
        { bidder: 7, bidCount: 1, windowStart: 40_000, windowEnd: 50_000 },
        { bidder: 8, bidCount: 1, windowStart: 1000, windowEnd: 11_000 },
        { bidder: 8, bidCount: 1, windowStart: 11_001, windowEnd: 21_001 },
      ]),
    );
  });
});
