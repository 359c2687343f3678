/** Number formats the fidelity checks share. */

/** `0.52x` */
export function ratio(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

/** Events per CPU-second over a trial's measurement window. */
export function perCpuSecond(run: { input: { events: number }; resources: { cpuUserMs: number; cpuSystemMs: number } }): number {
  const cpuMs = run.resources.cpuUserMs + run.resources.cpuSystemMs;
  return cpuMs > 0 ? (run.input.events / cpuMs) * 1000 : 0;
}
