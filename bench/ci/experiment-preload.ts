/**
 * Loaded with `node --import` by the noise experiment (bench/ci/noise.ts) only, never by the gate or the CLI
 * on their own: it changes nothing unless its environment variables are set.
 *
 * - STREAMARENA_CI_SLOWDOWN=<engine>:<s> (e.g. `flink:0.25`): a real slowdown of one engine. In the trial
 *   process of that engine a busy loop takes s/(1+s) of the wall clock (0.2 for 0.25), so that all the
 *   work of the trial takes (1+s) times as long, while the other engines' trials (the reference one that
 *   normalizes it included) run untouched. No engine code changes.
 * - STREAMARENA_CI_TWIN=<name>: registers a copy of the reference engine under <name>, to measure the noise
 *   of the normalized suite when no other engine is registered yet. A stand-in, said so in every report
 *   that uses it.
 */
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';

const twin = process.env.STREAMARENA_CI_TWIN;
if (twin && !(twin in engines)) {
  (engines as Record<string, Engine>)[twin] = Object.create(engines.reference, { name: { value: twin, enumerable: true } }) as Engine;
}

const slowdown = process.env.STREAMARENA_CI_SLOWDOWN;
if (slowdown) {
  const m = /^([\w-]+):(\d+(?:\.\d+)?)$/.exec(slowdown);
  if (!m) throw new Error(`STREAMARENA_CI_SLOWDOWN: '${slowdown}' is not <engine>:<factor>, e.g. flink:0.25`);
  const [, name, factor] = m;
  const engine = engines[name] as Engine | undefined;
  if (!engine) throw new Error(`STREAMARENA_CI_SLOWDOWN: no engine '${name}'`);
  // Wrapped in the registry of this process only: the thief starts in whichever process starts a job of
  // that engine (the trial's child), never in the others. Listening for the runner's IPC message instead
  // would consume it before the trial process listens.
  const start = engine.start;
  (engines as Record<string, Engine>)[name] = Object.create(engine, {
    start: {
      value(this: Engine, ...args: Parameters<Engine['start']>) {
        startThief(Number(factor));
        return start.apply(engine, args);
      },
    },
  }) as Engine;
}

/** Takes s/(1+s) of the wall clock from here on, in short slices, catching up whenever timers fire late. */
function startThief(s: number): void {
  const share = s / (1 + s);
  const t0 = performance.now();
  let stolen = 0;
  const timer = setInterval(() => {
    const owed = share * (performance.now() - t0) - stolen;
    if (owed <= 0) return;
    const end = performance.now() + owed;
    while (performance.now() < end) {
      /* the inserted work */
    }
    stolen += owed;
  }, 4);
  timer.unref();
}
