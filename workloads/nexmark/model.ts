/**
 * The Nexmark data model (Tucker et al.; field names as in nexmark-flink's `Person`, `Auction`, `Bid` and
 * its `ddl_gen.sql`): one stream of events, each a person, an auction or a bid, with `dateTime` in epoch
 * ms. An event is a flat object tagged with `type`, as the `--input` lines are.
 */

export interface Person {
  type: 'person';
  /** Primary key, from 1000. */
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  /** Epoch ms. */
  dateTime: number;
  extra: string;
}

export interface Auction {
  type: 'auction';
  /** Primary key, from 1000. */
  id: number;
  itemName: string;
  description: string;
  /** Cents. */
  initialBid: number;
  /** Cents. */
  reserve: number;
  /** Epoch ms. */
  dateTime: number;
  /** Epoch ms. */
  expires: number;
  /** Person.id of the seller. */
  seller: number;
  /** From 10. */
  category: number;
  extra: string;
}

export interface Bid {
  type: 'bid';
  /** Auction.id. */
  auction: number;
  /** Person.id. */
  bidder: number;
  /** Cents. */
  price: number;
  channel: string;
  url: string;
  /** Epoch ms. */
  dateTime: number;
  extra: string;
}

export type NexmarkEvent = Person | Auction | Bid;

type FieldType = 'number' | 'string';

/** Every field of each event type, in model order, with its JSON type. */
export const EVENT_FIELDS: Readonly<Record<NexmarkEvent['type'], readonly (readonly [string, FieldType])[]>> = {
  person: [
    ['id', 'number'],
    ['name', 'string'],
    ['emailAddress', 'string'],
    ['creditCard', 'string'],
    ['city', 'string'],
    ['state', 'string'],
    ['dateTime', 'number'],
    ['extra', 'string'],
  ],
  auction: [
    ['id', 'number'],
    ['itemName', 'string'],
    ['description', 'string'],
    ['initialBid', 'number'],
    ['reserve', 'number'],
    ['dateTime', 'number'],
    ['expires', 'number'],
    ['seller', 'number'],
    ['category', 'number'],
    ['extra', 'string'],
  ],
  bid: [
    ['auction', 'number'],
    ['bidder', 'number'],
    ['price', 'number'],
    ['channel', 'string'],
    ['url', 'string'],
    ['dateTime', 'number'],
    ['extra', 'string'],
  ],
};

/**
 * One `--input` line: `{"type": "person"|"auction"|"bid", ...fields}`. Every field of the type must be
 * there with its JSON type (`extra`, `channel` and `url` may be omitted: they default to ""); other keys
 * are dropped. Throws an Error naming what is wrong.
 */
export function parseNexmarkEvent(line: string): NexmarkEvent {
  const raw = JSON.parse(line) as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('expected an object {"type": "person"|"auction"|"bid", ...}');
  const type = raw.type;
  if (type !== 'person' && type !== 'auction' && type !== 'bid') throw new Error('"type" must be "person", "auction" or "bid"');
  const event: Record<string, unknown> = { type };
  for (const [field, kind] of EVENT_FIELDS[type]) {
    let v = raw[field];
    if (v === undefined && kind === 'string' && (field === 'extra' || field === 'channel' || field === 'url')) v = '';
    if (kind === 'number' ? typeof v !== 'number' || !Number.isFinite(v) : typeof v !== 'string') {
      throw new Error(
        `${type} field "${field}" must be a ${kind === 'number' ? 'number' : 'string'}${field === 'dateTime' ? ' (epoch ms)' : ''}`,
      );
    }
    event[field] = v;
  }
  return event as unknown as NexmarkEvent;
}
