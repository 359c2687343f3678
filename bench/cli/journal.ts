/**
 * The journal of a `run` or `sweep`: one JSON line per completed trial or sweep point, appended and
 * fsync'd as each completes, so that a process killed after an hour loses only the trial it was running.
 * The first line says which command, version and flags wrote it; `--resume <journal>` reads it back and
 * finishes what is missing. A torn last line (killed mid-write) is dropped: its trial runs again.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { fileStamp } from './results-output.js';
import { toolVersion } from './version.js';

const FORMAT = 'streamarena-journal/1';

export type JournaledCommand = 'run' | 'sweep';

export interface JournalHeader {
  format: typeof FORMAT;
  command: JournaledCommand;
  /** The streamarena version that wrote it: a journal is resumed only by the same version. */
  version: string;
  /** When the original command started (ISO), and its command line: the results file carries both. */
  createdAt: string;
  commandLine: string;
  /** The flags that decide what is measured, with defaults applied and paths absolute. */
  flags: Record<string, unknown>;
  /** Anything else the command must find unchanged on resume (e.g. the input file's digest). */
  fingerprint?: Record<string, string>;
}

/** A journal opened by {@link Journal.resume}: its header and the entries it holds. */
export type ResumedJournal = ReturnType<typeof Journal.resume>;

/**
 * The results folder of `command`: beside the resumed journal, where the interrupted command would have put
 * them (an `--out` given again must name it), or `--out`.
 */
export function resultsDirFor(resume: ResumedJournal | undefined, cmd: Command, out: string, command: JournaledCommand): string {
  if (!resume) return resolve(out);
  const dir = dirname(resume.journal.path);
  if (cmd.getOptionValueSource('out') === 'cli' && resolve(out) !== dir)
    throw new UsageError(`--resume: the results of a resumed ${command} go beside its journal, in ${dir}, not in --out ${out}`);
  return dir;
}

/**
 * The journal to append to: the resumed one, or a new one in `dir`; with the start time and command line
 * the results file keeps (the original command's when resuming).
 */
export function openJournal(
  resume: ResumedJournal | undefined,
  dir: string,
  fresh: Omit<JournalHeader, 'format' | 'version' | 'createdAt'>,
): { journal: Journal; createdAt: Date; commandLine: string } {
  if (resume) return { journal: resume.journal, createdAt: new Date(resume.header.createdAt), commandLine: resume.header.commandLine };
  const createdAt = new Date();
  return { journal: Journal.create(dir, { ...fresh, createdAt: createdAt.toISOString() }), createdAt, commandLine: fresh.commandLine };
}

export class Journal {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
  ) {}

  /** A new journal in `dir` (`journal-<stamp>.jsonl`, never an existing file), its header on disk. */
  static create(dir: string, header: Omit<JournalHeader, 'format' | 'version'>): Journal {
    const stamp = fileStamp(new Date(header.createdAt));
    for (let n = 1; ; n++) {
      const path = join(dir, `journal-${stamp}${n > 1 ? `-${n}` : ''}.jsonl`);
      let fd: number;
      try {
        fd = openSync(path, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new UsageError(`--out: cannot create a journal in ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const journal = new Journal(path, fd);
      journal.append({ format: FORMAT, version: toolVersion(), ...header });
      syncDirectory(dir);
      return journal;
    }
  }

  /**
   * Opens `path` to resume `command`: checks it is a journal of that command by this version, drops a torn
   * last line, and returns its header and entries. Every problem is a UsageError of one line.
   */
  static resume(path: string, command: JournaledCommand): { journal: Journal; header: JournalHeader; entries: unknown[] } {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`--resume: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const complete = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, complete).split('\n').slice(0, -1);
    const header = parseLine(lines[0]) as Partial<JournalHeader> | undefined;
    if (!header || header.format !== FORMAT) throw new UsageError(`--resume: ${path} is not a streamarena journal`);
    if (header.command !== command) {
      throw new UsageError(`--resume: ${path} is the journal of 'streamarena ${String(header.command)}', not of 'streamarena ${command}'`);
    }
    if (header.version !== toolVersion()) {
      throw new UsageError(`--resume: ${path} was written by streamarena ${String(header.version)}; this is ${toolVersion()}`);
    }
    const entries = lines.slice(1).map((line, i) => {
      const entry = parseLine(line);
      if (entry === undefined) throw new UsageError(`--resume: ${path}: line ${i + 2} is not JSON`);
      return entry;
    });
    // Killed in the middle of a line: that entry never completed; cut it so that appends start clean.
    if (complete < Buffer.byteLength(text)) truncateSync(path, Buffer.byteLength(text.slice(0, complete)));
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (err) {
      throw new UsageError(`--resume: cannot append to ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return { journal: new Journal(path, fd), header: header as JournalHeader, entries };
  }

  /** Appends one line and waits until it is on disk. */
  append(entry: unknown): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes and deletes the journal (once the results file it led to is written). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}

function parseLine(line: string | undefined): unknown {
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** A new file's name is durable only once its directory is synced (Linux; elsewhere best effort). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported on this platform */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
