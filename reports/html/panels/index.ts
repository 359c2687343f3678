/**
 * Engine panels: the engine-specific view of a trial's `engineStats` (Flink, Spark, Storm), then the
 * fields no specific panel showed. A panel that throws on an unexpected shape is replaced by a note;
 * the rest of the report is unaffected.
 */
import type { EngineStatsOf } from '../../schema.js';
import { escapeHtml } from '../../page/index.js';
import type { PanelContext } from './context.js';
import { FLINK_KEYS, flinkPanel } from './flink.js';
import { genericStats } from './generic.js';
import { isObj } from './read.js';
import { SPARK_KEYS, sparkPanel } from './spark.js';
import { STORM_KEYS, stormPanel } from './storm.js';

export type { PanelContext } from './context.js';

/** The engines with a specific panel. */
type PanelEngine = 'flink' | 'spark' | 'storm';

/** A panel reads its engine's own statistics type; parts a file from an older version lacks read as undefined. */
interface PanelKind<E extends PanelEngine> {
  render(stats: Partial<EngineStatsOf<E>>, ctx: PanelContext): string;
  /** The engineStats keys the panel shows. */
  keys: readonly (keyof EngineStatsOf<E>)[];
  title: string;
}

const PANELS: { readonly [E in PanelEngine]: PanelKind<E> } = {
  flink: { render: flinkPanel, keys: FLINK_KEYS, title: 'chains, back-pressure, buffers, checkpoints' },
  spark: { render: sparkPanel, keys: SPARK_KEYS, title: 'batches, shuffle, state' },
  storm: { render: stormPanel, keys: STORM_KEYS, title: 'acking, bolts, queues' },
};

/** Whether an engine has a specific panel. */
export function hasEnginePanel(engine: string): engine is PanelEngine {
  return Object.hasOwn(PANELS, engine);
}

/**
 * The panel body of one trial's engine statistics (without a heading). `engine` picks the specific
 * panel; every engine also gets the fields that panel did not show.
 */
export function enginePanel(engine: string, stats: unknown, ctx: PanelContext): { title: string; html: string } {
  const kind = hasEnginePanel(engine) ? (PANELS[engine] as PanelKind<PanelEngine>) : undefined;
  const title = kind?.title ?? 'engine statistics';
  if (!isObj(stats)) return { title, html: '<p class="muted">This trial recorded no engine statistics.</p>' };
  let specific = '';
  if (kind) {
    const before = ctx.charts.specs.length;
    try {
      specific = kind.render(stats as Partial<EngineStatsOf<PanelEngine>>, ctx);
    } catch (err) {
      ctx.charts.specs.length = before; // drop the charts of the failed panel: they have no canvas
      specific = `<p class="bad">The ${escapeHtml(engine)} panel could not read these statistics (${escapeHtml((err as Error).message)}); the raw fields are below.</p>`;
    }
  }
  let rest: string;
  try {
    rest = genericStats(stats, new Set<string>(kind && !specific.startsWith('<p class="bad">') ? (kind.keys as readonly string[]) : []));
  } catch (err) {
    rest = `<p class="bad">These statistics could not be read (${escapeHtml((err as Error).message)}).</p>`;
  }
  const restHtml = rest ? (specific ? `<details${kind ? '' : ' open'}><summary>Other statistics</summary>${rest}</details>` : rest) : '';
  return { title, html: specific + restHtml || '<p class="muted">No engine statistics.</p>' };
}
