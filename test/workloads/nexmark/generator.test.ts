/**
 * The Nexmark generator: Nexmark's interleaving (1 person : 3 auctions : 46 bids per 50 event ids), ids
 * that refer to people and auctions that exist (or are just about to), hot auctions, bidders and sellers
 * in Nexmark's ratios, padding to the average sizes, optional delays, and determinism per seed.
 */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, type OptionValues } from '../../../engines/api/index.js';
import {
  nexmarkQ0,
  nexmarkGenerator,
  generatorConfig,
  parseNexmarkEvent,
  lastBase0AuctionId,
  lastBase0PersonId,
  FIRST_AUCTION_ID,
  FIRST_PERSON_ID,
  NEXMARK_OPTIONS,
  US_STATES,
  type Auction,
  type Bid,
  type NexmarkEvent,
  type Person,
} from '../../../workloads/nexmark/index.js';

const EPOCH = 1_767_225_600_000;

function values(extra: Record<string, unknown> = {}): OptionValues {
  return { ...defaultOptionValues(NEXMARK_OPTIONS), ...extra } as OptionValues;
}

function generate(n: number, seed = 42, extra: Record<string, unknown> = {}, periodMs = 1): NexmarkEvent[] {
  const gen = nexmarkGenerator(generatorConfig(values(extra)), seed);
  return Array.from({ length: n }, (_, k) => gen.next(k, EPOCH + k * periodMs));
}

