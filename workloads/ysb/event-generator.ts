/**
 * YSB's event generator (`core.clj`, `make-kafka-event-at`): JSON text with string fields, built from a
 * template as the original does, with its spacing. `event_time` is the event's intended send time (ms),
 * so generator lag counts as latency. With skew (YSB's `-w`), each event's time moves by -49..+50 ms and
 * one in 100 000 events is late by up to 60 s.
 */
import { SeededRandom } from '../generators/index.js';
import type { EventGenerator } from '../workload.js';
import type { Campaigns } from './campaigns.js';

export const AD_TYPES = ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'] as const;
export const EVENT_TYPES = ['view', 'click', 'purchase'] as const;
/** `make-ids 100` for user and page ids in real-time mode. */
export const YSB_USERS = 100;

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

export interface YsbGeneratorOptions {
  /** YSB's `--with-skew`. */
  withSkew: boolean;
  /** Distinct user ids and page ids; YSB's real-time mode has 100. */
  users?: number;
}

export function ysbEventGenerator(campaigns: Pick<Campaigns, 'ads'>, seed: number, opts: YsbGeneratorOptions): EventGenerator {
  const random = new SeededRandom(seed);
  const users = Array.from({ length: opts.users ?? YSB_USERS }, () => random.uuid());
  const pages = Array.from({ length: users.length }, () => random.uuid());
  const ads = campaigns.ads;
  const { withSkew } = opts;
  return {
    next(_index, emitTime) {
      let time = Math.floor(emitTime);
      if (withSkew) {
        time += 50 - random.int(100);
        if (random.int(100_000) === 0) time -= random.int(60_000);
      }
      return (
        `{"user_id": "${random.pick(users)}", "page_id": "${random.pick(pages)}", "ad_id": "${random.pick(ads)}", ` +
        `"ad_type": "${random.pick(AD_TYPES)}", "event_type": "${random.pick(EVENT_TYPES)}", ` +
        `"event_time": "${time}", "ip_address": "1.2.3.4"}`
      );
    },
  };
}
