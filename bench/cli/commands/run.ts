/** `streamarena run`: the matrix engines x workloads x trials, one results file, a summary. */
import { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { engines } from '../../../engines/index.js';
import { workloads } from '../../../workloads/index.js';
import { connectSocketInput, parseSocketInput, readInputFile } from '../../driver/index.js';
import { isUsageError, UsageError } from '../../errors.js';
import {
  parseOptionAssignments,
  planTrials,
  runMatrix,
  sinkFilePolicy,
  type Isolation,
  type MatrixListener,
  type MatrixSpec,
} from '../../runner/index.js';
import { Dashboard, DEFAULT_UI_PORT, uiPort } from '../../ui/index.js';
import { toolVersion } from '../version.js';
import { baselineFileOption, compareWithBaseline } from './compare.js';
import { CLUSTER_FLAG_HELP, sessionClusterFlag } from '../cluster-flag.js';
import { checkFaultKinds, FAULT_FLAG_HELP } from '../fault-flags.js';
import { parseFaultSpec } from '../../faults/index.js';
import { writeReportBeside } from './report.js';
import { collect, DEPLOYMENT_HELP, parseCount, parseDeployment, parseNameList, parseRate, parseTime } from '../parse.js';
import { ttyProgress } from '../progress.js';
import { describeSinkFile, formatSummary } from '../summary.js';
import { Journal, openJournal, resultsDirFor } from '../journal.js';
import { flagsFromJournal, flagsToJournal } from '../resume-flags.js';
import { ensureWritableDir, commandLineOf, resultsFile, writeFreshResults } from '../results-output.js';
import { journaledOutcomes, RUN_JOURNALED_FLAGS, RUN_PATH_FLAGS, runFingerprint, trialEntry } from '../run-journal.js';

export const DEFAULT_WORKLOADS = 'wordcount,stateless,ysb';
export const DEFAULT_RESULTS_DIR = 'streamarena-results';

interface RunFlags {
  engine: string;
  workload: string;
  rate: string;
  duration?: string;
  events?: string;
  warmup?: string;
  trials: string;
  parallelism: string;
  option: string[];
  input?: string;
  sinkFile?: string;
  out: string;
  seed: string;
  json?: boolean;
  isolation: string;
  drainTimeout: string;
  resume?: string;
  deployment: string;
  cluster?: string;
  fault: string[];
  ui?: string | boolean;
}

export function runCommand(): Command {
  return new Command('run')
    .description('run engines x workloads x trials under an open-loop load and write a results file')
    .option('-e, --engine <list>', 'engines, comma-separated, or all', 'all')
    .option('-w, --workload <list>', 'workloads, comma-separated, or all', DEFAULT_WORKLOADS)
    .option('-r, --rate <events/s|max>', "offered load in events per second, or 'max' (unthrottled)", '20000')
    .option(
      '-d, --duration <time>',
      'measured time after warm-up, e.g. 500ms, 10s, 2m (default: 5s, or until --events or the input file ends)',
    )
    .option('-n, --events <count>', 'send at most this many events (warm-up included)')
    .option('--warmup <time>', 'unmeasured time at the start of each trial (default: 1s; 0 with --input)')
    .option('-t, --trials <n>', 'trials per engine and workload, interleaved', '3')
    .option('-p, --parallelism <n>', 'operator parallelism and log partitions', '1')
    .option('-o, --option <key=value>', 'engine or workload option, repeatable (e.g. wordcount.window=5000)', collect, [])
    .option(
      '-i, --input <file|tcp://host:port>',
      'replay events from a JSONL file, one event per line, in file order; or read lines from a socket (e.g. one opened with nc -lk 7777), each a JSON event or, for wordcount, a line of text timed on arrival',
    )
    .option('--sink-file <file>', 'write every sink record as JSONL (one file per trial when there are several)')
    .option('--out <dir>', 'results directory', DEFAULT_RESULTS_DIR)
    .option('--seed <n>', 'generator seed', '42')
    .option('--json', 'print the results JSON on stdout and nothing else there')
    .option('--no-report', 'do not write report.html beside the results file')
    .option('--deployment <mode>', DEPLOYMENT_HELP, 'local')
    .option('--cluster <dir>', CLUSTER_FLAG_HELP)
    .option('--isolation <mode>', "'process' (a fresh child per trial) or 'inline' (debugging)", 'process')
    .option('--drain-timeout <time>', 'after the last event, how long to wait for an engine to finish', '60s')
    .option('--fault <kind[:target]@time>', FAULT_FLAG_HELP, collect, [])
    .option('--resume <journal>', "finish the run this journal recorded (its arguments are the journal's)")
    .option('--ui [port]', `serve a live dashboard on 127.0.0.1 while the run lasts (default port ${DEFAULT_UI_PORT})`)
    .option(
      '--baseline <results.json>',
      'then compare with this results file (as streamarena compare); exit 1 on a regression',
      baselineFileOption,
    )
    .action(async (flags: RunFlags, cmd: Command) => {
      process.exitCode = await run(flags, cmd);
    });
}

/** With --ui, the dashboard listens before anything else happens and closes when the run ends, however it ends. */
async function run(given: RunFlags, cmd: Command): Promise<number> {
  const dashboard =
    given.ui === undefined ? undefined : await Dashboard.start(uiPort(given.ui), { command: 'run', toolVersion: toolVersion() });
  if (dashboard) process.stderr.write(`live dashboard: ${dashboard.url}\n`);
  try {
    return await runMatrixCommand(given, cmd, dashboard);
  } finally {
    await dashboard?.close();
  }
}

async function runMatrixCommand(given: RunFlags, cmd: Command, dashboard: Dashboard | undefined): Promise<number> {
  const resume = given.resume === undefined ? undefined : Journal.resume(resolve(given.resume), 'run');
  const flags = resume ? flagsFromJournal(cmd, given, resume.header.flags, resume.journal.path, RUN_PATH_FLAGS) : given;
  const engineNames = parseNameList('--engine', flags.engine, Object.keys(engines));
  const workloadNames = parseNameList('--workload', flags.workload, Object.keys(workloads));
  const socket = flags.input === undefined ? undefined : parseSocketInput(flags.input);
  if (socket && cmd.getOptionValueSource('rate') === 'cli')
    throw new UsageError('--rate does not apply to a socket input: its events arrive at the pace the sender writes them');
  // A socket has no schedule: the engine takes what arrives as it arrives (measured as at rate max).
  const rate = socket ? 'max' : parseRate(flags.rate);
  const events = flags.events === undefined ? undefined : parseCount('--events', flags.events);
  const durationMs =
    flags.duration !== undefined
      ? parseTime('--duration', flags.duration, false)
      : events === undefined && (flags.input === undefined || socket)
        ? 5000
        : undefined;
  const warmupMs = flags.warmup !== undefined ? parseTime('--warmup', flags.warmup) : flags.input ? 0 : 1000;
  const trials = parseCount('--trials', flags.trials);
  const parallelism = parseCount('--parallelism', flags.parallelism);
  const seed = parseCount('--seed', flags.seed, 0);
  const drainTimeoutMs = parseTime('--drain-timeout', flags.drainTimeout, false);
  if (flags.isolation !== 'process' && flags.isolation !== 'inline')
    throw new UsageError(`--isolation: '${flags.isolation}' is not 'process' or 'inline'`);
  const options = parseOptionAssignments(flags.option);
  const cluster = flags.cluster === undefined ? undefined : sessionClusterFlag(flags.cluster, engineNames);
  const deployment = cluster ? 'standalone' : parseDeployment(flags.deployment ?? 'local');
  const input = flags.input === undefined ? undefined : socket ? flags.input : resolve(flags.input);
  const faults = (flags.fault ?? []).map(parseFaultSpec);
  checkFaultKinds(faults, engineNames, options, deployment);

  // Everything the user can get wrong is checked before the first trial starts.
  if (socket) {
    const unreadable = workloadNames.filter((w) => !workloads[w].parseTextLine);
    if (unreadable.length > 0)
      process.stderr.write(
        `note: ${unreadable.join(', ')} read${unreadable.length === 1 ? 's' : ''} only JSON lines of ${unreadable.length === 1 ? 'its' : 'their'} events from ${flags.input}; other lines are counted as rejected\n`,
      );
    (await connectSocketInput(socket)).destroy(); // is anyone listening?
  } else if (input) for (const w of workloadNames) await readInputFile(input, workloads[w].parseInputLine);
  const outDir = resultsDirFor(resume, cmd, flags.out, 'run');
  await ensureWritableDir('--out', outDir);
  const sinkFile = flags.sinkFile === undefined ? undefined : resolve(flags.sinkFile);
  if (sinkFile) await ensureWritableDir('--sink-file', dirname(sinkFile));

  const sinkFiles = sinkFile
    ? sinkFilePolicy(sinkFile, { engines: engineNames, workloads: workloadNames, trials, replay: input !== undefined && !socket })
    : undefined;
  const matrix: MatrixSpec = {
    engines: engineNames,
    workloads: workloadNames,
    trials,
    isolation: flags.isolation as Isolation,
    base: {
      parallelism,
      seed,
      options,
      drainTimeoutMs,
      deployment,
      ...(cluster ? { cluster } : {}),
      load: { rate, durationMs, events, warmupMs },
      ...(input ? { input } : {}),
      ...(faults.length > 0 ? { faults } : {}),
      ...(dashboard ? { live: true } : {}),
    },
    ...(sinkFiles ? { sinkFiles } : {}),
  };

  const fingerprint = await runFingerprint(socket ? undefined : input);
  if (resume && JSON.stringify(resume.header.fingerprint ?? {}) !== JSON.stringify(fingerprint))
    throw new UsageError(`--resume: ${input} has changed since ${resume.journal.path} was written`);
  const resumed = resume ? journaledOutcomes(resume.entries, planTrials(matrix), resume.journal.path) : new Map();
  const { journal, createdAt, commandLine } = openJournal(resume, outDir, {
    command: 'run',
    commandLine: commandLineOf(cmd),
    flags: flagsToJournal(flags, RUN_JOURNALED_FLAGS, RUN_PATH_FLAGS),
    fingerprint,
  });
  if (resume) process.stderr.write(`resuming ${journal.path}: ${resumed.size} of ${planTrials(matrix).length} trials completed before\n`);

  let interruptRequested = false;
  const onSigint = () => {
    if (interruptRequested) process.exit(130);
    interruptRequested = true;
    process.stderr.write('\nstopping after this trial; Ctrl-C again to abort without writing results\n');
  };
  const progress = ttyProgress();
  let journalAnnounced = false;
  const terminal: MatrixListener = {
    ...progress,
    trialFinished: (i, total, spec, outcome) => {
      journal.append(trialEntry(i, spec, outcome)); // on disk before anything else happens
      progress.trialFinished?.(i, total, spec, outcome);
      // Said once there is something to resume (a usage error in the first trial stays one line).
      if (!resume && !journalAnnounced && i + 1 < total)
        process.stderr.write(`journal: ${journal.path} (if this run dies, finish it with: streamarena run --resume ${journal.path})\n`);
      journalAnnounced = true;
    },
  };
  const listener = dashboard ? dashboard.matrixListener(terminal) : terminal;
  process.on('SIGINT', onSigint);
  let outcome: Awaited<ReturnType<typeof runMatrix>>;
  try {
    outcome = await runMatrix(matrix, listener, () => interruptRequested, resumed);
  } catch (err) {
    // A usage error writes nothing: a new journal goes too (a resumed one keeps its trials).
    if (isUsageError(err) && !resume) journal.remove();
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }

  const sinkRecords = sinkFiles?.records() ?? [];
  const results = resultsFile(
    cmd,
    createdAt,
    {
      runs: outcome.outcomes,
      ...(outcome.interrupted ? { interrupted: true } : {}),
      ...(sinkRecords.length > 0 ? { sinkFiles: sinkRecords } : {}),
    },
    commandLine,
  );
  const path = await writeFreshResults(outDir, results);
  // The journal has done its work once the results file is in place; after Ctrl-C it is kept, to finish the run.
  if (outcome.interrupted) journal.close();
  else journal.remove();
  if (flags.json) process.stdout.write(JSON.stringify(results) + '\n');
  else process.stdout.write(formatSummary(results) + '\n');
  // With --json the summary is not printed: a disagreement between trials still must not go unseen.
  if (flags.json) for (const f of sinkRecords) if (f.differingTrials.length > 0) process.stderr.write(`${describeSinkFile(f)}\n`);
  process.stderr.write(`results written to ${path}\n`);
  if (cmd.opts().report !== false) await writeReportBeside(path, results, cmd.opts().baseline);
  if (outcome.interrupted) {
    process.stderr.write(`journal kept: finish the run with streamarena run --resume ${journal.path}\n`);
    return 130;
  }
  if (cmd.opts().baseline) return compareWithBaseline(cmd.opts(), results, path);
  return results.runs.some((r) => r.status === 'failed') ? 1 : 0;
}
