/**
 * `stateless`: the per-record latency probe. Events are JSON text in the Yahoo Streaming Benchmark's shape,
 * as they would arrive from Kafka; the engine parses each one, keeps `event_type == "view"` and projects it
 * to `{ad_id, event_time}`. One output per kept event, no state.
 */
import { DataflowBuilder, numberOption, type OptionSpec } from '../../engines/api/index.js';
import { SeededRandom } from '../generators/index.js';
import { ysbEventGenerator, type AdEvent } from '../ysb/event-generator.js';
import type { Workload } from '../workload.js';

export interface AdView {
  ad_id: string;
  event_time: string;
}

const options: OptionSpec[] = [
  {
    key: 'ads',
    type: 'integer',
    default: 1000,
    min: 1,
    max: 1_000_000,
    description: 'generator: distinct ad ids (YSB: 100 campaigns x 10 ads)',
  },
  { key: 'users', type: 'integer', default: 100, min: 1, max: 1_000_000, description: 'generator: distinct user ids and page ids' },
];

export const stateless: Workload = {
  name: 'stateless',
  description: 'parse YSB-shaped JSON, keep views, project to {ad_id, event_time}: per-record latency, no state',
  options,

  dataflow() {
    const flow = new DataflowBuilder('stateless');
    flow
      .source<string>('events')
      .map((text) => JSON.parse(text) as AdEvent, 'parse')
      .filter((e) => e.event_type === 'view', 'filter-views')
      .map((e): AdView => ({ ad_id: e.ad_id, event_time: e.event_time }), 'project')
      .sink('views');
    return flow.build();
  },

  generator(values, seed) {
    // YSB's own event generator, with ads of its own (no campaigns: nothing here joins them).
    const random = new SeededRandom(seed ^ 0x5f3759df);
    const ads = Array.from({ length: numberOption(values, 'ads') }, () => random.uuid());
    return ysbEventGenerator({ ads }, seed, { withSkew: false, users: numberOption(values, 'users') });
  },

  parseInputLine(line) {
    const e = JSON.parse(line) as Partial<AdEvent> | null;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new Error('expected a YSB event object');
    for (const field of ['ad_id', 'event_type', 'event_time'] as const) {
      if (typeof e[field] !== 'string') throw new Error(`"${field}" must be a string`);
    }
    return line; // handed over as text, as from Kafka: the engine parses it
  },
};
