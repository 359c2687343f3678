/**
 * A real ZooKeeper for the tests that need one (Debian's package; .ci/run installs it). Without it, the
 * tests are skipped on a developer's machine and fail in CI, where it must be there.
 */
import { zookeeperUnavailable } from '../../bench/services/index.js';

/** Why ZooKeeper tests cannot run here; in CI a missing ZooKeeper is an error, not a skip. */
export function zookeeperMissing(): string | undefined {
  const missing = zookeeperUnavailable();
  if (missing && process.env.CI === 'true') throw new Error(`CI needs ZooKeeper for these tests: ${missing}`);
  return missing;
}
