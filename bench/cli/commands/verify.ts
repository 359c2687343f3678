/**
 * `streamarena verify`: do the engines agree with the reference engine? Each workload over a bounded,
 * seeded input (fixed event times, so every engine gets the same events), in this process; exit 0 when
 * every engine's sink records equal the reference's, 1 with the differences when any does not, 2 for a
 * usage error.
 */
import { Command } from 'commander';
import type { Engine } from '../../../engines/api/index.js';
import { engines as registeredEngines } from '../../../engines/index.js';
import { workloads as registeredWorkloads, type Workload } from '../../../workloads/index.js';
import { parseOptionAssignments } from '../../runner/options.js';
import { checkParallelism } from '../../runner/preflight.js';
import {
  DEFAULT_VERIFY_EVENTS,
  formatFaultVerifyCase,
  formatFaultVerifyReport,
  formatVerifyCase,
  formatVerifyReport,
  verify,
  verifyFaults,
  type VerifyReport,
} from '../../verify/index.js';
import { parseFaultSpec } from '../../faults/index.js';
import { CLUSTER_FLAG_HELP, sessionClusterFlag } from '../cluster-flag.js';
import { checkFaultKinds, enginesWithFaults, FAULT_FLAG_HELP } from '../fault-flags.js';
import { UsageError } from '../../errors.js';

/** Events per second of a verify run with faults (20 000 events: 4 s). */
export const DEFAULT_FAULT_VERIFY_RATE = 5000;
import { collect, DEPLOYMENT_HELP, parseCount, parseDeployment, parseNameList, parseTime } from '../parse.js';
import { checkDeployment } from '../../runner/dataflow-recipe.js';

export interface VerifyFlags {
  engine: string;
  workload: string;
  events: string;
  seed: string;
  parallelism: string;
  option: string[];
  timeout: string;
  json?: boolean;
  deployment?: string;
  cluster?: string;
  fault?: string[];
  rate?: string;
}

export interface VerifyRegistry {
  readonly engines: Readonly<Record<string, Engine>>;
  readonly workloads: Readonly<Record<string, Workload>>;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description('run each workload on a bounded seeded input on every engine and on reference, and compare the sink records')
    .option('-e, --engine <list>', 'engines, comma-separated, or all', 'all')
    .option('-w, --workload <list>', 'workloads, comma-separated, or all', 'all')
    .option('-n, --events <count>', 'events per workload', String(DEFAULT_VERIFY_EVENTS))
    .option('--seed <n>', 'generator seed', '42')
    .option('-p, --parallelism <n>', 'operator parallelism and log partitions of the engines under test', '1')
    .option('-o, --option <key=value>', 'engine or workload option, repeatable (e.g. ysb.sinkMode=flush)', collect, [])
    .option('--timeout <time>', 'how long one engine may take for one workload', '60s')
    .option('--deployment <mode>', `where the engines under test run: ${DEPLOYMENT_HELP}`, 'local')
    .option('--cluster <dir>', CLUSTER_FLAG_HELP)
    .option('--json', 'print the report as JSON')
    .option('--fault <kind[:target]@time>', `${FAULT_FLAG_HELP}; then each engine must keep the guarantee its options promise`, collect, [])
    .option('-r, --rate <events/s>', 'with --fault: the paced rate the events are sent at', String(DEFAULT_FAULT_VERIFY_RATE))
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}

/** The command's work: parses the flags (usage errors throw), verifies, prints; returns the exit code. */
export async function runVerify(
  flags: VerifyFlags,
  registry: VerifyRegistry = { engines: registeredEngines, workloads: registeredWorkloads },
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const engineNames = parseNameList('--engine', flags.engine, Object.keys(registry.engines));
  const workloadNames = parseNameList('--workload', flags.workload, Object.keys(registry.workloads));
  const events = parseCount('--events', flags.events);
  const seed = parseCount('--seed', flags.seed, 0);
  const parallelism = parseCount('--parallelism', flags.parallelism);
  const timeoutMs = parseTime('--timeout', flags.timeout, false);
  const options = parseOptionAssignments(flags.option);
  for (const e of engineNames) checkParallelism(registry.engines[e], parallelism, options);
  const cluster = flags.cluster === undefined ? undefined : sessionClusterFlag(flags.cluster, engineNames);
  const deployment = cluster ? 'standalone' : parseDeployment(flags.deployment ?? 'local');
  checkDeployment(engineNames, workloadNames, options, deployment);
  const faults = (flags.fault ?? []).map(parseFaultSpec);
  if (faults.length > 0) {
    // `all` means every engine that has these faults; a named engine without them is a usage error.
    const faultEngines = flags.engine === 'all' ? enginesWithFaults(faults, engineNames, options, deployment) : engineNames;
    if (faultEngines.length === 0)
      throw new UsageError(`--fault: no engine has ${faults.map((f) => f.kind).join(', ')} in the ${deployment} deployment`);
    checkFaultKinds(faults, faultEngines, options, deployment);
    const rate = parseCount('--rate', flags.rate ?? String(DEFAULT_FAULT_VERIFY_RATE));
    const faultReport = await verifyFaults({
      engines: faultEngines,
      workloads: workloadNames,
      events,
      rate,
      seed,
      parallelism,
      options,
      faults,
      deployment,
      timeoutMs,
      onCase: flags.json ? undefined : (c) => out(formatFaultVerifyCase(c).join('\n') + '\n'),
    });
    out(flags.json ? JSON.stringify(faultReport, null, 2) + '\n' : formatFaultVerifyReport(faultReport) + '\n');
    return faultReport.ok ? 0 : 1;
  }
  const widths = { engine: Math.max(6, ...engineNames.map((n) => n.length)), workload: Math.max(8, ...workloadNames.map((n) => n.length)) };
  const report: VerifyReport = await verify({
    engines: engineNames,
    workloads: workloadNames,
    events,
    seed,
    parallelism,
    options,
    timeoutMs,
    registry,
    deployment,
    ...(cluster ? { cluster } : {}),
    onCase: flags.json ? undefined : (c) => out(formatVerifyCase(c, widths).join('\n') + '\n'),
  });
  if (flags.json) out(JSON.stringify(report, null, 2) + '\n');
  else out(formatVerifyReport(report).split('\n').pop()! + '\n');
  return report.ok ? 0 : 1;
}
