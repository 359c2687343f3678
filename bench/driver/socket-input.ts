/**
 * `--input tcp://host:port`: events read from a socket, as the seed's StreamWordCount reads the lines a
 * user types into `nc -lk 7777`. The trial connects to the address (the user's server listens), splits
 * what arrives into newline-delimited lines and appends each one to the event log, stamped with its
 * arrival time: there is no schedule, the sender sets the pace. A line is the workload's event when it
 * parses as one (a JSON line), otherwise the workload's meaning of a plain line of text (for wordcount, a
 * line of words at its arrival time); a line that is neither is counted as rejected, never fatal, since a
 * person typing into a socket will make typos.
 *
 * The input ends when the duration or the event count is reached, or when the sender closes the
 * connection.
 */
import { connect, type Socket } from 'node:net';
import type { Clock, Cancellable } from '../../engines/api/index.js';
import { LatencyHistogram } from '../../engines/runtime/index.js';
import { UsageError } from '../errors.js';
import type { EventLog } from './event-log.js';
import type { LoadPlan } from './open-loop-driver.js';

export interface SocketAddress {
  host: string;
  port: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The address of a `tcp://host:port` input, or undefined when `input` is not one (it is a file path). */
export function parseSocketInput(input: string): SocketAddress | undefined {
  if (!/^tcp:\/\//i.test(input)) return undefined;
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/i.exec(input);
  if (!m) throw new UsageError(`--input ${input}: a socket input is tcp://<host>:<port>, e.g. tcp://127.0.0.1:7777`);
  const host = m[1];
  const port = Number(m[2]);
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`--input ${input}: port ${m[2]} is not between 1 and 65535`);
  if (!LOOPBACK.has(host.toLowerCase()))
    throw new UsageError(
      `--input ${input}: only a loopback host (127.0.0.1, localhost, ::1) is read from; the benchmark's load stays on this machine`,
    );
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

export function formatSocketAddress(a: SocketAddress): string {
  return `tcp://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

/** Opens a connection to `address` and resolves with it, or rejects with a UsageError that says how to start a server there. */
export function connectSocketInput(address: SocketAddress, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new UsageError(`cannot connect to --input ${formatSocketAddress(address)}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const why = err.code === 'ECONNREFUSED' ? 'connection refused' : err.message;
      reject(
        new UsageError(
          `cannot connect to --input ${formatSocketAddress(address)}: ${why} (start a server there first, e.g. nc -lk ${address.port})`,
        ),
      );
    });
  });
}

/** Turns one line into an event value, or throws an Error saying why it is not one. */
export type SocketLineParser = (line: string, arrivalTime: number) => unknown;

/**
 * A line is the workload's event when it parses as one (`parseInputLine`, as in an input file); otherwise,
 * for a workload that gives plain text a meaning (`parseTextLine`), that; otherwise it is rejected with the
 * JSON parser's reason.
 */
export function workloadLineParser(
  parseInputLine: (line: string) => unknown,
  parseTextLine: ((text: string, arrivalTime: number) => unknown) | undefined,
): SocketLineParser {
  return (line, arrivalTime) => {
    try {
      return parseInputLine(line);
    } catch (err) {
      if (parseTextLine) return parseTextLine(line, arrivalTime);
      throw err instanceof SyntaxError ? new Error(`not valid JSON (${err.message})`) : err;
    }
  };
}

/**
 * The driver of a socket input: it has the members of the open-loop driver that a trial and its input
 * window use, with `plan.rate` 'max' (nothing paces the input; the window counts what the engine read).
 */
export class SocketDriver {
  readonly sendLag = new LatencyHistogram();
  readonly plan: LoadPlan;
  t0 = Number.NaN;
  produced = 0;
  /** Lines that were not events of the workload. */
  rejected = 0;
  /** Why the first rejected line was rejected (its number and the parser's reason). */
  firstRejection: string | undefined;
  /** Why the input ended: the duration, the event count, or the sender closing the connection. */
  endedBy: 'duration' | 'events' | 'sender' | 'stopped' | undefined;
  readonly driverBound = false;
  private finished = false;
  private timer: Cancellable | undefined;
  private pending = '';
  private lineNo = 0;
  private readonly finishListeners: (() => void)[] = [];
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly log: EventLog,
    private readonly socket: Socket,
    private readonly parse: SocketLineParser,
    private readonly clock: Clock,
    plan: LoadPlan,
  ) {
    this.plan = { ...plan, rate: 'max' };
    socket.setEncoding('utf8');
    socket.pause();
  }

  get measureFrom(): number {
    return this.t0 + this.plan.warmupMs;
  }

  onFinish(listener: () => void): void {
    this.finishListeners.push(listener);
  }

  start(): void {
    this.t0 = this.clock.now();
    if (this.plan.durationMs !== undefined) {
      this.timer = this.clock.schedule(this.t0 + this.plan.warmupMs + this.plan.durationMs, () => this.finish('duration'));
    }
    this.socket.on('data', (chunk: string) => this.receive(chunk));
    this.socket.once('end', () => {
      // A last line without its newline still counts.
      if (this.pending !== '') this.appendLine(this.pending, this.clock.now());
      this.pending = '';
      this.log.publish();
      this.finish('sender');
    });
    this.socket.once('error', () => this.finish('sender'));
    this.socket.resume();
  }

  stop(): void {
    this.finish('stopped');
  }

  private receive(chunk: string): void {
    if (this.finished) return;
    const arrival = this.clock.now();
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      if (this.appendLine(line, arrival)) break;
    }
    this.log.publish();
  }

  /** Appends one line's event; returns true when the event count has been reached (the input ended). */
  private appendLine(raw: string, arrival: number): boolean {
    if (this.finished) return true;
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return false;
    let value: unknown;
    try {
      value = this.parse(line, arrival);
    } catch (err) {
      this.rejected++;
      this.firstRejection ??= `line ${this.lineNo}: ${(err as Error).message}`;
      return false;
    }
    this.log.append(this.produced % this.log.partitions, value, arrival);
    this.sendLag.record(0);
    this.produced++;
    if (this.plan.events !== undefined && this.produced >= this.plan.events) {
      this.log.publish();
      this.finish('events');
      return true;
    }
    return false;
  }

  private finish(reason: NonNullable<SocketDriver['endedBy']>): void {
    if (this.finished) return;
    this.finished = true;
    this.endedBy = reason;
    this.timer?.cancel();
    this.socket.destroy();
    for (const listener of this.finishListeners) listener();
    this.log.close();
    this.resolveDone();
  }
}
