/**
 * Entry point of a trial's child process: receives a TrialSpec over IPC, runs it, sends progress and the
 * result back, and exits. One fresh process per trial keeps JIT state, heap and GC of one trial from
 * leaking into the next.
 */
import { isUsageError } from '../errors.js';
import { runTrial, type TrialSpec } from './trial.js';
import type { ChildMessage, ParentMessage } from './protocol.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

let finished = false;
// A parent that died (killed, crashed) will never read the result: stop at once rather than run on as an orphan.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

process.once('message', async (message: ParentMessage) => {
  try {
    const spec: TrialSpec = message.spec;
    const result = await runTrial(spec, (progress) => void send({ type: 'progress', progress }));
    await send({ type: 'result', result });
  } catch (err) {
    await send({ type: 'error', message: (err as Error).message, usage: isUsageError(err), stack: (err as Error).stack });
  }
  finished = true;
  process.disconnect();
  process.exit(0);
});
