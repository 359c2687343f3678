/** The page as a string: self-contained, safely embedded, small, and consistent with `compare`. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../reports/compare/index.js';
import { BaselineComparison } from '../../../reports/html/baseline-change.js';
import { CLIENT_SCRIPT } from '../../../reports/html/client-script.js';
import { groupRuns } from '../../../reports/html/data.js';
import { FIGURES } from '../../../reports/html/figures.js';
import { renderReport } from '../../../reports/html/index.js';
import { MAX_SERIES_POINTS } from '../../../reports/html/decimate.js';
import type { RunResult } from '../../../reports/schema.js';
import { ATTACKS, hostilePlan, hostileResults, sweepResults, syntheticResults } from './fixtures.js';

/** The embedded chart data of a page. */
function embedded(html: string): { charts: { id: string; config: { data: { datasets: { data: unknown[] }[] } } }[] } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!);
}

describe('renderReport', () => {
  const html = renderReport({ sources: [{ label: 'r.json', results: syntheticResults() }] });

  it('is one self-contained page: inlined scripts, nothing loaded from anywhere', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
    expect(markup.match(/\s(src|href)="(?!#)[^"]*"/g)).toBeNull();
    expect(markup.match(/https?:\/\/(?!www\.w3\.org\/2000\/svg)\S*/g)).toBeNull();
    expect(markup.match(/<link|<iframe|<img/g)).toBeNull();
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.includes('sourceMappingURL')).toBe(false);
  });

  it('allows exactly its two scripts by hash, and nothing from the network', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts[1]).toBe(CLIENT_SCRIPT);
    for (const script of scripts) expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('embeds one configuration per canvas', () => {
    const canvases = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
    expect(embedded(html).charts.map((c) => c.id)).toEqual(canvases);
  });

  it('keeps every hostile string out of the markup and the script data', () => {
    const page = renderReport({ sources: [{ label: ATTACKS[0]!, results: hostileResults() }], plans: (e) => ({ plan: hostilePlan(e) }) });
    for (const attack of ATTACKS) {
      expect(page.includes(attack), attack).toBe(false);
      expect(page).toContain(attack.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    }
    expect(page.match(/<script/gi)).toHaveLength(3);
    expect(page.match(/<\/script/gi)).toHaveLength(3);
    expect(page.match(/<img|<!--/gi)).toBeNull();
  });

  it('stays small for a long run: series decimated, histograms turned into curves', () => {
    const long = syntheticResults({ seconds: 3600, trials: 3 });
    const json = JSON.stringify(long).length;
    const page = renderReport({ sources: [{ label: 'long.json', results: long }] });
    expect(page.length).toBeLessThan(1.5e6);
    expect(page.length).toBeLessThan(json / 5);
    for (const chart of embedded(page).charts) {
      for (const ds of chart.config.data.datasets) expect(ds.data.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    }
  });

  it('renders a sweep-only file, an empty file and failed trials', () => {
    expect(renderReport({ sources: [{ label: 's.json', results: sweepResults() }] })).toContain('Sustainable throughput');
    const empty = syntheticResults({ engines: [], workloads: [] });
    expect(renderReport({ sources: [{ label: 'e.json', results: empty }] })).toContain('no completed trial and no sweep');
    const failed = syntheticResults({ engines: ['reference'], workloads: ['wordcount'], trials: 1 });
    failed.runs.push({ engine: 'flink', workload: 'wordcount', trial: 1, status: 'failed', error: 'out of slots' });
    const page = renderReport({ sources: [{ label: 'f.json', results: failed }] });
    expect(page).toContain('Failed trials');
    expect(page).toContain('out of slots');
    expect(page).toContain('0 of 1');
  });

  it('shows the plan provider\u2019s errors and unknown engines plainly', () => {
    const page = renderReport({
      sources: [{ label: 'r.json', results: syntheticResults({ engines: ['reference', 'flink'], workloads: ['wordcount'], trials: 1 }) }],
      plans: (engine) => (engine === 'flink' ? { error: 'too few slots' } : undefined),
    });
    expect(page).toContain('explain failed: too few slots');
    expect(page).toContain('No plan for reference \u00d7 wordcount');
  });
});

describe('baseline comparison', () => {
  it('shows compare\u2019s own verdict for every figure compare gates', () => {
    const baseline = {
      label: 'b.json',
      results: syntheticResults({ engines: ['reference', 'flink'], workloads: ['wordcount'], trials: 5, seed: 10, latencyFactor: 1.5 }),
    };
    const current = {
      label: 'c.json',
      results: syntheticResults({ engines: ['reference', 'flink'], workloads: ['wordcount'], trials: 5, seed: 20 }),
    };
    const comparison = new BaselineComparison(baseline, [current], groupRuns([baseline]).groups);
    const report = compareResults(baseline, current);
    const { groups } = groupRuns([current]);
    let gated = 0;
    for (const g of groups) {
      for (const f of FIGURES) {
        const change = comparison.change(g, f)!;
        expect(change, `${g.engine} ${f.key}`).toBeDefined();
        const row = report.rows.find(
          (r) =>
            r.engine === g.engine && r.metric === { 'throughput.input': 'throughput', 'eventTime.p99': 'p99', 'heap.peak': 'heap' }[f.key],
        );
        if (row) {
          gated++;
          expect(change.verdict).toBe(row.verdict);
          expect(change.reason).toBe(row.reason);
        }
      }
    }
    expect(gated).toBe(6);
    // The p99 of a latency 1.5x lower is an improvement.
    expect(comparison.change(groups[1]!, FIGURES.find((f) => f.key === 'eventTime.p99')!)!.verdict).toBe('improvement');
  });

  it('says when the files have nothing in common, and marks too few trials', () => {
    const baseline = { label: 'b.json', results: syntheticResults({ engines: ['storm'], workloads: ['stateless'], trials: 2 }) };
    const page = renderReport({
      sources: [{ label: 'c.json', results: syntheticResults({ engines: ['flink'], workloads: ['wordcount'], trials: 2 }) }],
      baseline,
    });
    expect(page).toContain('no engine x workload in common');
    const two = renderReport({
      sources: [{ label: 'c.json', results: syntheticResults({ engines: ['flink'], workloads: ['wordcount'], trials: 2, seed: 9 }) }],
      baseline: { label: 'b.json', results: syntheticResults({ engines: ['flink'], workloads: ['wordcount'], trials: 2 }) },
    });
    expect(two).toContain('class="chg too-few-trials"');
  });

  it('draws the baseline\u2019s percentile curves dashed beside the current ones', () => {
    const results = syntheticResults({ engines: ['flink'], workloads: ['wordcount'], trials: 1 });
    const page = renderReport({ sources: [{ label: 'c.json', results }], baseline: { label: 'b.json', results } });
    const curves = embedded(page).charts[0]!.config.data.datasets as unknown as { label: string; borderDash?: number[] }[];
    expect(curves.map((c) => [c.label, c.borderDash !== undefined])).toEqual([
      ['flink', false],
      ['flink (baseline)', true],
    ]);
    expect((results.runs[0] as RunResult).engine).toBe('flink');
  });
});
