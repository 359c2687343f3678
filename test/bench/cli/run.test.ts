import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { asResultsFile, SCHEMA_VERSION, type RunResult } from '../../../reports/schema.js';
import { runCli } from './run-cli.js';

const fixtures = join(packageRoot(), 'test', 'fixtures');

describe('streamarena run', () => {
  it('writes exactly the correct window counts for an out-of-order input (computed independently)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const sink = join(dir, 'OUT.jsonl');
    const r = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'wordcount',
      '-i',
      join(fixtures, 'wordcount-ooo.jsonl'),
      '--rate',
      'max',
      '--sink-file',
      sink,
      '-o',
      'wordcount.window=5000',
      '-o',
      'wordcount.maxDelay=2000',
      '-t',
      '1',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const got = readFileSync(sink, 'utf8').trim().split('\n').sort();
    const expected = readFileSync(join(fixtures, 'wordcount-ooo.expected.jsonl'), 'utf8').trim().split('\n').sort();
    expect(got).toEqual(expected);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints only the results JSON on stdout with --json, and writes the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const r = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'stateless,wordcount',
      '-r',
      '2000',
      '-d',
      '1s',
      '--warmup',
      '200ms',
      '-t',
      '2',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const results = asResultsFile(JSON.parse(r.stdout), 'stdout');
    expect(results.schemaVersion).toBe(SCHEMA_VERSION);
    expect(results.tool.name).toBe('streamarena');
    expect(results.environment.cores).toBeGreaterThan(0);
    // interleaved: trial 1 of each workload, then trial 2
    expect(results.runs.map((x) => `${x.workload}#${x.trial}`)).toEqual(['stateless#1', 'wordcount#1', 'stateless#2', 'wordcount#2']);
    for (const run of results.runs as RunResult[]) {
      expect(run.status).toBe('ok');
      expect(run.drained).toBe(true);
      expect(run.input.rate).toBe(2000);
      expect(run.input.events).toBeGreaterThan(0);
      expect(run.input.eventsTotal).toBe(2400); // 1.2 s at 2000 events/s, warm-up included
      expect(run.input.events).toBeLessThan(run.input.eventsTotal); // warm-up excluded
      // Counted by intended send time: the 2000 events due in the 1 s window, however late they were read.
      expect(run.input.events).toBe(2000);
      expect(run.throughput.inputEventsPerSec).toBe(2000);
      expect(run.input.offered).toBe(2400);
      expect(run.input.driverBound).toBe(false);
      expect(run.throughput.readEventsPerSec).toBeGreaterThan(0);
      expect(run.input.lagAtEndMs).toBeGreaterThanOrEqual(0);
      expect(run.latency.eventTime.count).toBeGreaterThan(0);
      expect(run.latency.eventTime.count).toBe(run.output.measuredRecords);
      expect(run.latency.eventTime.p50).toBeLessThanOrEqual(run.latency.eventTime.p99);
      expect(run.latency.eventTime.histogram.unit).toBe('us');
      expect(run.options['run.parallelism']).toBe(1);
      expect(run.timeseries.length).toBeGreaterThan(0);
      expect(run.resources.rssPeakBytes).toBeGreaterThan(0);
      expect(run.output.digest).toBe('n/a'); // generated input: outputs are not comparable, so not digested
    }
    expect((results.runs[1] as RunResult).options['wordcount.window']).toBe(1000);
    const files = readdirSync(dir).filter((f) => f.startsWith('results-'));
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, files[0]), 'utf8'))).toEqual(results);
  });

  it('ends at its duration at a rate the driver cannot reach, and says the trial was driver-bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const r = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'stateless',
      '-r',
      '1e12',
      '-d',
      '500ms',
      '--warmup',
      '200ms',
      '-t',
      '1',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DRIVER-BOUND reference x stateless \(1 of 1 trials\): the driver could not send 1,000,000,000,000 ev\/s/);
    const [file] = readdirSync(dir).filter((f) => f.startsWith('results-'));
    const run = asResultsFile(JSON.parse(readFileSync(join(dir, file), 'utf8')), file).runs[0] as RunResult;
    expect(run.status).toBe('ok');
    expect(run.input.driverBound).toBe(true);
    expect(run.input.eventsTotal).toBeGreaterThan(0);
    expect(run.input.eventsTotal).toBeLessThan(run.input.offered!);
    expect(run.throughput.inputEventsPerSec).toBe(run.throughput.readEventsPerSec);
  });

  it('never overwrites an earlier results file, and writes one sink file per trial of generated events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const args = ['run', '-e', 'reference', '-w', 'stateless', '-n', '300', '--warmup', '0', '-r', 'max', '-t', '2'];
    args.push('--sink-file', join(dir, 'out.jsonl'), '--out', dir);
    expect((await runCli(args)).code).toBe(0);
    expect((await runCli(args)).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('results-'))).toHaveLength(2);
    for (const t of [1, 2]) expect(existsSync(join(dir, `out-reference-stateless-${t}.jsonl`))).toBe(true);
  });

  it("writes the README example's one sink file for a replay with the default 3 trials, and says the trials agreed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const counts = join(dir, 'counts.jsonl');
    const r = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'wordcount',
      '-i',
      join(fixtures, 'wordcount-ooo.jsonl'),
      '--rate',
      'max',
      '--sink-file',
      counts,
      '-o',
      'wordcount.window=5000',
      '-o',
      'wordcount.maxDelay=2000',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual(['counts.jsonl']);
    const got = readFileSync(counts, 'utf8').trim().split('\n').sort();
    const expected = readFileSync(join(fixtures, 'wordcount-ooo.expected.jsonl'), 'utf8').trim().split('\n').sort();
    expect(got).toEqual(expected);
    const [file] = readdirSync(dir).filter((f) => f.startsWith('results-'));
    const results = asResultsFile(JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
    const digest = (results.runs[0] as RunResult).output.digest;
    expect(results.sinkFiles).toEqual([
      { engine: 'reference', workload: 'wordcount', path: counts, trial: 1, digest, agreeingTrials: [2, 3], differingTrials: [] },
    ]);
    expect(r.stdout).toContain(`sink file ${counts}: reference x wordcount trial 1; trials 2, 3 agreed (digest ${digest})`);
  });

  it('writes one sink file per engine and workload of a replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const r = await runCli(
      ['run', '-e', 'reference,flink', '-w', 'wordcount', '-i', join(fixtures, 'wordcount-ooo.jsonl'), '-r', 'max', '-t', '2'].concat([
        '--sink-file',
        join(dir, 'out.jsonl'),
        '--isolation',
        'inline',
        '--json',
        '--out',
        dir,
      ]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort(),
    ).toEqual(['out-flink-wordcount.jsonl', 'out-reference-wordcount.jsonl']);
    const results = asResultsFile(JSON.parse(r.stdout), 'stdout');
    expect(results.sinkFiles!.map((f) => [f.engine, f.trial, f.agreeingTrials, f.differingTrials])).toEqual([
      ['reference', 1, [2], []],
      ['flink', 1, [2], []],
    ]);
  });

  it('agrees on the output digest across trials and partitionings of the same input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-run-'));
    const input = join(fixtures, 'wordcount-ooo.jsonl');
    const one = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'wordcount',
      '-i',
      input,
      '-r',
      'max',
      '-t',
      '2',
      '-o',
      'wordcount.window=5000',
      '-o',
      'wordcount.maxDelay=2000',
      '--json',
      '--out',
      dir,
    ]);
    const three = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'wordcount',
      '-i',
      input,
      '-r',
      'max',
      '-t',
      '1',
      '-p',
      '3',
      '-o',
      'wordcount.window=5000',
      '-o',
      'wordcount.maxDelay=2000',
      '--json',
      '--out',
      dir,
    ]);
    const digests = [...JSON.parse(one.stdout).runs, ...JSON.parse(three.stdout).runs].map((x: RunResult) => x.output.digest);
    expect(new Set(digests).size).toBe(1);
    expect(digests[0]).toMatch(/^188:/); // the expected fixture has 188 window counts
  });
});
