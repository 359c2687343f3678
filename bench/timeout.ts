/** Waiting for an engine with a deadline on the real clock: the one timeout race of the harness. */

/** Resolves true if `p` settles within `ms`, false otherwise; rejects if `p` rejects. The timer never outlives the race. */
export async function settleWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `1.5 s` or `300 ms`: a timeout as error messages say it. */
export function describeTimeout(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
