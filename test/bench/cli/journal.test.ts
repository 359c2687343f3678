import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../bench/cli/journal.js';

const header = {
  command: 'run' as const,
  createdAt: '2026-03-04T05:06:07.000Z',
  commandLine: 'streamarena run -t 2',
  flags: { trials: '2' },
};

describe('journal', () => {
  it('reads back what was appended, drops a line torn by a kill and appends after it cleanly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-journal-'));
    const journal = Journal.create(dir, header);
    journal.append({ index: 0 });
    journal.close();
    appendFileSync(journal.path, '{"index": 1, "outcome": {"sta'); // the process died mid-write
    const again = Journal.resume(journal.path, 'run');
    expect(again.header).toMatchObject(header);
    expect(again.entries).toEqual([{ index: 0 }]);
    again.journal.append({ index: 1 });
    again.journal.close();
    expect(readFileSync(journal.path, 'utf8').split('\n').slice(1)).toEqual(['{"index":0}', '{"index":1}', '']);
  });

  it('never takes the name of an existing journal, and is gone once removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-journal-'));
    const a = Journal.create(dir, header);
    const b = Journal.create(dir, header);
    expect(a.path).not.toBe(b.path);
    a.remove();
    b.remove();
    expect(readdirSync(dir)).toEqual([]);
  });
});
