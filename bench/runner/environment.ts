/** Where a run happened: recorded in every results file. */
import { execFileSync } from 'node:child_process';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import type { Environment } from '../../reports/schema.js';
import { packageRoot } from './package-paths.js';

export function collectEnvironment(): Environment {
  const cpuList = cpus();
  const env: Environment = {
    node: process.version,
    os: `${platform()} ${release()}`,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
    hostname: hostname(),
  };
  const commit = gitCommit();
  if (commit) env.gitCommit = commit;
  return env;
}

function gitCommit(): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: packageRoot(),
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    });
    return out.toString().trim() + (dirty.toString().trim() ? '-dirty' : '');
  } catch {
    return undefined;
  }
}
