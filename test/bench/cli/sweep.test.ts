import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asResultsFile } from '../../../reports/schema.js';
import { runCli } from './run-cli.js';

describe('streamarena sweep', () => {
  it('measures each listed rate for each value of a varied option, and writes sweeps[]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-sweep-'));
    const r = await runCli([
      'sweep',
      '-e',
      'reference',
      '-w',
      'stateless',
      '--rates',
      '1000,3k',
      '--vary',
      'parallelism=1,2',
      '-d',
      '3500ms',
      '--warmup',
      '300ms',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const results = asResultsFile(JSON.parse(r.stdout), 'stdout');
    expect(results.runs).toEqual([]);
    const sweeps = results.sweeps!;
    expect(sweeps.map((s) => `${s.engine}:${s.vary?.key}=${s.vary?.value}`)).toEqual([
      'reference:parallelism=1',
      'reference:parallelism=2',
    ]);
    for (const s of sweeps) {
      expect(s.points.map((p) => p.offeredRate)).toEqual([1000, 3000]);
      expect(s.options['run.parallelism']).toBe(s.vary!.value);
      for (const p of s.points) {
        expect(p.verdict).toBe('measured');
        expect(p.achievedInputThroughput).toBeGreaterThan(0);
        expect(p.reason).toMatch(/backlog slope .* latency growth/);
        expect(p.latency.p50).toBeLessThanOrEqual(p.latency.p99);
      }
      expect(s.sustainableEventsPerSec).toBeNull();
    }
    expect(r.stderr).toMatch(/sweep reference parallelism=2 at 3000 ev\/s/);
    expect(readdirSync(dir).filter((f) => f.startsWith('results-'))).toHaveLength(1);
  });

  it('ends a probe the driver cannot send at its duration, and marks the point driver-bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-sweep-'));
    const r = await runCli([
      'sweep',
      '-e',
      'reference',
      '-w',
      'stateless',
      '--rates',
      '1000000M',
      '-d',
      '3s',
      '--warmup',
      '200ms',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [point] = asResultsFile(JSON.parse(r.stdout), 'stdout').sweeps![0].points;
    expect(point.offeredRate).toBe(1e12);
    expect(point.driverBound).toBe(true);
    expect(point.eventsSent).toBeGreaterThan(0);
    expect(point.eventsSent).toBeLessThan(point.eventsOffered!);
    expect(point.reason).toMatch(/^would fail: driver-bound: the driver sent \d+ of \d+ offered events/);
  });

  it('rejects what it cannot run with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['sweep', '-w', 'stateless'], /give --rates <list>, --find-sustainable, or both/],
      [['sweep', '-w', 'stateless', '--rates', '1000,fast'], /--rates: 'fast' is not a positive rate/],
      [['sweep', '-w', 'stateless', '--rates', '1000', '--vary', 'parallelism'], /--vary: 'parallelism' must look like key=v1,v2/],
      [['sweep', '-w', 'stateless', '--rates', '1000', '--vary', 'stateless.nope=1,2'], /unknown option 'stateless.nope'/],
      [
        ['sweep', '-w', 'wordcount', '--rates', '1000', '--vary', 'wordcount.window=1s,soon'],
        /option wordcount.window: 'soon' is not a duration/,
      ],
      [['sweep', '--rates', '1000'], /required option '-w, --workload <name>' not specified/],
      [
        ['sweep', '-e', 'flink', '-w', 'stateless', '--rates', '1000', '--vary', 'parallelism=1,100000'],
        /parallelism 100000 is more than flink can run: at most 32768/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
