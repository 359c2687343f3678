/**
 * A workload is written once, against engines/api only: its dataflow, its options, a seeded generator of
 * events and a parser for the lines of an `--input` file. It never names an engine.
 */
import type { Dataflow, OptionSpec, OptionValues } from '../engines/api/index.js';

export interface EventGenerator {
  /** The value of event `index`, whose intended send time is `emitTime` (ms since epoch). */
  next(index: number, emitTime: number): unknown;
}

export interface Workload {
  readonly name: string;
  /** One line for `streamarena list`. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** The logical plan for these option values (keys without the workload's namespace). */
  dataflow(values: OptionValues): Dataflow;
  /** A deterministic event generator: same seed, same sequence of values. */
  generator(values: OptionValues, seed: number): EventGenerator;
  /** One line of an `--input` file as the event value; throws an Error saying what is wrong. */
  parseInputLine(line: string): unknown;
  /**
   * A plain line of text read from a socket input (`-i tcp://...`) that is not a JSON event, as the event
   * value, stamped with its arrival time (ms since epoch). Absent: such lines are rejected.
   */
  parseTextLine?(text: string, arrivalTime: number): unknown;
}
