/**
 * Reads an `--input` JSONL file: one event per line, in file order. Every line is parsed before the run
 * starts, so that a malformed line is reported (with its number) before anything is measured or written.
 */
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';

/** Turns one line into an event value; throws an Error whose message says what is wrong with it. */
export type LineParser = (line: string) => unknown;

export async function readInputFile(path: string, parse: LineParser): Promise<unknown[]> {
  try {
    await access(path, constants.R_OK);
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new UsageError(`cannot read input file ${path}: ${describeFsError(err)}`);
  }
  const values: unknown[] = [];
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      values.push(parse(line));
    } catch (err) {
      lines.close();
      const reason = err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message;
      throw new UsageError(`input file ${path} line ${lineNo}: ${reason}`);
    }
  }
  if (values.length === 0) throw new UsageError(`input file ${path} has no events`);
  return values;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (err as Error).message;
}
