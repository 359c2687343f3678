/**
 * Options every Nexmark query has: the watermark bound and the generator's parameters (Nexmark's
 * defaults, `NexmarkConfiguration`). They are namespaced by query: `-o nexmark-q5.maxDelay=2000`.
 */
import type { OptionSpec } from '../../engines/api/index.js';

export const NEXMARK_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'maxDelay',
    type: 'duration',
    default: 4000,
    unit: 'ms',
    min: 0,
    description: "out-of-orderness bound of the watermark (Nexmark's DDL: dateTime - 4 s)",
  },
  {
    key: 'hotAuctionRatio',
    type: 'integer',
    default: 2,
    min: 1,
    max: 1_000_000,
    description: 'generator: P(bid on a hot auction) = 1 - 1/ratio',
  },
  {
    key: 'hotBiddersRatio',
    type: 'integer',
    default: 4,
    min: 1,
    max: 1_000_000,
    description: 'generator: P(bid by a hot bidder) = 1 - 1/ratio',
  },
  {
    key: 'hotSellersRatio',
    type: 'integer',
    default: 4,
    min: 1,
    max: 1_000_000,
    description: 'generator: P(auction by a hot seller) = 1 - 1/ratio',
  },
  {
    key: 'numInFlightAuctions',
    type: 'integer',
    default: 100,
    min: 1,
    max: 10_000_000,
    description: 'generator: bids go to the last this many auctions',
  },
  {
    key: 'numActivePeople',
    type: 'integer',
    default: 1000,
    min: 1,
    max: 10_000_000,
    description: 'generator: bids and auctions come from the last this many people',
  },
  {
    key: 'occasionalDelay',
    type: 'duration',
    default: 0,
    unit: 'ms',
    min: 0,
    description:
      'generator: a delayed event carries a dateTime up to this much before its send time (out of order; Beam: 3 s); 0 = in order',
  },
  { key: 'probDelayedEvent', type: 'number', default: 0.1, min: 0, max: 1, description: 'generator: probability that an event is delayed' },
  {
    key: 'avgPersonByteSize',
    type: 'integer',
    default: 200,
    min: 0,
    max: 65_536,
    unit: 'bytes',
    description: 'generator: average person size (padded with extra)',
  },
  {
    key: 'avgAuctionByteSize',
    type: 'integer',
    default: 500,
    min: 0,
    max: 65_536,
    unit: 'bytes',
    description: 'generator: average auction size (padded with extra)',
  },
  {
    key: 'avgBidByteSize',
    type: 'integer',
    default: 100,
    min: 0,
    max: 65_536,
    unit: 'bytes',
    description: 'generator: average bid size (padded with extra)',
  },
];
