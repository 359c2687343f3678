/**
 * The peer benchmark: the keyed word count (1 s event-time tumbling windows) over the same events from one
 * JSONL file, written by hand (plain loop, RxJS 7, Node streams), as the project's compiled dataflow in a
 * bare loop, and through the CLI on the engines (`streamarena run -e <engines> -w wordcount -i <file>
 * --rate max --warmup 0`, measurement on). The in-process peers get the events parsed before timing, as
 * the driver parses an --input file before a trial starts. Every result set must equal the reference
 * engine's: the peers' records are digested like the sinks digest theirs, and the digests compared.
 *
 * Rounds alternate all peers and one CLI call (one trial per engine), so that a busier machine slows them
 * alike; the table gives medians, by wall clock and by CPU time per event (the process's, all threads;
 * for a CLI trial its measurement window), and each one's ratio to RxJS.
 *
 *   npm run bench:peers -- [--events 1000000] [--rounds 5] [--per-ms 1000] [--engines reference,flink] [--input <file>]
 *
 * `--per-ms`: events per ms of event time in the generated file (a --rate max run's density is its
 * throughput, about 1000 events/ms); fewer per ms means more window results per event.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { median } from 'simple-statistics';
import { defaultOptionValues } from '../../engines/api/index.js';
import type { ResultsFile, RunResult } from '../../reports/schema.js';
import { OutputDigest } from '../../reports/digest.js';
import { formatRate, textTable } from '../../reports/format/index.js';
import { wordcount, type WordcountEvent } from '../../workloads/wordcount/index.js';
import { readInputFile } from '../driver/index.js';
import { isUsageError, UsageError } from '../errors.js';
import { packageRoot } from '../runner/package-paths.js';
import { peers, type WindowCount } from './wordcount-peers.js';

interface Flags {
  events: string;
  rounds: string;
  perMs: string;
  engines: string;
  input?: string;
}

const flags = new Command('bench:peers')
  .option('--events <n>', 'events in the generated file', '1000000')
  .option('--rounds <n>', 'rounds (every peer and one CLI trial per engine each)', '5')
  .option('--per-ms <n>', 'events per ms of event time in the generated file', '1000')
  .option('--engines <list>', 'engines run through the CLI', 'reference,flink')
  .option('--input <file>', 'use this wordcount JSONL file instead of generating one')
  .parse(process.argv)
  .opts<Flags>();

const values = defaultOptionValues(wordcount.options);
const params = { windowMs: values.window as number, maxDelay: values.maxDelay as number };
const dir = mkdtempSync(join(tmpdir(), 'streamarena-peers-'));
let child: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

try {
  for (const [flag, value] of [
    ['--events', flags.events],
    ['--rounds', flags.rounds],
    ['--per-ms', flags.perMs],
  ] as const) {
    if (!(Number.isSafeInteger(Number(value)) && Number(value) > 0))
      throw new UsageError(`${flag} must be a positive whole number, got '${value}'`);
  }
  const file = flags.input ?? generate(join(dir, 'events.jsonl'), Number(flags.events), Number(flags.perMs));
  const events = (await readInputFile(file, wordcount.parseInputLine)) as WordcountEvent[];
  const engines = flags.engines.split(',').filter((e) => e !== '');
  const rates = new Map<string, number[]>();
  const cpus = new Map<string, number[]>();
  const digests = new Map<string, Set<string>>();
  const note = (name: string, rate: number, cpuUsPerEvent: number, digest: string) => {
    rates.set(name, [...(rates.get(name) ?? []), rate]);
    cpus.set(name, [...(cpus.get(name) ?? []), cpuUsPerEvent]);
    digests.set(name, (digests.get(name) ?? new Set()).add(digest));
  };
  const rounds = Number(flags.rounds);
  // One uncounted pass of every in-process peer: the first round would otherwise also time the JIT.
  for (const peer of Object.values(peers)) await peer(events, params);
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const [name, peer] of Object.entries(peers)) {
      const run = await peer(events, params);
      const rate = (events.length / run.elapsedMs) * 1000;
      note(name, rate, (run.cpuMs * 1000) / events.length, digestOf(run.results));
      line.push(`${name} ${formatRate(rate)}`);
    }
    for (const r of await cliRuns(file, engines, join(dir, `round-${round}`))) {
      const cpuMs = r.resources.cpuUserMs + r.resources.cpuSystemMs;
      note(`${r.engine} (CLI, measured)`, r.throughput.inputEventsPerSec, (cpuMs * 1000) / r.input.events, r.output.digest);
      line.push(`${r.engine} ${formatRate(r.throughput.inputEventsPerSec)}`);
    }
    process.stderr.write(`round ${round}/${rounds}: ${line.join(', ')} events/s\n`);
  }
  const expected = digests.get('reference (CLI, measured)') ?? digests.get('compiled dataflow, bare loop')!;
  const rx = median(rates.get('RxJS 7')!);
  const rxCpu = median(cpus.get('RxJS 7')!);
  const rows = [...rates].map(([name, xs]) => {
    const ds = digests.get(name)!;
    const agrees = ds.size === 1 && [...ds][0] === [...expected][0];
    const cpu = median(cpus.get(name)!);
    return {
      name,
      eventsPerSec: median(xs),
      vsRxjs: median(xs) / rx,
      cpu,
      cpuVsRxjs: rxCpu / cpu,
      output: agrees ? 'equal' : `DIFFERS (${[...ds].join(', ')})`,
    };
  });
  console.log(
    `${events.length} events, ${flags.input ? `from ${file}` : `${flags.perMs} per ms of event time`}; medians of ${rounds} rounds`,
  );
  console.log(
    textTable(
      ['peer', 'events/s', 'x RxJS', 'CPU µs/event', 'x RxJS (CPU)', 'output'],
      rows.map((r) => [r.name, formatRate(r.eventsPerSec), r.vsRxjs.toFixed(2), r.cpu.toFixed(2), r.cpuVsRxjs.toFixed(2), r.output]),
      [false, true, true, true, true, false],
    ),
  );
  console.log(
    "x RxJS: speed relative to RxJS 7 (events/s, or RxJS CPU per event / this one's); CPU of the whole process, GC and JIT included",
  );
  console.log(`output digest ${[...expected][0]}`);
  if (rows.some((r) => r.output !== 'equal')) process.exitCode = 1;
} catch (err) {
  process.stderr.write(`bench:peers: ${(err as Error).message}\n`);
  process.exitCode = isUsageError(err) ? 2 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `n` wordcount events, `perMs` per ms of event time (seed 42), and returns the path. */
