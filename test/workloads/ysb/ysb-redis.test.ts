/**
 * YSB against a real Redis, as YSB's correctness mode (`core.clj -c`) checks a run: after the run, every
 * (campaign, window) in Redis has exactly the number of views the input holds for it, computed here from
 * the input lines and the ad -> campaign keys read back from Redis, independently of the workload's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { defaultOptionValues, type OptionValues } from '../../../engines/api/index.js';
import { engines } from '../../../engines/index.js';
import { boundedInput, collectRun } from '../../../bench/verify/index.js';
import { ysb, CampaignWindowWriter, connectRedis, type AdEvent } from '../../../workloads/ysb/index.js';
import { REDIS_INSTALL_HINT, redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';

const HAVE_REDIS = redisServerAvailable();
if (!HAVE_REDIS) console.warn(`skipping the YSB Redis tests: redis-server is not installed (${REDIS_INSTALL_HINT})`);

type Client = ReturnType<typeof createClient>;

/** campaign -> window_ts -> count: what YSB's `dostats` computes from `kafka-json.txt`. */
async function expectedCounts(client: Client, lines: readonly string[], windowMs: number): Promise<Map<string, Map<string, number>>> {
  const events = lines.map((l) => JSON.parse(l) as AdEvent);
  const ads = [...new Set(events.map((e) => e.ad_id))];
  const campaigns = await client.mGet(ads);
  const campaignOf = new Map(ads.map((ad, i) => [ad, campaigns[i]]));
  const counts = new Map<string, Map<string, number>>();
  for (const e of events) {
    const campaign = campaignOf.get(e.ad_id);
    if (e.event_type !== 'view' || typeof campaign !== 'string') continue;
    const ts = String(Math.floor(Number(e.event_time) / windowMs) * windowMs);
    let byWindow = counts.get(campaign);
    if (!byWindow) counts.set(campaign, (byWindow = new Map()));
    byWindow.set(ts, (byWindow.get(ts) ?? 0) + 1);
  }
  return counts;
}

/** campaign -> window_ts -> seen_count, read through YSB's layout as `get-stats` does. */
async function countsInRedis(client: Client): Promise<Map<string, Map<string, number>>> {
  const counts = new Map<string, Map<string, number>>();
  for (const campaign of await client.sMembers('campaigns')) {
    const list = await client.hGet(campaign, 'windows');
    if (list === null) continue;
    const windows = await client.lRange(list, 0, -1);
    expect(new Set(windows).size, `window list of ${campaign} has no duplicates`).toBe(windows.length);
    const byWindow = new Map<string, number>();
    for (const ts of windows) {
      const uuid = await client.hGet(campaign, ts);
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
      const window = await client.hGetAll(uuid!);
      expect(window.time_updated).toMatch(/^\d+$/);
      byWindow.set(ts, Number(window.seen_count));
    }
    counts.set(campaign, byWindow);
  }
  return counts;
}

function sorted(m: Map<string, Map<string, number>>): [string, [string, number][]][] {
  return [...m].map(([c, w]) => [c, [...w].sort()] as [string, [string, number][]]).sort((a, b) => a[0].localeCompare(b[0]));
}

describe.skipIf(!HAVE_REDIS)(
  `ysb with ysb.redis against a real redis-server${HAVE_REDIS ? '' : ` (skipped: ${REDIS_INSTALL_HINT})`}`,
  () => {
    let server: RedisServer;
    let client: Client;

    beforeAll(async () => {
      server = await startRedisServer();
      client = createClient({ url: server.url });
      client.on('error', () => {});
      await client.connect();
    });

    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });

    function values(extra: Record<string, unknown> = {}): OptionValues {
      return { ...defaultOptionValues(ysb.options), redis: server.url, ...extra } as OptionValues;
    }

    async function runAndCheck(engineName: string, parallelism: number, v: OptionValues, events: number, seed: number) {
      const input = boundedInput(ysb, v, seed, events);
      // Two views of ads that no campaign owns: YSB's join drops them.
      const lines = [...(input.values as string[])];
      const stray = (t: number) =>
        `{"user_id": "u", "page_id": "p", "ad_id": "no-such-ad", "ad_type": "mail", "event_type": "view", "event_time": "${t}", "ip_address": "1.2.3.4"}`;
      lines.splice(100, 0, stray(input.timestamps[100]));
      lines.splice(5000, 0, stray(input.timestamps[5000]));
      const timestamps = lines.map((_, i) => input.timestamps[Math.min(i, input.timestamps.length - 1)]);
      const run = await collectRun(
        engines[engineName],
        ysb,
        { values: lines, timestamps },
        {
          parallelism,
          engineValues: defaultOptionValues(engines[engineName].options),
          workloadValues: v,
          timeoutMs: 60_000,
        },
      );
      const expected = await expectedCounts(client, lines, 10_000);
      const inRedis = await countsInRedis(client);
      expect(sorted(inRedis)).toEqual(sorted(expected));
      expect(expected.size).toBeGreaterThan(90);
      expect(await client.sCard('campaigns')).toBe(100);
      expect(await client.lLen('time_updated')).toBeGreaterThanOrEqual([...inRedis.values()].reduce((n, w) => n + w.size, 0));
      return run;
    }

    it('leaves exactly the expected seen_count per campaign and window (reference engine)', async () => {
      const run = await runAndCheck('reference', 1, values(), 25_000, 7);
      expect(run.sinks['campaign-windows'].length).toBe(300);
    });

    it('flush mode: early firings write running counts, and seen_count still ends exact', async () => {
      // A 1 ms interval makes the reference fire early many times during the run.
      const run = await runAndCheck('reference', 1, values({ sinkMode: 'flush', flushInterval: 1 }), 25_000, 8);
      expect(run.sinks['campaign-windows'].length).toBeGreaterThan(300);
    });

    it('leaves exactly the expected seen_count on every registered engine', async () => {
      for (const name of Object.keys(engines)) {
        if (name === 'reference') continue;
        await runAndCheck(name, name === 'flink' ? 3 : 1, values(), 12_000, 9);
      }
    });

    it('writes a repeated or lower running count once: seen_count is the largest count', async () => {
      const conn = await connectRedis(server.url);
      await conn.flushDb();
      const writer = new CampaignWindowWriter(conn);
      writer.writeWindow('c1', 10_000, 3, 1_000_000);
      writer.writeWindow('c1', 10_000, 5, 1_000_500);
      writer.writeWindow('c1', 10_000, 5, 1_001_000);
      writer.writeWindow('c1', 20_000, 1, 1_001_000);
      writer.writeWindow('c1', 10_000, 4, 1_002_000);
      await writer.drain();
      const list = await conn.hGet('c1', 'windows');
      expect((await conn.lRange(list!, 0, -1)).sort()).toEqual(['10000', '20000']);
      const w = await conn.hGetAll((await conn.hGet('c1', '10000'))!);
      expect(w).toEqual({ seen_count: '5', time_updated: '1000500' });
      expect(writer.writes).toBe(3);
      await conn.close();
    });

    it('setup fails with a clear message when no server listens', async () => {
      const closed = `redis://127.0.0.1:${server.port === 1 ? 2 : 1}`;
      await expect(
        ysb.setup!({ ...values(), redis: closed }, { clock: { now: () => 0, schedule: () => ({ cancel() {} }), defer() {} } }),
      ).rejects.toThrow(/ysb\.redis: cannot connect to redis:\/\/127\.0\.0\.1:\d+/);
    });
  },
);
