/**
 * Serialized records as a list of buffers (chunks): what a MEMORY_ONLY_SER block, a serialized state
 * partition and a checkpoint file hold. Records are written with the runtime's codec into buffers of a
 * fixed size; a full buffer becomes one chunk.
 */
import { RecordSerializer } from '../../runtime/index.js';

/** Bytes per chunk of blocks and checkpoint files. */
export const BLOCK_CHUNK_BYTES = 64 * 1024;

export class BlockWriter {
  private readonly ser: RecordSerializer;
  private chunks: Uint8Array[] = [];
  private written = 0;
  records = 0;

  constructor(chunkBytes = BLOCK_CHUNK_BYTES) {
    this.ser = new RecordSerializer(chunkBytes);
  }

  write(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    if (!this.ser.write(value, eventTime, emitTime, ingestTime)) {
      this.cut();
      this.ser.write(value, eventTime, emitTime, ingestTime);
    }
    this.records++;
  }

  /** The chunks written so far, the last one cut; the writer starts a new block. */
  finish(): Uint8Array[] {
    if (!this.ser.isEmpty) this.cut();
    const chunks = this.chunks;
    this.chunks = [];
    this.written = 0;
    this.records = 0;
    return chunks;
  }

  /** Bytes in finished chunks plus the open one. */
  get byteLength(): number {
    return this.written + this.ser.byteLength;
  }

  private cut(): void {
    const chunk = this.ser.finish();
    this.written += chunk.byteLength;
    this.chunks.push(chunk);
  }
}

/** Bytes of a list of chunks. */
export function chunkBytes(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  return n;
}
