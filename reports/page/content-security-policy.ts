/**
 * The Content-Security-Policy of a self-contained page: only the page's own inlined scripts run (allowed
 * by hash), inline styles, `data:` images, no form targets and no base URL. `connect` lists what the
 * page may fetch (the live dashboard: its own event stream); nothing else is reachable from the page.
 */
import { createHash } from 'node:crypto';

/** `sha256-<base64>` of a script's text, as a CSP source expression (without the quotes). */
export function scriptHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

export function contentSecurityPolicy(scripts: readonly string[], connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'${scriptHash(s)}'`).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    ...(connect.length > 0 ? [`connect-src ${connect.join(' ')}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
