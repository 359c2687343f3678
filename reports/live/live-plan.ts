/**
 * The running trial's plan for the live page: drawn by the HTML report's plan diagram (the same boxes,
 * chains, slots and workers), with the ids of its leaf boxes, which the streamed vertex states colour.
 */
import type { EnginePlan } from '../../engines/api/index.js';
import { planDiagram } from '../html/index.js';
import type { LivePlan } from './live-stream.js';

export function livePlan(plan: Pick<EnginePlan, 'nodes' | 'edges'> | undefined, title: string): LivePlan {
  if (!plan)
    return { html: '<p class="muted">No plan: the engine or workload is not registered in this process.</p>', drawn: false, nodeIds: [] };
  const { html, drawn } = planDiagram(plan, 'live-plan', title);
  const parents = new Set(plan.nodes.map((n) => n.parent).filter((p) => p !== undefined));
  return { html, drawn, nodeIds: drawn ? plan.nodes.filter((n) => !parents.has(n.id)).map((n) => n.id) : [] };
}
