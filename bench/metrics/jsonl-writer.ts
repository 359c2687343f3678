/**
 * Writes lines to a file atomically: into a temporary file beside the target, renamed over it only when
 * the run completes, so that a failed run never leaves a half-written or clobbered file.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

const FLUSH_BYTES = 64 * 1024;

export class JsonlWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.tmp = `${path}.${process.pid}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }

  writeLine(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    this.lines++;
    if (this.pendingChars >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Flushes and moves the file into place. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  /** Removes the temporary file; the target is left as it was. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true });
  }
}
