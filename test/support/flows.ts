/** Dataflows several engines' tests run: written once, so that every engine is checked on the same flow. */
import { count, DataflowBuilder, type Dataflow, type WindowSpec } from '../../engines/api/index.js';

/** An event with an event time and the words it carries. */
export interface WordsEvent {
  t: number;
  words: string[];
}

/** Words counted per key in `spec` windows, event time `t` with a `maxDelay` watermark bound; sink `out`. */
export function windowedWordCount(name: string, spec: WindowSpec, maxDelay: number): Dataflow {
  const b = new DataflowBuilder(name);
  b.source<WordsEvent>('events')
    .withTimestamps((e) => e.t, { maxDelay }, 'timestamps')
    .flatMap((e) => e.words, 'words')
    .keyBy((w) => w)
    .window(spec)
    .aggregate(count<string>(), 'count')
    .sink('out');
  return b.build();
}
