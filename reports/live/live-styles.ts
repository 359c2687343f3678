/**
 * The live page's own rules, on top of the HTML report's stylesheet (same colours, tables, charts and plan
 * boxes): vertex states, the status line, the daemon list.
 */
export const LIVE_STYLES = String.raw`
[hidden] { display: none !important; }
:root { --state-busy: #ff8787; --state-bp: #495057; --state-idle: #a5d8ff; --state-unknown: var(--node-bg); }
@media (prefers-color-scheme: dark) {
  :root { --state-busy: #c92a2a; --state-bp: #000000; --state-idle: #1864ab; }
}
header.page .status { display: inline-block; margin-left: 10px; padding: 1px 8px; border-radius: 10px; font-size: 0.8em; vertical-align: middle; border: 1px solid var(--border); }
.status.live { color: var(--good); border-color: var(--good); }
.status.ended { color: var(--muted); }
.status.disconnected { color: var(--bad); border-color: var(--bad); }
.pd-node[data-state="busy"] rect { fill: var(--state-busy); }
.pd-node[data-state="back-pressured"] rect { fill: var(--state-bp); }
.pd-node[data-state="back-pressured"] text { fill: #ffffff; }
.pd-node[data-state="idle"] rect { fill: var(--state-idle); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.88em; color: var(--muted); margin: 6px 0; }
.legend .swatch { border: 1px solid var(--node-border); }
.swatch.busy { background: var(--state-busy); }
.swatch.back-pressured { background: var(--state-bp); }
.swatch.idle { background: var(--state-idle); }
.swatch.unknown { background: var(--state-unknown); }
td.state-busy { color: var(--bad); font-weight: 600; }
td.state-back-pressured { font-weight: 600; }
tr.lost td { color: var(--bad); }
tr.recovered td { color: var(--good); }
.empty { color: var(--muted); font-style: italic; }
`;
