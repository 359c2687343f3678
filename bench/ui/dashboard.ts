/**
 * `--ui [port]` of run and sweep: the server, the run's state and the hooks that feed it. Started before
 * the first trial (a port in use is a usage error then, and nothing has run), closed when the command ends.
 * Trials stream their samples and engine stats to this process through the runner's progress messages.
 */
import { renderLivePage, type LiveRunInfo } from '../../reports/live/index.js';
import type { SweepPoint } from '../../reports/schema.js';
import { UsageError } from '../errors.js';
import type { MatrixListener, TrialProgress, TrialSpec } from '../runner/index.js';
import { DEFAULT_UI_PORT, LiveServer } from './live-server.js';
import { LiveRun } from './live-run.js';

export class Dashboard {
  private constructor(
    private readonly server: LiveServer,
    readonly live: LiveRun,
  ) {}

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  /** @throws UsageError when the port cannot be listened on. */
  static async start(port: number, info: Omit<LiveRunInfo, 'startedAt' | 'deployment'> & { deployment?: string }): Promise<Dashboard> {
    let live: LiveRun | undefined;
    const server = await LiveServer.start({
      port,
      page: renderLivePage({ toolVersion: info.toolVersion }),
      snapshot: () => live!.snapshot(),
    });
    live = new LiveRun({ ...info, deployment: info.deployment ?? 'local', startedAt: Date.now() }, (m) => server.broadcast(m));
    return new Dashboard(server, live);
  }

  /** The matrix's listener with the dashboard's hooks added (each trial's start, samples and end). */
  matrixListener(base: MatrixListener): MatrixListener {
    return {
      ...base,
      trialStarted: (i, total, spec) => {
        base.trialStarted?.(i, total, spec);
        this.live.trialStarted(spec, `trial ${i + 1} of ${total}`);
      },
      trialProgress: (i, total, spec, p) => {
        base.trialProgress?.(i, total, spec, p);
        this.live.progress(p);
      },
      trialFinished: (i, total, spec, outcome) => {
        base.trialFinished?.(i, total, spec, outcome);
        this.live.trialFinished(outcome);
      },
    };
  }

  /** A sweep's probes: each starts with its first sample's spec (the sweep's listener hears engine and rate only). */
  sweepProgress(): (spec: TrialSpec, p: TrialProgress) => void {
    let current: TrialSpec | undefined;
    return (spec, p) => {
      if (spec !== current) {
        current = spec;
        const rate = spec.load.rate === 'max' ? 'max (capacity probe)' : `${spec.load.rate} ev/s`;
        this.live.trialStarted(spec, `sweep point at ${rate}`);
      }
      this.live.progress(p);
    };
  }

  /** A sweep's probe ended: its point's figures, or the capacity an unthrottled probe found. */
  sweepProbeFinished(point: SweepPoint | { capacity: number }): void {
    if ('capacity' in point) this.live.trialEnded({ status: point.capacity > 0 ? 'ok' : 'failed', inputEventsPerSec: point.capacity });
    else
      this.live.trialEnded({
        status: point.verdict === 'failed' ? 'failed' : 'ok',
        inputEventsPerSec: point.achievedInputThroughput,
        latencyP50Ms: point.latency.p50,
        latencyP99Ms: point.latency.p99,
        ...(point.verdict === 'failed' ? { error: point.reason } : {}),
      });
  }

  /** Says the run is over to every page, then ends every connection. */
  async close(): Promise<void> {
    this.live.end();
    await this.server.close();
  }
}

/** `--ui` alone (commander gives true) is the default port; `--ui 0` any free port. */
export function uiPort(value: string | boolean): number {
  if (value === true) return DEFAULT_UI_PORT;
  const text = String(value).trim();
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new UsageError(`--ui: '${text}' is not a port number (0-65535; default ${DEFAULT_UI_PORT})`);
  return port;
}
