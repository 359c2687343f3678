/**
 * One operator subtask's state in a checkpoint, as a file of frames: a 4-byte little-endian length, then
 * that many bytes of `node:v8` serialization. The first frame is a header naming the operator; operator
 * state is one more frame; keyed state is one frame per key group (`[keyGroup, state]`), written as the
 * asynchronous part reads them, so that a large state is written in many short steps.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { KeyGroupsSnapshot } from './keyed-state-backend.js';

export const STATE_FILE_FORMAT = 'streamarena-flink-operator-state';
export const STATE_FILE_VERSION = 1;

export interface OperatorStateFileHeader {
  readonly format: typeof STATE_FILE_FORMAT;
  readonly version: number;
  readonly operatorId: number;
  readonly operatorName: string;
  readonly subtaskIndex: number;
  readonly kind: 'operator' | 'keyed';
  /** Keyed state only. */
  readonly maxParallelism?: number;
}

/** Writes one state file, a frame at a time (synchronous writes, see the asynchronous part's comment). */
export class OperatorStateFileWriter {
  private fd: number | undefined;
  /** Bytes written so far. */
  bytes = 0;

  constructor(
    readonly path: string,
    header: OperatorStateFileHeader,
  ) {
    this.fd = openSync(path, 'wx');
    this.write(header);
  }

  /** Serializes and appends one frame; returns its size in bytes. */
  write(value: unknown): number {
    return this.writeSerialized(serialize(value));
  }

  /** Appends one frame of bytes already in `node:v8` format; returns its size in bytes. */
  writeSerialized(body: Uint8Array): number {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(body.byteLength, 0);
    writeFully(this.fd, length);
    writeFully(this.fd, body);
    this.bytes += 4 + body.byteLength;
    return 4 + body.byteLength;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.byteLength) off += writeSync(fd, bytes, off);
}

/** What a state file holds: its header and the operator's state as `restoreState` takes it. */
export interface OperatorStateFile {
  readonly header: OperatorStateFileHeader;
  /** Operator state as snapshotted, or keyed state as a {@link KeyGroupsSnapshot}. */
  readonly state: unknown;
}

/** Reads a state file written by {@link OperatorStateFileWriter}; throws an Error saying what is wrong. */
export function readOperatorStateFile(path: string): OperatorStateFile {
  const bytes = readFileSync(path);
  const frames: unknown[] = [];
  let off = 0;
  while (off < bytes.byteLength) {
    if (off + 4 > bytes.byteLength) throw new Error(`${path}: truncated frame header at byte ${off}`);
    const len = bytes.readUInt32LE(off);
    off += 4;
    if (off + len > bytes.byteLength) throw new Error(`${path}: truncated frame at byte ${off - 4}`);
    frames.push(deserialize(bytes.subarray(off, off + len)));
    off += len;
  }
  const header = frames[0] as OperatorStateFileHeader | undefined;
  if (header?.format !== STATE_FILE_FORMAT) throw new Error(`${path}: not a flink operator state file`);
  if (header.version !== STATE_FILE_VERSION)
    throw new Error(`${path}: state file version ${header.version}, expected ${STATE_FILE_VERSION}`);
  if (header.kind === 'operator') {
    if (frames.length !== 2) throw new Error(`${path}: operator state file with ${frames.length - 1} state frames, expected 1`);
    return { header, state: frames[1] };
  }
  const keyed: KeyGroupsSnapshot<unknown> = {
    maxParallelism: header.maxParallelism as number,
    keyGroups: frames.slice(1) as [number, unknown][],
  };
  return { header, state: keyed };
}
