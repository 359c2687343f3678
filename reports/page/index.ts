/** What the HTML report and the live dashboard share: escaping, the inlined Chart.js, number formats, the CSP. */
export { escapeHtml, jsonForScript } from './escape.js';
export { chartJsAsset, type ChartJsAsset } from './chartjs-asset.js';
export { CLIENT_FORMATS } from './client-formats.js';
export { contentSecurityPolicy, scriptHash } from './content-security-policy.js';
