/**
 * The live dashboard's server side without a browser: the HTTP routes and headers, the event stream
 * (snapshot first, then messages), a port in use as a one-line usage error of the CLI before any trial,
 * the vertex states from two stats snapshots, and the daemon list (reported as is, or read off local stats).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrialSpec } from '../../../bench/runner/index.js';
import { daemonsOf, Dashboard, LiveRun, uiPort, VertexTracker } from '../../../bench/ui/index.js';
import type { LiveMessage } from '../../../reports/live/index.js';
import type { TimeseriesSample } from '../../../reports/schema.js';
import { runCli } from '../cli/run-cli.js';

function get(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads SSE messages from /events until `count` have arrived, then hangs up. */
function readEvents(port: number, count: number): Promise<LiveMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: LiveMessage[] = [];
    let buffer = '';
    const req = request({ host: '127.0.0.1', port, path: '/events' }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      res.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) messages.push(JSON.parse(data.slice(6)) as LiveMessage);
          if (messages.length >= count) {
            req.destroy();
            resolve(messages);
            return;
          }
        }
      });
      res.on('end', () => resolve(messages));
    });
    req.on('error', (e) => (messages.length >= count ? undefined : reject(e)));
    req.end();
  });
}

const spec: TrialSpec = {
  engine: 'flink',
  workload: 'wordcount',
  trial: 1,
  parallelism: 1,
  seed: 42,
  load: { rate: 1000, warmupMs: 1000, durationMs: 2000 },
  options: {},
  drainTimeoutMs: 1000,
};

function sample(t: number, extra: Partial<TimeseriesSample> = {}): TimeseriesSample {
  return {
    t,
    phase: 'measure',
    inputEventsPerSec: 1000,
    outputRecordsPerSec: 500,
    backlog: 3,
    latency: { p50: 5, p99: 9, max: 12 },
    heapUsedBytes: 1e6,
    rssBytes: 5e7,
    cpuPercent: 40,
    ...extra,
  };
}

