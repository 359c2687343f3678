/**
 * Nexmark Q5, hot items: the auctions with the most bids in each 10 s window sliding every 2 s (HOP), all
 * of them when several tie (`num >= maxn` in the SQL's self-join of the two window aggregates).
 *
 * Two window stages: bids per auction per sliding window; then, keyed by that window's start, the
 * maximum with its ties. The first stage's results carry event time `end - 1`, so each sliding window's
 * counts fall into one tumbling window of one slide in the second stage, which fires as the first does.
 */
import { count, numberOption, sliding, tumbling, type AggregateFunction, type WindowResult } from '../../../engines/api/index.js';
import { nexmarkQuery, bids } from '../nexmark-query.js';

export interface Q5Result {
  windowStart: number;
  windowEnd: number;
  auction: number;
  num: number;
}

/** The highest count and every auction that has it (plain data: engines serialize it). */
export interface MaxCountWithTies {
  num: number;
  auctions: number[];
}

export const maxCountWithTies: AggregateFunction<WindowResult<number, number>, MaxCountWithTies, MaxCountWithTies> = {
  name: 'max-count-with-ties',
  create: () => ({ num: -1, auctions: [] }),
  add(acc, r) {
    if (r.value > acc.num) {
      acc.num = r.value;
      acc.auctions = [r.key];
    } else if (r.value === acc.num) {
      acc.auctions.push(r.key);
    }
    return acc;
  },
  merge(a, b) {
    if (b.num > a.num) return b;
    if (b.num === a.num) for (const x of b.auctions) a.auctions.push(x);
    return a;
  },
  result: (acc) => acc,
};

export const nexmarkQ5 = nexmarkQuery({
  name: 'nexmark-q5',
  description:
    'Nexmark Q5 hot items: per 10 s window sliding every 2 s, every auction with the most bids {windowStart, windowEnd, auction, num}',
  options: [
    { key: 'window', type: 'duration', default: 10_000, unit: 'ms', min: 1, description: 'sliding window size (Nexmark: 10 s)' },
    { key: 'slide', type: 'duration', default: 2000, unit: 'ms', min: 1, description: 'sliding window period (Nexmark: 2 s)' },
  ],
  build(events, values) {
    const size = numberOption(values, 'window');
    const slide = numberOption(values, 'slide');
    bids(events)
      .keyBy((b) => b.auction)
      .window(sliding(size, slide))
      .aggregate(count(), 'bids-per-auction')
      .keyBy((r) => r.windowStart)
      .window(tumbling(slide))
      .aggregate(maxCountWithTies, 'hot-items')
      .flatMap(
        (r) => r.value.auctions.map((auction): Q5Result => ({ windowStart: r.key, windowEnd: r.key + size, auction, num: r.value.num })),
        'per-auction',
      )
      .sink('nexmark_q5');
  },
});
