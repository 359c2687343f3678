import { describe, expect, it } from 'vitest';
import { fingerprintSlug, kindDifferences, machineKind } from '../../../bench/ci/machine.js';

const env = { node: 'v20.20.2', os: 'linux 6', cpuModel: 'AMD EPYC', cores: 2, memoryBytes: 25276510208, hostname: 'a' };

describe('machine kind', () => {
  it('ignores the hostname, the Node patch level and a few MB of memory', () => {
    const other = { ...env, node: 'v20.19.0', hostname: 'b', memoryBytes: 25275990016 };
    expect(kindDifferences(machineKind(env), machineKind(other))).toEqual([]);
  });
  it('names every field that differs', () => {
    const other = { ...env, cpuModel: 'Intel Xeon', cores: 4, node: 'v22.1.0' };
    expect(kindDifferences(machineKind(env), machineKind(other))).toEqual([
      "CPU 'AMD EPYC', here 'Intel Xeon'",
      '2 cores, here 4',
      'Node v20, here v22',
    ]);
  });
  it('gives a cache-key-safe slug', () => {
    expect(fingerprintSlug(machineKind({ ...env, cpuModel: 'Intel(R) Xeon(R) Processor' }))).toBe(
      'intel-r-xeon-r-processor-x2-24gib-node-20',
    );
  });
});
