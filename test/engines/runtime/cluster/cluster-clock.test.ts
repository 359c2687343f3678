/**
 * One clock across processes: a child stamps with ClusterClock (hrtime + the driver's offset); its stamp,
 * read between two readings of the parent's own clock around the round trip, must fall between them,
 * within 0.1 ms. So a latency measured across the process boundary (parent time - child stamp) agrees with
 * the in-process figure: it is at least 0 and at most the round trip, up to 0.1 ms.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../engines/runtime/clocks.js';
import { ClusterClock, compiledEntry, epochOffsetOf } from '../../../../engines/runtime/cluster/index.js';
import { waitUntilGone } from '../../../support/processes.js';

const TOLERANCE_MS = 0.1;

describe('cluster clock', () => {
  it('in one process, it reads the system clock', () => {
    const clock = new ClusterClock(epochOffsetOf(systemClock));
    for (let i = 0; i < 100; i++) {
      const a = systemClock.now();
      const c = clock.now();
      const b = systemClock.now();
      expect(c).toBeGreaterThanOrEqual(a - TOLERANCE_MS);
      expect(c).toBeLessThanOrEqual(b + TOLERANCE_MS);
    }
  });

  it('a stamp taken in another process falls inside the round trip that fetched it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-clock-'));
    const script = join(dir, 'stamper.mjs');
    writeFileSync(
      script,
      `import { ClusterClock } from ${JSON.stringify(pathToFileURL(compiledEntry('engines/runtime/cluster/index.js')).href)};
const clock = new ClusterClock(Number(process.argv[2]));
process.on('message', (m) => { if (m === 'stamp') process.send(clock.now()); else process.exit(0); });
process.send('ready');
`,
    );
    const child = fork(script, [String(epochOffsetOf(systemClock))], { stdio: 'ignore' });
    try {
      const next = () => new Promise<unknown>((resolve) => child.once('message', resolve));
      await next();
      const latencies: { crossProcess: number; roundTrip: number }[] = [];
      for (let i = 0; i < 50; i++) {
        const before = systemClock.now();
        const reply = next();
        child.send('stamp');
        const stamp = (await reply) as number;
        const after = systemClock.now();
        latencies.push({ crossProcess: after - stamp, roundTrip: after - before });
        expect(stamp).toBeGreaterThanOrEqual(before - TOLERANCE_MS);
        expect(stamp).toBeLessThanOrEqual(after + TOLERANCE_MS);
      }
      for (const l of latencies) {
        expect(l.crossProcess).toBeGreaterThanOrEqual(-TOLERANCE_MS);
        expect(l.crossProcess).toBeLessThanOrEqual(l.roundTrip + TOLERANCE_MS);
      }
    } finally {
      child.send('quit');
      expect(await waitUntilGone([child.pid as number])).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
