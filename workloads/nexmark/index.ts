/** The Nexmark queries, one workload each, over one generator and data model. */
import type { Workload } from '../workload.js';
import { nexmarkQ0 } from './queries/q0.js';
import { nexmarkQ1 } from './queries/q1.js';
import { nexmarkQ11 } from './queries/q11.js';
import { nexmarkQ2 } from './queries/q2.js';
import { nexmarkQ3 } from './queries/q3.js';
import { nexmarkQ5 } from './queries/q5.js';
import { nexmarkQ7 } from './queries/q7.js';
import { nexmarkQ8 } from './queries/q8.js';

export { nexmarkQ0, nexmarkQ1, nexmarkQ2, nexmarkQ3, nexmarkQ5, nexmarkQ7, nexmarkQ8, nexmarkQ11 };
export type { Q0Result } from './queries/q0.js';
export { dollarToEuro, type Q1Result } from './queries/q1.js';
export type { Q2Result } from './queries/q2.js';
export type { Q3Result } from './queries/q3.js';
export { maxCountWithTies, type Q5Result, type MaxCountWithTies } from './queries/q5.js';
export type { Q7Result } from './queries/q7.js';
export type { Q8Result } from './queries/q8.js';
export type { Q11Result } from './queries/q11.js';
export { nexmarkQuery, persons, auctions, bids, type NexmarkQuerySpec } from './nexmark-query.js';
export { NEXMARK_OPTIONS } from './options.js';
export { parseNexmarkEvent, EVENT_FIELDS, type Person, type Auction, type Bid, type NexmarkEvent } from './model.js';
export * from './generator/index.js';

/** Every query, by workload name. */
export const nexmarkWorkloads: Readonly<Record<string, Workload>> = {
  'nexmark-q0': nexmarkQ0,
  'nexmark-q1': nexmarkQ1,
  'nexmark-q2': nexmarkQ2,
  'nexmark-q3': nexmarkQ3,
  'nexmark-q5': nexmarkQ5,
  'nexmark-q7': nexmarkQ7,
  'nexmark-q8': nexmarkQ8,
  'nexmark-q11': nexmarkQ11,
};
