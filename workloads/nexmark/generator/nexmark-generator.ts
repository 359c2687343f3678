/**
 * Nexmark's `NexmarkGenerator` for the open-loop driver: event `index` is the Nexmark event with that id,
 * stamped with the driver's intended send time (`dateTime = floor(emitTime)`), optionally delayed (Beam's
 * `occasionalDelaySec` / `probDelayedEvent`: its dateTime is earlier than its send time, so it arrives out
 * of order). Deterministic for a seed: the driver asks for events in index order.
 */
import { SeededRandom } from '../../generators/index.js';
import type { EventGenerator } from '../../workload.js';
import type { NexmarkEvent } from '../model.js';
import { nextAuction } from './auction-generator.js';
import { channelTable, nextBid } from './bid-generator.js';
import {
  AUCTION_PROPORTION,
  DEFAULT_INTER_EVENT_DELAY_MS,
  PERSON_PROPORTION,
  TOTAL_PROPORTION,
  type GeneratorConfig,
} from './generator-config.js';
import { nextPerson } from './person-generator.js';
import { StringsGenerator } from './strings-generator.js';

/** A workload generator whose events are Nexmark events. */
export interface NexmarkEventGenerator extends EventGenerator {
  next(index: number, emitTime: number): NexmarkEvent;
}

export function nexmarkGenerator(config: GeneratorConfig, seed: number): NexmarkEventGenerator {
  const random = new SeededRandom(seed);
  const strings = new StringsGenerator(random);
  // Its own stream, so that the table does not shift the events' draws when CHANNELS_NUMBER changes.
  const tableRandom = new SeededRandom(seed ^ 0x6e65786d);
  const table = channelTable(tableRandom, new StringsGenerator(tableRandom));
  const delayed = config.occasionalDelayMs > 0 && config.probDelayedEvent > 0;
  let firstIndex = -1;
  let firstEmitTime = 0;
  return {
    next(index, emitTime) {
      if (firstIndex < 0) {
        firstIndex = index;
        firstEmitTime = emitTime;
      }
      let dateTime = Math.floor(emitTime);
      if (delayed && random.next() < config.probDelayedEvent) dateTime -= random.int(config.occasionalDelayMs);
      const rem = index % TOTAL_PROPORTION;
      if (rem < PERSON_PROPORTION) return nextPerson(index, random, strings, dateTime, config);
      if (rem < PERSON_PROPORTION + AUCTION_PROPORTION) {
        const pace = index > firstIndex ? (emitTime - firstEmitTime) / (index - firstIndex) : DEFAULT_INTER_EVENT_DELAY_MS;
        return nextAuction(index, random, strings, dateTime, pace, config);
      }
      return nextBid(index, random, strings, table, dateTime, config);
    },
  };
}
