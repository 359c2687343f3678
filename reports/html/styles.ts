/**
 * The report's stylesheet: light and dark through `prefers-color-scheme` (colours are CSS variables,
 * which the page script also hands to Chart.js), and a single column with scrollable tables and
 * diagrams on narrow screens.
 */
export const STYLES = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d2125; --muted: #5f6b76; --border: #dde2e6; --panel: #f7f8fa; --panel-2: #eef1f4;
  --accent: #1c7ed6; --good: #2b8a3e; --bad: #c92a2a; --warn: #b35c00;
  --band: rgba(73, 80, 87, 0.08); --chart-text: #495057; --chart-grid: rgba(0, 0, 0, 0.08);
  --node-bg: #ffffff; --node-border: #868e96; --group-bg: rgba(28, 126, 214, 0.05); --group-border: #91a7ff;
  --kind-source: #2f9e44; --kind-sink: #1c7ed6; --kind-stateful: #ae3ec9; --kind-system: #e8590c;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c; --fg: #e4e7ea; --muted: #9aa5b1; --border: #2e353c; --panel: #1c2025; --panel-2: #232930;
    --accent: #4dabf7; --good: #69db7c; --bad: #ff8787; --warn: #ffa94d;
    --band: rgba(173, 181, 189, 0.10); --chart-text: #c1c8cf; --chart-grid: rgba(255, 255, 255, 0.09);
    --node-bg: #1f252b; --node-border: #7d8792; --group-bg: rgba(77, 171, 247, 0.07); --group-border: #5c7cfa;
    --kind-source: #69db7c; --kind-sink: #4dabf7; --kind-stateful: #da77f2; --kind-system: #ffa94d;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
}
main { max-width: 1320px; margin: 0 auto; padding: 16px 24px 48px; }
header.page { border-bottom: 1px solid var(--border); margin-bottom: 8px; }
h1 { font-size: 1.6em; margin: 12px 0 4px; }
h2 { font-size: 1.3em; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid var(--border); }
h3 { font-size: 1.1em; margin: 22px 0 8px; }
h4 { font-size: 1em; margin: 16px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 10px; overflow: auto; white-space: pre; }
.muted { color: var(--muted); }
.small { font-size: 0.88em; }
.lead { color: var(--muted); margin: 0 0 10px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 8px 0 12px; font-size: 0.95em; }
nav.toc a { text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.banner { border: 1px solid var(--warn); color: var(--warn); background: var(--panel); border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.banner.bad { border-color: var(--bad); color: var(--bad); }

.table-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: 6px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
thead th { background: var(--panel-2); font-weight: 600; white-space: nowrap; position: sticky; top: 0; }
thead tr.groups th { text-align: center; font-weight: 500; color: var(--muted); border-bottom: 0; }
tbody tr:nth-child(even) td { background: var(--panel); }
tbody tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.summary { font-size: 0.93em; }
table.summary th, table.summary td { padding: 5px 7px; }
table.summary tr:not(.groups) > :first-child { position: sticky; left: 0; z-index: 1; background: var(--bg); }
table.summary thead tr:not(.groups) > th:first-child { background: var(--panel-2); z-index: 2; }
table.summary tbody tr:nth-child(even) td:first-child { background: var(--panel); }
td.name { white-space: nowrap; font-weight: 600; }
td.wrap { white-space: normal; word-break: break-word; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.chg { display: block; font-size: 0.82em; font-weight: 500; }
.chg.better { color: var(--good); }
.chg.worse { color: var(--bad); }
.chg.unchanged, .chg.too-few-trials { color: var(--muted); }
.ratio { display: block; font-size: 0.82em; color: var(--muted); }
.ok { color: var(--good); }
.bad { color: var(--bad); }
.warn { color: var(--warn); }

dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 6px 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; word-break: break-word; }

.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 14px; margin: 10px 0; }
.grid > .span-all { grid-column: 1 / -1; }
figure.chart { margin: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px 8px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.chart-box { position: relative; width: 100%; }
.chart-short { height: 220px; }
.chart-normal { height: 280px; }
.chart-tall { height: 360px; }
.chart-note { color: var(--muted); font-size: 0.85em; margin: 6px 0 0; }
.chart-error { color: var(--bad); }

.panel { border: 1px solid var(--border); border-radius: 8px; padding: 4px 14px 12px; margin: 14px 0; }
.panel > h4:first-child { margin-top: 10px; }
.stats { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.stat { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 6px 10px; min-width: 110px; }
.stat .k { color: var(--muted); font-size: 0.82em; }
.stat .v { font-size: 1.15em; font-weight: 600; font-variant-numeric: tabular-nums; }
.meter { display: inline-block; width: 90px; height: 8px; background: var(--panel-2); border: 1px solid var(--border); border-radius: 4px; vertical-align: middle; margin-right: 6px; overflow: hidden; }
.meter > span { display: block; height: 100%; background: var(--accent); }
.meter.hot > span { background: var(--bad); }
details { margin: 8px 0; }
details > summary { cursor: pointer; color: var(--accent); }

.plan { margin: 12px 0 18px; }
.plan-wrap { overflow: auto; border: 1px solid var(--border); border-radius: 8px; background: var(--panel); padding: 8px; max-height: 720px; }
.plan-wrap svg { display: block; }
.pd-node rect { fill: var(--node-bg); stroke: var(--node-border); stroke-width: 1.2; }
.pd-node.source rect { stroke: var(--kind-source); stroke-width: 2; }
.pd-node.sink rect { stroke: var(--kind-sink); stroke-width: 2; }
.pd-node.stateful rect { stroke: var(--kind-stateful); stroke-width: 2; }
.pd-node.system rect { stroke: var(--kind-system); stroke-dasharray: 4 3; }
.pd-group > rect { fill: var(--group-bg); stroke: var(--group-border); stroke-dasharray: 5 4; stroke-width: 1; }
.pd-label { fill: var(--fg); font: 600 12px system-ui, sans-serif; }
.pd-kind { fill: var(--muted); font: 10.5px system-ui, sans-serif; }
.pd-group-label { fill: var(--muted); font: 600 11px system-ui, sans-serif; }
.pd-edge { fill: none; stroke: var(--muted); stroke-width: 1.3; }
.pd-arrow { fill: var(--muted); }
.pd-edge-label { fill: var(--muted); font: 10px system-ui, sans-serif; paint-order: stroke; stroke: var(--panel); stroke-width: 3px; stroke-linejoin: round; }

footer { margin-top: 40px; border-top: 1px solid var(--border); padding-top: 10px; color: var(--muted); font-size: 0.88em; }

@media (max-width: 700px) {
  main { padding: 8px 10px 32px; }
  body { font-size: 13.5px; }
  h1 { font-size: 1.3em; }
  h2 { font-size: 1.15em; }
  th, td { padding: 4px 6px; }
  dl.kv { grid-template-columns: 1fr; gap: 0 0; }
  dl.kv dd { margin-bottom: 4px; }
  .chart-normal { height: 240px; }
  .chart-tall { height: 300px; }
}
@media print {
  nav.toc { display: none; }
  figure.chart, .panel { break-inside: avoid; }
}
`;
