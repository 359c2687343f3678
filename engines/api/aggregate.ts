/**
 * Aggregate functions for windows, shaped like Flink's AggregateFunction. Accumulators must be plain data
 * (numbers, strings, arrays, plain objects): engines serialize them across shuffles and into checkpoints,
 * and `merge` combines partial accumulators (sessions, map-side combine, sliding panes).
 */
export interface AggregateFunction<IN, ACC, OUT> {
  /** Short name for plans and explain output, e.g. `count`. */
  readonly name: string;
  create(): ACC;
  /** Adds one value; may mutate and return `acc`, or return a new accumulator. */
  add(acc: ACC, value: IN): ACC;
  /** Combines two accumulators; may reuse either. */
  merge(a: ACC, b: ACC): ACC;
  result(acc: ACC): OUT;
  /**
   * The inverse of `merge`, where there is one: removes from `acc` a partial accumulator `removed` that was
   * merged into it before (`retract(merge(a, b), b)` equals `a`). Lets a sliding window subtract what leaves
   * it instead of recomputing (Spark's reduceByKeyAndWindow with an inverse function). May reuse `acc`.
   */
  retract?(acc: ACC, removed: ACC): ACC;
}

/** Counts records. */
export function count<IN = unknown>(): AggregateFunction<IN, number, number> {
  return { name: 'count', create: () => 0, add: (acc) => acc + 1, merge: (a, b) => a + b, result: (acc) => acc, retract: (a, b) => a - b };
}

/** Sums a numeric field. */
export function sumOf<IN>(field: (value: IN) => number): AggregateFunction<IN, number, number> {
  return {
    name: 'sum',
    create: () => 0,
    add: (acc, v) => acc + field(v),
    merge: (a, b) => a + b,
    result: (acc) => acc,
    retract: (a, b) => a - b,
  };
}

/** Reduces values pairwise with an associative, commutative function; a window always has a value. */
export function reducing<T>(name: string, fn: (a: T, b: T) => T): AggregateFunction<T, { v: T } | null, T> {
  return {
    name,
    create: () => null,
    add: (acc, v) => (acc === null ? { v } : { v: fn(acc.v, v) }),
    merge: (a, b) => (a === null ? b : b === null ? a : { v: fn(a.v, b.v) }),
    result: (acc) => {
      if (acc === null) throw new Error(`${name}: result of an empty window`);
      return acc.v;
    },
  };
}
