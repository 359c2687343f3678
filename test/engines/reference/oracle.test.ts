/**
 * Property tests of the reference engine against a brute-force oracle written independently here (plain
 * loops, no project code): seeded random wordcount-style inputs, with and without late events, and the
 * expected window results and late count computed by simulating the watermark rule of DESIGN.md record by
 * record (`watermark = maxSeenEventTime - maxDelay - 1`, advanced after each input record; a window fires
 * when the watermark reaches `end - 1`; a record whose every window has fired is late). Also the real
 * `wordcount` workload, and the `test/fixtures/wordcount-ooo` fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultOptionValues,
  session,
  sliding,
  tumbling,
  type Dataflow,
  type WindowResult,
  type WindowSpec,
} from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { windowedWordCount } from '../../support/flows.js';
import { runBounded, sortedValues, type SinkRecord } from '../../support/run-bounded.js';
import { prng } from '../../support/prng.js';

// ---------------------------------------------------------------------------------------------------
// Inputs.

interface WordsEvent {
  t: number;
  words: string[];
}

const VOCABULARY = ['ba', 'be', 'bi', 'Ba', 'ca', 'cu', 'da', 'do'];

interface GenOptions {
  n: number;
  maxDelay: number;
  /** Largest step of the generator's clock between events. */
  step: number;
  /** Events go back up to this much from the generator's clock: <= maxDelay means nothing is late. */
  jitter: number;
  start: number;
  vocabulary?: readonly string[];
}

/** Times increase with random steps; each event goes back a random jitter from the current time. */
function generate(seed: number, o: GenOptions): WordsEvent[] {
  const r = prng(seed);
  const vocab = o.vocabulary ?? VOCABULARY;
  const events: WordsEvent[] = [];
  let clock = o.start;
  for (let i = 0; i < o.n; i++) {
    clock += r.int(o.step + 1);
    const t = clock - r.int(o.jitter + 1);
    const words: string[] = [];
    const m = r.int(4); // 0..3 words, so some events carry none
    for (let j = 0; j < m; j++) words.push(r.pick(vocab));
    events.push({ t, words });
  }
  return events;
}

// ---------------------------------------------------------------------------------------------------
// The brute-force oracles.

interface OracleResult {
  /** `key|start|end|value` lines, sorted. */
  lines: string[];
  late: number;
}

function line(key: string, start: number, end: number, value: number): string {
  return `${key}|${start}|${end}|${value}`;
}

