/**
 * The engine's stats as a trial streams them while it runs (with `live`, for the dashboard): the same
 * `job.stats()` the result records at the end, with each history list cut to its most recent entries so
 * that a second's message stays small however long the run (Spark keeps 1000 batches, Flink its checkpoint
 * history).
 */

/** Entries kept of each history list. */
export const LIVE_HISTORY = 120;

/** Top-level lists of the engines' stats that grow with the run's length. */
const HISTORY_KEYS = ['batches', 'checkpoints', 'rateLimit'];

export function liveEngineStats(stats: object): object {
  const out: Record<string, unknown> = { ...stats };
  for (const key of HISTORY_KEYS) {
    const list = out[key];
    if (Array.isArray(list) && list.length > LIVE_HISTORY) out[key] = list.slice(-LIVE_HISTORY);
  }
  return out;
}
