/** Nexmark Q2, selection: `SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`. */
import { numberOption } from '../../../engines/api/index.js';
import { nexmarkQuery, bids } from '../nexmark-query.js';

export interface Q2Result {
  auction: number;
  price: number;
}

export const nexmarkQ2 = nexmarkQuery({
  name: 'nexmark-q2',
  description: 'Nexmark Q2 selection: {auction, price} of bids whose auction % 123 == 0',
  options: [
    {
      key: 'auctionSkip',
      type: 'integer',
      default: 123,
      min: 1,
      max: 1_000_000_000,
      description: 'keep bids whose auction id is a multiple of this',
    },
  ],
  build(events, values) {
    const skip = numberOption(values, 'auctionSkip');
    bids(events)
      .filter((b) => b.auction % skip === 0, 'selection')
      .map((b): Q2Result => ({ auction: b.auction, price: b.price }), 'project')
      .sink('nexmark_q2');
  },
});
