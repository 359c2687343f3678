/** `streamarena sweep`: latency against offered load, sustainable throughput, scaling over one parameter. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { engines } from '../../../engines/index.js';
import type { Sweep } from '../../../reports/schema.js';
import { workloads } from '../../../workloads/index.js';
import { isUsageError, UsageError } from '../../errors.js';
import { checkDeployment, optionNamespaces, parseOptionAssignments } from '../../runner/index.js';
import { runSweeps, type SweepSpec } from '../../sweep/index.js';
import { formatMs, formatRate, textTable } from '../../../reports/format/index.js';
import { collect, DEPLOYMENT_HELP, parseCount, parseDeployment, parseNameList, parseTime } from '../parse.js';
import { Dashboard, DEFAULT_UI_PORT, uiPort } from '../../ui/index.js';
import { toolVersion } from '../version.js';
import { writeReportBeside } from './report.js';
import { Journal, openJournal, resultsDirFor } from '../journal.js';
import { flagsFromJournal, flagsToJournal } from '../resume-flags.js';
import { commandLineOf, ensureWritableDir, resultsFile, writeFreshResults } from '../results-output.js';
import { journaledProbes, SWEEP_JOURNALED_FLAGS } from '../sweep-journal.js';
import { parseFaultSpec } from '../../faults/index.js';
import { CLUSTER_FLAG_HELP, sessionClusterFlag } from '../cluster-flag.js';
import { checkFaultKinds, FAULT_FLAG_HELP } from '../fault-flags.js';

interface SweepFlags {
  engine: string;
  workload?: string;
  rates?: string;
  findSustainable?: boolean;
  budget: string;
  vary?: string;
  duration: string;
  warmup: string;
  trials: string;
  parallelism: string;
  option: string[];
  out: string;
  seed: string;
  json?: boolean;
  isolation: string;
  precision: string;
  report?: boolean;
  resume?: string;
  deployment: string;
  cluster?: string;
  fault?: string[];
  ui?: string | boolean;
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .description("run engines over a range of offered loads; find each one's sustainable throughput")
    .option('-e, --engine <list>', 'engines, comma-separated, or all', 'all')
    .option('-w, --workload <name>', 'one workload (required)')
    .option('--rates <list>', 'offered rates to measure, events/s, e.g. 5000,10k,20k,50k')
    .option('--find-sustainable', "search each engine's sustainable throughput (the reference engine is added for scale)")
    .option('--budget <time>', 'time budget of the search, for all engines together', '5m')
    .option('--vary <key=v1,v2,...>', 'repeat the sweep for each value of one numeric option: parallelism or e.g. spark.batchInterval')
    .option('-d, --duration <time>', 'measured time of each point after warm-up', '6s')
    .option('--warmup <time>', 'unmeasured start of each point', '2s')
    .option('-t, --trials <n>', 'trials per listed rate', '1')
    .option('-p, --parallelism <n>', 'operator parallelism and log partitions', '1')
    .option('-o, --option <key=value>', 'engine or workload option, repeatable', collect, [])
    .option('--precision <fraction>', 'stop bisecting when the bracket is this narrow', '0.05')
    .option('--out <dir>', 'results directory', 'streamarena-results')
    .option('--seed <n>', 'generator seed', '42')
    .option('--json', 'print the results JSON on stdout and nothing else there')
    .option('--isolation <mode>', "'process' or 'inline'", 'process')
    .option('--deployment <mode>', DEPLOYMENT_HELP, 'local')
    .option('--cluster <dir>', CLUSTER_FLAG_HELP)
    .option('--no-report', 'do not write report.html beside the results')
    .option('--fault <kind[:target]@time>', FAULT_FLAG_HELP, collect, [])
    .option('--resume <journal>', "finish the sweep this journal recorded (its arguments are the journal's)")
    .option('--ui [port]', `serve a live dashboard on 127.0.0.1 while the sweep lasts (default port ${DEFAULT_UI_PORT})`)
    .action(async (flags: SweepFlags, cmd: Command) => {
      process.exitCode = await sweep(flags, cmd);
    });
}

/** `5000`, `10k`, `1.5M` -> events/s. */
function parseRateList(text: string): number[] {
  return text.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    const n = m ? Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1e3 : 1e6) : Number.NaN;
    if (!(n > 0)) throw new UsageError(`--rates: '${part.trim()}' is not a positive rate (events/s, e.g. 5000 or 10k)`);
    return n;
  });
}

