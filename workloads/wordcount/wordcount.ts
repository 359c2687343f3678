/**
 * `wordcount`: events `{time, text}`; split text on runs of whitespace, drop empty tokens, no case folding;
 * key by word; count per tumbling event-time window. Output `{windowStart, windowEnd, key, value}`.
 *
 * `wordcount.slide` makes the windows sliding; `wordcount.time=processing` puts words into windows by when
 * the engine took them in rather than by their event time (DStream's `reduceByKeyAndWindow`). Which words
 * share such a window depends on arrival, so `verify` compares what does not: each word's total over all
 * windows, which is its count times window / slide (hence the slide must divide the window).
 */
import {
  count,
  DataflowBuilder,
  numberOption,
  OptionError,
  sliding,
  tumbling,
  type OptionSpec,
  type WindowResult,
} from '../../engines/api/index.js';
import { SeededRandom, ZipfDistribution } from '../generators/index.js';
import type { HookedWorkload } from '../workload-hooks.js';

export interface WordcountEvent {
  time: number;
  text: string;
}

const WHITESPACE = /\s+/;

/** Splits on runs of whitespace and drops empty tokens (leading/trailing whitespace gives empty ones). */
export function splitWords(text: string): string[] {
  const tokens = text.split(WHITESPACE);
  if (tokens[0] === '') tokens.shift();
  if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
  return tokens;
}

const options: OptionSpec[] = [
  { key: 'window', type: 'duration', default: 1000, unit: 'ms', min: 1, description: 'window size' },
  {
    key: 'slide',
    type: 'duration',
    default: null,
    nullable: true,
    unit: 'ms',
    min: 1,
    description: 'a window starts every slide (sliding windows); off = the window size (tumbling)',
  },
  {
    key: 'time',
    type: 'enum',
    default: 'event',
    values: ['event', 'processing'],
    description: 'event: windows by event time, closed by the watermark; processing: windows by arrival, closed on the engine clock',
  },
  { key: 'maxDelay', type: 'duration', default: 200, unit: 'ms', min: 0, description: 'out-of-orderness bound of the watermark' },
  { key: 'keys', type: 'integer', default: 10_000, min: 1, max: 10_000_000, description: 'generator: vocabulary size (distinct words)' },
  { key: 'zipf', type: 'number', default: 1.0, min: 0, max: 5, description: 'generator: Zipf exponent of word frequencies (0 = uniform)' },
  { key: 'wordsPerEvent', type: 'integer', default: 8, min: 1, max: 1000, description: 'generator: words per event' },
  {
    key: 'disorder',
    type: 'duration',
    default: 100,
    unit: 'ms',
    min: 0,
    description: 'generator: events carry a time up to this much before their send time (out of order; late if above maxDelay)',
  },
];

/** Word number `rank` as a pronounceable, distinct token (`ba`, `be`, ... `baba`...). */
export function wordFor(rank: number): string {
  const consonants = 'bcdfghjklmnprstvz';
  const vowels = 'aeiou';
  let word = '';
  let r = rank;
  do {
    word += consonants[r % consonants.length];
    r = Math.floor(r / consonants.length);
    word += vowels[r % vowels.length];
    r = Math.floor(r / vowels.length);
  } while (r > 0);
  return word;
}

/** Each word's count summed over every window it was counted in: `{key, total}`. */
export function totalsPerWord(records: readonly WindowResult<string, number>[]): { key: string; total: number }[] {
  const totals = new Map<string, number>();
  for (const r of records) totals.set(r.key, (totals.get(r.key) ?? 0) + r.value);
  return [...totals].map(([key, total]) => ({ key, total }));
}

export const wordcount: HookedWorkload = {
  name: 'wordcount',
  description: 'split lines into words, count each word per tumbling event-time window',
  options,

  dataflow(values) {
    const size = numberOption(values, 'window');
    const slide = values.slide === null ? size : numberOption(values, 'slide');
    const spec = slide === size ? tumbling(size) : sliding(size, slide);
    const flow = new DataflowBuilder('wordcount');
    const words = flow
      .source<WordcountEvent>('events')
      .withTimestamps((e) => e.time, { maxDelay: numberOption(values, 'maxDelay') }, 'timestamps')
      .flatMap((e) => splitWords(e.text), 'split')
      .keyBy((word) => word);
    if (values.time === 'processing') {
      if (size % slide !== 0) {
        throw new OptionError(
          `option wordcount.slide: ${slide} ms must divide wordcount.window (${size} ms) for processing-time windows, so that every word is counted window / slide times`,
        );
      }
      words.processingTimeWindow(spec).aggregate(count<string>(), 'count').sink('counts');
    } else {
      words.window(spec).aggregate(count<string>(), 'count').sink('counts');
    }
    return flow.build();
  },

  comparableOutput(values, _sink, records) {
    return values.time === 'processing' ? totalsPerWord(records as readonly WindowResult<string, number>[]) : [...records];
  },

  generator(values, seed) {
    const random = new SeededRandom(seed);
    const zipf = new ZipfDistribution(numberOption(values, 'keys'), numberOption(values, 'zipf'));
    const vocabulary = Array.from({ length: zipf.n }, (_, r) => wordFor(r));
    const words = numberOption(values, 'wordsPerEvent');
    const disorder = numberOption(values, 'disorder');
    return {
      next(_index, emitTime) {
        let text = vocabulary[zipf.sample(random)];
        for (let i = 1; i < words; i++) text += (random.next() < 0.1 ? '  ' : ' ') + vocabulary[zipf.sample(random)];
        const time = Math.floor(emitTime) - (disorder > 0 ? random.int(disorder + 1) : 0);
        return { time, text } satisfies WordcountEvent;
      },
    };
  },

  parseInputLine(line) {
    const e = JSON.parse(line) as Partial<WordcountEvent> | null;
    if (e === null || typeof e !== 'object') throw new Error('expected an object {"time": <ms>, "text": <string>}');
    if (typeof e.time !== 'number' || !Number.isFinite(e.time)) throw new Error('"time" must be a number of ms');
    if (typeof e.text !== 'string') throw new Error('"text" must be a string');
    return { time: e.time, text: e.text } satisfies WordcountEvent;
  },

  // The seed's StreamWordCount: each line typed into `nc -lk 7777` is a sentence, timed on arrival.
  parseTextLine(text, arrivalTime) {
    return { time: Math.floor(arrivalTime), text } satisfies WordcountEvent;
  },
};
