/**
 * The campaigns and their ads: YSB's side data. By default `ysb.campaigns` is a count and the ids are
 * UUIDs drawn from a fixed seed, so the dataflow (which never sees the run's seed) and the generator agree
 * on them; or it names a JSON file `{"<ad_id>": "<campaign_id>", ...}`, as YSB's `ad-to-campaign-ids.txt`.
 */
import { readFileSync } from 'node:fs';
import { SeededRandom } from '../generators/index.js';

/** YSB's `gen-ads`: 10 ads per campaign. */
export const ADS_PER_CAMPAIGN = 10;
/** Campaign and ad ids depend on the count only, never on the run's seed. */
const CAMPAIGN_SEED = 0x59534221;
export const MAX_CAMPAIGNS = 1_000_000;

export interface Campaigns {
  /** Campaign ids, in definition order (`SADD campaigns`). */
  readonly campaigns: readonly string[];
  /** Ad ids, in definition order; the generator draws from them uniformly. */
  readonly ads: readonly string[];
  /** ad id -> campaign id (`SET <ad_id> <campaign_id>`). */
  readonly campaignOfAd: ReadonlyMap<string, string>;
}

const cache = new Map<string, Campaigns>();

/** The campaigns an `ysb.campaigns` value names: a count, or a JSON file path. Throws a one-line Error. */
export function campaignsFor(option: string): Campaigns {
  let c = cache.get(option);
  if (c === undefined) {
    c = /^\d+$/.test(option) ? generatedCampaigns(Number(option)) : campaignsFromFile(option);
    cache.set(option, c);
  }
  return c;
}

/** For the option spec: an error message, or undefined when the value names usable campaigns. */
export function checkCampaignsOption(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'expected a number of campaigns or a JSON file';
  try {
    campaignsFor(value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** `count` campaigns of {@link ADS_PER_CAMPAIGN} ads: YSB's `make-ids` and `gen-ads`, seeded. */
export function generatedCampaigns(count: number): Campaigns {
  if (!Number.isInteger(count) || count < 1 || count > MAX_CAMPAIGNS)
    throw new RangeError(`campaigns must be a whole number from 1 to ${MAX_CAMPAIGNS}, got ${count}`);
  const random = new SeededRandom(CAMPAIGN_SEED ^ count);
  const campaigns = Array.from({ length: count }, () => random.uuid());
  const ads: string[] = [];
  const campaignOfAd = new Map<string, string>();
  for (const campaign of campaigns) {
    for (let i = 0; i < ADS_PER_CAMPAIGN; i++) {
      const ad = random.uuid();
      ads.push(ad);
      campaignOfAd.set(ad, campaign);
    }
  }
  return { campaigns, ads, campaignOfAd };
}

/** A JSON object file `{ad_id: campaign_id}`. */
export function campaignsFromFile(path: string): Campaigns {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read campaigns file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`campaigns file ${path} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`campaigns file ${path} must hold an object {"<ad_id>": "<campaign_id>", ...}`);
  const campaignOfAd = new Map<string, string>();
  const campaigns = new Set<string>();
  for (const [ad, campaign] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof campaign !== 'string' || campaign === '')
      throw new Error(`campaigns file ${path}: the campaign of ad "${ad}" must be a non-empty string`);
    campaignOfAd.set(ad, campaign);
    campaigns.add(campaign);
  }
  if (campaignOfAd.size === 0) throw new Error(`campaigns file ${path} has no ads`);
  return { campaigns: [...campaigns], ads: [...campaignOfAd.keys()], campaignOfAd };
}
