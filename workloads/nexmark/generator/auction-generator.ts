/** Nexmark's `AuctionGenerator`: auctions with the next id, hot sellers, and random in-flight auction ids. */
import type { SeededRandom } from '../../generators/index.js';
import type { Auction } from '../model.js';
import {
  AUCTION_ID_LEAD,
  AUCTION_PROPORTION,
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  HOT_SELLER_BATCH,
  NUM_CATEGORIES,
  TOTAL_PROPORTION,
  hotId,
  lastBase0AuctionId,
  lastBase0PersonId,
  type GeneratorConfig,
} from './generator-config.js';
import { nextBase0PersonId } from './person-generator.js';
import { nextPrice, type StringsGenerator } from './strings-generator.js';

/**
 * The auction of event `eventId` at `dateTime`. `interEventDelayMs` is the generator's current pace: an
 * auction lasts on average until `numInFlightAuctions` more auctions have been created.
 */
export function nextAuction(
  eventId: number,
  random: SeededRandom,
  strings: StringsGenerator,
  dateTime: number,
  interEventDelayMs: number,
  config: GeneratorConfig,
): Auction {
  const id = lastBase0AuctionId(eventId) + FIRST_AUCTION_ID;
  // P(auction by a hot seller) = 1 - 1/hotSellersRatio; the hot seller is the first of the last batch of people.
  const seller =
    (random.int(config.hotSellersRatio) > 0
      ? hotId(lastBase0PersonId(eventId), HOT_SELLER_BATCH)
      : nextBase0PersonId(eventId, random, config)) + FIRST_PERSON_ID;
  const category = FIRST_CATEGORY_ID + random.int(NUM_CATEGORIES);
  const initialBid = nextPrice(random);
  const horizonMs = Math.floor(((config.numInFlightAuctions * TOTAL_PROPORTION) / AUCTION_PROPORTION) * interEventDelayMs);
  const expires = dateTime + 1 + random.int(Math.max(horizonMs * 2, 1));
  const itemName = strings.nextString(20);
  const description = strings.nextString(100);
  const reserve = initialBid + nextPrice(random);
  const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
  const extra = strings.nextExtra(currentSize, config.avgAuctionByteSize);
  return { type: 'auction', id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra };
}

/** A random auction id (base 0) among those likely still in flight, plus a few not created yet. */
export function nextBase0AuctionId(eventId: number, random: SeededRandom, config: GeneratorConfig): number {
  const maxAuction = lastBase0AuctionId(eventId);
  const minAuction = Math.max(maxAuction - config.numInFlightAuctions, 0);
  return minAuction + random.int(maxAuction - minAuction + 1 + AUCTION_ID_LEAD);
}
