import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataflowBuilder, type Clock } from '../../../engines/api/index.js';
import { JsonlWriter, MeasuredSinks } from '../../../bench/metrics/index.js';
import { OutputDigest, canonicalJson } from '../../../reports/digest.js';

const flow = (() => {
  const b = new DataflowBuilder('sinks-test');
  b.source<{ k: string; v: number }>('in').sink('out');
  return b.build();
})();

/** A clock standing still at 1000 ms: every record written at 1000. */
const clock = { now: () => 1000 } as unknown as Clock;

const records = [
  { windowStart: 0, windowEnd: 1000, key: 'ba', value: 3 },
  { windowEnd: 2000, windowStart: 1000, key: 'é"\n', value: 1.5 },
  { key: 'ce', value: -7, windowStart: 1_700_000_000_000, windowEnd: 1_700_000_001_000 },
];

function expectedDigest(): string {
  const d = new OutputDigest();
  for (const r of records) d.addCanonical(canonicalJson(r));
  return d.toString();
}

const dir = mkdtempSync(join(tmpdir(), 'streamarena-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MeasuredSinks', () => {
  it('digests every record exactly when asked, and measures the ones in the window', () => {
    const sinks = new MeasuredSinks(flow, clock, undefined, true);
    sinks.measureFrom = 500;
    const w = sinks.get('out');
    records.forEach((r, i) => w.write(r, i === 0 ? 100 : 600, 900));
    expect(sinks.digest?.toString()).toBe(expectedDigest());
    expect(sinks.records).toBe(3);
    expect(sinks.measuredRecords).toBe(2);
    expect(sinks.eventTime.summary().count).toBe(2);
    expect(sinks.eventTime.summary().max).toBeCloseTo(400, 0);
  });

  it('skips the digest when not asked, and still counts and measures', () => {
    const sinks = new MeasuredSinks(flow, clock, undefined, false);
    sinks.measureFrom = 0;
    for (const r of records) sinks.get('out').write(r, 600, 900);
    expect(sinks.digest).toBeUndefined();
    expect(sinks.records).toBe(3);
    expect(sinks.processingTime.summary().count).toBe(3);
  });

  it('always digests what it writes to a sink file, with the same digest as without the file', () => {
    const path = join(dir, 'out.jsonl');
    const file = new JsonlWriter(path);
    const sinks = new MeasuredSinks(flow, clock, file, false);
    for (const r of records) sinks.get('out').write(r, 600, 900);
    file.commit();
    expect(sinks.digest?.toString()).toBe(expectedDigest());
    expect(readFileSync(path, 'utf8')).toBe(records.map((r) => canonicalJson(r) + '\n').join(''));
  });
});
