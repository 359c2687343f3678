/**
 * Nexmark Q1, currency conversion: every bid with its price in euros, `price * 89 / 100` in whole cents
 * (Beam's `DOLLAR_TO_EURO` with Java's long division; Flink's SQL multiplies by 0.908 instead).
 */
import { nexmarkQuery, bids } from '../nexmark-query.js';
import type { Q0Result } from './q0.js';

export type Q1Result = Q0Result;

/** Dollars to euros, integer cents (prices are positive, so truncation is floor). */
export function dollarToEuro(price: number): number {
  return Math.floor((price * 89) / 100);
}

export const nexmarkQ1 = nexmarkQuery({
  name: 'nexmark-q1',
  description: 'Nexmark Q1 currency conversion: every bid with price * 89 / 100 (integer)',
  build(events) {
    bids(events)
      .map(
        (b): Q1Result => ({ auction: b.auction, bidder: b.bidder, price: dollarToEuro(b.price), dateTime: b.dateTime, extra: b.extra }),
        'currency-conversion',
      )
      .sink('nexmark_q1');
  },
});