function generate(path: string, n: number, perMs: number): string {
  const gen = wordcount.generator(values, 42);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) lines.push(JSON.stringify(gen.next(k, 1_700_000_000_000 + k / perMs)));
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The digest the sinks would compute over these records. */
function digestOf(records: readonly WindowCount[]): string {
  const d = new OutputDigest();
  for (const r of records) d.add(r);
  return d.toString();
}

/** One trial per engine through `streamarena run`, in a child process; its results file's runs. */
async function cliRuns(input: string, engineNames: readonly string[], outDir: string): Promise<RunResult[]> {
  if (engineNames.length === 0) return [];
  const args = ['run', '-e', engineNames.join(','), '-w', 'wordcount', '-i', input, '--rate', 'max', '--warmup', '0', '-t', '1'];
  const bin = join(packageRoot(), 'bin', 'streamarena.js');
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    child = spawn(process.execPath, [bin, ...args, '--out', outDir, '--no-report'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  child = undefined;
  const written = readdirSync(outDir).filter((f) => f.startsWith('results-') && f.endsWith('.json'));
  if (code !== 0 || written.length !== 1) throw new Error(`streamarena ${args.join(' ')} exited with code ${code}:\n${stderr}`);
  const results = JSON.parse(readFileSync(join(outDir, written[0]!), 'utf8')) as ResultsFile;
  return results.runs.filter((r): r is RunResult => r.status === 'ok');
}
