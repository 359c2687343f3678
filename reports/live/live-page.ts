/**
 * The live dashboard's page: one self-contained HTML document (Chart.js and the page script inlined, no
 * external asset). It holds no run data: the script draws everything from the server's event stream
 * (`/events`), and sets every streamed string as text, so a hostile engine, workload or operator name
 * can never become markup; the only markup it inserts is the plan diagram, which the server drew with the
 * report's escaping. The Content-Security-Policy allows the two inlined scripts (by hash), inline styles,
 * and a connection to this server only.
 */
import { STYLES } from '../html/index.js';
import { chartJsAsset, contentSecurityPolicy, escapeHtml } from '../page/index.js';
import { LIVE_SCRIPT } from './live-script.js';
import { LIVE_STYLES } from './live-styles.js';

export interface LivePage {
  html: string;
  /** Sent as a header too. */
  csp: string;
}

export function renderLivePage(options: { toolVersion: string }): LivePage {
  const chartJs = chartJsAsset();
  const csp = contentSecurityPolicy([chartJs.source, LIVE_SCRIPT], ["'self'"]);
  const chart = (id: string, label: string) =>
    `<figure class="chart"><figcaption>${escapeHtml(label)}</figcaption><div class="chart-box chart-short"><canvas id="${id}" data-chart aria-label="${escapeHtml(label)}" role="img"></canvas></div></figure>`;
  const html =
    '<!doctype html>\n<html lang="en" data-live="connecting">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light dark">\n' +
    `<title>streamarena live</title>\n<style>${STYLES}${LIVE_STYLES}</style>\n</head>\n<body>\n<main>\n` +
    '<header class="page"><h1>streamarena live <span id="status" class="status">connecting</span></h1>' +
    '<p class="lead" id="lead">waiting for the run</p>' +
    '<nav class="toc" aria-label="sections"><a href="#overview">Overview</a><a href="#graph">Job graph</a><a href="#charts">Live charts</a><a href="#engine">Engine</a><a href="#trials">Trials and events</a></nav></header>\n' +
    '<section id="overview"><h2>Overview</h2><div class="stats" id="overview-stats"></div>' +
    '<h3>Daemons</h3><div class="table-wrap"><table id="daemons"><thead><tr><th>name</th><th>kind</th><th class="num">pid</th><th>status</th><th class="num">last heartbeat</th><th class="num">CPU</th><th class="num">memory</th><th>detail</th></tr></thead><tbody></tbody></table></div></section>\n' +
    '<section id="graph"><h2>Job graph</h2><div class="legend"><span><span class="swatch busy"></span>busy</span><span><span class="swatch back-pressured"></span>back-pressured</span><span><span class="swatch idle"></span>idle</span><span><span class="swatch unknown"></span>not measured</span><span id="graph-note"></span></div>' +
    '<div class="plan-wrap" id="plan"><p class="empty">no trial yet</p></div>' +
    '<div class="table-wrap"><table id="vertices"><thead><tr><th>vertex</th><th>state</th><th class="num">busy</th><th class="num">back-pressured</th><th class="num">idle</th><th class="num">records in/s</th><th class="num">records out/s</th><th class="num">watermark</th><th>how</th></tr></thead><tbody></tbody></table></div></section>\n' +
    `<section id="charts"><h2>Live charts</h2><div class="grid">${chart('chart-throughput', 'Throughput (events read and records written per second)')}${chart('chart-latency', 'Event-time latency of each second (p50, p99, max)')}${chart('chart-backlog', 'Log backlog (events appended, not yet read)')}</div></section>\n` +
    '<section id="engine"><h2 id="engine-title">Engine</h2><div id="engine-view"><p class="empty">no trial yet</p></div>' +
    `<div class="grid" id="spark-charts" hidden>${chart('chart-batch-delay', 'Batches: scheduling and processing delay against the interval')}${chart('chart-batch-input', 'Batches: input records and stages')}</div></section>\n` +
    '<section id="trials"><h2>Trials and events</h2><div class="table-wrap"><table id="finished"><thead><tr><th class="num">#</th><th>engine</th><th>workload</th><th class="num">trial</th><th>what</th><th>status</th><th class="num">events/s</th><th class="num">p50</th><th class="num">p99</th></tr></thead><tbody></tbody></table></div>' +
    '<h3>Events</h3><div class="table-wrap"><table id="events"><thead><tr><th>time</th><th>kind</th><th>what</th></tr></thead><tbody></tbody></table></div></section>\n' +
    `<footer>streamarena ${escapeHtml(options.toolVersion)} live dashboard \u00b7 charts drawn with Chart.js ${escapeHtml(chartJs.version)} (inlined) \u00b7 updates over Server-Sent Events from 127.0.0.1</footer>\n` +
    '</main>\n' +
    `<script>${chartJs.source}</script>\n<script>${LIVE_SCRIPT}</script>\n</body>\n</html>\n`;
  return { html, csp };
}
