/**
 * Nexmark Q7, highest bid: in each 10 s tumbling window, every bid whose price is the window's maximum.
 *
 * ```sql
 * SELECT B.auction, B.price, B.bidder, B.dateTime FROM bid B
 * JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime FROM TUMBLE(bid, dateTime, 10 s) GROUP BY window_start, window_end) B1
 * ON B.price = B1.maxprice WHERE B.dateTime BETWEEN B1.dateTime - 10 s AND B1.dateTime
 * ```
 *
 * The bid stream fans out: one branch computes the window's maximum (one key), the other joins every bid
 * with it on price within the same window, so the bids of a window are held until it closes, which is what
 * makes Q7 one of Nexmark's costliest queries. The maximum carries event time `end - 1`, inside its window.
 * Fixes of the original: the window is `[start, end)` (the SQL's BETWEEN also matches a bid at exactly the
 * next window's start), and columns are named for what they hold (nexmark/nexmark#61 swapped bidder and
 * price).
 */
import { numberOption, tumbling, type AggregateFunction } from '../../../engines/api/index.js';
import type { Bid } from '../model.js';
import { nexmarkQuery, bids } from '../nexmark-query.js';

export interface Q7Result {
  windowStart: number;
  windowEnd: number;
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
}

/** What the join holds of a bid. */
interface PricedBid {
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
}

/** Null for an empty window, so the accumulator stays JSON-safe (no -Infinity). */
const maxPrice: AggregateFunction<PricedBid, number | null, number | null> = {
  name: 'max-price',
  create: () => null,
  add: (acc, b) => (acc === null || b.price > acc ? b.price : acc),
  merge: (a, b) => (a === null ? b : b === null ? a : Math.max(a, b)),
  result: (acc) => acc,
};

export const nexmarkQ7 = nexmarkQuery({
  name: 'nexmark-q7',
  description:
    'Nexmark Q7 highest bid: per 10 s tumbling window, every bid at the maximum price {windowStart, windowEnd, auction, bidder, price, dateTime}',
  options: [{ key: 'window', type: 'duration', default: 10_000, unit: 'ms', min: 1, description: 'tumbling window size (Nexmark: 10 s)' }],
  build(events, values) {
    const size = numberOption(values, 'window');
    const priced = bids(events).map(
      (b: Bid): PricedBid => ({ auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime }),
      'project',
    );
    const maxima = priced
      .keyBy(() => 0)
      .window(tumbling(size))
      .aggregate(maxPrice, 'max-price');
    priced
      .keyBy((b) => b.price)
      .windowJoin(
        maxima.keyBy((m) => m.value ?? -1),
        tumbling(size),
        (b, _max, w): Q7Result => ({
          windowStart: w.start,
          windowEnd: w.end,
          auction: b.auction,
          bidder: b.bidder,
          price: b.price,
          dateTime: b.dateTime,
        }),
        'highest-bids',
      )
      .sink('nexmark_q7');
  },
});