/** Aligned windows of `size` every `slide` (tumbling: slide = size), counting words per key. */
function alignedOracle(events: readonly WordsEvent[], size: number, slide: number, maxDelay: number): OracleResult {
  let maxSeen = -Infinity;
  let watermark = -Infinity;
  let late = 0;
  const counts = new Map<string, number>();
  for (const e of events) {
    for (const w of e.words) {
      let belongs = 0;
      let accepted = 0;
      // Every multiple of slide near t; keep those whose [s, s + size) contains t.
      for (let m = Math.floor((e.t - size) / slide) - 1; m <= Math.floor(e.t / slide) + 1; m++) {
        const s = m * slide;
        if (!(s <= e.t && e.t < s + size)) continue;
        belongs++;
        if (s + size - 1 <= watermark) continue; // this window has fired
        accepted++;
        const id = `${w}|${s}|${s + size}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      if (belongs > 0 && accepted === 0) late++;
    }
    if (e.t > maxSeen) maxSeen = e.t;
    watermark = maxSeen - maxDelay - 1;
  }
  return { lines: [...counts].map(([id, c]) => `${id}|${c}`).sort(), late };
}

/** Session windows of `gap` per key, simulated record by record: touching extents merge. */
function sessionOracle(events: readonly WordsEvent[], gap: number, maxDelay: number): OracleResult {
  let maxSeen = -Infinity;
  let watermark = -Infinity;
  let late = 0;
  const open = new Map<string, { start: number; end: number; n: number }[]>();
  const out: string[] = [];
  for (const e of events) {
    for (const w of e.words) {
      const list = open.get(w) ?? [];
      open.set(w, list);
      let start = e.t;
      let end = e.t + gap;
      let n = 1;
      const keep: { start: number; end: number; n: number }[] = [];
      let touched = 0;
      for (const s of list) {
        if (s.start <= e.t + gap && s.end >= e.t) {
          touched++;
          start = Math.min(start, s.start);
          end = Math.max(end, s.end);
          n += s.n;
        } else {
          keep.push(s);
        }
      }
      if (touched === 0 && e.t + gap - 1 <= watermark) {
        late++;
        continue;
      }
      keep.push({ start, end, n });
      open.set(w, keep);
    }
    if (e.t > maxSeen) maxSeen = e.t;
    watermark = maxSeen - maxDelay - 1;
    for (const [w, list] of open) {
      const still = list.filter((s) => s.end - 1 > watermark);
      for (const s of list) if (s.end - 1 <= watermark) out.push(line(w, s.start, s.end, s.n));
      open.set(w, still);
    }
  }
  for (const [w, list] of open) for (const s of list) out.push(line(w, s.start, s.end, s.n));
  return { lines: out.sort(), late };
}

// ---------------------------------------------------------------------------------------------------
// The engine side.

function wordsFlow(spec: WindowSpec, maxDelay: number): Dataflow {
  return windowedWordCount('words', spec, maxDelay);
}

function engineLines(records: readonly SinkRecord[]): string[] {
  return records
    .map((r) => {
      const v = r.value as WindowResult<string, number>;
      return line(v.key, v.windowStart, v.windowEnd, v.value);
    })
    .sort();
}

/** Runs at parallelism 1 and 3; the window operator is named `count` in both flows tested here. */
async function check(events: readonly unknown[], flow: Dataflow, expected: OracleResult, sink = 'out'): Promise<void> {
  for (const parallelism of [1, 3]) {
    const r = await runBounded(referenceEngine, flow, events, { parallelism });
    expect(engineLines(r.sinks[sink]), `parallelism ${parallelism}`).toEqual(expected.lines);
    expect(r.late.total, `late at parallelism ${parallelism}`).toBe(expected.late);
    expect(r.late.byOperator, `late by operator at parallelism ${parallelism}`).toEqual(expected.late > 0 ? { count: expected.late } : {});
  }
}

// ---------------------------------------------------------------------------------------------------

const SEEDS = [1, 7, 42, 1234, 98765];

describe('oracle: tumbling windows', () => {
  for (const seed of SEEDS) {
    const r = prng(seed * 31 + 5);
    const size = 20 + r.int(200);
    const maxDelay = seed === 7 ? 0 : r.int(150);
    const step = 1 + r.int(30);

    it(`seed ${seed}: in-bound disorder (size ${size}, maxDelay ${maxDelay}): exact counts, nothing late`, async () => {
      const events = generate(seed, { n: 800, maxDelay, step, jitter: maxDelay, start: -500 + r.int(1000) });
      const expected = alignedOracle(events, size, size, maxDelay);
      expect(expected.late).toBe(0);
      expect(expected.lines.length).toBeGreaterThan(10);
      await check(events, wordsFlow(tumbling(size), maxDelay), expected);
    });

    it(`seed ${seed}: disorder beyond the bound (size ${size}, maxDelay ${maxDelay}): exact counts and late count`, async () => {
      const events = generate(seed + 1000, { n: 800, maxDelay, step, jitter: 3 * maxDelay + size, start: r.int(100) });
      const expected = alignedOracle(events, size, size, maxDelay);
      expect(expected.late).toBeGreaterThan(0);
      await check(events, wordsFlow(tumbling(size), maxDelay), expected);
    });
  }
});

describe('oracle: a long input', () => {
  it('over several log segments and read batches per partition (13 000 events, some late), at parallelism 1 and 3', async () => {
    const events = generate(777, { n: 13_000, maxDelay: 50, step: 6, jitter: 120, start: 0 });
    const expected = alignedOracle(events, 100, 100, 50);
    expect(expected.late).toBeGreaterThan(100);
    await check(events, wordsFlow(tumbling(100), 50), expected);
  });
});

describe('oracle: sliding windows', () => {
  const cases = [
    { seed: 3, size: 100, slide: 25, maxDelay: 40 },
    { seed: 5, size: 60, slide: 40, maxDelay: 0 },
    { seed: 11, size: 30, slide: 50, maxDelay: 20 }, // slide > size: gaps
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: size ${c.size} slide ${c.slide} maxDelay ${c.maxDelay}, in bound and beyond`, async () => {
      const inBound = generate(c.seed, { n: 600, maxDelay: c.maxDelay, step: 10, jitter: c.maxDelay, start: -200 });
      const e1 = alignedOracle(inBound, c.size, c.slide, c.maxDelay);
      expect(e1.late).toBe(0);
      await check(inBound, wordsFlow(sliding(c.size, c.slide), c.maxDelay), e1);
      const beyond = generate(c.seed + 1, { n: 600, maxDelay: c.maxDelay, step: 10, jitter: 2 * c.maxDelay + c.size + c.slide, start: 0 });
      const e2 = alignedOracle(beyond, c.size, c.slide, c.maxDelay);
      expect(e2.late).toBeGreaterThan(0);
      await check(beyond, wordsFlow(sliding(c.size, c.slide), c.maxDelay), e2);
    });
  }
});

