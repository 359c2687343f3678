/**
 * Escaping for the HTML report and the live dashboard. Every string that comes from a results file (engine and workload
 * names, option values, commands, host names, error messages, engine statistics, plan labels) is
 * user-supplied as far as the report is concerned: it goes into the page only through these
 * functions.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for HTML element content or a quoted attribute value: `& < > " '` become entities, so the
 * text can neither open a tag nor leave its attribute. Non-strings are converted with `String`.
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON text that is safe inside a `<script>` element (of any type) in an HTML page: `<`, `>` and `&`
 * are written as `\u003c`, `\u003e`, `\u0026`, so that neither `</script>` nor `<!--` (which would put
 * the HTML parser into its "script data escaped" state) can appear, and U+2028 and U+2029 as
 * `\u2028` and `\u2029` (line terminators in pre-ES2019 JavaScript). The result is still JSON and
 * parses back to the same value. Non-finite numbers become `null`, as JSON.stringify writes them.
 * @throws TypeError for values JSON cannot represent (BigInt, cycles, a top-level undefined).
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('jsonForScript: the value has no JSON form');
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