function parseVary(text: string): { key: string; values: number[] } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--vary: '${text}' must look like key=v1,v2 (e.g. parallelism=1,2,4)`);
  const key = text.slice(0, eq).trim();
  const raw = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (key === 'parallelism') return { key, values: raw.map((v) => parseCount('--vary parallelism', v)) };
  // Validates the key and every value against the option's spec.
  const values = raw.map((v) => parseOptionAssignments([`${key}=${v}`])[key]);
  const [ns, k] = key.split('.');
  const spec = optionNamespaces()
    .get(ns)
    ?.find((s) => s.key === k);
  if (!spec || !['integer', 'number', 'duration'].includes(spec.type)) throw new UsageError(`--vary: option ${key} is not numeric`);
  return { key, values: values as number[] };
}

/** With --ui, the dashboard listens before anything else happens and closes when the sweep ends, however it ends. */
async function sweep(given: SweepFlags, cmd: Command): Promise<number> {
  const dashboard =
    given.ui === undefined ? undefined : await Dashboard.start(uiPort(given.ui), { command: 'sweep', toolVersion: toolVersion() });
  if (dashboard) process.stderr.write(`live dashboard: ${dashboard.url}\n`);
  try {
    return await runSweepCommand(given, cmd, dashboard);
  } finally {
    await dashboard?.close();
  }
}

async function runSweepCommand(given: SweepFlags, cmd: Command, dashboard: Dashboard | undefined): Promise<number> {
  const resume = given.resume === undefined ? undefined : Journal.resume(resolve(given.resume), 'sweep');
  const flags = resume ? flagsFromJournal(cmd, given, resume.header.flags, resume.journal.path) : given;
  if (flags.workload === undefined) throw new UsageError("required option '-w, --workload <name>' not specified");
  const engineNames = parseNameList('--engine', flags.engine, Object.keys(engines));
  const [workload] = parseNameList('--workload', flags.workload, Object.keys(workloads));
  const rates = flags.rates === undefined ? [] : parseRateList(flags.rates);
  if (rates.length === 0 && !flags.findSustainable) throw new UsageError('give --rates <list>, --find-sustainable, or both');
  const precision = Number(flags.precision);
  if (!(precision > 0 && precision < 1)) throw new UsageError(`--precision: '${flags.precision}' is not a fraction between 0 and 1`);
  if (flags.isolation !== 'process' && flags.isolation !== 'inline')
    throw new UsageError(`--isolation: '${flags.isolation}' is not 'process' or 'inline'`);
  const faults = (flags.fault ?? []).map(parseFaultSpec);
  const options = parseOptionAssignments(flags.option);
  if (faults.length > 0 && flags.findSustainable)
    throw new UsageError('--fault with --find-sustainable: a fault makes every point look unsustained; give --rates');
  // The reference engine that --find-sustainable adds for scale runs locally, never on the cluster.
  const cluster = flags.cluster === undefined ? undefined : sessionClusterFlag(flags.cluster, engineNames);
  const deployment = cluster ? 'standalone' : parseDeployment(flags.deployment ?? 'local');
  checkDeployment(engineNames, [workload], options, deployment);
  checkFaultKinds(faults, engineNames, options, deployment);
  const enginesToRun = flags.findSustainable && !engineNames.includes('reference') ? ['reference', ...engineNames] : engineNames;
  const spec: SweepSpec = {
    engines: enginesToRun,
    workload,
    rates,
    findSustainable: Boolean(flags.findSustainable),
    budgetMs: parseTime('--budget', flags.budget, false),
    ...(flags.vary ? { vary: parseVary(flags.vary) } : {}),
    trials: parseCount('--trials', flags.trials),
    precision,
    isolation: flags.isolation,
    base: {
      parallelism: parseCount('--parallelism', flags.parallelism),
      seed: parseCount('--seed', flags.seed, 0),
      options,
      drainTimeoutMs: 30_000,
      deployment,
      ...(cluster ? { cluster } : {}),
      ...(faults.length > 0 ? { faults } : {}),
      warmupMs: parseTime('--warmup', flags.warmup),
      durationMs: parseTime('--duration', flags.duration, false),
      ...(dashboard ? { live: true } : {}),
    },
    ...(dashboard ? { onTrialProgress: dashboard.sweepProgress() } : {}),
  };
  const outDir = resultsDirFor(resume, cmd, flags.out, 'sweep');
  await ensureWritableDir('--out', outDir);
  const journaled = resume ? journaledProbes(resume.entries, resume.journal.path) : [];

  const { journal, createdAt, commandLine } = openJournal(resume, outDir, {
    command: 'sweep',
    commandLine: commandLineOf(cmd),
    flags: flagsToJournal(flags, SWEEP_JOURNALED_FLAGS),
  });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let journalAnnounced = resume !== undefined;
  // Said once the journal has been replayed without a mismatch (which is a one-line usage error).
  let resumeAnnounced = resume === undefined;
  const announceResume = () => {
    if (!resumeAnnounced) say(`resuming ${journal.path}: ${journaled.length} probes completed before`);
    resumeAnnounced = true;
  };
  let sweeps: Sweep[];
  try {
    sweeps = await runSweeps(
      spec,
      {
        probeStarted: (engine, rate, context, budgetLeftMs) => {
          announceResume();
          say(
            `sweep ${engine}${context ? ` ${context}` : ''} at ${rate === 'max' ? 'max (capacity probe)' : `${formatRate(rate)} ev/s`}${spec.findSustainable ? `, budget left ${Math.max(0, Math.round(budgetLeftMs / 1000))} s` : ''}`,
          );
        },
        probeFinished: (engine, p, context) => {
          dashboard?.sweepProbeFinished(p);
          say(
            'capacity' in p
              ? `  ${engine}${context ? ` ${context}` : ''}: unthrottled ${formatRate(p.capacity)} ev/s`
              : `  ${engine}${context ? ` ${context}` : ''}: ${p.verdict}, ${formatRate(p.achievedInputThroughput)} ev/s, p50 ${formatMs(p.latency.p50)}; ${p.reason}`,
          );
        },
        probeRecorded: (record) => {
          journal.append(record);
          // Said once there is something to resume (a usage error before the first probe stays one line).
          if (!journalAnnounced)
            say(`journal: ${journal.path} (if this sweep dies, finish it with: streamarena sweep --resume ${journal.path})`);
          journalAnnounced = true;
        },
      },
      undefined,
      journaled,
    );
  } catch (err) {
    // A usage error writes nothing: a new journal goes too (a resumed one keeps its probes).
    if (isUsageError(err) && !resume) journal.remove();
    throw err;
  }
  announceResume();
  const results = resultsFile(cmd, createdAt, { runs: [], sweeps }, commandLine);
  const path = await writeFreshResults(outDir, results);
  journal.remove(); // the results file holds everything it recorded
  if (flags.report !== false) await writeReportBeside(path, results);
  process.stdout.write(flags.json ? JSON.stringify(results) + '\n' : formatSweeps(sweeps) + '\n');
  say(`results written to ${path}`);
  return sweeps.some((s) => s.points.some((p) => p.verdict === 'failed')) ? 1 : 0;
}

/** A fault time (ms from the load start) in seconds, or never. */
function seconds(ms: number | null): string {
  return ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

export function formatSweeps(sweeps: readonly Sweep[]): string {
  const rows = sweeps.flatMap((s) =>
    s.points.map((p) => [
      s.engine,
      s.vary ? `${s.vary.key}=${s.vary.value}` : '',
      formatRate(p.offeredRate),
      formatRate(p.achievedInputThroughput),
      formatMs(p.latency.p50),
      formatMs(p.latency.p99),
      formatMs(p.processingLatency.p50),
      `${formatRate(p.backlogSlope)}/s`,
      p.driverBound ? `${p.verdict} (driver-bound)` : p.verdict,
    ]),
  );
  const header = ['engine', 'vary', 'offered', 'achieved', 'evt p50', 'evt p99', 'proc p50', 'backlog', 'verdict'];
  const right = [false, false, true, true, true, true, true, true, false];
  // The vary column only when something was varied.
  const keep = (_: unknown, i: number) => i !== 1 || sweeps.some((s) => s.vary);
  const lines = [
    textTable(
      header.filter(keep),
      rows.map((r) => r.filter(keep)),
      right.filter(keep),
    ),
  ];
  for (const s of sweeps)
    for (const p of s.points.filter((q) => q.driverBound))
      lines.push(
        `driver-bound: ${s.engine}${s.vary ? ` ${s.vary.key}=${s.vary.value}` : ''} at ${formatRate(p.offeredRate)} ev/s: the driver sent ${formatCount(p.eventsSent)} of ${formatCount(p.eventsOffered)} offered events, so the engine was never offered this rate (achieved = what it read while the window was open)`,
      );
  for (const s of sweeps)
    for (const p of s.points)
      for (const f of p.faults ?? [])
        lines.push(
          `fault ${s.engine}${s.vary ? ` ${s.vary.key}=${s.vary.value}` : ''} at ${formatRate(p.offeredRate)} ev/s, ${f.spec}: detected ${seconds(f.detectedMs)}, restarted ${seconds(f.restartedMs)}, recovered ${seconds(f.recoveredMs)}, peak ${f.maxLatencyMs === null ? '-' : formatMs(f.maxLatencyMs)}; lost ${f.lostRecords}, duplicated ${f.duplicateRecords}, changed ${f.changedRecords}: ${f.guarantee} (promised ${f.promised})`,
        );
  const searched = sweeps.filter((s) => s.search !== undefined);
  for (const s of searched) {
    const ref = sweeps.find((r) => r.engine === 'reference' && r.vary?.value === s.vary?.value && r.sustainableEventsPerSec);
    const share =
      ref && s.sustainableEventsPerSec !== null && s.engine !== 'reference'
        ? ` = ${((s.sustainableEventsPerSec / ref.sustainableEventsPerSec!) * 100).toFixed(0)} % of reference`
        : '';
    lines.push(
      `sustainable ${s.engine}${s.vary ? ` ${s.vary.key}=${s.vary.value}` : ''}: ${s.sustainableEventsPerSec === null ? 'none found' : `${formatRate(s.sustainableEventsPerSec)} ev/s`}${share} (unthrottled ${formatRate(s.capacityEventsPerSec ?? Number.NaN)} ev/s; ${s.search})`,
    );
  }
  return lines.join('\n');
}

function formatCount(n: number | undefined): string {
  return n === undefined ? '?' : n.toLocaleString('en-US');
}
