/** Walking an RDD lineage: where stages end (shuffle dependencies) and what a stage computes. */
import type { RDD } from '../rdd/rdd.js';
import { ShuffleDependency } from '../rdd/shuffled-rdd.js';

/** The shuffle dependencies reachable from `rdd` through narrow dependencies (the stage's boundaries). */
export function shuffleDependenciesOf(rdd: RDD): ShuffleDependency[] {
  const found: ShuffleDependency[] = [];
  const visited = new Set<RDD>();
  const stack: RDD[] = [rdd];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (visited.has(r)) continue;
    visited.add(r);
    for (const dep of r.dependencies) {
      if (dep instanceof ShuffleDependency) {
        if (!found.includes(dep)) found.push(dep);
      } else {
        stack.push(dep.rdd);
      }
    }
  }
  return found.sort((a, b) => a.shuffleId - b.shuffleId);
}

/** The RDDs a stage computes (narrow lineage from its RDD), in pipeline order from the source. */
export function stagePipeline(rdd: RDD): RDD[] {
  const order: RDD[] = [];
  const visited = new Set<RDD>();
  const visit = (r: RDD): void => {
    if (visited.has(r)) return;
    visited.add(r);
    for (const dep of r.dependencies) if (!(dep instanceof ShuffleDependency)) visit(dep.rdd);
    order.push(r);
  };
  visit(rdd);
  return order;
}
