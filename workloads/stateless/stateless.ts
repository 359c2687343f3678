/**
 * `stateless`: the per-record latency probe. Events are JSON text in the Yahoo Streaming Benchmark's shape,
 * as they would arrive from Kafka; the engine parses each one, keeps `event_type == "view"` and projects it
 * to `{ad_id, event_time}`. One output per kept event, no state.
 */
import { DataflowBuilder, numberOption, type OptionSpec } from '../../engines/api/index.js';
import { SeededRandom } from '../generators/index.js';
import type { Workload } from '../workload.js';

/** A parsed YSB event: every field is a string, `event_time` too (epoch ms). */
export interface AdEvent {
  user_id: string;
  page_id: string;
  ad_id: string;
  ad_type: string;
  event_type: string;
  event_time: string;
  ip_address: string;
}

export interface AdView {
  ad_id: string;
  event_time: string;
}

export const AD_TYPES = ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'] as const;
export const EVENT_TYPES = ['view', 'click', 'purchase'] as const;

const options: OptionSpec[] = [
  { key: 'ads', type: 'integer', default: 1000, min: 1, max: 1_000_000, description: 'generator: distinct ad ids (YSB: 100 campaigns x 10 ads)' },
  { key: 'users', type: 'integer', default: 100, min: 1, max: 1_000_000, description: 'generator: distinct user ids and page ids' },
];

export const stateless: Workload = {
  name: 'stateless',
  description: 'parse YSB-shaped JSON, keep views, project to {ad_id, event_time}: per-record latency, no state',
  options,

  dataflow() {
    const flow = new DataflowBuilder('stateless');
    flow.source<string>('events')
      .map((text) => JSON.parse(text) as AdEvent, 'parse')
      .filter((e) => e.event_type === 'view', 'filter-views')
      .map((e): AdView => ({ ad_id: e.ad_id, event_time: e.event_time }), 'project')
      .sink('views');
    return flow.build();
  },

  generator(values, seed) {
    const random = new SeededRandom(seed);
    const users = Array.from({ length: numberOption(values, 'users') }, () => random.uuid());
    const pages = Array.from({ length: users.length }, () => random.uuid());
    const ads = Array.from({ length: numberOption(values, 'ads') }, () => random.uuid());
    return {
      // Built by concatenation, as YSB's generator formats a template: JSON.stringify would cost more than the engine.
      next: (_index, emitTime) =>
        `{"user_id":"${random.pick(users)}","page_id":"${random.pick(pages)}","ad_id":"${random.pick(ads)}",` +
        `"ad_type":"${random.pick(AD_TYPES)}","event_type":"${random.pick(EVENT_TYPES)}",` +
        `"event_time":"${Math.floor(emitTime)}","ip_address":"1.2.3.4"}`,
    };
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
