/**
 * What every Nexmark query shares: the source with its watermark (`WATERMARK FOR dateTime AS dateTime -
 * maxDelay`), the views `person`, `auction` and `bid` (filters on the event type, as `ddl_views.sql`), the
 * generator, the `--input` parser, and the options. A query adds its operators and its sink.
 */
import { DataflowBuilder, numberOption, type OptionSpec, type OptionValues, type Stream } from '../../engines/api/index.js';
import type { Workload } from '../workload.js';
import { generatorConfig, nexmarkGenerator } from './generator/index.js';
import { parseNexmarkEvent, type Auction, type Bid, type NexmarkEvent, type Person } from './model.js';
import { NEXMARK_OPTIONS } from './options.js';

export interface NexmarkQuerySpec {
  /** `nexmark-q5`. */
  readonly name: string;
  readonly description: string;
  /** The query's own options, besides the shared ones. */
  readonly options?: readonly OptionSpec[];
  /** Adds the query to `events` (already timestamped) and ends it in a sink. */
  build(events: Stream<NexmarkEvent>, values: OptionValues): void;
}

export function nexmarkQuery(spec: NexmarkQuerySpec): Workload {
  return {
    name: spec.name,
    description: spec.description,
    options: [...(spec.options ?? []), ...NEXMARK_OPTIONS],
    dataflow(values) {
      const flow = new DataflowBuilder(spec.name);
      const events = flow
        .source<NexmarkEvent>('events')
        .withTimestamps((e) => e.dateTime, { maxDelay: numberOption(values, 'maxDelay') }, 'timestamps');
      spec.build(events, values);
      return flow.build();
    },
    generator: (values, seed) => nexmarkGenerator(generatorConfig(values), seed),
    parseInputLine: parseNexmarkEvent,
  };
}

/** The `person` view. */
export function persons(events: Stream<NexmarkEvent>, name = 'person'): Stream<Person> {
  return events.filter((e) => e.type === 'person', name) as unknown as Stream<Person>;
}

/** The `auction` view. */
export function auctions(events: Stream<NexmarkEvent>, name = 'auction'): Stream<Auction> {
  return events.filter((e) => e.type === 'auction', name) as unknown as Stream<Auction>;
}

/** The `bid` view. */
export function bids(events: Stream<NexmarkEvent>, name = 'bid'): Stream<Bid> {
  return events.filter((e) => e.type === 'bid', name) as unknown as Stream<Bid>;
}
