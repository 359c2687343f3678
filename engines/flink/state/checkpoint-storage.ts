/**
 * Flink's file system checkpoint storage (`FileSystemCheckpointStorage`): every job gets
 * `<checkpointDir>/<jobId>/`, every checkpoint `chk-<n>/` in it, created by the coordinator when it
 * triggers the checkpoint; each operator subtask writes its state file there in the asynchronous part,
 * and the coordinator writes `_metadata` (the pointers to those files) when the checkpoint completes.
 *
 * Without `flink.checkpointDir` the storage is a temporary directory of this run, removed with everything
 * in it when the job ends. With it, the latest completed checkpoint is kept when the job ends (as Flink's
 * retained externalized checkpoints), so that a later job can restore from it; the others are removed.
 * One completed checkpoint is retained while the job runs (`state.checkpoints.num-retained` = 1): a newer
 * one removes the older, and a failed one is removed at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const METADATA_FILE = '_metadata';

/** The directory name of checkpoint `id` (Flink's `chk-<n>`). */
export function checkpointDirName(id: number): string {
  return `chk-${id}`;
}

export class FsCheckpointStorage {
  /** `<checkpointDir>/<jobId>`. */
  readonly jobDir: string;
  /** Whether the storage is a temporary directory of this run. */
  readonly temporary: boolean;
  private readonly root: string;
  private disposed = false;

  /**
   * @param checkpointDir where checkpoints go; null: a new temporary directory
   * @param jobId the job's directory name (Flink's JobID, 32 hex digits, when not given)
   * @throws Error when the directory cannot be created
   */
  constructor(checkpointDir: string | null, jobId: string = randomBytes(16).toString('hex')) {
    this.temporary = checkpointDir === null;
    try {
      this.root = checkpointDir ?? mkdtempSync(join(tmpdir(), 'streamarena-flink-checkpoints-'));
      this.jobDir = join(this.root, jobId);
      mkdirSync(this.jobDir, { recursive: true });
    } catch (err) {
      throw new Error(`flink.checkpointDir: cannot create ${checkpointDir ?? 'a temporary directory'}: ${(err as Error).message}`);
    }
  }

  /** The directory of checkpoint `id` (the location the tasks write to). */
  locationOf(id: number): string {
    return join(this.jobDir, checkpointDirName(id));
  }

  /** Creates checkpoint `id`'s directory (the coordinator, at trigger) and returns it. */
  initializeLocation(id: number): string {
    const dir = this.locationOf(id);
    mkdirSync(dir);
    return dir;
  }

  /** Writes `_metadata` of checkpoint `id` atomically (temporary file, then rename); returns its path. */
  writeMetadata(id: number, metadata: unknown): string {
    const path = join(this.locationOf(id), METADATA_FILE);
    const tmp = `${path}.inprogress`;
    writeFileSync(tmp, `${JSON.stringify(metadata, null, 1)}\n`);
    renameSync(tmp, path);
    return path;
  }

  /** Removes checkpoint `id` (failed, or subsumed by a newer one). */
  discard(id: number): void {
    rmSync(this.locationOf(id), { recursive: true, force: true });
  }

  /**
   * The job has ended: a temporary storage is removed; otherwise every checkpoint but `retain` (the
   * latest completed one, if any) is removed. Idempotent.
   */
  dispose(retain: number | undefined): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.temporary) {
      rmSync(this.root, { recursive: true, force: true });
      return;
    }
    const keep = retain === undefined ? undefined : checkpointDirName(retain);
    let names: string[];
    try {
      names = readdirSync(this.jobDir);
    } catch {
      return;
    }
    for (const name of names) if (name !== keep) rmSync(join(this.jobDir, name), { recursive: true, force: true });
    if (keep === undefined) rmSync(this.jobDir, { recursive: true, force: true });
  }
}

/** Reads and parses a checkpoint's `_metadata`; throws an Error naming the file. */
export function readMetadata(checkpointPath: string): unknown {
  const path = checkpointPath.endsWith(METADATA_FILE) ? checkpointPath : join(checkpointPath, METADATA_FILE);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read checkpoint metadata: ${(err as Error).message}`);
  }
}
