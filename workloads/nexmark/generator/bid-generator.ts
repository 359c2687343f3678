/**
 * Nexmark's `BidGenerator`: bids on hot or in-flight auctions by hot or active bidders, with a channel and
 * URL. The bidder id gets FIRST_PERSON_ID added once: the original added it twice (nexmark/nexmark#30),
 * which shifted every bidder 1000 ids past the people it should join with.
 */
import type { SeededRandom } from '../../generators/index.js';
import type { Bid } from '../model.js';
import { nextBase0AuctionId } from './auction-generator.js';
import {
  FIRST_AUCTION_ID,
  FIRST_PERSON_ID,
  HOT_AUCTION_BATCH,
  HOT_BIDDER_BATCH,
  HOT_CHANNELS_RATIO,
  hotId,
  lastBase0AuctionId,
  lastBase0PersonId,
  type GeneratorConfig,
} from './generator-config.js';
import { nextBase0PersonId } from './person-generator.js';
import { nextPrice, type StringsGenerator } from './strings-generator.js';

export const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'] as const;
/** Channels besides the hot ones: `channel-<i>`. */
export const CHANNELS_NUMBER = 10_000;

/** The channel names and URLs a generator draws from (made once per generator). */
export interface ChannelTable {
  readonly hotUrls: readonly string[];
  readonly channels: readonly string[];
  readonly urls: readonly string[];
}

function baseUrl(strings: StringsGenerator): string {
  return `https://www.nexmark.com/${strings.nextString(5, '_')}/${strings.nextString(5, '_')}/${strings.nextString(5, '_')}/item.htm?query=1`;
}

export function channelTable(random: SeededRandom, strings: StringsGenerator): ChannelTable {
  const hotUrls = HOT_CHANNELS.map(() => baseUrl(strings));
  const channels: string[] = [];
  const urls: string[] = [];
  for (let i = 0; i < CHANNELS_NUMBER; i++) {
    channels.push(`channel-${i}`);
    // Most channels carry their id in the URL (bit-reversed, as the original).
    urls.push(random.int(10) > 0 ? `${baseUrl(strings)}&channel_id=${Math.abs(reverseBits32(i))}` : baseUrl(strings));
  }
  return { hotUrls, channels, urls };
}

/** Java's Integer.reverse. */
function reverseBits32(v: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) r = (r << 1) | ((v >>> i) & 1);
  return r | 0;
}

/** The bid of event `eventId` at `dateTime`. */
export function nextBid(
  eventId: number,
  random: SeededRandom,
  strings: StringsGenerator,
  table: ChannelTable,
  dateTime: number,
  config: GeneratorConfig,
): Bid {
  // P(hot auction) = 1 - 1/hotAuctionRatio: the first of the last batch of auctions.
  const auction =
    (random.int(config.hotAuctionRatio) > 0
      ? hotId(lastBase0AuctionId(eventId), HOT_AUCTION_BATCH)
      : nextBase0AuctionId(eventId, random, config)) + FIRST_AUCTION_ID;
  // P(hot bidder) = 1 - 1/hotBiddersRatio: the second of the last batch of people (hot sellers are the first).
  const bidder =
    (random.int(config.hotBiddersRatio) > 0
      ? hotId(lastBase0PersonId(eventId), HOT_BIDDER_BATCH) + 1
      : nextBase0PersonId(eventId, random, config)) + FIRST_PERSON_ID;
  const price = nextPrice(random);
  let channel: string;
  let url: string;
  if (random.int(HOT_CHANNELS_RATIO) > 0) {
    const i = random.int(HOT_CHANNELS.length);
    channel = HOT_CHANNELS[i];
    url = table.hotUrls[i];
  } else {
    const i = random.int(CHANNELS_NUMBER);
    channel = table.channels[i];
    url = table.urls[i];
  }
  const extra = strings.nextExtra(8 + 8 + 8 + 8, config.avgBidByteSize);
  return { type: 'bid', auction, bidder, price, channel, url, dateTime, extra };
}
