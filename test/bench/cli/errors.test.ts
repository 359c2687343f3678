import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'streamarena-cli-'));
const out = join(tmp, 'results');

/** A usage error: exit 2, exactly one line on stderr, no stack trace, nothing on stdout, no results written. */
async function expectUsageError(args: string[], message: RegExp) {
  const r = await runCli(args[0] === 'run' ? ['run', '--out', out, ...args.slice(1)] : args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('CLI usage errors: one clear line, exit 2, nothing written', () => {
  it('unknown engine', () => expectUsageError(['run', '-e', 'refrence'], /unknown name 'refrence' \(did you mean reference\?\)/));
  it('unknown workload', () => expectUsageError(['run', '-w', 'wordcnt'], /unknown name 'wordcnt' \(did you mean wordcount\?\)/));
  it('a typo in a flag', () => expectUsageError(['run', '--rat', '100'], /unknown option '--rat'.*--rate/));
  it('an unknown command', () => expectUsageError(['rnu'], /unknown command 'rnu'.*run/));
  it('rate 0', () => expectUsageError(['run', '--rate', '0'], /--rate: '0' is not a positive number/));
  it('a rate that is not a number', () => expectUsageError(['run', '-r', 'fast'], /--rate: 'fast'/));
  it('a negative duration', () => expectUsageError(['run', '--duration=-5s'], /--duration: '-5s' is not a duration/));
  it('a zero duration', () => expectUsageError(['run', '-d', '0'], /--duration: must be longer than 0/));
  it('a fractional trial count', () => expectUsageError(['run', '-t', '1.5'], /--trials: '1.5' is not a whole number/));
  it('a missing flag value', () => expectUsageError(['run', '-e'], /argument missing/));
  it('an unknown option key', () =>
    expectUsageError(['run', '-o', 'wordcount.windw=5000'], /unknown option 'wordcount.windw' \(did you mean wordcount.window\?\)/));
  it('an option without a value', () => expectUsageError(['run', '-o', 'wordcount.window'], /must look like key=value/));
  it('a bad option value', () =>
    expectUsageError(['run', '-o', 'wordcount.window=soon'], /option wordcount.window: 'soon' is not a duration/));
  it('an option value out of range', () => expectUsageError(['run', '-o', 'wordcount.keys=0'], /below the minimum 1/));
  it('a missing input file', () =>
    expectUsageError(['run', '-i', join(tmp, 'nope.jsonl')], /cannot read input file .*nope.jsonl: no such file/));

  it('a malformed line in an input file names the line', async () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, '{"time": 1, "text": "a b"}\n{"time": 2, "text": "c"}\n{"time": 3, "text": \n');
    await expectUsageError(['run', '-e', 'reference', '-w', 'wordcount', '-i', file], /line 3: not valid JSON/);
  });

  it('an input line of the wrong shape names the line and the field', async () => {
    const file = join(tmp, 'shape.jsonl');
    writeFileSync(file, '{"time": 1, "text": "a b"}\n{"time": "soon", "text": "c"}\n');
    await expectUsageError(['run', '-e', 'reference', '-w', 'wordcount', '-i', file], /line 2: "time" must be a number/);
  });

  it('a run whose every event falls in the warm-up', () =>
    expectUsageError(
      ['run', '-e', 'reference', '-w', 'stateless', '-r', 'max', '-n', '2000', '-t', '1'],
      /all 2000 events were sent during the 1000 ms warm-up, so nothing would be measured/,
    ));
  it('explain with an unknown engine', () => expectUsageError(['explain', '-e', 'nope', '-w', 'wordcount'], /unknown name 'nope'/));
  it('processing-time windows on an engine without them, before any trial runs', () =>
    expectUsageError(
      ['run', '-e', 'reference,flink', '-w', 'wordcount', '-o', 'wordcount.time=processing', '-t', '1', '-d', '30s'],
      /the flink engine runs event-time windows only: operator 'count' of wordcount asks for processing-time windows/,
    ));
  it("a processing-time window that is not a multiple of spark's batch interval (Spark's message)", () =>
    expectUsageError(
      ['run', '-e', 'spark', '-w', 'wordcount', '-o', 'wordcount.time=processing', '-o', 'wordcount.window=1500', '-t', '1', '-d', '30s'],
      /The window duration of windowed DStream \(1500 ms\) must be a multiple of the slide duration of parent DStream \(1000 ms\)/,
    ));
  it('verify of processing-time windows on storm', () =>
    expectUsageError(
      ['verify', '-e', 'storm', '-w', 'wordcount', '-o', 'wordcount.time=processing'],
      /the storm engine runs event-time windows only/,
    ));

  it('a parallelism flink can never run, before any trial runs (its stated limit)', () =>
    expectUsageError(
      ['run', '-e', 'reference,flink', '-w', 'wordcount', '-p', '100000', '-t', '3', '-d', '30s'],
      /parallelism 100000 is more than flink can run: at most 32768, Flink's upper bound on the maximum parallelism/,
    ));
  it('a parallelism above a flink.maxParallelism the user set', () =>
    expectUsageError(
      ['run', '-e', 'flink', '-w', 'stateless', '-p', '100', '-o', 'flink.maxParallelism=64', '-d', '30s'],
      /parallelism 100 is more than flink can run: at most 64, its maximum parallelism \(flink.maxParallelism=64\)/,
    ));
  it('explain and verify check the same limit', async () => {
    await expectUsageError(['explain', '-e', 'flink', '-w', 'wordcount', '-p', '100000'], /parallelism 100000 is more than flink can run/);
    await expectUsageError(['verify', '-e', 'flink', '-w', 'wordcount', '-p', '40000'], /parallelism 40000 is more than flink can run/);
  });

  it('wrote no results file for any of them', () => {
    expect(readdirSync(tmp).includes('results') ? readdirSync(out) : []).toEqual([]);
  });
});

describe('CLI basics', () => {
  it('prints its version and help', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await runCli(['run', '--help']);
    expect(h.code).toBe(0);
    for (const flag of [
      '--engine',
      '--workload',
      '--rate',
      '--duration',
      '--events',
      '--warmup',
      '--trials',
      '--parallelism',
      '--option',
      '--input',
      '--sink-file',
      '--out',
      '--seed',
      '--json',
    ]) {
      expect(h.stdout).toContain(flag);
    }
  });

  it('lists engines, workloads and options with defaults, as text and JSON', async () => {
    const text = await runCli(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/reference/);
    expect(text.stdout).toMatch(/wordcount\.window\s+1000 ms/);
    const json = await runCli(['list', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      engines: { name: string }[];
      workloads: { name: string; options: { key: string; default: unknown }[] }[];
    };
    expect(parsed.engines.map((e) => e.name)).toContain('reference');
    const wc = parsed.workloads.find((w) => w.name === 'wordcount')!;
    expect(wc.options.find((o) => o.key === 'wordcount.maxDelay')?.default).toBe(200);
  });

  it('explains a plan as text and JSON', async () => {
    const text = await runCli(['explain', '-e', 'reference', '-w', 'wordcount']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/count \(keyed tumbling 1000 ms window, count\)/);
    const json = await runCli(['explain', '-e', 'reference', '-w', 'stateless', '--json']);
    const plan = JSON.parse(json.stdout) as { engine: string; nodes: { label: string }[] };
    expect(plan.engine).toBe('reference');
    expect(plan.nodes.map((n) => n.label)).toEqual(expect.arrayContaining(['parse', 'filter-views', 'project', 'views']));
  });
});
