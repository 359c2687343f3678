/**
 * Storm's `TopologyBuilder`: declare spouts and bolts with parallelism hints and task counts, and each
 * bolt's subscriptions with their stream groupings (shuffle, fields, all, global, direct,
 * local-or-shuffle, partial-key).
 */
import type { Key } from '../../api/index.js';
import type { GroupingSpec } from '../grouping/grouping.js';
import type { IBolt, ISpout, TopologyContext } from './components.js';
import {
  DEFAULT_STREAM,
  type BoltDef,
  type ComponentDef,
  type SpoutDef,
  type StormTopology,
  type StreamDef,
  type Subscription,
} from './topology.js';

interface Draft {
  kind: 'spout' | 'bolt';
  id: string;
  parallelism: number;
  numTasks: number | undefined;
  streams: Map<string, StreamDef>;
  description: string;
  spout?: (context: TopologyContext) => ISpout;
  bolt?: (context: TopologyContext) => IBolt;
  inputs: Subscription[];
}

function checkCount(what: string, id: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`component ${id}: ${what} must be a positive whole number, got ${n}`);
}

/** Settings shared by spout and bolt declarations. */
class ComponentDeclarer<Self> {
  constructor(protected readonly draft: Draft) {}

  /** Number of tasks (default: the parallelism hint); executors share them in contiguous ranges. */
  setNumTasks(n: number): Self {
    checkCount('numTasks', this.draft.id, n);
    this.draft.numTasks = n;
    return this as unknown as Self;
  }

  /** Declares an output stream; `direct` streams are consumed with a direct grouping and emitDirect. */
  declareStream(id: string, direct = false): Self {
    this.draft.streams.set(id, { id, direct });
    return this as unknown as Self;
  }

  /** A one-line description for explain. */
  describe(text: string): Self {
    this.draft.description = text;
    return this as unknown as Self;
  }
}

export class SpoutDeclarer extends ComponentDeclarer<SpoutDeclarer> {}

export class BoltDeclarer extends ComponentDeclarer<BoltDeclarer> {
  private subscribe(component: string, stream: string, grouping: GroupingSpec): BoltDeclarer {
    this.draft.inputs.push({ component, stream, grouping });
    return this;
  }

  shuffleGrouping(component: string, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'shuffle' });
  }

  localOrShuffleGrouping(component: string, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'localOrShuffle' });
  }

  /** Partitions by `key(value)`; `fields` names the selected fields for explain. */
  fieldsGrouping(component: string, fields: string, key: (value: any) => Key, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'fields', selector: { fields, key } });
  }

  partialKeyGrouping(component: string, fields: string, key: (value: any) => Key, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'partialKey', selector: { fields, key } });
  }

  allGrouping(component: string, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'all' });
  }

  globalGrouping(component: string, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'global' });
  }

  directGrouping(component: string, stream = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'direct' });
  }
}

export class TopologyBuilder {
  private readonly drafts: Draft[] = [];

  constructor(readonly name = 'topology') {}

  private add(kind: 'spout' | 'bolt', id: string, parallelism: number): Draft {
    if (this.drafts.some((d) => d.id === id)) throw new Error(`component id '${id}' is used twice`);
    checkCount('parallelism hint', id, parallelism);
    const draft: Draft = {
      kind,
      id,
      parallelism,
      numTasks: undefined,
      description: '',
      inputs: [],
      streams: new Map([[DEFAULT_STREAM, { id: DEFAULT_STREAM, direct: false }]]),
    };
    this.drafts.push(draft);
    return draft;
  }

  /** A spout with `parallelism` executors; `create` builds one instance per task. */
  setSpout(id: string, create: (context: TopologyContext) => ISpout, parallelism = 1): SpoutDeclarer {
    const d = this.add('spout', id, parallelism);
    d.spout = create;
    return new SpoutDeclarer(d);
  }

  /** A bolt with `parallelism` executors; `create` builds one instance per task. */
  setBolt(id: string, create: (context: TopologyContext) => IBolt, parallelism = 1): BoltDeclarer {
    const d = this.add('bolt', id, parallelism);
    d.bolt = create;
    return new BoltDeclarer(d);
  }

  createTopology(): StormTopology {
    const components: ComponentDef[] = [];
    for (const kind of ['spout', 'bolt'] as const) {
      for (const d of this.drafts) {
        if (d.kind !== kind) continue;
        const base = {
          id: d.id,
          parallelism: d.parallelism,
          numTasks: d.numTasks ?? d.parallelism,
          streams: [...d.streams.values()],
          description: d.description,
          system: false,
        };
        components.push(
          kind === 'spout'
            ? ({ ...base, kind, create: d.spout! } satisfies SpoutDef)
            : ({ ...base, kind, create: d.bolt!, inputs: [...d.inputs] } satisfies BoltDef),
        );
      }
    }
    return { name: this.name, components };
  }
}