describe('oracle: session windows', () => {
  const cases = [
    { seed: 21, gap: 30, maxDelay: 15, step: 12, jitter: 15 },
    { seed: 22, gap: 25, maxDelay: 0, step: 20, jitter: 0 },
    { seed: 23, gap: 40, maxDelay: 20, step: 15, jitter: 90 }, // with late records
    { seed: 24, gap: 10, maxDelay: 5, step: 8, jitter: 30 }, // with late records
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: gap ${c.gap} maxDelay ${c.maxDelay} jitter ${c.jitter}`, async () => {
      const events = generate(c.seed, {
        n: 600,
        maxDelay: c.maxDelay,
        step: c.step,
        jitter: c.jitter,
        start: 0,
        vocabulary: VOCABULARY.slice(0, 5),
      });
      const expected = sessionOracle(events, c.gap, c.maxDelay);
      if (c.jitter <= c.maxDelay) expect(expected.late).toBe(0);
      else expect(expected.late).toBeGreaterThan(0);
      expect(expected.lines.length).toBeGreaterThan(10);
      await check(events, wordsFlow(session(c.gap), c.maxDelay), expected);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// The real wordcount workload.

interface TextEvent {
  time: number;
  text: string;
}

const WHITESPACE = [' ', '\t', '\n', '\r'];

/** Splits on runs of ' ', '\t', '\n', '\r' (the only whitespace generated here), dropping empty tokens. */
function splitOnWhitespace(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (WHITESPACE.includes(ch)) {
      if (cur !== '') words.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur !== '') words.push(cur);
  return words;
}

function textEvents(seed: number, n: number, jitter: number): TextEvent[] {
  const r = prng(seed);
  const vocab = ['the', 'The', 'THE', 'fox', 'Fox', 'dog', 'a', 'ok,', 'x-y', 'ünï'];
  const seps = [' ', '  ', '\t', ' \t ', '\t\t', '   ', '\n', ' \r\n'];
  const events: TextEvent[] = [];
  let clock = 1_000_000;
  for (let i = 0; i < n; i++) {
    clock += r.int(40);
    const time = clock - r.int(jitter + 1);
    let text = '';
    const m = r.int(6);
    for (let j = 0; j < m; j++) text += (j > 0 ? r.pick(seps) : '') + r.pick(vocab);
    if (r.next() < 0.3) text = r.pick(seps) + text;
    if (r.next() < 0.3) text += r.pick(seps);
    events.push({ time, text });
  }
  return events;
}

function wordcountFlow(window: number, maxDelay: number): Dataflow {
  return wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window, maxDelay });
}

describe('oracle: the wordcount workload', () => {
  const cases = [
    { seed: 101, window: 1000, maxDelay: 200, jitter: 200 },
    { seed: 102, window: 250, maxDelay: 0, jitter: 0 },
    { seed: 103, window: 500, maxDelay: 100, jitter: 600 }, // with late events
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: window ${c.window} maxDelay ${c.maxDelay} jitter ${c.jitter}`, async () => {
      const events = textEvents(c.seed, 700, c.jitter);
      const expected = alignedOracle(
        events.map((e) => ({ t: e.time, words: splitOnWhitespace(e.text) })),
        c.window,
        c.window,
        c.maxDelay,
      );
      if (c.jitter <= c.maxDelay) expect(expected.late).toBe(0);
      else expect(expected.late).toBeGreaterThan(0);
      await check(events, wordcountFlow(c.window, c.maxDelay), expected, 'counts');
    });
  }

  it('splits on runs of whitespace, drops empty tokens and does not fold case', async () => {
    const events: TextEvent[] = [
      { time: 0, text: '  The\tthe \t THE  ' },
      { time: 1, text: '' },
      { time: 2, text: ' \t ' },
      { time: 3, text: 'the\n\nfox,\r\nfox' },
    ];
    const r = await runBounded(referenceEngine, wordcountFlow(1000, 0), events);
    expect(engineLines(r.sinks.counts)).toEqual(['THE|0|1000|1', 'The|0|1000|1', 'fox,|0|1000|1', 'fox|0|1000|1', 'the|0|1000|2'].sort());
  });
});

