import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { asResultsFile, type ResultsFile } from '../../../reports/schema.js';
import { runCli } from './run-cli.js';

const bin = join(packageRoot(), 'bin', 'streamarena.js');
const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** The lines of the one journal in `dir` (complete lines only), or [] before it exists. */
function journalLines(dir: string): string[] {
  const name = readdirSync(dir).find((f) => f.startsWith('journal-'));
  if (!name) return [];
  const text = readFileSync(join(dir, name), 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .slice(0, -1);
}

function journalPath(dir: string): string {
  return join(dir, readdirSync(dir).find((f) => f.startsWith('journal-'))!);
}

/**
 * Starts the CLI, waits (polling the file, not the clock) until its journal holds `entries` completed
 * entries, then kills it with `signal`. Resolves with the exit once the process is gone.
 */
function runUntilJournaled(
  args: string[],
  dir: string,
  entries: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      if (journalLines(dir).length >= 1 + entries) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on('error', (err) => {
      clearInterval(poll);
      reject(err);
    });
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

function onlyResults(dir: string): ResultsFile[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('results-'))
    .map((f) => asResultsFile(JSON.parse(readFileSync(join(dir, f), 'utf8')), f));
}

let handWritten = 0;

/** Writes a journal by hand: a header and entries. */
function handJournal(dir: string, header: Record<string, unknown>, entries: unknown[] = []): string {
  const path = join(dir, `journal-by-hand-${++handWritten}.jsonl`);
  const full = {
    format: 'streamarena-journal/1',
    version,
    createdAt: '2026-01-01T00:00:00.000Z',
    commandLine: 'streamarena run',
    flags: {},
    ...header,
  };
  writeFileSync(path, [full, ...entries].map((l) => JSON.stringify(l) + '\n').join(''));
  return path;
}

describe('streamarena run --resume', () => {
  it('finishes a run killed with SIGKILL after its first trial, without running that trial again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-resume-'));
    const args = ['run', '-e', 'reference', '-w', 'stateless', '-r', '1000', '-d', '1s', '--warmup', '0', '-t', '4', '--out', dir];
    const killed = await runUntilJournaled(args, dir, 1, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const journaled = journalLines(dir);
    expect(journaled.length, 'the run finished before it was killed: make its trials longer').toBeLessThan(1 + 4);
    expect(onlyResults(dir)).toEqual([]);
    const header = JSON.parse(journaled[0]) as { command: string; createdAt: string; commandLine: string };
    expect(header.command).toBe('run');
    const done = journaled.slice(1).map((l) => JSON.parse(l) as { index: number; outcome: unknown });
    expect(done[0].index).toBe(0);

    const journal = journalPath(dir);
    const resumed = await runCli(['run', '--resume', journal, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${journal}: ${done.length} of 4 trials completed before`);
    const [results] = onlyResults(dir);
    expect(JSON.parse(resumed.stdout)).toEqual(results);
    expect(results.runs.map((r) => `${r.trial}:${r.status}`)).toEqual(['1:ok', '2:ok', '3:ok', '4:ok']);
    // The completed trials are the journal's, byte for byte: they were not run again.
    for (const d of done) expect(results.runs[d.index]).toEqual(d.outcome);
    expect(results.createdAt).toBe(header.createdAt);
    expect(results.command).toBe(header.commandLine);
    expect(results.command).toBe(['streamarena', ...args].join(' '));
    expect(existsSync(journal)).toBe(false); // removed once the results file was written
  });

  it('keeps the journal after Ctrl-C, and a resume finishes the matrix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-resume-'));
    const args = ['run', '-e', 'reference', '-w', 'stateless', '-r', '1000', '-d', '1s', '--warmup', '0', '-t', '3', '--out', dir];
    const stopped = await runUntilJournaled(args, dir, 1, 'SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    const journal = journalPath(dir);
    expect(stopped.stderr).toContain(`journal kept: finish the run with streamarena run --resume ${journal}`);
    const [partial] = onlyResults(dir);
    expect(partial.interrupted).toBe(true);
    const resumed = await runCli(['run', ...args.slice(1), '--resume', journal]); // the same arguments again are fine
    expect(resumed.code, resumed.stderr).toBe(0);
    const full = onlyResults(dir).find((r) => !r.interrupted)!;
    expect(full.runs.map((r) => r.trial)).toEqual([1, 2, 3]);
    expect(full.runs.slice(0, partial.runs.length)).toEqual(partial.runs);
    expect(existsSync(journal)).toBe(false);
  });

  it('rejects a journal it cannot resume with one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-resume-'));
    const notJournal = join(dir, 'results.json');
    writeFileSync(notJournal, '{"schemaVersion": 1, "runs": []}\n');
    const input = join(dir, 'events.jsonl');
    writeFileSync(input, '{"time": 1000, "text": "a b"}\n');
    const runFlags = { engine: 'reference', workload: 'wordcount', rate: '1000', trials: '2', parallelism: '1', option: [], seed: '42' };
    const changedInput = handJournal(dir, { command: 'run', flags: { ...runFlags, input }, fingerprint: { inputSha256: '0'.repeat(64) } });
    const cases: [string[], RegExp][] = [
      [['run', '--resume', join(dir, 'missing.jsonl')], /--resume: cannot read .*missing\.jsonl \(ENOENT\)/],
      [['run', '--resume', notJournal], /--resume: .*results\.json is not a streamarena journal/],
      [['run', '--resume', handJournal(dir, { command: 'sweep' })], /is the journal of 'streamarena sweep', not of 'streamarena run'/],
      [
        ['run', '--resume', handJournal(dir, { command: 'run', version: '0.0.0-old' })],
        new RegExp(`was written by streamarena 0\\.0\\.0-old; this is ${version.replace(/\./g, '\\.')}`),
      ],
      [
        ['run', '--resume', handJournal(dir, { command: 'run', flags: runFlags }), '-r', '500'],
        /--resume: .* was written with --rate 1000, not 500; resume with the same arguments or none/,
      ],
      [
        ['run', '--resume', handJournal(dir, { command: 'run', flags: runFlags }), '-o', 'wordcount.window=5000'],
        /was written with --option \(none\), not wordcount\.window=5000/,
      ],
      [['run', '--resume', changedInput], /--resume: .*events\.jsonl has changed since .* was written/],
      [
        [
          'run',
          '--resume',
          handJournal(dir, { command: 'run', flags: runFlags }, [
            { index: 7, engine: 'flink', workload: 'wordcount', trial: 1, outcome: { status: 'ok' } },
          ]),
        ],
        /line 2 is not a trial of this run's matrix/,
      ],
      [
        ['run', '--resume', handJournal(dir, { command: 'run', flags: runFlags }), '--out', join(dir, 'elsewhere')],
        /go beside its journal, in .*, not in --out/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(onlyResults(dir)).toEqual([]);
  });
});

describe('streamarena sweep --resume', () => {
  it('finishes a sweep killed with SIGKILL after its first point, without measuring that point again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-resume-'));
    const args = [
      'sweep',
      '-e',
      'reference',
      '-w',
      'stateless',
      '--rates',
      '1000,2000,3000',
      '-d',
      '1s',
      '--warmup',
      '200ms',
      '--out',
      dir,
    ];
    const killed = await runUntilJournaled(args, dir, 1, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const journaled = journalLines(dir);
    expect(journaled.length, 'the sweep finished before it was killed: make its points longer').toBeLessThan(1 + 3);
    expect(onlyResults(dir)).toEqual([]);
    const header = JSON.parse(journaled[0]) as { createdAt: string; commandLine: string };
    const done = journaled.slice(1).map((l) => JSON.parse(l) as { rate: number; result: unknown });
    expect(done[0].rate).toBe(1000);

    const journal = journalPath(dir);
    const resumed = await runCli(['sweep', '--resume', journal, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${journal}: ${done.length} probes completed before`);
    expect(resumed.stderr).not.toContain('sweep reference at 1000 ev/s'); // not measured again
    const [results] = onlyResults(dir);
    expect(JSON.parse(resumed.stdout)).toEqual(results);
    const [sweep] = results.sweeps!;
    expect(sweep.points.map((p) => p.offeredRate)).toEqual([1000, 2000, 3000]);
    done.forEach((d, i) => expect(sweep.points[i]).toEqual(d.result));
    expect(results.createdAt).toBe(header.createdAt);
    expect(results.command).toBe(['streamarena', ...args].join(' '));
    expect(existsSync(journal)).toBe(false);
  });

  it('rejects a journal it cannot resume with one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-resume-'));
    const sweepFlags = { engine: 'reference', workload: 'stateless', rates: '1000', option: [], isolation: 'inline' };
    const cases: [string[], RegExp][] = [
      [['sweep', '--resume', handJournal(dir, { command: 'run' })], /is the journal of 'streamarena run', not of 'streamarena sweep'/],
      [
        ['sweep', '--resume', handJournal(dir, { command: 'sweep', flags: sweepFlags }), '--rates', '2000'],
        /was written with --rates 1000, not 2000/,
      ],
      [
        ['sweep', '--resume', handJournal(dir, { command: 'sweep', flags: sweepFlags }, [{ rate: 1000 }])],
        /line 2 is not a probe of a sweep/,
      ],
      [
        [
          'sweep',
          '--resume',
          handJournal(dir, { command: 'sweep', flags: sweepFlags }, [
            { setting: 0, engine: 'flink', rate: 1000, trial: 1, elapsedMs: 10, result: { offeredRate: 1000 } },
          ]),
        ],
        /the journal's probe 1 is flink at 1000 ev\/s \(setting 1, trial 1\), but this sweep's is reference at 1000 ev\/s/,
      ],
      [['sweep', '--rates', '1000'], /required option '-w, --workload <name>' not specified/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(onlyResults(dir)).toEqual([]);
  });
});
