/** `--key=value` arguments of a daemon's command line (they also make its process-table entry readable), for every engine's daemons. */
export function daemonArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const args = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1], m[2]);
  }
  return args;
}

/** @throws Error when `--key` is missing or not a number */
export function numberArg(args: Map<string, string>, key: string): number {
  const v = Number(args.get(key));
  if (!Number.isFinite(v)) throw new Error(`missing or bad --${key}`);
  return v;
}
