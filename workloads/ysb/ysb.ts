/**
 * `ysb`: the Yahoo Streaming Benchmark (Chintapalli et al., 2016). Ad events arrive as JSON text, as from
 * Kafka; the engine parses them, keeps views, projects to (ad_id, event_time), joins each ad with its
 * campaign through a local cache in front of the campaign store, and counts views per campaign in 10 s
 * event-time windows. Operator names are the original Storm topology's.
 *
 * Sink modes: `window` (default) emits one `{windowStart, windowEnd, key: <campaign_id>, value: <count>}`
 * per campaign and window when the watermark passes the window's end; `flush` is the original's sink, the
 * window aggregate fires early every `flushInterval` ms of processing time with the running count of every
 * window that changed (and finally at the watermark). With `ysb.redis`, setup loads the campaigns into
 * Redis as YSB's setup does and every window record is written there in the original's layout, so a run can
 * be checked in Redis afterwards (`seen_count` per window), as YSB's `-c` mode does.
 */
import {
  count,
  DataflowBuilder,
  numberOption,
  tumbling,
  type AggregateOptions,
  type Dataflow,
  type OptionSpec,
  type OptionValues,
  type WindowResult,
} from '../../engines/api/index.js';
import type { WorkloadSession } from '../workload-hooks.js';
import type { HookedWorkload } from '../workload-hooks.js';
import { campaignsFor, checkCampaignsOption } from './campaigns.js';
import { AdCampaignCache, embeddedCampaignStore, unloadedRedisStore } from './campaign-store.js';
import { CampaignWindowWriter } from './campaign-window-writer.js';
import { ysbEventGenerator, type AdEvent } from './event-generator.js';
import { connectRedis, readAdCampaigns, writeCampaigns, type RedisConnection } from './redis-connection.js';
import { WindowUpdates } from './window-updates.js';

/** After the projection: YSB's 2-tuple `(ad_id, event_time)`. */
export interface AdView {
  ad_id: string;
  event_time: string;
}

/** After the join with the campaign store. */
export interface CampaignView {
  campaign_id: string;
  event_time: string;
}

export const YSB_SINK = 'campaign-windows';

const options: OptionSpec[] = [
  {
    key: 'campaigns',
    type: 'string',
    default: '100',
    validate: checkCampaignsOption,
    description: 'number of campaigns (10 ads each), or a JSON file {"<ad_id>": "<campaign_id>", ...}',
  },
  {
    key: 'window',
    type: 'duration',
    default: 10_000,
    unit: 'ms',
    min: 1,
    description: 'tumbling event-time window per campaign (YSB: 10 s)',
  },
  {
    key: 'maxDelay',
    type: 'duration',
    default: 100,
    unit: 'ms',
    min: 0,
    description: 'out-of-orderness bound of the watermark (withSkew moves times by up to 99 ms)',
  },
  {
    key: 'sinkMode',
    type: 'enum',
    default: 'window',
    values: ['window', 'flush'],
    description:
      "window: one record per campaign and window at the watermark; flush: YSB's sink, changed windows every flushInterval with their running count",
  },
  {
    key: 'flushInterval',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 1,
    description: 'flush sink: processing time between writes of changed windows (YSB: 1 s)',
  },
  {
    key: 'redis',
    type: 'string',
    default: null,
    nullable: true,
    validate: checkRedisUrl,
    description:
      "redis://host:port[/db]: campaigns loaded there at setup (the database is emptied first, as YSB's setup does) and every window written in YSB's layout; off: embedded store",
  },
  {
    key: 'withSkew',
    type: 'boolean',
    default: false,
    description: "generator: YSB's -w, event times move by -49..+50 ms and 1 in 100 000 events is up to 60 s late",
  },
];

function checkRedisUrl(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || !/^rediss?:\/\/[^\s/]+(\/\d+)?\/?$/.test(value))
    return `'${String(value)}' is not a Redis URL like redis://127.0.0.1:6379`;
  return undefined;
}

const NO_CAMPAIGN: readonly CampaignView[] = Object.freeze([]) as readonly CampaignView[];

