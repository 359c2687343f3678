import { describe, expect, it } from 'vitest';
import { formatBytes, formatChange, formatMs, formatPercent, formatPValue, formatRate, textTable } from '../../reports/format/index.js';

describe('shared number formatting', () => {
  it('writes rates, times and sizes in their units', () => {
    expect([formatRate(950), formatRate(12_345), formatRate(1_204_000), formatRate(NaN)]).toEqual(['950', '12.3k', '1.20M', '-']);
    expect([
      formatMs(0),
      formatMs(0.0042),
      formatMs(0.123),
      formatMs(12.34),
      formatMs(450.2),
      formatMs(12_500),
      formatMs(Infinity),
    ]).toEqual(['0 ms', '4.20 \u00b5s', '0.123 ms', '12.3 ms', '450 ms', '12.5 s', '-']);
    expect([formatBytes(512 * 1024), formatBytes(12.5 * 2 ** 20), formatBytes(1.25 * 2 ** 30)]).toEqual([
      '512 KiB',
      '12.5 MiB',
      '1.25 GiB',
    ]);
  });

  it('writes one style of percentage and change everywhere', () => {
    expect([formatPercent(0.1234), formatPercent(-0.05), formatPercent(2.5)]).toEqual(['12.3%', '-5.0%', '250%']);
    expect([formatChange(0.123), formatChange(-0.04), formatChange(0), formatChange(null), formatChange(NaN)]).toEqual([
      '+12.3%',
      '-4.0%',
      '0.0%',
      'n/a',
      '-',
    ]);
    expect([formatPValue(0.05), formatPValue(0.0012), formatPValue(0.999), formatPValue(0.25)]).toEqual(['0.05', '0.0012', '1', '0.25']);
  });

  it('pads a text table, figures right-aligned', () => {
    expect(
      textTable(
        ['engine', 'workload', 'rate'],
        [
          ['flink', 'wordcount', '12.3k'],
          ['reference', 'ysb', '950'],
        ],
      ),
    ).toBe(
      ['engine     workload    rate', '---------  ---------  -----', 'flink      wordcount  12.3k', 'reference  ysb          950'].join(
        '\n',
      ),
    );
  });
});
