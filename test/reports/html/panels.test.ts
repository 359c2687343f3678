import { describe, expect, it } from 'vitest';
import { ChartRegistry } from '../../../reports/html/charts.js';
import { enginePanel } from '../../../reports/html/panels/index.js';
import { flinkStats, sparkStats, stormStats } from './fixtures.js';

function render(engine: string, stats: unknown) {
  const charts = new ChartRegistry();
  const out = enginePanel(engine, stats, { charts, label: engine, workload: 'wordcount' });
  return { ...out, charts: charts.specs };
}

/** Data points of every dataset of a chart. */
function values(config: Record<string, unknown>): unknown[] {
  const data = config.data as { datasets: { data: unknown[] }[] };
  return data.datasets.flatMap((d) => d.data);
}

describe('engine panels', () => {
  it('flink: chains, task times, buffers and checkpoints', () => {
    const { html, charts } = render('flink', flinkStats());
    expect(html).toContain('Source: events -&gt; timestamps -&gt; split');
    expect(html).toContain('events \u2192 timestamps \u2192 split');
    expect(html).toContain('42.0%'); // average buffer fill
    expect(html).toContain('5 of 6 completed');
    expect(charts.map((c) => c.title)).toEqual([
      'Time per task: busy and back-pressured',
      'Network buffers: why they were sent',
      'Checkpoints: duration and alignment',
    ]);
    const tasks = charts[0]!.config.data as { labels: string[]; datasets: { label: string; data: number[] }[] };
    expect(tasks.labels[0]).toBe('Source: events -> timestamps -> split #0');
    expect(tasks.datasets.map((d) => d.label)).toEqual(['busy', 'back-pressured']);
    expect(tasks.datasets[1]!.data[0]).toBe(300);
    // the failed checkpoint is drawn red
    const checkpoints = charts[2]!.config.data as { datasets: { label: string; backgroundColor: string[]; data: number[] }[] };
    expect(new Set(checkpoints.datasets[0]!.backgroundColor).size).toBe(2);
    // the synchronous and asynchronous parts beside duration and alignment
    expect(checkpoints.datasets.map((d) => d.label)).toEqual(['duration', 'alignment', 'sync part', 'async part']);
    expect(checkpoints.datasets[3]!.data).toEqual([12, 13, 14, 15, 16, 17]);
    expect(html).toContain('median sync / async part');
  });

  it('flink: checkpoints from files without the sync and async parts draw duration and alignment only', () => {
    const stats = flinkStats();
    stats.checkpoints = (stats.checkpoints as Record<string, unknown>[]).map(({ syncDurationMs, asyncDurationMs, ...rest }) => rest);
    const { html, charts } = render('flink', stats);
    const checkpoints = charts[2]!.config.data as { datasets: { label: string }[] };
    expect(checkpoints.datasets.map((d) => d.label)).toEqual(['duration', 'alignment']);
    expect(html).not.toContain('median sync / async part');
  });

  it('flink: sums subtasks per task when there are too many bars', () => {
    const stats = flinkStats();
    stats.tasks = Array.from({ length: 100 }, (_, i) => ({ name: `task ${i % 4}`, subtask: i >> 2, busyMs: 1, backPressuredMs: 2 }));
    const { charts } = render('flink', stats);
    const data = charts[0]!.config.data as { labels: string[]; datasets: { data: number[] }[] };
    expect(data.labels).toEqual(['task 0 (25 subtasks)', 'task 1 (25 subtasks)', 'task 2 (25 subtasks)', 'task 3 (25 subtasks)']);
    expect(data.datasets[1]!.data[0]).toBe(50);
  });

  it('spark: the batch timeline against the batch interval, checkpoints and the rate limit', () => {
    const { html, charts } = render('spark', sparkStats());
    expect(html).toContain('1000 ms'); // batch interval
    expect(html).toContain('12.5%'); // one of 8 batches processed longer than the interval
    expect(charts.map((c) => c.title)).toEqual([
      'Batch timeline: scheduling and processing delay',
      'State checkpoints',
      'Backpressure rate limit',
    ]);
    const timeline = charts[0]!.config.data as { labels: string[]; datasets: { label: string; type: string; data: number[] }[] };
    expect(timeline.labels.slice(0, 3)).toEqual(['0.0 s', '1.0 s', '2.0 s']);
    expect(timeline.datasets.map((d) => `${d.type}:${d.label}`)).toEqual([
      'bar:scheduling delay',
      'bar:processing delay',
      'line:batch interval (1000 ms)',
      'line:records',
    ]);
    expect(timeline.datasets[2]!.data.every((v) => v === 1000)).toBe(true);
  });

  it('spark: keyed state per batch and how it is held, when the stats have them', () => {
    const stats = sparkStats();
    const batches = stats.batches as Record<string, unknown>[];
    batches.forEach((b, i) => (b.stateEntries = (i % 4) * 1000));
    Object.assign(stats, {
      stateMode: 'mapWithState',
      stateEntriesHeld: 98_765,
      stateFullScans: 2,
      deltaChainLength: 7,
      stateBytesSerialized: 0,
    });
    const { html, charts } = render('spark', stats);
    for (const text of ['mapWithState', '98\u202f765', 'delta chain', 'full scan of its checkpoint batches']) expect(html).toContain(text);
    expect(html).not.toContain('state serialized'); // 0 bytes: mapWithState does not reserialize its state
    expect(charts.map((c) => c.title)).toContain('Keyed state per batch');
    const state = charts.find((c) => c.title === 'Keyed state per batch')!.config.data as { datasets: { data: { y: number }[] }[] };
    expect(state.datasets[0]!.data.map((p) => p.y)).toEqual([0, 1000, 2000, 3000, 0, 1000, 2000, 3000]);
  });

  it('spark: draws at most 300 batches of a long run, keeping the slowest', () => {
    const stats = sparkStats(3000);
    const batches = stats.batches as { processingDelayMs: number; totalDelayMs: number }[];
    batches[2222]!.processingDelayMs = 99999;
    batches[2222]!.totalDelayMs = 1e9;
    const { charts } = render('spark', stats);
    const timeline = charts[0]!.config.data as { labels: string[]; datasets: { data: number[] }[] };
    expect(timeline.labels).toHaveLength(300);
    expect(timeline.datasets[1]!.data).toContain(99999);
  });

  it('storm: complete latency, acks and bolt capacity, busiest queues first', () => {
    const { html, charts } = render('storm', stormStats());
    for (const text of ['3.1 ms', '19.0 ms', '50\u202f000', 'replayed']) expect(html).toContain(text);
    expect(charts.map((c) => c.title)).toEqual(['Bolt capacity']);
    expect(values(charts[0]!.config)).toEqual([0.2, 0.55, 0.93, 0.4]);
    const queues = html.slice(html.indexOf('Receive queues'));
    expect(queues.indexOf('count-10')).toBeLessThan(queues.indexOf('count-1<'));
    expect(html).toContain('3 more queues');
    const windows = html.slice(html.indexOf('Windowed bolts'), html.indexOf('Receive queues'));
    for (const text of ['81\u202f234', '123\u202f456\u202f789', '9\u202f000']) expect(windows).toContain(text);
  });

  it('storm with acking off says why there is no complete latency', () => {
    expect(render('storm', { ...stormStats(), completeLatencyMs: null }).html).toContain('acking is off');
  });

  it('lists fields no panel showed, for any engine', () => {
    const { html } = render('reference', { windowsFired: 12345, mode: 'fast', nested: { a: 1, b: 'x' }, list: [1, 2] });
    expect(html).toContain('12\u202f345');
    expect(html).toContain('a: 1, b: x');
    expect(html).toContain('2 entries');
    expect(render('flink', { ...flinkStats(), extra: 7 }).html).toContain('extra');
  });

  it('never throws on missing or mistyped fields, and draws no empty chart', () => {
    const shapes: unknown[] = [
      undefined,
      null,
      42,
      'x',
      [],
      {},
      { chains: 'no', tasks: [null, 1, {}], buffers: [], checkpoints: {}, slots: null },
      { batches: [{}, null, { time: 'soon' }], batchIntervalMs: 'x', rateLimit: [{}], checkpoints: [null] },
      { bolts: [{}], queues: [{ capacity: 0 }], completeLatencyMs: 'x', assignment: 5 },
    ];
    for (const engine of ['flink', 'spark', 'storm', 'unknown']) {
      for (const stats of shapes) {
        const { html, charts } = render(engine, stats);
        expect(typeof html).toBe('string');
        for (const c of charts) expect(values(c.config).length, `${engine} ${c.title}`).toBeGreaterThan(0);
      }
    }
  });

  it('replaces a panel that fails on a shape it cannot read with a note, and drops its charts', () => {
    const hostile = new Proxy(flinkStats(), {
      get: (t, k) =>
        k === 'checkpoints'
          ? (() => {
              throw new Error('unreadable');
            })()
          : Reflect.get(t, k),
    });
    const { html, charts } = render('flink', hostile);
    expect(html).toContain('could not read these statistics (unreadable)');
    expect(charts).toEqual([]);
  });
});
