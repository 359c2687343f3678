/** Runs one trial in a fresh child process and relays its progress. */
import { fork } from 'node:child_process';
import type { RunResult } from '../../reports/schema.js';
import { UsageError } from '../errors.js';
import { trialProcessPath } from './package-paths.js';
import type { ChildMessage } from './protocol.js';
import type { TrialProgress, TrialSpec } from './trial.js';

/** Keeps the last lines a child wrote to stderr, to explain a crash. */
const STDERR_TAIL = 4000;

export function runTrialInChild(spec: TrialSpec, onProgress?: (p: TrialProgress) => void, execArgv: string[] = []): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(trialProcessPath(), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv });
    let stderr = '';
    let settled = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'result') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(m.usage ? new UsageError(m.message) : Object.assign(new Error(m.message), { childStack: m.stack }));
      }
    });
    child.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new Error(`trial process ${why}${tail ? `: ${tail}` : ''}`));
    });
    child.send({ type: 'run', spec });
  });
}
