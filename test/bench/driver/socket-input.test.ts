import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSocketInput, EventLog, parseSocketInput, SocketDriver, workloadLineParser } from '../../../bench/driver/index.js';
import { UsageError } from '../../../bench/errors.js';
import { systemClock } from '../../../engines/runtime/index.js';
import { workloads } from '../../../workloads/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server on a free loopback port that hands each connection to `onConnection`. */
async function serve(onConnection: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    s.on('error', () => {}); // the driver closes its end when it is done: a reset here is expected
    onConnection(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function drain(log: EventLog): { value: unknown; timestamp: number }[] {
  const out: { value: unknown; timestamp: number }[] = [];
  for (let p = 0; p < log.partitions; p++) {
    const batch = log.read(p, 0, 1 << 20);
    if (!batch) continue;
    for (let i = batch.index; i < batch.index + batch.count; i++) out.push({ value: batch.values[i], timestamp: batch.timestamps[i] });
  }
  return out;
}

describe('parseSocketInput', () => {
  it('reads tcp://host:port and leaves file paths alone', () => {
    expect(parseSocketInput('tcp://127.0.0.1:7777')).toEqual({ host: '127.0.0.1', port: 7777 });
    expect(parseSocketInput('TCP://localhost:1/')).toEqual({ host: 'localhost', port: 1 });
    expect(parseSocketInput('tcp://[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseSocketInput('events.jsonl')).toBeUndefined();
    expect(parseSocketInput('./tcp/x.jsonl')).toBeUndefined();
  });

  it('rejects a malformed address, a bad port and a host off this machine', () => {
    expect(() => parseSocketInput('tcp://127.0.0.1')).toThrow(/tcp:\/\/<host>:<port>/);
    expect(() => parseSocketInput('tcp://127.0.0.1:70000')).toThrow(/not between 1 and 65535/);
    expect(() => parseSocketInput('tcp://example.com:7777')).toThrow(/only a loopback host/);
    expect(() => parseSocketInput('tcp://127.0.0.1:0')).toThrow(UsageError);
  });
});

describe('connectSocketInput', () => {
  it('says how to start a server when nobody listens', async () => {
    const port = await serve(() => {});
    await new Promise((r) => servers.pop()?.close(r)); // a port that was free a moment ago
    await expect(connectSocketInput({ host: '127.0.0.1', port })).rejects.toThrow(
      new RegExp(
        `cannot connect to --input tcp://127.0.0.1:${port}: connection refused \\(start a server there first, e\\.g\\. nc -lk ${port}\\)`,
      ),
    );
  });
});

describe('workloadLineParser', () => {
  const wc = workloads.wordcount;
  it('takes a JSON event as the workload parses it and a plain line as its text at the arrival time', () => {
    const parse = workloadLineParser(wc.parseInputLine, wc.parseTextLine);
    expect(parse('{"time": 5, "text": "a b"}', 1000.7)).toEqual({ time: 5, text: 'a b' });
    expect(parse('to be or not', 1000.7)).toEqual({ time: 1000, text: 'to be or not' });
    expect(parse('42', 7)).toEqual({ time: 7, text: '42' });
  });

  it('rejects a line that is not JSON for a workload without a text reading', () => {
    const parse = workloadLineParser(workloads.stateless.parseInputLine, workloads.stateless.parseTextLine);
    expect(() => parse('hello', 0)).toThrow(/not valid JSON/);
    expect(() => parse('{"ad_id": 1}', 0)).toThrow(/"ad_id" must be a string/);
  });
});

describe('SocketDriver', () => {
  it('appends each line on arrival, round-robin over partitions, until the sender closes', async () => {
    const port = await serve((s) => {
      s.write('one two\n{"time": 3, "text": "x"}\r\n');
      setTimeout(() => s.end('\nthree\nfour'), 30); // a blank line, and a last line without its newline
    });
    const log = new EventLog(2, systemClock);
    const socket = await connectSocketInput({ host: '127.0.0.1', port });
    const parse = workloadLineParser(workloads.wordcount.parseInputLine, workloads.wordcount.parseTextLine);
    const driver = new SocketDriver(log, socket, parse, systemClock, { rate: 'max', durationMs: 60_000, warmupMs: 0 });
    const finished: string[] = [];
    driver.onFinish(() => finished.push('finish'));
    driver.start();
    await driver.done;
    expect(driver.endedBy).toBe('sender');
    expect(finished).toEqual(['finish']);
    expect(driver.produced).toBe(4);
    expect(driver.rejected).toBe(0);
    const texts = drain(log).map((e) => (e.value as { text: string }).text);
    expect(texts.sort()).toEqual(['four', 'one two', 'three', 'x']);
    expect(drain(log).length).toBe(4);
    expect(log.readEnd(0)).toBe(2); // two lines went to each partition
    expect(log.readEnd(1)).toBe(2);
    for (const e of drain(log)) expect(Number.isFinite(e.timestamp)).toBe(true);
    expect(socket.destroyed).toBe(true);
  });

  it('counts rejected lines with the first reason, and stops at the event count', async () => {
    const port = await serve((s) => {
      s.write('nope\n{"ad_id":"a","event_type":"view","event_time":"1"}\n{"ad_id":"b","event_type":"view","event_time":"2"}\n');
      s.write('{"ad_id":"c","event_type":"view","event_time":"3"}\n'); // never read: the count is reached first
    });
    const log = new EventLog(1, systemClock);
    const socket = await connectSocketInput({ host: '127.0.0.1', port });
    const st = workloads.stateless;
    const driver = new SocketDriver(log, socket, workloadLineParser(st.parseInputLine, st.parseTextLine), systemClock, {
      rate: 'max',
      events: 2,
      warmupMs: 0,
    });
    driver.start();
    await driver.done;
    expect(driver.endedBy).toBe('events');
    expect(driver.produced).toBe(2);
    expect(driver.rejected).toBe(1);
    expect(driver.firstRejection).toMatch(/^line 1: not valid JSON/);
    expect(drain(log).length).toBe(2);
  });

  it('ends at its duration while the sender keeps the connection open (nc -lk)', async () => {
    let held: Socket | undefined;
    const port = await serve((s) => {
      held = s;
      s.write('a\n');
    });
    const log = new EventLog(1, systemClock);
    const socket = await connectSocketInput({ host: '127.0.0.1', port });
    const parse = workloadLineParser(workloads.wordcount.parseInputLine, workloads.wordcount.parseTextLine);
    const driver = new SocketDriver(log, socket, parse, systemClock, { rate: 'max', durationMs: 200, warmupMs: 0 });
    driver.start();
    await driver.done;
    expect(driver.endedBy).toBe('duration');
    expect(socket.destroyed).toBe(true);
    held?.destroy();
  });
});
