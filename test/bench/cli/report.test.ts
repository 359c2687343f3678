import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { runCli } from './run-cli.js';

const fixtures = join(packageRoot(), 'test', 'fixtures');
const runArgs = (dir: string) => [
  'run',
  '-e',
  'reference',
  '-w',
  'wordcount',
  '-i',
  join(fixtures, 'wordcount-ooo.jsonl'),
  '-r',
  'max',
  '-t',
  '1',
  '-o',
  'wordcount.window=5000',
  '-o',
  'wordcount.maxDelay=2000',
  '--out',
  dir,
];

describe('streamarena run writes report.html beside its results', () => {
  let dir: string;
  let results: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'streamarena-report-'));
    const r = await runCli(runArgs(dir));
    expect(r.code, r.stderr).toBe(0);
    results = join(dir, readdirSync(dir).find((f) => f.startsWith('results-'))!);
  });

  it('by default, and says where', async () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.includes('<canvas id="chart-0"')).toBe(true);
    expect(html.includes('reference loop')).toBe(true); // the plan, recomputed from the recorded options
    expect(html.includes('>188:')).toBe(true); // one engine on a file input: its digest, with the record count
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('not with --no-report', async () => {
    const other = mkdtempSync(join(tmpdir(), 'streamarena-report-'));
    const r = await runCli([...runArgs(other), '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('report written');
    expect(existsSync(join(other, 'report.html'))).toBe(false);
  });

  it('streamarena report renders several files and a baseline into -o', async () => {
    const out = join(dir, 'sub', 'both.html');
    const r = await runCli(['report', results, results, '-o', out, '--baseline', results]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe(`report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html.includes('<strong>Baseline:</strong>')).toBe(true);
    expect(html.includes(`reference (${results})`)).toBe(true); // the same file twice: told apart by path
  });
});

describe('streamarena report usage errors: one line, exit 2, nothing written', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'streamarena-report-errors-'));
  const out = join(tmp, 'never.html');

  async function expectUsageError(args: string[], message: RegExp) {
    const r = await runCli(['report', ...args, '-o', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  }

  it('a missing file', () => expectUsageError([join(tmp, 'nope.json')], /cannot read results file .*nope\.json: no such file/));
  it('a file that is not JSON', () => {
    writeFileSync(join(tmp, 'bad.json'), '{"schemaVersion": 1, ');
    return expectUsageError([join(tmp, 'bad.json')], /bad\.json is not valid JSON/);
  });
  it('JSON that is not a results file', () => {
    writeFileSync(join(tmp, 'other.json'), '{"hello": 1}');
    return expectUsageError([join(tmp, 'other.json')], /is not a streamarena results file/);
  });
  it('another schema version', () => {
    writeFileSync(join(tmp, 'v9.json'), '{"schemaVersion": 9, "runs": []}');
    return expectUsageError([join(tmp, 'v9.json')], /schema version 9/);
  });
  it('a bad baseline', () => {
    writeFileSync(join(tmp, 'empty.json'), '{"schemaVersion": 1, "runs": []}');
    return expectUsageError([join(tmp, 'empty.json'), '--baseline', join(tmp, 'nope.json')], /cannot read results file .*nope\.json/);
  });
  it('no file at all', async () => {
    const r = await runCli(['report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'results'/);
  });
});
