/**
 * Storm's `GrouperFactory`: instantiates a subscription's grouping for one producer task.
 */
import { FieldsGrouping } from './fields-grouping.js';
import type { Grouper } from './grouper.js';
import type { GroupingSpec } from './grouping.js';
import { PartialKeyGrouping } from './partial-key-grouping.js';
import { ShuffleGrouping } from './shuffle-grouping.js';

/** Every target task. */
export class AllGrouping implements Grouper {
  readonly all = true;
  constructor(readonly targets: readonly number[]) {}
  choose(_value: unknown): number {
    throw new Error('an all grouping sends to every target; choose() is not used');
  }
}

/** The lowest target task id. */
export class GlobalGrouping implements Grouper {
  readonly all = false;
  private readonly task: number;
  constructor(readonly targets: readonly number[]) {
    this.task = Math.min(...targets);
  }
  choose(_value: unknown): number {
    return this.task;
  }
}

/** The producer names the task with emitDirect; a plain emit on a direct stream is an error. */
export class DirectGrouping implements Grouper {
  readonly all = false;
  constructor(
    readonly targets: readonly number[],
    private readonly stream: string,
  ) {}
  choose(_value: unknown): number {
    throw new Error(`stream '${this.stream}' is direct: emit to it with emitDirect`);
  }
}

export interface GrouperContext {
  /** The consumer's task ids, ascending. */
  readonly targets: readonly number[];
  /** Whether a target task runs in the producer task's worker (for local-or-shuffle). */
  readonly isLocal: (task: number) => boolean;
  /** The producer task id (seeds shuffles). */
  readonly producerTask: number;
  /** The stream's name (for error messages). */
  readonly stream: string;
}

export function mkGrouper(spec: GroupingSpec, ctx: GrouperContext): Grouper {
  const { targets } = ctx;
  switch (spec.type) {
    case 'shuffle':
      return new ShuffleGrouping(targets, ctx.producerTask * 7919);
    case 'localOrShuffle': {
      const local = targets.filter(ctx.isLocal);
      return new ShuffleGrouping(local.length > 0 ? local : targets, ctx.producerTask * 7919);
    }
    case 'fields':
      return new FieldsGrouping(targets, spec.selector);
    case 'partialKey':
      return new PartialKeyGrouping(targets, spec.selector);
    case 'all':
      return new AllGrouping(targets);
    case 'global':
      return new GlobalGrouping(targets);
    case 'direct':
      return new DirectGrouping(targets, ctx.stream);
  }
}
