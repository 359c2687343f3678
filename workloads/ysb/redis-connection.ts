/**
 * YSB's Redis: the connection, the campaign setup exactly as `core.clj` writes it (`flushall`, then
 * `SADD campaigns <campaign>` and `SET <ad_id> <campaign_id>`), and the read-back that fills the local
 * cache before the run. The client is node-redis (`redis` on npm); commands issued in the same tick are
 * pipelined by it.
 */
import { createClient } from 'redis';
import type { Campaigns } from './campaigns.js';

/** How long connecting may take before setup fails (ms). */
const CONNECT_TIMEOUT_MS = 5000;

function newClient(url: string) {
  return createClient({ url, socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false } });
}

export type RedisConnection = ReturnType<typeof newClient>;
/** Keys per MGET when reading the campaigns back. */
const MGET_CHUNK = 1000;

/** Connects to `url` (`redis://host:port[/db]`); a server that is not there fails at once, with a clear message. */
export async function connectRedis(url: string): Promise<RedisConnection> {
  const client = newClient(url);
  let lastError: Error | undefined;
  client.on('error', (err: Error) => (lastError = err)); // without a listener node-redis would crash the process
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`ysb.redis: cannot connect to ${url}: ${(err as Error).message ?? lastError?.message}`);
  }
  return client;
}

/**
 * YSB's `write-to-redis`: empties the database (the original runs FLUSHALL; this flushes only the
 * database of the URL), then `SADD campaigns` and `SET <ad_id> <campaign_id>` for every ad.
 */
export async function writeCampaigns(client: RedisConnection, campaigns: Campaigns): Promise<void> {
  await client.flushDb();
  const writes: Promise<unknown>[] = [];
  for (const campaign of campaigns.campaigns) writes.push(client.sAdd('campaigns', campaign));
  for (const [ad, campaign] of campaigns.campaignOfAd) writes.push(client.set(ad, campaign));
  await Promise.all(writes);
}

/** Reads `GET <ad_id>` for every ad (in MGET chunks): what fills the local cache before the run. */
export async function readAdCampaigns(client: RedisConnection, ads: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < ads.length; i += MGET_CHUNK) {
    const chunk = ads.slice(i, i + MGET_CHUNK);
    const values = await client.mGet(chunk);
    values.forEach((campaign, j) => {
      if (typeof campaign === 'string') found.set(chunk[j], campaign);
    });
  }
  return found;
}
