/**
 * The `ysb` workload: its events as YSB's generator makes them, its campaigns, and exact window counts of
 * a small hand-checked input on the reference engine.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, parseOptionValue, OptionError, type FlatMapNode, type OptionValues } from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import {
  ysb,
  campaignsFor,
  generatedCampaigns,
  campaignsFromFile,
  ysbEventGenerator,
  AD_TYPES,
  EVENT_TYPES,
  YSB_SINK,
  type AdEvent,
} from '../../../workloads/ysb/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';

const tmp = mkdtempSync(join(tmpdir(), 'streamarena-ysb-'));

function values(extra: Record<string, unknown> = {}): OptionValues {
  return { ...defaultOptionValues(ysb.options), ...extra } as OptionValues;
}

const EVENT =
  /^\{"user_id": "[0-9a-f-]{36}", "page_id": "[0-9a-f-]{36}", "ad_id": "[0-9a-f-]{36}", "ad_type": "(banner|modal|sponsored-search|mail|mobile)", "event_type": "(view|click|purchase)", "event_time": "\d+", "ip_address": "1\.2\.3\.4"\}$/;

describe('ysb events', () => {
  it("are YSB's JSON text: seven string fields in its order and spacing, event_time the intended send time", () => {
    const campaigns = generatedCampaigns(100);
    const gen = ysbEventGenerator(campaigns, 1, { withSkew: false });
    for (let k = 0; k < 200; k++) {
      const t = 1_767_225_600_000 + k * 1.5;
      const text = gen.next(k, t) as string;
      expect(text).toMatch(EVENT);
      const e = JSON.parse(text) as AdEvent;
      expect(Object.keys(e)).toEqual(['user_id', 'page_id', 'ad_id', 'ad_type', 'event_type', 'event_time', 'ip_address']);
      expect(Object.values(e).every((v) => typeof v === 'string')).toBe(true);
      expect(e.event_time).toBe(String(Math.floor(t)));
      expect(campaigns.campaignOfAd.has(e.ad_id)).toBe(true);
    }
  });

  it('draw ad types and event types uniformly (about a third are views), from 100 users and pages', () => {
    const gen = ysbEventGenerator(generatedCampaigns(100), 2, { withSkew: false });
    const events = Array.from({ length: 30_000 }, (_, k) => JSON.parse(gen.next(k, k) as string) as AdEvent);
    const views = events.filter((e) => e.event_type === 'view').length / events.length;
    expect(views).toBeGreaterThan(0.32);
    expect(views).toBeLessThan(0.35);
    expect(new Set(events.map((e) => e.user_id)).size).toBe(100);
    expect(new Set(events.map((e) => e.page_id)).size).toBe(100);
    expect(new Set(events.map((e) => e.ad_type))).toEqual(new Set(AD_TYPES));
    expect(new Set(events.map((e) => e.event_type))).toEqual(new Set(EVENT_TYPES));
    expect(new Set(events.map((e) => e.ad_id)).size).toBe(1000);
  });

  it('are the same for the same seed and differ for another', () => {
    const a = ysb.generator(values(), 5);
    const b = ysb.generator(values(), 5);
    const c = ysb.generator(values(), 6);
    const seq = (g: typeof a) => Array.from({ length: 50 }, (_, k) => g.next(k, 1000 + k));
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
  });

  it('with skew (YSB -w) move by -49..+50 ms', () => {
    const gen = ysb.generator(values({ withSkew: true }), 3);
    const offsets = Array.from(
      { length: 5000 },
      (_, k) => Number((JSON.parse(gen.next(k, 100_000 + k) as string) as AdEvent).event_time) - (100_000 + k),
    );
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(-49);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(50);
    expect(new Set(offsets).size).toBeGreaterThan(90);
  });
});

describe('ysb campaigns', () => {
  it('are 10 ads per campaign, the same for a count whatever the run seed', () => {
    const c = generatedCampaigns(100);
    expect(c.campaigns).toHaveLength(100);
    expect(new Set(c.campaigns).size).toBe(100);
    expect(c.ads).toHaveLength(1000);
    const perCampaign = new Map<string, number>();
    for (const camp of c.campaignOfAd.values()) perCampaign.set(camp, (perCampaign.get(camp) ?? 0) + 1);
    expect([...perCampaign.values()].every((n) => n === 10)).toBe(true);
    expect(generatedCampaigns(100).ads).toEqual(c.ads);
    expect(generatedCampaigns(7).campaigns).toHaveLength(7);
    expect(campaignsFor('100')).toBe(campaignsFor('100'));
  });

  it('load from a JSON file {ad_id: campaign_id}; a bad file is a one-line option error', () => {
    const good = join(tmp, 'campaigns.json');
    writeFileSync(good, JSON.stringify({ a1: 'c1', a2: 'c1', a3: 'c2' }));
    const c = campaignsFromFile(good);
    expect(c.campaigns).toEqual(['c1', 'c2']);
    expect(c.ads).toEqual(['a1', 'a2', 'a3']);
    const spec = ysb.options.find((o) => o.key === 'campaigns')!;
    expect(parseOptionValue(spec, good, 'ysb.campaigns')).toBe(good);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '[1, 2]');
    expect(() => parseOptionValue(spec, bad, 'ysb.campaigns')).toThrow(OptionError);
    expect(() => parseOptionValue(spec, bad, 'ysb.campaigns')).toThrow(/must hold an object/);
    expect(() => parseOptionValue(spec, join(tmp, 'missing.json'), 'ysb.campaigns')).toThrow(/cannot read campaigns file .*ENOENT/);
    expect(() => parseOptionValue(spec, '0', 'ysb.campaigns')).toThrow(/from 1 to/);
    const redis = ysb.options.find((o) => o.key === 'redis')!;
    expect(parseOptionValue(redis, 'redis://127.0.0.1:6379', 'ysb.redis')).toBe('redis://127.0.0.1:6379');
    expect(parseOptionValue(redis, 'off', 'ysb.redis')).toBeNull();
    expect(() => parseOptionValue(redis, 'localhost', 'ysb.redis')).toThrow(/not a Redis URL/);
  });
});

describe('ysb input lines', () => {
  it('are handed over as text; a line without the fields the pipeline needs names the field', () => {
    const line =
      '{"user_id": "u", "page_id": "p", "ad_id": "a", "ad_type": "mail", "event_type": "view", "event_time": "123", "ip_address": "1.2.3.4"}';
    expect(ysb.parseInputLine(line)).toBe(line);
    expect(() => ysb.parseInputLine('{"ad_id": "a", "event_type": "view", "event_time": 123}')).toThrow(/"event_time" must be a string/);
    expect(() => ysb.parseInputLine('{"ad_id": "a", "event_type": "view", "event_time": "soon"}')).toThrow(/epoch ms/);
    expect(() => ysb.parseInputLine('[]')).toThrow(/YSB event object/);
  });
});

describe('ysb window counts (reference engine, hand-checked)', () => {
  const file = join(tmp, 'three-ads.json');
  writeFileSync(file, JSON.stringify({ ad1: 'c1', ad2: 'c1', ad3: 'c2' }));
  const ev = (ad: string, type: string, t: number) =>
    `{"user_id": "u", "page_id": "p", "ad_id": "${ad}", "ad_type": "banner", "event_type": "${type}", "event_time": "${t}", "ip_address": "1.2.3.4"}`;
  const input = [
    ev('ad1', 'view', 1000), // c1 [0, 10000)
    ev('ad2', 'view', 2000), // c1 [0, 10000)
    ev('ad3', 'click', 3000), // not a view
    ev('ad3', 'view', 9999), // c2 [0, 10000)
    ev('ad1', 'view', 10_000), // c1 [10000, 20000)
    ev('ad9', 'view', 10_050), // no campaign: dropped by the join
    ev('ad3', 'purchase', 10_020), // not a view
    ev('ad2', 'view', 9950), // 100 ms behind 10 050, within maxDelay 100: c1 [0, 10000)
    ev('ad3', 'view', 25_000), // c2 [20000, 30000)
    ev('ad1', 'view', 9000), // the watermark is at 24 899: late, dropped and counted
  ];
  const expected = [
    { windowStart: 0, windowEnd: 10_000, key: 'c1', value: 3 },
    { windowStart: 0, windowEnd: 10_000, key: 'c2', value: 1 },
    { windowStart: 10_000, windowEnd: 20_000, key: 'c1', value: 1 },
    { windowStart: 20_000, windowEnd: 30_000, key: 'c2', value: 1 },
  ];

  it('counts views per campaign and window; unknown ads and late views are dropped', async () => {
    const r = await runBounded(referenceEngine, ysb.dataflow(values({ campaigns: file })), input);
    expect(sortedValues(r.sinks[YSB_SINK])).toEqual(
      expected.map((e) => JSON.stringify({ key: e.key, value: e.value, windowEnd: e.windowEnd, windowStart: e.windowStart })).sort(),
    );
    expect(r.late.total).toBe(1);
    expect(r.late.byOperator).toEqual({ campaign_processor: 1 });
  });

  it('the flush sink fires early and keeps the final counts; verify compares the latest count of each window', async () => {
    const v = values({ campaigns: file, sinkMode: 'flush', flushInterval: 1000 });
    const flow = ysb.dataflow(v);
    expect(flow.nodes.find((n) => n.name === 'campaign_processor')).toMatchObject({ earlyFiringMs: 1000 });
    const r = await runBounded(referenceEngine, flow, input);
    const latest = ysb.comparableOutput!(v, YSB_SINK, [
      ...r.sinks[YSB_SINK].map((s) => s.value),
      { windowStart: 0, windowEnd: 10_000, key: 'c1', value: 2 },
    ]);
    expect(latest).toHaveLength(4);
    expect(latest).toEqual(expect.arrayContaining(expected));
  });

  it("a session without Redis records YSB's own latency: last update minus window end, per campaign and window", async () => {
    const clock = new ManualClock(50_000);
    const session = await ysb.setup!(values({ campaigns: file }), { clock });
    session.sinkEffect!(YSB_SINK, expected[0], 0, 0);
    clock.set(50_500);
    session.sinkEffect!(YSB_SINK, { ...expected[0], value: 4 }, 0, 0);
    session.sinkEffect!(YSB_SINK, expected[2], 0, 0);
    session.sinkEffect!(YSB_SINK, { windowStart: 50_000, windowEnd: 60_000, key: 'c1', value: 1 }, 0, 0); // cut off by the end of input
    await session.teardown();
    expect(session.stats!()).toMatchObject({
      sinkMode: 'window',
      ysbLatency: { windows: 2, updates: 4, truncated: 1, p50: 30_500, max: 40_500 },
    });
    expect(session.stats!({ measureFrom: 10_000 })).toMatchObject({ ysbLatency: { windows: 1, max: 30_500 } });
  });

  it('with ysb.redis but no setup, the join says that the runner must call the setup hook', () => {
    const flow = ysb.dataflow(values({ redis: 'redis://127.0.0.1:6379' }));
    const join = flow.nodes.find((n) => n.name === 'redis_join') as FlatMapNode;
    expect(() => join.fn({ ad_id: 'x', event_time: '1' })).toThrow(/setup hook/);
  });
});
