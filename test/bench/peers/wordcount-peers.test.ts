import { describe, expect, it } from 'vitest';
import { defaultOptionValues } from '../../../engines/api/index.js';
import { compiledDataflow, nodeStreams, plainLoop, rxjs, type WindowCount } from '../../../bench/peers/index.js';
import { canonicalJson } from '../../../reports/digest.js';
import { wordcount, type WordcountEvent } from '../../../workloads/wordcount/index.js';

/** Events 20 per ms of event time, some later than the watermark allows (disorder above maxDelay). */
function events(n: number, disorder: number): WordcountEvent[] {
  const gen = wordcount.generator({ ...defaultOptionValues(wordcount.options), keys: 50, disorder }, 7);
  return Array.from({ length: n }, (_, k) => gen.next(k, 1_700_000_000_000 + k / 20) as WordcountEvent);
}

const sorted = (rs: readonly WindowCount[]) => rs.map((r) => canonicalJson(r)).sort();

describe('the word-count peers', () => {
  const params = { windowMs: 1000, maxDelay: 200 };
  for (const disorder of [100, 600]) {
    it(`agree record for record with the reference engine's compiled dataflow (disorder ${disorder} ms)`, async () => {
      const input = events(60_000, disorder);
      const oracle = compiledDataflow(input, params);
      expect(oracle.results.length).toBeGreaterThan(100); // several windows of up to 50 words
      const expected = sorted(oracle.results);
      expect(sorted(plainLoop(input, params).results)).toEqual(expected);
      expect(sorted((await rxjs(input, params)).results)).toEqual(expected);
      expect(sorted((await nodeStreams(input, params)).results)).toEqual(expected);
    });
  }

  it('drop late words: with disorder above maxDelay fewer words are counted than sent', () => {
    const input = events(60_000, 600);
    const words = input.reduce((n, e) => n + e.text.split(/\s+/).filter((w) => w !== '').length, 0);
    const counted = plainLoop(input, params).results.reduce((n, r) => n + r.value, 0);
    expect(counted).toBeLessThan(words);
    expect(counted).toBeGreaterThan(words / 2);
  });
});