describe('nexmark generator', () => {
  const events = generate(50_000);
  const people = events.filter((e): e is Person => e.type === 'person');
  const auctions = events.filter((e): e is Auction => e.type === 'auction');
  const bids = events.filter((e): e is Bid => e.type === 'bid');

  it('interleaves 1 person, 3 auctions and 46 bids in every 50 event ids', () => {
    for (let k = 0; k < 500; k++) {
      const rem = k % 50;
      expect(events[k].type).toBe(rem === 0 ? 'person' : rem < 4 ? 'auction' : 'bid');
    }
    expect([people.length, auctions.length, bids.length]).toEqual([1000, 3000, 46_000]);
  });

  it('numbers people and auctions consecutively from 1000', () => {
    expect(people.map((p) => p.id)).toEqual(Array.from({ length: 1000 }, (_, i) => FIRST_PERSON_ID + i));
    expect(auctions.map((a) => a.id)).toEqual(Array.from({ length: 3000 }, (_, i) => FIRST_AUCTION_ID + i));
    expect(lastBase0PersonId(0)).toBe(0);
    expect(lastBase0PersonId(49)).toBe(0);
    expect(lastBase0PersonId(50)).toBe(1);
    expect(lastBase0AuctionId(0)).toBe(-1);
    expect(lastBase0AuctionId(3)).toBe(2);
    expect(lastBase0AuctionId(50)).toBe(2);
    expect(lastBase0AuctionId(52)).toBe(4);
  });

  it('makes bids refer to recent auctions and active people, bidder ids shifted once (nexmark#30 fixed)', () => {
    events.forEach((e, k) => {
      if (e.type !== 'bid') return;
      const lastAuction = lastBase0AuctionId(k) + FIRST_AUCTION_ID;
      const lastPerson = lastBase0PersonId(k) + FIRST_PERSON_ID;
      expect(e.auction).toBeLessThanOrEqual(lastAuction + 10);
      expect(e.auction).toBeGreaterThanOrEqual(Math.max(FIRST_AUCTION_ID, lastAuction - 100));
      expect(e.bidder).toBeLessThanOrEqual(lastPerson + 10);
      expect(e.bidder).toBeGreaterThanOrEqual(Math.max(FIRST_PERSON_ID, lastPerson - 1000));
    });
    auctions.forEach((a) => expect(a.seller).toBeLessThanOrEqual(FIRST_PERSON_ID + people.length + 10));
  });

  it('sends about half the bids to the hot auction and three quarters to hot bidders and sellers', () => {
    const hotAuction = (b: Bid, k: number) => b.auction === Math.trunc(lastBase0AuctionId(k) / 100) * 100 + FIRST_AUCTION_ID;
    const hotBidder = (b: Bid, k: number) => b.bidder === Math.trunc(lastBase0PersonId(k) / 100) * 100 + 1 + FIRST_PERSON_ID;
    let onHotAuction = 0;
    let byHotBidder = 0;
    events.forEach((e, k) => {
      if (e.type !== 'bid') return;
      if (hotAuction(e, k)) onHotAuction++;
      if (hotBidder(e, k)) byHotBidder++;
    });
    // A random pick can also land on the hot id, so the shares are a little above 1 - 1/ratio.
    expect(onHotAuction / bids.length).toBeGreaterThan(0.49);
    expect(onHotAuction / bids.length).toBeLessThan(0.53);
    expect(byHotBidder / bids.length).toBeGreaterThan(0.74);
    expect(byHotBidder / bids.length).toBeLessThan(0.77);
    let byHotSeller = 0;
    events.forEach((e, k) => {
      if (e.type === 'auction' && e.seller === Math.trunc(lastBase0PersonId(k) / 100) * 100 + FIRST_PERSON_ID) byHotSeller++;
    });
    expect(byHotSeller / auctions.length).toBeGreaterThan(0.73);
    expect(byHotSeller / auctions.length).toBeLessThan(0.78);
  });

  it("fills Nexmark's fields: states, categories 10..14, prices 100..100M cents, channels, sizes near the averages", () => {
    expect(new Set(people.map((p) => p.state))).toEqual(new Set(US_STATES));
    expect(people[0].emailAddress).toMatch(/^[a-z ]+@[a-z ]+\.com$/);
    expect(people[0].creditCard).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(new Set(auctions.map((a) => a.category))).toEqual(new Set([10, 11, 12, 13, 14]));
    for (const a of auctions) {
      expect(a.reserve).toBeGreaterThan(a.initialBid);
      expect(a.expires).toBeGreaterThan(a.dateTime);
    }
    for (const b of bids.slice(0, 5000)) {
      expect(b.price).toBeGreaterThanOrEqual(100);
      expect(b.price).toBeLessThanOrEqual(100_000_000);
      expect(b.url).toMatch(/^https:\/\/www\.nexmark\.com\//);
    }
    const hot = bids.filter((b) => ['Google', 'Facebook', 'Baidu', 'Apple'].includes(b.channel)).length / bids.length;
    expect(hot).toBeGreaterThan(0.48);
    expect(hot).toBeLessThan(0.52);
    const avgExtra = bids.reduce((n, b) => n + b.extra.length, 0) / bids.length;
    expect(avgExtra).toBeGreaterThan(100 - 32 - 3);
    expect(avgExtra).toBeLessThan(100 - 32 + 3);
  });

  it('stamps dateTime with the intended send time, in order, unless delays are on', () => {
    events.forEach((e, k) => expect(e.dateTime).toBe(EPOCH + k));
    const delayed = generate(20_000, 42, { occasionalDelay: 3000, probDelayedEvent: 0.1 });
    const lags = delayed.map((e, k) => EPOCH + k - e.dateTime);
    expect(Math.min(...lags)).toBe(0);
    expect(Math.max(...lags)).toBeLessThan(3000);
    const share = lags.filter((l) => l > 0).length / lags.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
  });

  it('is deterministic per seed', () => {
    expect(generate(2000, 7)).toEqual(generate(2000, 7));
    expect(generate(2000, 8)).not.toEqual(generate(2000, 7));
  });
});

describe('nexmark input lines', () => {
  it('parse every generated event back to itself', () => {
    for (const e of generate(200)) expect(parseNexmarkEvent(JSON.stringify(e))).toEqual(e);
    expect(nexmarkQ0.parseInputLine('{"type": "bid", "auction": 1000, "bidder": 1001, "price": 5, "dateTime": 7}')).toEqual({
      type: 'bid',
      auction: 1000,
      bidder: 1001,
      price: 5,
      channel: '',
      url: '',
      dateTime: 7,
      extra: '',
    });
  });

  it('say what is wrong with a bad line', () => {
    expect(() => parseNexmarkEvent('{"type": "order"}')).toThrow(/"type" must be "person", "auction" or "bid"/);
    expect(() => parseNexmarkEvent('{"type": "bid", "auction": 1, "bidder": 2, "price": 3, "dateTime": "now"}')).toThrow(
      /bid field "dateTime" must be a number \(epoch ms\)/,
    );
    expect(() => parseNexmarkEvent('{"type": "person", "id": 1, "name": 2}')).toThrow(/person field "name" must be a string/);
    expect(() => parseNexmarkEvent('7')).toThrow(/expected an object/);
  });
});