/** The pipeline, joining through `cache`. */
export function ysbDataflow(values: OptionValues, cache: AdCampaignCache): Dataflow {
  const flush = values.sinkMode === 'flush';
  const processor: AggregateOptions = { name: 'campaign_processor' };
  if (flush) processor.earlyFiring = { everyMs: numberOption(values, 'flushInterval') };
  const flow = new DataflowBuilder('ysb');
  flow
    .source<string>('ads')
    .map((text) => JSON.parse(text) as AdEvent, 'event_deserializer')
    .filter((e) => e.event_type === 'view', 'event_filter')
    .map((e): AdView => ({ ad_id: e.ad_id, event_time: e.event_time }), 'event_projection')
    .flatMap((v): Iterable<CampaignView> => {
      const campaign = cache.execute(v.ad_id);
      return campaign === undefined ? NO_CAMPAIGN : [{ campaign_id: campaign, event_time: v.event_time }];
    }, 'redis_join')
    .withTimestamps((v) => Number(v.event_time), { maxDelay: numberOption(values, 'maxDelay') }, 'timestamps')
    .keyBy((v) => v.campaign_id)
    .window(tumbling(numberOption(values, 'window')))
    .aggregate(count<CampaignView>(), processor)
    .sink(YSB_SINK);
  return flow.build();
}

function cacheWithoutSetup(values: OptionValues): AdCampaignCache {
  if (typeof values.redis === 'string') return new AdCampaignCache(unloadedRedisStore(values.redis));
  return new AdCampaignCache(embeddedCampaignStore(campaignsFor(String(values.campaigns))));
}

export const ysb: HookedWorkload = {
  name: 'ysb',
  description: 'Yahoo Streaming Benchmark: parse JSON ad events, keep views, join ad->campaign, count per campaign in 10 s windows',
  options,

  dataflow: (values) => ysbDataflow(values, cacheWithoutSetup(values)),

  generator: (values, seed) => ysbEventGenerator(campaignsFor(String(values.campaigns)), seed, { withSkew: values.withSkew === true }),

  parseInputLine(line) {
    const e = JSON.parse(line) as Partial<AdEvent> | null;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new Error('expected a YSB event object');
    for (const field of ['ad_id', 'event_type', 'event_time'] as const) {
      if (typeof e[field] !== 'string') throw new Error(`"${field}" must be a string`);
    }
    if (!/^-?\d+$/.test(e.event_time!)) throw new Error('"event_time" must be epoch ms as a string of digits');
    return line; // handed over as text, as from Kafka: the engine parses it
  },

  async setup(values, { clock }): Promise<WorkloadSession> {
    const campaigns = campaignsFor(String(values.campaigns));
    const updates = new WindowUpdates();
    let client: RedisConnection | undefined;
    let writer: CampaignWindowWriter | undefined;
    let cache: AdCampaignCache;
    if (typeof values.redis === 'string') {
      client = await connectRedis(values.redis);
      try {
        await writeCampaigns(client, campaigns);
        cache = AdCampaignCache.filled(await readAdCampaigns(client, campaigns.ads));
      } catch (err) {
        client.destroy();
        throw new Error(`ysb.redis: setup failed: ${(err as Error).message}`);
      }
      writer = new CampaignWindowWriter(client);
    } else {
      cache = new AdCampaignCache(embeddedCampaignStore(campaigns));
    }
    let closed = false;
    return {
      dataflow: ysbDataflow(values, cache),
      sinkEffect(_sink, value) {
        const r = value as WindowResult<string, number>;
        const now = clock.now();
        updates.record(r.key, r.windowStart, r.windowEnd, now);
        writer?.writeWindow(r.key, r.windowStart, r.value, now);
      },
      async teardown() {
        if (closed) return;
        closed = true;
        if (client === undefined) return;
        try {
          await writer!.drain();
        } finally {
          await client.close().catch(() => client!.destroy());
        }
      },
      stats: (opts) => ({
        sinkMode: values.sinkMode,
        ysbLatency: updates.summary(opts?.measureFrom),
        campaignCacheMisses: cache.misses,
        ...(writer ? { redisWindowWrites: writer.writes } : {}),
      }),
    };
  },

  comparableOutput(values, _sink, records) {
    if (values.sinkMode !== 'flush') return [...records];
    // Early firings depend on processing time: compare each window's latest (largest) count.
    const latest = new Map<string, WindowResult<string, number>>();
    for (const r of records as readonly WindowResult<string, number>[]) {
      const id = `${r.windowStart}\u0000${r.key}`;
      const held = latest.get(id);
      if (held === undefined || r.value > held.value) latest.set(id, r);
    }
    return [...latest.values()];
  },
};
