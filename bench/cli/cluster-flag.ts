/**
 * `--cluster <dir>` on run, sweep and verify: submit to the session cluster `streamarena cluster start`
 * left in this state directory instead of starting one per trial. Only Flink has session clusters; an
 * engine under test that cannot submit to it is the user's error, before anything runs.
 */
import { resolve } from 'node:path';
import { readClusterState } from '../../engines/flink/index.js';
import { UsageError } from '../errors.js';

export const CLUSTER_FLAG_HELP =
  "submit to the session cluster 'streamarena cluster start' left in this state directory (implies --deployment standalone)";

/** The state directory of a running session cluster that every engine of `engineNames` can submit to. @throws UsageError */
export function sessionClusterFlag(dir: string, engineNames: readonly string[]): string {
  const path = resolve(dir);
  let engine: string;
  try {
    engine = readClusterState(path).engine;
  } catch (err) {
    throw new UsageError(`--cluster: ${(err as Error).message}`);
  }
  const others = engineNames.filter((e) => e !== engine);
  if (others.length > 0)
    throw new UsageError(
      `--cluster: the session cluster in ${path} is ${engine}'s; ${others.join(', ')} cannot submit to it (leave --cluster off for them)`,
    );
  return path;
}
