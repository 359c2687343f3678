/**
 * Each engine's physical plan for each workload, as `streamarena explain` gives it, drawn as a diagram
 * with its text form below. Results files do not carry plans: the caller recomputes them from the
 * run's recorded options (see {@link PlanProvider}), so plans show only for engines and workloads the
 * installed streamarena knows.
 */
import type { EnginePlan, OptionValue } from '../../engines/api/index.js';
import type { SeriesColors } from './colors.js';
import type { RunGroup } from './data.js';
import { escapeHtml } from '../page/index.js';
import { planDiagram } from './plan-diagram.js';

export type PlanOutcome = { plan: EnginePlan } | { error: string };

/**
 * Recomputes a plan: `engine.explain(workload.dataflow(options), {parallelism, values})` from a run's
 * qualified options. Undefined when the engine or workload is not known here.
 */
export type PlanProvider = (engine: string, workload: string, options: Readonly<Record<string, OptionValue>>) => PlanOutcome | undefined;

export function plansSection(groups: readonly RunGroup[], provider: PlanProvider | undefined, colors: SeriesColors): string {
  if (!provider) return '<p class="muted">Plans were not computed for this report.</p>';
  const out: string[] = [];
  const workloads = [...new Set(groups.map((g) => g.workload))];
  let n = 0;
  const missing: string[] = [];
  for (const workload of workloads) {
    const figures: string[] = [];
    const seen = new Set<string>();
    for (const g of groups.filter((x) => x.workload === workload && x.runs.length > 0)) {
      const options = g.runs[0]!.options;
      const key = JSON.stringify([g.engine, options]);
      if (seen.has(key)) continue;
      seen.add(key);
      let outcome: PlanOutcome | undefined;
      try {
        outcome = provider(g.engine, workload, options);
      } catch (err) {
        outcome = { error: (err as Error).message };
      }
      if (outcome === undefined) {
        missing.push(`${g.engine} \u00d7 ${workload}`);
        continue;
      }
      const color = colors.of(g.label, g.engine);
      const heading = `<h4><span class="swatch" style="background:${color}"></span>${escapeHtml(g.label)}</h4>`;
      if ('error' in outcome) {
        figures.push(`<div class="plan">${heading}<p class="bad">explain failed: ${escapeHtml(outcome.error)}</p></div>`);
        continue;
      }
      const diagram = planDiagram(outcome.plan, `plan-${n++}`, `${g.label} plan for ${workload}`);
      const text = typeof outcome.plan.text === 'string' ? outcome.plan.text : '';
      figures.push(
        `<div class="plan">${heading}<div class="plan-wrap">${diagram.html}</div>` +
          (text
            ? `<details${diagram.drawn ? '' : ' open'}><summary>As text (streamarena explain)</summary><pre>${escapeHtml(text)}</pre></details>`
            : '') +
          '</div>',
      );
    }
    if (figures.length > 0) out.push(`<h3>${escapeHtml(workload)}</h3>${figures.join('')}`);
  }
  if (missing.length > 0) {
    out.push(
      `<p class="muted small">No plan for ${escapeHtml(missing.join(', '))}: this streamarena does not know that engine or workload.</p>`,
    );
  }
  return out.length > 0 ? out.join('') : '<p class="muted">No plans.</p>';
}
