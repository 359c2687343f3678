import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asResultsFile } from '../../../reports/schema.js';
import { runCli } from './run-cli.js';

describe('streamarena fidelity', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes every check to the results and the report, skipped ones saying why', async () => {
    const out = await mkdtemp(join(tmpdir(), 'sa-fidelity-'));
    dirs.push(out);
    const r = await runCli(['fidelity', '--budget', '1s', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ysb-latency: YSB 2020: latency after window close against load: SKIPPED');
    expect(r.stdout).toContain('0 hold, 0 fail, 4 skipped, 0 errors');
    const file = (await readdir(out)).find((f) => f.endsWith('.json'))!;
    const results = asResultsFile(JSON.parse(await readFile(join(out, file), 'utf8')), file);
    expect(results.fidelity?.map((c) => c.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Against published results');
    expect(html).toContain('raise --budget');
  });

  it('rejects what it cannot run with one line and exit 2', async () => {
    for (const args of [
      ['fidelity', '-e', 'reference'],
      ['fidelity', '--check', 'ysb'],
      ['fidelity', '--budget', '0'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
