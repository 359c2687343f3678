/** `streamarena explain`: an engine's physical plan for a workload. */
import { Command } from 'commander';
import { engines } from '../../../engines/index.js';
import { workloads } from '../../../workloads/index.js';
import { UsageError } from '../../errors.js';
import { checkParallelism, deploymentProblem, effectiveOptions, parseOptionAssignments } from '../../runner/index.js';
import { collect, DEPLOYMENT_HELP, parseCount, parseDeployment, parseNameList } from '../parse.js';

export function explainCommand(): Command {
  return new Command('explain')
    .description("print an engine's physical plan for a workload")
    .requiredOption('-e, --engine <name>', 'engine')
    .requiredOption('-w, --workload <name>', 'workload')
    .option('-p, --parallelism <n>', 'operator parallelism', '1')
    .option('-o, --option <key=value>', 'engine or workload option, repeatable', collect, [])
    .option('--deployment <mode>', DEPLOYMENT_HELP, 'local')
    .option('--json', 'print the plan as JSON')
    .action((flags: { engine: string; workload: string; parallelism: string; option: string[]; deployment: string; json?: boolean }) => {
      const [engineName] = parseNameList('--engine', flags.engine, Object.keys(engines));
      const [workloadName] = parseNameList('--workload', flags.workload, Object.keys(workloads));
      const engine = engines[engineName];
      const workload = workloads[workloadName];
      const given = parseOptionAssignments(flags.option);
      const parallelism = parseCount('--parallelism', flags.parallelism);
      checkParallelism(engine, parallelism, given);
      const flow = workload.dataflow(effectiveOptions(workload.name, workload.options, given));
      const deployment = parseDeployment(flags.deployment);
      const problem = deploymentProblem(engine, deployment);
      if (problem) throw new UsageError(problem);
      const plan = engine.explain(flow, {
        parallelism,
        values: effectiveOptions(engine.name, engine.options, given),
        ...(deployment === 'local' ? {} : { deployment }),
      });
      process.stdout.write(flags.json ? JSON.stringify(plan, null, 2) + '\n' : plan.text + '\n');
    });
}