describe('the wordcount-ooo fixture', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
  const inputLines = readFileSync(fixture('wordcount-ooo.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const expectedLines = readFileSync(fixture('wordcount-ooo.expected.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

  it('has out-of-order events all inside the 2000 ms bound, and sorted expected lines', () => {
    const events = inputLines.map((l) => JSON.parse(l) as TextEvent);
    expect(events.length).toBeGreaterThanOrEqual(190);
    let maxSeen = -Infinity;
    let disordered = 0;
    for (const e of events) {
      if (e.time < maxSeen) disordered++;
      expect(e.time).toBeGreaterThanOrEqual(maxSeen - 2000);
      maxSeen = Math.max(maxSeen, e.time);
    }
    expect(disordered).toBeGreaterThan(20);
    expect(expectedLines).toEqual([...expectedLines].sort());
    for (const l of expectedLines) expect(Object.keys(JSON.parse(l))).toEqual(['key', 'value', 'windowEnd', 'windowStart']);
  });

  it("expected output equals this test's oracle and the reference engine (window 5000, maxDelay 2000)", async () => {
    const events = inputLines.map((l) => wordcount.parseInputLine(l) as TextEvent);
    const oracle = alignedOracle(
      events.map((e) => ({ t: e.time, words: splitOnWhitespace(e.text) })),
      5000,
      5000,
      2000,
    );
    expect(oracle.late).toBe(0);
    const fromFile = expectedLines
      .map((l) => JSON.parse(l) as WindowResult<string, number>)
      .map((v) => line(v.key, v.windowStart, v.windowEnd, v.value))
      .sort();
    expect(fromFile).toEqual(oracle.lines);
    for (const parallelism of [1, 3]) {
      const r = await runBounded(referenceEngine, wordcountFlow(5000, 2000), events, { parallelism });
      expect(sortedValues(r.sinks.counts)).toEqual(expectedLines);
      expect(r.late.total).toBe(0);
    }
  });
});
