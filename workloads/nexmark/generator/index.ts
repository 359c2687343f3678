export { nexmarkGenerator, type NexmarkEventGenerator } from './nexmark-generator.js';
export {
  generatorConfig,
  lastBase0AuctionId,
  lastBase0PersonId,
  hotId,
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  NUM_CATEGORIES,
  PERSON_PROPORTION,
  AUCTION_PROPORTION,
  BID_PROPORTION,
  TOTAL_PROPORTION,
  HOT_AUCTION_BATCH,
  HOT_BIDDER_BATCH,
  HOT_SELLER_BATCH,
  type GeneratorConfig,
} from './generator-config.js';
export { nextPerson, nextBase0PersonId, US_STATES, US_CITIES } from './person-generator.js';
export { nextAuction, nextBase0AuctionId } from './auction-generator.js';
export { nextBid, channelTable, HOT_CHANNELS, CHANNELS_NUMBER, type ChannelTable } from './bid-generator.js';
export { StringsGenerator, nextPrice } from './strings-generator.js';
