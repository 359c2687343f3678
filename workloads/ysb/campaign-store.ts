/**
 * The join of an ad with its campaign: YSB's `RedisAdCampaignCache`, a local HashMap in front of the
 * campaign store. Dataflow functions are synchronous, so the store is either embedded (a map standing in
 * for Redis) or, with `ysb.redis`, a snapshot: the cache is filled from Redis at setup, before the run.
 */
import type { Campaigns } from './campaigns.js';

/** Where the ad -> campaign mapping lives. */
export interface CampaignStore {
  /** The campaign of `adId`, or undefined when the store does not know the ad. */
  get(adId: string): string | undefined;
}

/** The embedded store: the campaigns' own map (YSB's Redis, in memory). */
export function embeddedCampaignStore(campaigns: Campaigns): CampaignStore {
  return { get: (adId) => campaigns.campaignOfAd.get(adId) };
}

/** For a dataflow built without setup (explain, or a runner that ignores the hooks) while `ysb.redis` is set. */
export function unloadedRedisStore(url: string): CampaignStore {
  return {
    get() {
      throw new Error(
        `ysb.redis=${url}: the campaign cache was not loaded from Redis; the runner must call the workload's setup hook (workloads/workload-hooks.ts)`,
      );
    },
  };
}

/** YSB's RedisAdCampaignCache: a local cache in front of a store. */
export class AdCampaignCache {
  private readonly cache = new Map<string, string>();
  /** Lookups that went to the store. */
  misses = 0;

  constructor(private readonly store: CampaignStore) {}

  /** A cache filled up front (from Redis at setup), with no store behind it: an unknown ad stays unknown. */
  static filled(entries: Iterable<readonly [string, string]>): AdCampaignCache {
    const cache = new AdCampaignCache({ get: () => undefined });
    for (const [ad, campaign] of entries) cache.cache.set(ad, campaign);
    return cache;
  }

  /** The campaign of `adId`, or undefined (YSB drops the event: Flink's flatMap emits nothing, Storm fails the tuple). */
  execute(adId: string): string | undefined {
    let campaign = this.cache.get(adId);
    if (campaign === undefined) {
      this.misses++;
      campaign = this.store.get(adId);
      if (campaign !== undefined) this.cache.set(adId, campaign);
    }
    return campaign;
  }

  /** Ads held locally. */
  get size(): number {
    return this.cache.size;
  }
}
