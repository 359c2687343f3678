/**
 * Micro-benchmark of record codecs for network edges (see engines/runtime/codec.ts for the choice).
 *
 * Build and run:
 *   npm run build && node dist/bench/micro/codec.bench.js [--time ms] [--rounds n]
 * msgpackr is measured if it can be imported: either installed in the project, or from a scratch install
 * named by MSGPACKR, e.g.
 *   npm install --prefix /tmp/msgpackr-trial msgpackr
 *   MSGPACKR=/tmp/msgpackr-trial/node_modules/msgpackr/node-index.js node dist/bench/micro/codec.bench.js
 *
 * Each timed iteration serializes (or deserializes) a batch of 1000 records into 32 KiB buffers, finishing
 * a buffer whenever it is full, so the per-call timer cost is amortised; results are ns per record (median
 * of the per-round medians). Every candidate is checked for exact round trips before it is timed.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { median } from 'simple-statistics';
import { Bench } from 'tinybench';
import { deserializeRecords, RecordSerializer } from '../../engines/runtime/codec.js';
import {
  jsonBufferWrite,
  jsonEncodeInto,
  msgpackrCandidate,
  taggedBinary,
  v8Serialize,
  type Candidate,
  type MsgpackrModule,
} from './codec-candidates.js';

const BATCH = 1000;
const BUFFER_BYTES = 32 * 1024;

interface Dataset {
  name: string;
  values: unknown[];
}

function uuid(i: number): string {
  const h = (n: number, w: number) => (n >>> 0).toString(16).padStart(w, '0').slice(-w);
  return `${h(i * 2654435761, 8)}-${h(i * 40503, 4)}-4${h(i * 7919, 3)}-a${h(i * 104729, 3)}-${h(i * 1299709, 6)}${h(i * 15485863, 6)}`;
}

/** The three record shapes from the brief, plus the full YSB event as it leaves the Kafka stand-in. */
export function datasets(): Dataset[] {
  const idx = Array.from({ length: BATCH }, (_, i) => i);
  const t0 = 1_700_000_000_000;
  return [
    {
      name: 'wordcount result',
      values: idx.map((i) => ({
        windowStart: t0 + (i % 7) * 10_000,
        windowEnd: t0 + ((i % 7) + 1) * 10_000,
        key: `w${i % 500}`,
        value: 1 + ((i * 37) % 200),
      })),
    },
    { name: 'short string', values: idx.map((i) => ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog'][i % 8] + (i % 100)) },
    { name: 'ysb projected', values: idx.map((i) => ({ ad_id: uuid(i % 1000), event_time: String(t0 + i * 3) })) },
    {
      name: 'ysb event',
      values: idx.map((i) => ({
        user_id: uuid(i + 5000),
        page_id: uuid(i + 9000),
        ad_id: uuid(i % 1000),
        ad_type: ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'][i % 5],
        event_type: ['view', 'click', 'purchase'][i % 3],
        event_time: String(t0 + i * 3),
        ip_address: '1.2.3.4',
      })),
    },
  ];
}

/** The implementation in engines/runtime/codec.ts, measured alongside the candidates. */
const chosen: Candidate = {
  name: 'runtime codec',
  description: 'engines/runtime/codec.ts RecordSerializer + deserializeRecords (the choice)',
  newWriter: (size) => new RecordSerializer(size),
  read: deserializeRecords,
};

async function loadMsgpackr(): Promise<MsgpackrModule | undefined> {
  const specs = [process.env.MSGPACKR ? pathToFileURL(process.env.MSGPACKR).href : undefined, 'msgpackr'];
  for (const spec of specs) {
    if (!spec) continue;
    try {
      return (await import(spec)) as MsgpackrModule;
    } catch {
      // not installed here; try the next place
    }
  }
  return undefined;
}

interface Times {
  eventTime: number;
  emitTime: number;
  ingestTime: number;
}

function timesOf(i: number): Times {
  return { eventTime: 1_700_000_000_000 + i, emitTime: 1_700_000_000_000.25 + i, ingestTime: 1_700_000_000_123.456789 + i };
}

function serializeAll(c: Candidate, values: unknown[], times: Times[]): Uint8Array[] {
  const w = c.newWriter(BUFFER_BYTES);
  const out: Uint8Array[] = [];
  for (let i = 0; i < values.length; i++) {
    const t = times[i];
    if (!w.write(values[i], t.eventTime, t.emitTime, t.ingestTime)) {
      out.push(w.finish());
      assert.ok(w.write(values[i], t.eventTime, t.emitTime, t.ingestTime));
    }
  }
  if (w.recordCount > 0) out.push(w.finish());
  return out;
}

/** Exact round trip of values and times, or the candidate is not timed. */
function check(c: Candidate, ds: Dataset, times: Times[]): number {
  const buffers = serializeAll(c, ds.values, times);
  const got: unknown[] = [];
  let i = 0;
  for (const b of buffers) {
    c.read(b, (v, et, emt, it) => {
      assert.equal(et, times[i].eventTime);
      assert.equal(emt, times[i].emitTime);
      assert.equal(it, times[i].ingestTime);
      got.push(v);
      i++;
    });
  }
  assert.deepEqual(got, ds.values, `${c.name} does not round-trip ${ds.name}`);
  return buffers.reduce((s, b) => s + b.length, 0) / ds.values.length;
}

interface Row {
  dataset: string;
  codec: string;
  bytes: number;
  ser: number[];
  de: number[];
}

function nsPerRecord(bench: Bench, name: string): number {
  const task = bench.getTask(name);
  const r = task?.result;
  if (!r || !('latency' in r)) throw new Error(`task ${name} has no result (${r?.state})`);
  return ((r.latency.p50 ?? r.latency.mean) * 1e6) / BATCH;
}

export async function runCodecBench(opts: { timeMs: number; rounds: number }): Promise<Row[]> {
  const mp = await loadMsgpackr();
  const candidates: Candidate[] = [jsonEncodeInto, jsonBufferWrite, v8Serialize, taggedBinary, chosen];
  if (mp) candidates.splice(2, 0, msgpackrCandidate(mp, false), msgpackrCandidate(mp, true));
  console.log(
    `node ${process.version}; msgpackr ${mp ? `loaded (native string extraction: ${mp.isNativeAccelerationEnabled})` : 'not available'}`,
  );
  console.log(`batch ${BATCH} records per iteration, ${BUFFER_BYTES} B buffers, ${opts.rounds} rounds x ${opts.timeMs} ms per task`);

  const rows: Row[] = [];
  let sink = 0; // consumed by the visitors so nothing is optimised away
  const visit = (v: unknown, et: number) => {
    if (v !== undefined) sink += et;
  };
  for (const ds of datasets()) {
    const times = ds.values.map((_, i) => timesOf(i));
    const dsRows = candidates.map((c) => ({
      dataset: ds.name,
      codec: c.name,
      bytes: check(c, ds, times),
      ser: [] as number[],
      de: [] as number[],
    }));
    for (let round = 0; round < opts.rounds; round++) {
      // Alternate the order of candidates between rounds so that JIT and heap drift favour nobody.
      const order = round % 2 === 0 ? candidates : [...candidates].reverse();
      const ser = new Bench({ time: opts.timeMs, warmupTime: Math.min(200, opts.timeMs), iterations: 16 });
      const de = new Bench({ time: opts.timeMs, warmupTime: Math.min(200, opts.timeMs), iterations: 16 });
      for (const c of order) {
        const w = c.newWriter(BUFFER_BYTES);
        const values = ds.values;
        ser.add(c.name, () => {
          for (let i = 0; i < BATCH; i++) {
            const t = times[i];
            if (!w.write(values[i], t.eventTime, t.emitTime, t.ingestTime)) {
              sink += w.finish().length;
              w.write(values[i], t.eventTime, t.emitTime, t.ingestTime);
            }
          }
        });
        const buffers = serializeAll(c, values, times);
        de.add(c.name, () => {
          for (let b = 0; b < buffers.length; b++) c.read(buffers[b], visit);
        });
      }
      await ser.run();
      await de.run();
      for (const r of dsRows) {
        r.ser.push(nsPerRecord(ser, r.codec));
        r.de.push(nsPerRecord(de, r.codec));
      }
    }
    rows.push(...dsRows);
  }
  console.table(
    rows.map((r) => ({
      dataset: r.dataset,
      codec: r.codec,
      'bytes/rec': Math.round(r.bytes),
      'ser ns/rec': Math.round(median(r.ser)),
      'de ns/rec': Math.round(median(r.de)),
      'total ns/rec': Math.round(median(r.ser) + median(r.de)),
    })),
  );
  if (sink === 42) console.log(''); // keep `sink` alive
  return rows;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCodecBench({ timeMs: arg('--time', 400), rounds: arg('--rounds', 3) });
}
