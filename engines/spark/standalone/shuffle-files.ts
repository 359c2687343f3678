/**
 * An executor's shuffle files (spark.local.dir): one data file per map output, the buckets of all
 * reducers one after another (as the sort shuffle's `.data` file; the driver's MapStatus holds the chunk
 * lengths that Spark keeps in the `.index` file). Its block manager reads a reducer's range back for a
 * fetch, and deletes a shuffle's files once the driver drops the shuffle.
 */
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export function mapOutputFile(shuffleId: number, mapId: number): string {
  return `shuffle_${shuffleId}_${mapId}.data`;
}

/** Reads `length` bytes at `offset` of a map output's file. */
export async function readBlock(dir: string, shuffleId: number, mapId: number, offset: number, length: number): Promise<Uint8Array> {
  const file = await open(join(dir, mapOutputFile(shuffleId, mapId)), 'r');
  try {
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    while (at < length) {
      const { bytesRead } = await file.read(out, at, length - at, offset + at);
      if (bytesRead === 0) throw new Error(`${mapOutputFile(shuffleId, mapId)} ends at ${offset + at}, ${offset + length} expected`);
      at += bytesRead;
    }
    return out;
  } finally {
    await file.close();
  }
}

/** Deletes every file of `shuffleId`. */
export async function removeShuffleFiles(dir: string, shuffleId: number): Promise<void> {
  const prefix = `shuffle_${shuffleId}_`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(dir, n), { force: true })));
}
