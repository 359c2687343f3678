/**
 * Series colours: one per engine, the same in every chart of a report, readable on light and dark
 * backgrounds (mid lightness, saturated). The known engines keep their colour across reports.
 */

const KNOWN: Record<string, string> = {
  reference: '#7f8c8d',
  flink: '#d6336c',
  spark: '#f08c00',
  storm: '#1c7ed6',
};

const PALETTE = ['#2f9e44', '#7048e8', '#0c8599', '#e8590c', '#c2255c', '#5c940d', '#1971c2', '#9c36b5', '#b08900', '#495057'];

/** Assigns colours to series labels in order, known engines first by their own colour. */
export class SeriesColors {
  private readonly assigned = new Map<string, string>();
  private next = 0;

  /** The colour of `label`; `engine` picks a known engine's colour for its first series. */
  of(label: string, engine = label): string {
    const existing = this.assigned.get(label);
    if (existing) return existing;
    const taken = new Set(this.assigned.values());
    let color = KNOWN[engine];
    if (!color || taken.has(color)) {
      do color = PALETTE[this.next++ % PALETTE.length]!;
      while (taken.has(color) && this.next < PALETTE.length * 2);
    }
    this.assigned.set(label, color);
    return color;
  }
}

/** Fixed colours for parts of engine panels (busy vs back-pressured, scheduling vs processing...). */
export const PART_COLORS = {
  busy: '#1c7ed6',
  backPressured: '#e03131',
  idle: '#adb5bd',
  scheduling: '#f59f00',
  processing: '#1c7ed6',
  limit: '#e03131',
  records: '#2f9e44',
  alignment: '#f59f00',
  duration: '#1c7ed6',
  syncPart: '#7048e8',
  asyncPart: '#0c8599',
  failed: '#e03131',
  ok: '#2f9e44',
  warn: '#f08c00',
} as const;
