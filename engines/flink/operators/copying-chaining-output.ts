/**
 * Flink's `CopyingChainingOutput`: with object reuse off (Flink's default, `pipeline.object-reuse:
 * false`), a record handed from one chained operator to the next is first copied by its type's
 * serializer (`TypeSerializer.copy`), so that a function that keeps or mutates its input cannot see the
 * next operator's changes. With `flink.objectReuse=true` the chain passes the object itself
 * (`ChainingOutput`): cheaper, and the user's promise that no function keeps its input.
 */
import type { Output } from './stream-operator.js';

/**
 * A serializer's copy of a record's value: immutable values (strings, numbers, booleans, null) as they
 * are, as Flink's StringSerializer and the primitive serializers return them; arrays, plain objects and
 * typed arrays field by field (the PojoSerializer and tuple serializers copy each field with its own
 * serializer); Maps and Sets entry by entry.
 */
export function copyRecordValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = copyRecordValue(value[i]);
    return out;
  }
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(copyRecordValue(k), copyRecordValue(v));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    for (const v of value) out.add(copyRecordValue(v));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  const proto = Object.getPrototypeOf(value) as object | null;
  const out: Record<string, unknown> = proto === Object.prototype ? {} : Object.create(proto);
  for (const key in value) {
    if (Object.hasOwn(value, key)) out[key] = copyRecordValue((value as Record<string, unknown>)[key]);
  }
  return out;
}

export class CopyingChainingOutput implements Output {
  /** Records copied on this edge of the chain. */
  copies = 0;

  /** @param next the chained operator this edge feeds */
  constructor(readonly next: Output) {}

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.copies++;
    this.next.collect(copyRecordValue(value), eventTime, emitTime, ingestTime);
  }

  emitWatermark(watermark: number): void {
    this.next.emitWatermark(watermark);
  }
}
