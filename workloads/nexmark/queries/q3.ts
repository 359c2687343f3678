/**
 * Nexmark Q3, local item suggestion: who sells in category 10 in Oregon, Idaho or California.
 *
 * ```sql
 * SELECT P.name, P.city, P.state, A.id FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
 * WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')
 * ```
 *
 * An incremental (unwindowed) join: both sides are kept, each arrival joins with what the other side
 * holds, so a person who joins after their auction still matches. State grows with the input, as the SQL
 * join's does without a state TTL.
 */
import { nexmarkQuery, auctions, persons } from '../nexmark-query.js';

export interface Q3Result {
  name: string;
  city: string;
  state: string;
  id: number;
}

const LOCAL_STATES = new Set(['OR', 'ID', 'CA']);

export const nexmarkQ3 = nexmarkQuery({
  name: 'nexmark-q3',
  description: 'Nexmark Q3 local item suggestion: incremental join of people in OR/ID/CA with their category-10 auctions',
  build(events) {
    const sellers = persons(events).filter((p) => LOCAL_STATES.has(p.state), 'person-or-id-ca');
    const items = auctions(events).filter((a) => a.category === 10, 'auction-category-10');
    items
      .keyBy((a) => a.seller)
      .join(
        sellers.keyBy((p) => p.id),
        (a, p): Q3Result => ({ name: p.name, city: p.city, state: p.state, id: a.id }),
        'join-seller',
      )
      .sink('nexmark_q3');
  },
});
