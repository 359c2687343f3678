/**
 * Nexmark Q11, user sessions: bids per bidder per session, a session ending after 10 s without a bid.
 *
 * ```sql
 * SELECT B.bidder, count(*) AS bid_count, SESSION_START(B.dateTime, 10 s) AS starttime, SESSION_END(B.dateTime, 10 s) AS endtime
 * FROM bid B GROUP BY B.bidder, SESSION(B.dateTime, 10 s)
 * ```
 */
import { count, numberOption, session } from '../../../engines/api/index.js';
import { nexmarkQuery, bids } from '../nexmark-query.js';

export interface Q11Result {
  bidder: number;
  bidCount: number;
  windowStart: number;
  windowEnd: number;
}

export const nexmarkQ11 = nexmarkQuery({
  name: 'nexmark-q11',
  description: 'Nexmark Q11 user sessions: bids per bidder per session window with a 10 s gap {bidder, bidCount, windowStart, windowEnd}',
  options: [{ key: 'gap', type: 'duration', default: 10_000, unit: 'ms', min: 1, description: 'session gap (Nexmark: 10 s)' }],
  build(events, values) {
    bids(events)
      .keyBy((b) => b.bidder)
      .window(session(numberOption(values, 'gap')))
      .aggregate(count(), 'bids-per-session')
      .map((r): Q11Result => ({ bidder: r.key, bidCount: r.value, windowStart: r.windowStart, windowEnd: r.windowEnd }), 'user-sessions')
      .sink('nexmark_q11');
  },
});
