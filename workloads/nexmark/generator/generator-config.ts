/**
 * Nexmark's generator parameters (`NexmarkConfiguration`, `GeneratorConfig`) and the id arithmetic that
 * interleaves the three event types deterministically: event id k is a person, an auction or a bid by
 * `k % 50` (1 : 3 : 46), and each type's ids count up from 1000, so bids refer to people and auctions that
 * exist (or are about to: the "leads").
 */
import { numberOption, type OptionValues } from '../../../engines/api/index.js';

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;

export const PERSON_PROPORTION = 1;
export const AUCTION_PROPORTION = 3;
export const BID_PROPORTION = 46;
export const TOTAL_PROPORTION = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;

/** A hot id is the first (bidders: the second) of each batch of this many recent ids. */
export const HOT_AUCTION_BATCH = 100;
export const HOT_BIDDER_BATCH = 100;
export const HOT_SELLER_BATCH = 100;
/** Ids not created yet that bids and auctions may already name. */
export const PERSON_ID_LEAD = 10;
export const AUCTION_ID_LEAD = 10;
/** P(bid on a hot channel) = 1 - 1/HOT_CHANNELS_RATIO. */
export const HOT_CHANNELS_RATIO = 2;
/** The inter-event delay assumed before the generator has seen two events (ms): Nexmark's 10 000 events/s. */
export const DEFAULT_INTER_EVENT_DELAY_MS = 0.1;

/** The tunable parameters, from the `nexmark-*` workload options. */
export interface GeneratorConfig {
  /** P(bid on a hot auction) = 1 - 1/hotAuctionRatio. */
  readonly hotAuctionRatio: number;
  /** P(bid by a hot bidder) = 1 - 1/hotBiddersRatio. */
  readonly hotBiddersRatio: number;
  /** P(auction by a hot seller) = 1 - 1/hotSellersRatio. */
  readonly hotSellersRatio: number;
  readonly numInFlightAuctions: number;
  readonly numActivePeople: number;
  /** An event is delayed (its dateTime before its send time) by [0, this) ms with probability probDelayedEvent; 0 = in order. */
  readonly occasionalDelayMs: number;
  readonly probDelayedEvent: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
}

export function generatorConfig(values: OptionValues): GeneratorConfig {
  return {
    hotAuctionRatio: numberOption(values, 'hotAuctionRatio'),
    hotBiddersRatio: numberOption(values, 'hotBiddersRatio'),
    hotSellersRatio: numberOption(values, 'hotSellersRatio'),
    numInFlightAuctions: numberOption(values, 'numInFlightAuctions'),
    numActivePeople: numberOption(values, 'numActivePeople'),
    occasionalDelayMs: numberOption(values, 'occasionalDelay'),
    probDelayedEvent: numberOption(values, 'probDelayedEvent'),
    avgPersonByteSize: numberOption(values, 'avgPersonByteSize'),
    avgAuctionByteSize: numberOption(values, 'avgAuctionByteSize'),
    avgBidByteSize: numberOption(values, 'avgBidByteSize'),
  };
}

/** The last person id (base 0) created at or before event `eventId`: the current one if it is a person. */
export function lastBase0PersonId(eventId: number): number {
  const epoch = Math.floor(eventId / TOTAL_PROPORTION);
  let offset = eventId % TOTAL_PROPORTION;
  if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
  return epoch * PERSON_PROPORTION + offset;
}

/** The last auction id (base 0) created at or before event `eventId` (-1 before the first). */
export function lastBase0AuctionId(eventId: number): number {
  let epoch = Math.floor(eventId / TOTAL_PROPORTION);
  let offset = eventId % TOTAL_PROPORTION;
  if (offset < PERSON_PROPORTION) {
    epoch--; // a person: the last auction of the previous epoch
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
    offset = AUCTION_PROPORTION - 1; // a bid: the last auction of this epoch
  } else {
    offset -= PERSON_PROPORTION;
  }
  return epoch * AUCTION_PROPORTION + offset;
}

/** Java's long division: truncates toward zero. */
export function hotId(base0: number, batch: number): number {
  return Math.trunc(base0 / batch) * batch;
}
