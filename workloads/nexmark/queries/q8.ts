/**
 * Nexmark Q8, monitor new users: people who opened an auction in the same 10 s tumbling window in which
 * they joined.
 *
 * ```sql
 * SELECT P.id, P.name, P.starttime FROM
 *   (SELECT id, name, window_start AS starttime, window_end AS endtime FROM TUMBLE(person, dateTime, 10 s) GROUP BY id, name, window_start, window_end) P
 * JOIN
 *   (SELECT seller, window_start AS starttime, window_end AS endtime FROM TUMBLE(auction, dateTime, 10 s) GROUP BY seller, window_start, window_end) A
 * ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime
 * ```
 *
 * The auction side is grouped per seller and window first (one row per seller however many auctions, as
 * the GROUP BY), then window-joined with the people; its results carry event time `end - 1`, inside the
 * window they were counted in.
 */
import { count, numberOption, tumbling } from '../../../engines/api/index.js';
import { nexmarkQuery, auctions, persons } from '../nexmark-query.js';

export interface Q8Result {
  id: number;
  name: string;
  windowStart: number;
}

export const nexmarkQ8 = nexmarkQuery({
  name: 'nexmark-q8',
  description: 'Nexmark Q8 monitor new users: people who opened an auction in the 10 s window they joined {id, name, windowStart}',
  options: [{ key: 'window', type: 'duration', default: 10_000, unit: 'ms', min: 1, description: 'tumbling window size (Nexmark: 10 s)' }],
  build(events, values) {
    const window = tumbling(numberOption(values, 'window'));
    const sellers = auctions(events)
      .keyBy((a) => a.seller)
      .window(window)
      .aggregate(count(), 'auctions-per-seller');
    persons(events)
      .map((p) => ({ id: p.id, name: p.name }), 'project-person')
      .keyBy((p) => p.id)
      .windowJoin(
        sellers.keyBy((s) => s.key),
        window,
        (p, _s, w): Q8Result => ({ id: p.id, name: p.name, windowStart: w.start }),
        'new-users',
      )
      .sink('nexmark_q8');
  },
});
