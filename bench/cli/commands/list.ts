/** `streamarena list`: engines, workloads and every option with its default. */
import { Command } from 'commander';
import type { OptionSpec } from '../../../engines/api/index.js';
import { engines } from '../../../engines/index.js';
import { workloads } from '../../../workloads/index.js';

function optionJson(namespace: string, o: OptionSpec) {
  return {
    key: `${namespace}.${o.key}`,
    type: o.type,
    default: o.default,
    description: o.description,
    ...(o.unit ? { unit: o.unit } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.values ? { values: o.values } : {}),
  };
}

function optionLine(namespace: string, o: OptionSpec): string {
  const def = o.default === null ? 'off' : `${String(o.default)}${o.unit && o.type !== 'enum' ? ` ${o.unit}` : ''}`;
  const values = o.values ? ` (${o.values.join('|')})` : '';
  return `    ${`${namespace}.${o.key}`.padEnd(28)} ${def.padEnd(10)} ${o.description}${values}`;
}

export function listCommand(): Command {
  return new Command('list')
    .description('list engines, workloads and their options with defaults')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      const all = [
        ...Object.values(engines).map((e) => ({ kind: 'engine', name: e.name, description: e.description, options: e.options })),
        ...Object.values(workloads).map((w) => ({ kind: 'workload', name: w.name, description: w.description, options: w.options })),
      ];
      if (flags.json) {
        const json = (kind: string) =>
          all
            .filter((x) => x.kind === kind)
            .map((x) => ({ name: x.name, description: x.description, options: x.options.map((o) => optionJson(x.name, o)) }));
        process.stdout.write(JSON.stringify({ engines: json('engine'), workloads: json('workload') }, null, 2) + '\n');
        return;
      }
      const lines: string[] = [];
      for (const kind of ['engine', 'workload']) {
        lines.push(`${kind}s:`);
        for (const x of all.filter((y) => y.kind === kind)) {
          lines.push(`  ${x.name}: ${x.description}`);
          if (x.options.length === 0) lines.push('    (no options)');
          for (const o of x.options) lines.push(optionLine(x.name, o));
        }
        lines.push('');
      }
      lines.push('set options with -o key=value, e.g. streamarena run -o wordcount.window=5000');
      process.stdout.write(lines.join('\n') + '\n');
    });
}
