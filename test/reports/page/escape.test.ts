import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../reports/page/index.js';
import { SeededRandom } from '../../../engines/api/index.js';

describe('escapeHtml', () => {
  it('turns every character that can open a tag or leave an attribute into an entity', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
  it('converts non-strings and leaves plain text alone', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(null)).toBe('null');
    expect(escapeHtml('flink \u2192 spark')).toBe('flink \u2192 spark');
  });
});

describe('jsonForScript', () => {
  const breakouts = ['</script><script>alert(1)</script>', '<!--<script>', '</SCRIPT>', ']]>', '\u2028\u2029', '</script>'];

  it('keeps the value and contains neither </script nor <!-- nor raw line separators', () => {
    const value = { labels: breakouts, nested: { [breakouts[0]!]: breakouts[1] }, n: 1.5 };
    const json = jsonForScript(value);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).not.toMatch(/<\/script|<!--|[<>&\u2028\u2029]/i);
  });

  it('round-trips random strings of markup characters, surrogates included', () => {
    const random = new SeededRandom(7);
    const alphabet = [
      '<',
      '>',
      '&',
      '/',
      '!',
      '-',
      's',
      'c',
      'r',
      'i',
      'p',
      't',
      '"',
      "'",
      '\\',
      '\u2028',
      '\u2029',
      '\ud83d',
      '\ude00',
      '\n',
      '\u0000',
    ];
    for (let k = 0; k < 500; k++) {
      let s = '';
      for (let i = 0; i < 20; i++) s += random.pick(alphabet);
      const json = jsonForScript({ s, list: [s, s.toUpperCase()] });
      expect(JSON.parse(json)).toEqual({ s, list: [s, s.toUpperCase()] });
      expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    }
  });

  it('writes non-finite numbers as null, as JSON does, and refuses what JSON cannot hold', () => {
    expect(jsonForScript([NaN, Infinity])).toBe('[null,null]');
    expect(() => jsonForScript(undefined)).toThrow(TypeError);
    expect(() => jsonForScript({ big: 1n })).toThrow(TypeError);
  });
});