describe('live dashboard server', () => {
  it('serves the page with its CSP, streams a snapshot then messages, refuses other hosts, and closes', async () => {
    const dashboard = await Dashboard.start(0, { command: 'run', toolVersion: 'test' });
    try {
      const page = await get(dashboard.port, '/');
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(page.body).toContain(`content="${csp.replace(/'/g, '&#39;')}"`);
      // Self-contained: no script or style is loaded from anywhere.
      expect(page.body).not.toMatch(/<script[^>]*\ssrc=|<link\b|<img\b|<iframe\b|url\(\s*['"]?https?:/i);
      expect((await get(dashboard.port, '/nothing')).status).toBe(404);
      expect((await get(dashboard.port, '/', 'evil.example:80')).status).toBe(421);

      const events = readEvents(dashboard.port, 3);
      await new Promise((r) => setTimeout(r, 200));
      dashboard.live.trialStarted(spec, 'trial 1 of 1');
      const received = await events;
      expect(received[0]!.type).toBe('snapshot');
      expect(received.map((m) => m.type)).toEqual(['snapshot', 'trial', 'event']);
      const trial = received.find((m) => m.type === 'trial');
      expect(trial && trial.type === 'trial' && trial.trial.plan.drawn).toBe(true);
      expect(trial && trial.type === 'trial' && trial.trial.plan.nodeIds).toContain('subtask-0-0');
      // A page that connects late gets the running trial in its snapshot.
      const [late] = await readEvents(dashboard.port, 1);
      expect(late!.type === 'snapshot' && late!.snapshot.trial?.engine).toBe('flink');
    } finally {
      await dashboard.close();
    }
    await expect(get(dashboard.port, '/')).rejects.toThrow();
  });

  it('parses --ui: alone the default port, a number, or a one-line usage error', () => {
    expect(uiPort(true)).toBe(8081);
    expect(uiPort('0')).toBe(0);
    expect(uiPort('9000')).toBe(9000);
    expect(() => uiPort('80x')).toThrow("--ui: '80x' is not a port number (0-65535; default 8081)");
    expect(() => uiPort('70000')).toThrow(/not a port number/);
  });
});

describe('the CLI with --ui', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamarena-ui-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const command of ['run', 'sweep']) {
    it(`${command}: a port in use is a one-line error, exit 2, before any trial and with nothing written`, async () => {
      const blocker = createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const port = (blocker.address() as AddressInfo).port;
      const out = join(dir, `busy-${command}`);
      try {
        const args =
          command === 'run'
            ? ['run', '-e', 'reference', '-w', 'stateless', '-d', '500ms', '-t', '1', '--ui', String(port), '--out', out]
            : [
                'sweep',
                '-e',
                'reference',
                '-w',
                'stateless',
                '--rates',
                '1000',
                '-d',
                '500ms',
                '--warmup',
                '200ms',
                '--ui',
                String(port),
                '--out',
                out,
              ];
        const r = await runCli(args);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`streamarena: --ui: port ${port} on 127.0.0.1 is in use (give another: --ui <port>)\n`);
        expect(r.stdout).toBe('');
        expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
      } finally {
        blocker.close();
      }
    });
  }

  it('a bad port is a usage error', async () => {
    const r = await runCli(['run', '-e', 'reference', '-w', 'stateless', '--ui', 'abc', '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["streamarena: --ui: 'abc' is not a port number (0-65535; default 8081)"]);
  });
});

describe('vertex states', () => {
  const nodes = [
    { id: 'task-0', label: 'Source: events', kind: 'chain' },
    { id: 'op-0', label: 'Source: events', kind: 'source', parent: 'task-0' },
    { id: 'task-1', label: 'Sink: out', kind: 'chain' },
    { id: 'op-1', label: 'Sink: out', kind: 'sink', parent: 'task-1' },
    { id: 'slot-0', label: 'slot 1', kind: 'slot' },
    { id: 'subtask-0-0', label: 'Source: events (1/1)', kind: 'subtask', parent: 'slot-0', attrs: { task: 'task-0', subtask: 0 } },
    { id: 'subtask-1-0', label: 'Sink: out (1/1)', kind: 'subtask', parent: 'slot-0', attrs: { task: 'task-1', subtask: 0 } },
  ];
  const leaves = ['op-0', 'op-1', 'subtask-0-0', 'subtask-1-0'];
  const task = (name: string, busyMs: number, backPressuredMs: number, records: number, watermark: number | null) => ({
    name,
    subtask: 0,
    busyMs,
    backPressuredMs,
    recordsIn: records,
    recordsOut: records,
    watermark,
    taskManager: 1,
    slot: 1,
  });

  it('flink: busy and back-pressured shares of the interval, rates, watermark; chained operators take their chain', () => {
    const tracker = new VertexTracker('flink', nodes, leaves);
    const first = tracker.update(sample(1), { tasks: [task('Source: events', 0, 0, 0, null), task('Sink: out', 0, 0, 0, null)] });
    expect(first.every((v) => v.state === 'unknown' && v.busy === null)).toBe(true);
    const next = tracker.update(sample(3), {
      tasks: [task('Source: events', 200, 1500, 4000, 1234), task('Sink: out', 1800, 0, 4000, 1000)],
    });
    const byId = new Map(next.map((v) => [v.id, v]));
    expect(byId.get('subtask-0-0')).toMatchObject({
      state: 'back-pressured',
      busy: 0.1,
      backPressured: 0.75,
      idle: 0.15,
      inPerSec: 2000,
      watermark: 1234,
    });
    expect(byId.get('subtask-1-0')).toMatchObject({
      state: 'busy',
      busy: 0.9,
      backPressured: 0,
      idle: 0.1,
      outPerSec: 2000,
      watermark: 1000,
    });
    expect(byId.get('op-1')).toMatchObject({ state: 'busy', busy: 0.9, inPerSec: 2000 });
  });

  it('an engine without per-task counters: sources and sinks carry the sampler rates, nothing is claimed measured', () => {
    const tracker = new VertexTracker(
      'reference',
      [
        { id: 's', label: 'events', kind: 'source' },
        { id: 'k', label: 'out', kind: 'sink' },
        { id: 'm', label: 'map', kind: 'map' },
      ],
      ['s', 'k', 'm'],
    );
    tracker.update(sample(1), { recordsIn: 0 });
    const v = tracker.update(sample(2), { recordsIn: 1000 });
    expect(v).toEqual([
      { id: 's', state: 'unknown', busy: null, backPressured: null, idle: null, inPerSec: 1000, outPerSec: null },
      { id: 'k', state: 'unknown', busy: null, backPressured: null, idle: null, inPerSec: null, outPerSec: 500 },
      { id: 'm', state: 'unknown', busy: null, backPressured: null, idle: null, inPerSec: null, outPerSec: null },
    ]);
  });
});

describe('faults on the dashboard', () => {
  it('each fault event becomes an event line and a mark at the sample it arrived with; a late page gets them in the snapshot', () => {
    const sent: LiveMessage[] = [];
    const live = new LiveRun(
      { command: 'run', toolVersion: 't', deployment: 'local', startedAt: 0 },
      (m) => sent.push(m),
      () => 5000,
    );
    live.trialStarted({ ...spec, deployment: 'standalone' }, 'trial 1 of 1');
    live.progress({ ...sample(1), elapsedMs: 1000, plannedMs: 3000 });
    live.progress({
      ...sample(2.5),
      elapsedMs: 2500,
      plannedMs: 3000,
      faultEvents: [
        { fault: 0, type: 'injected', timeMs: 1, detail: 'taskmanager-1 (pid 9) killed: SIGKILL' },
        { fault: 0, type: 'detected', timeMs: 2, detail: 'broken connection: lost' },
      ],
    });
    const ticks = sent.flatMap((m) => (m.type === 'tick' ? [m.tick] : []));
    expect(ticks.map((t) => t.faults?.map((f) => [f.t, f.type]))).toEqual([
      undefined,
      [
        [2.5, 'injected'],
        [2.5, 'detected'],
      ],
    ]);
    const events = sent.flatMap((m) => (m.type === 'event' ? [[m.event.kind, m.event.text]] : []));
    expect(events.slice(1)).toEqual([
      ['fault injected', 'fault 1: taskmanager-1 (pid 9) killed: SIGKILL'],
      ['fault detected', 'fault 1: broken connection: lost'],
    ]);
    const snap = live.snapshot();
    expect(snap.trial?.deployment).toBe('standalone');
    expect(snap.faults.map((f) => f.detail)).toEqual(['taskmanager-1 (pid 9) killed: SIGKILL', 'broken connection: lost']);
  });
});

describe('daemons', () => {
  const base = { nodes: [], pid: 77, time: 1000, sample: sample(1) };

  it('a list the engine reports is shown as it is, lost ones included', () => {
    const daemons = [
      { name: 'TaskManager 2', kind: 'taskmanager', pid: 901, lastHeartbeat: 900, cpuPercent: 12.5, memoryBytes: 1024, status: 'lost' },
      {
        name: 'JobManager',
        kind: 'jobmanager',
        pid: 900,
        lastHeartbeat: 990,
        cpuPercent: null,
        memoryBytes: null,
        status: 'alive',
        detail: 'leader',
      },
    ];
    expect(daemonsOf({ ...base, engine: 'flink', stats: { daemons } })).toEqual([
      { ...daemons[0], status: 'lost' },
      { ...daemons[1], status: 'alive' },
    ]);
  });

  it("standalone flink: the cluster runtime's processes, CPU as % of a core between two samples, a lost one marked", () => {
    const daemon = (name: string, pid: number, cpuUserMs: number, alive = true) => ({
      name,
      pid,
      cpuUserMs,
      cpuSystemMs: 10,
      rssBytes: 50_000_000,
      heapUsedBytes: 1,
      lastHeartbeat: alive ? 990 : 400,
      heartbeats: 3,
      alive,
    });
    const at = (time: number, tmCpu: number, alive = true) =>
      daemonsOf({
        ...base,
        time,
        engine: 'flink',
        stats: { cluster: { daemons: [daemon('jobmanager', 4100, 300), daemon('taskmanager-1', 4101, tmCpu, alive)] } },
      });
    const first = at(10_000, 1000);
    expect(first.map((d) => [d.name, d.kind, d.pid, d.status, d.cpuPercent, d.memoryBytes])).toEqual([
      ['jobmanager', 'jobmanager', 4100, 'alive', null, 50_000_000],
      ['taskmanager-1', 'taskmanager', 4101, 'alive', null, 50_000_000],
    ]);
    const second = at(11_000, 1500, false); // 500 ms of CPU in 1 s, and then it was lost
    expect(second.map((d) => [d.name, d.status, d.cpuPercent])).toEqual([
      ['jobmanager', 'alive', 0],
      ['taskmanager-1', 'lost', 50],
    ]);
  });

  it('standalone flink: a TaskManager started again after a loss is shown recovered, with its pids', () => {
    const tm = {
      name: 'taskmanager-2',
      pid: 5202,
      cpuUserMs: 1,
      cpuSystemMs: 1,
      rssBytes: 1,
      heapUsedBytes: 1,
      lastHeartbeat: 990,
      heartbeats: 4,
      alive: true,
      restarts: 1,
      previousPids: [5101],
    };
    const [d] = daemonsOf({ ...base, time: 20_000, engine: 'flink', stats: { cluster: { daemons: [tm] } } });
    expect(d.status).toBe('recovered');
    expect(d.detail).toBe('its own process; 4 heartbeats; started again after a loss 1× (pid 5101 → 5202)');
    const [lost] = daemonsOf({ ...base, time: 21_000, engine: 'flink', stats: { cluster: { daemons: [{ ...tm, alive: false }] } } });
    expect(lost.status).toBe('lost');
  });

  it('local flink: the JobManager and each TaskManager with its slots, all in the trial process', () => {
    const stats = {
      chains: [{}, {}],
      tasks: [
        { taskManager: 1, slot: 1 },
        { taskManager: 1, slot: 1 },
        { taskManager: 2, slot: 1 },
      ],
      slots: { taskManagers: 2, slotsPerTaskManager: 2, required: 2 },
    };
    const d = daemonsOf({ ...base, engine: 'flink', stats });
    expect(d.map((x) => [x.name, x.pid, x.status, x.lastHeartbeat, x.cpuPercent])).toEqual([
      ['JobManager', 77, 'alive', 1000, 40],
      ['TaskManager 1', 77, 'alive', 1000, 40],
      ['TaskManager 2', 77, 'alive', 1000, 40],
    ]);
    expect(d[1]!.detail).toMatch(/^1\/2 slots used, 2 subtasks; in the trial process \(pid 77\)/);
  });
});
