/**
 * Nexmark Q0, pass-through: `SELECT auction, bidder, price, dateTime, extra FROM bid`. Measures the source
 * and the framework's per-record overhead.
 */
import { nexmarkQuery, bids } from '../nexmark-query.js';

export interface Q0Result {
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
  extra: string;
}

export const nexmarkQ0 = nexmarkQuery({
  name: 'nexmark-q0',
  description: 'Nexmark Q0 pass-through: every bid as {auction, bidder, price, dateTime, extra}',
  build(events) {
    bids(events)
      .map(
        (b): Q0Result => ({ auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime, extra: b.extra }),
        'pass-through',
      )
      .sink('nexmark_q0');
  },
});
