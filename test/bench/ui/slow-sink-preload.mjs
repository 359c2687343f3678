// Test only, loaded with `node --import` by the live dashboard's browser test: with
// STREAMARENA_TEST_SLOW_SINK_MS=<ms> every sink write of every engine first spins that long, so that a sink is
// the bottleneck and the tasks before it are back-pressured. It changes nothing without the variable.
import { performance } from 'node:perf_hooks';
import { engines } from '../../../dist/engines/index.js';

const ms = Number(process.env.STREAMARENA_TEST_SLOW_SINK_MS);
if (ms > 0) {
  for (const [name, engine] of Object.entries(engines)) {
    const start = engine.start;
    engines[name] = Object.create(engine, {
      start: {
        value(flow, io, options) {
          const slowSinks = {
            get(sinkName) {
              const writer = io.sinks.get(sinkName);
              return {
                write(value, emitTime, ingestTime) {
                  const end = performance.now() + ms;
                  while (performance.now() < end) {
                    // the slow sink's work
                  }
                  writer.write(value, emitTime, ingestTime);
                },
              };
            },
          };
          return start.call(engine, flow, { ...io, sinks: slowSinks }, options);
        },
      },
    });
  }
}
