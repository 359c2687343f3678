/**
 * The kind of machine a baseline was measured on. Figures of one kind of machine say little about another
 * (an AMD EPYC and an Intel Xeon differ per engine, not by one factor that normalizing would cancel), so
 * the gate judges only against a baseline of the same kind unless told otherwise.
 */
import type { Environment } from '../../reports/schema.js';

/** What makes two machines the same kind for the gate: not the hostname, the OS release or Node's patch level. */
export interface MachineKind {
  cpuModel: string;
  cores: number;
  /** Total memory rounded to whole GiB (the kernel's figure moves by a few MB between boots). */
  memoryGiB: number;
  /** Node's major version (`v20`): a new major changes V8's tiers, a patch release does not. */
  nodeMajor: string;
}

export function machineKind(env: Environment): MachineKind {
  return {
    cpuModel: env.cpuModel,
    cores: env.cores,
    memoryGiB: Math.round(env.memoryBytes / 2 ** 30),
    nodeMajor: /^v?\d+/.exec(env.node)?.[0] ?? env.node,
  };
}

/** One line, the same for machines of the same kind: shown in messages and used as a CI cache key. */
export function fingerprint(kind: MachineKind): string {
  return `${kind.cpuModel} x${kind.cores} ${kind.memoryGiB}GiB node-${kind.nodeMajor.replace(/^v/, '')}`;
}

/** The fields in which two kinds differ, e.g. `CPU 'AMD EPYC' here 'Intel Xeon'`; empty when the same. */
export function kindDifferences(baseline: MachineKind, here: MachineKind): string[] {
  const out: string[] = [];
  if (baseline.cpuModel !== here.cpuModel) out.push(`CPU '${baseline.cpuModel}', here '${here.cpuModel}'`);
  if (baseline.cores !== here.cores) out.push(`${baseline.cores} cores, here ${here.cores}`);
  if (baseline.memoryGiB !== here.memoryGiB) out.push(`${baseline.memoryGiB} GiB, here ${here.memoryGiB} GiB`);
  if (baseline.nodeMajor !== here.nodeMajor) out.push(`Node ${baseline.nodeMajor}, here ${here.nodeMajor}`);
  return out;
}

/** The fingerprint as a cache-key-safe slug: lower case, runs of anything but letters and digits as one '-'. */
export function fingerprintSlug(kind: MachineKind): string {
  return fingerprint(kind)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
