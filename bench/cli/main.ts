/**
 * The `streamarena` command line. Usage errors (bad flags, values, options, input files) print one line on
 * stderr and exit 2; failed trials exit 1 after the results are written; bugs exit 1 with a short message
 * (the stack only with STREAMARENA_DEBUG=1).
 */
import { Command, CommanderError } from 'commander';
import { isUsageError } from '../errors.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { explainCommand } from './commands/explain.js';
import { fidelityCommand } from './commands/fidelity.js';
import { listCommand } from './commands/list.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { verifyCommand } from './commands/verify.js';
import { toolVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command('streamarena')
    .description('Flink-, Spark-Streaming- and Storm-style stream engines on the same workloads, measured the same way')
    .version(toolVersion(), '-V, --version');
  for (const cmd of [
    program,
    runCommand(),
    sweepCommand(),
    compareCommand(),
    reportCommand(),
    verifyCommand(),
    fidelityCommand(),
    listCommand(),
    explainCommand(),
    clusterCommand(),
  ]) {
    cmd
      .exitOverride()
      .showSuggestionAfterError(true)
      // Commander puts "(Did you mean ...?)" on a second line: keep every error on one.
      .configureOutput({
        outputError: (text, write) =>
          write(
            `streamarena: ${text
              .replace(/^error: /, '')
              .replace(/\n(?=.)/g, ' ')
              .trimEnd()}\n`,
          ),
      });
    if (cmd !== program) program.addCommand(cmd);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander reports is a usage error.
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code) && err.exitCode === 0 ? 0 : 2;
    }
    if (isUsageError(err)) {
      process.stderr.write(`streamarena: ${(err as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`streamarena: internal error: ${(err as Error).message}\n`);
    if (process.env.STREAMARENA_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}
