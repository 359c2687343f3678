/**
 * The live page's script (plain ES2019, inlined after Chart.js). It opens the server's event stream
 * (`/events`: a snapshot, then trial, tick, trial-end, event and end messages; see live-stream.ts) and
 * draws from it alone: the Overview, the plan's boxes coloured by each vertex's state, the live charts,
 * the engine's own view (Flink checkpoints, Spark batches, Storm components), the finished trials and the
 * events. Every streamed string is set as text (textContent); the plan diagram, drawn and escaped by the
 * server, is the only markup it inserts.
 *
 * For tests and tools it marks the page: `<html data-live="connecting|live|ended|disconnected"
 * data-ticks="N" data-engine="...">`, and `data-state` on each coloured plan box.
 */
import { CLIENT_FORMATS } from '../page/index.js';

export const LIVE_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.documentElement;
${CLIENT_FORMATS}
  var MAX_POINTS = 300; // the last five minutes at one sample a second
  var state = { run: null, trial: null, last: null, ticks: 0, ended: false };
  var charts = {};

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function row(cells, numeric) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) {
      var td = el('td', c);
      if (numeric && numeric[i]) td.className = 'num';
      tr.appendChild(td);
    });
    return tr;
  }
  function pct(v) { return v === null || v === undefined ? '-' : FORMATS.percent(v); }
  function rate(v) { return v === null || v === undefined ? '-' : FORMATS.rate(v); }
  function ms(v) { return v === null || v === undefined ? '-' : FORMATS.ms(v); }
  function bytes(v) { return v === null || v === undefined ? '-' : FORMATS.bytes(v); }
  function count(v) { return v === null || v === undefined ? '-' : FORMATS.count(v); }
  function clock(t) { return new Date(t).toISOString().slice(11, 19); }
  // Event times are ms since the epoch: shown as UTC time of day with ms.
  function eventTime(t) { return new Date(t).toISOString().slice(11, 23); }
  function cssVar(name) { return getComputedStyle(root).getPropertyValue(name).trim(); }

  // ---- charts ----
  function lineChart(id, series, yFormat, type) {
    var canvas = $(id);
    var palette = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9'];
    return new Chart(canvas, {
      type: type || 'line',
      data: { datasets: series.map(function (s, i) {
        var ds = { label: s.label, data: [], borderColor: s.color || palette[i], backgroundColor: s.fill || s.color || palette[i],
          borderWidth: 1.5, pointRadius: 0, tension: 0, stack: s.stack, type: s.type, yAxisID: s.axis || 'y', order: s.order || 0 };
        // Fault marks: triangles on the x axis, no line; their tooltip is the event's text.
        if (s.marks) { ds.type = 'scatter'; ds.showLine = false; ds.pointRadius = 7; ds.pointHoverRadius = 9; ds.pointStyle = 'triangle'; ds.order = -2; }
        return ds;
      }) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: s0(series).xTitle || 'seconds since the trial started' }, stacked: s0(series).stacked,
               ticks: { callback: function (v) { return s0(series).xFormat ? s0(series).xFormat(v) : FORMATS.seconds(v); } } },
          y: { beginAtZero: true, stacked: s0(series).stacked, ticks: { callback: function (v) { return FORMATS[yFormat](v); } } },
          y2: { display: !!s0(series).y2, position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
                ticks: { callback: function (v) { return FORMATS.count(v); } } }
        },
        plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: function (ctx) {
          if (ctx.raw && typeof ctx.raw.text === 'string') return ctx.raw.text;
          var f = ctx.dataset.yAxisID === 'y2' ? FORMATS.count : FORMATS[yFormat];
          return ctx.dataset.label + ': ' + f(ctx.parsed.y);
        } } } }
      }
    });
  }
  function s0(series) { return series.options || {}; }

  function buildCharts() {
    Chart.defaults.color = cssVar('--chart-text') || '#555';
    Chart.defaults.borderColor = cssVar('--chart-grid') || 'rgba(0,0,0,0.1)';
    var opts = function (list, o) { list.options = o; return list; };
    charts.throughput = lineChart('chart-throughput', [{ label: 'events read/s' }, { label: 'records written/s' },
      { label: 'faults and recovery', marks: true, color: '#c92a2a' }], 'rate');
    charts.latency = lineChart('chart-latency', [{ label: 'p50' }, { label: 'p99' }, { label: 'max' },
      { label: 'faults and recovery', marks: true, color: '#c92a2a' }], 'ms');
    charts.backlog = lineChart('chart-backlog', [{ label: 'backlog (events)' }], 'count');
    charts.batchDelay = lineChart('chart-batch-delay', opts([
      { label: 'scheduling delay', stack: 'd', type: 'bar', color: '#fab005' },
      { label: 'processing delay', stack: 'd', type: 'bar', color: '#1c7ed6' },
      { label: 'batch interval', type: 'line', color: '#c92a2a', order: -1, stack: 'interval' }
    ], { xTitle: 'batch time', xFormat: clockTick, stacked: false }), 'ms', 'bar');
    charts.batchInput = lineChart('chart-batch-input', opts([
      { label: 'input records', type: 'bar', color: '#2f9e44' },
      { label: 'stages', type: 'line', color: '#ae3ec9', axis: 'y2' }
    ], { xTitle: 'batch time', xFormat: clockTick, y2: true }), 'count', 'bar');
    charts.batchDelay.options.scales.x.stacked = true;
    charts.batchDelay.options.scales.y.stacked = true;
  }
  function clockTick(v) { return clock(v); }

  function setSeries(chart, arrays) {
    chart.data.datasets.forEach(function (ds, i) { ds.data = arrays[i] || []; });
    chart.update('none');
  }
  function markPoints(from) {
    return faultMarks.filter(function (m) { return m.t >= from; }).map(function (m) {
      return { x: m.t, y: 0, text: (m.fault < 0 ? 'failure' : 'fault ' + (m.fault + 1)) + ' ' + m.type + ': ' + m.detail };
    });
  }
  function drawSamples(samples) {
    var s = samples.slice(-MAX_POINTS);
    var from = s.length > 0 ? s[0].t : 0;
    setSeries(charts.throughput, [
      s.map(function (p) { return { x: p.t, y: p.inputEventsPerSec }; }),
      s.map(function (p) { return { x: p.t, y: p.outputRecordsPerSec }; }),
      markPoints(from)
    ]);
    var lat = function (k) { return s.filter(function (p) { return p.latency; }).map(function (p) { return { x: p.t, y: p.latency[k] }; }); };
    setSeries(charts.latency, [lat('p50'), lat('p99'), lat('max'), markPoints(from)]);
    root.setAttribute('data-fault-marks', String(faultMarks.length));
    setSeries(charts.backlog, [s.map(function (p) { return { x: p.t, y: p.backlog }; })]);
  }

  // ---- overview ----
  function stat(k, v) {
    var d = el('div', null, 'stat');
    d.appendChild(el('div', k, 'k'));
    d.appendChild(el('div', v, 'v'));
    return d;
  }
  function drawOverview() {
    var box = $('overview-stats');
    clear(box);
    var run = state.run, t = state.trial, last = state.last;
    if (!run) return;
    box.appendChild(stat('command', run.command));
    box.appendChild(stat('deployment', t ? t.deployment : run.deployment));
    if (!t) { box.appendChild(stat('trial', 'none yet')); return; }
    box.appendChild(stat('engine', t.engine));
    box.appendChild(stat('workload', t.workload));
    box.appendChild(stat('trial', t.purpose));
    box.appendChild(stat('parallelism', t.parallelism));
    box.appendChild(stat('offered rate', t.offeredRate === 'max' ? 'max (unthrottled)' : rate(t.offeredRate) + ' ev/s'));
    box.appendChild(stat('achieved (read)', last ? rate(last.sample.inputEventsPerSec) + ' ev/s' : '-'));
    box.appendChild(stat('output', last ? rate(last.sample.outputRecordsPerSec) + ' rec/s' : '-'));
    box.appendChild(stat('phase', last ? last.phase : 'starting'));
    var elapsed = last ? last.elapsedMs : 0;
    box.appendChild(stat('elapsed', FORMATS.seconds(elapsed / 1000)));
    var planned = last && last.plannedMs !== undefined ? last.plannedMs : t.plannedMs;
    box.appendChild(stat('remaining', planned === undefined ? 'until the input ends' : FORMATS.seconds(Math.max(0, planned - elapsed) / 1000)));
    $('lead').textContent = t.engine + ' \u00d7 ' + t.workload + ' \u00b7 ' + t.purpose + ' \u00b7 ' + (t.deployment || run.deployment) + ' deployment';
    drawDaemons(last ? last.daemons : []);
  }
  function drawDaemons(list) {
    var body = $('daemons').tBodies[0];
    clear(body);
    if (list.length === 0) { body.appendChild(row(['no daemon reported yet'])); return; }
    var now = Date.now();
    list.forEach(function (d) {
      var tr = row([d.name, d.kind, d.pid === null ? '-' : d.pid, d.status,
        d.lastHeartbeat === null ? 'never' : FORMATS.seconds(Math.max(0, now - d.lastHeartbeat) / 1000) + ' ago',
        d.cpuPercent === null ? '-' : FORMATS.plain(d.cpuPercent) + ' %', bytes(d.memoryBytes), d.detail || ''],
        [false, false, true, false, true, true, true, false]);
      if (d.status === 'lost' || d.status === 'recovered') tr.className = d.status;
      body.appendChild(tr);
    });
  }

  // ---- job graph ----
  var boxes = {};
  function drawPlan() {
    var wrap = $('plan');
    boxes = {};
    if (!state.trial) return;
    // The server drew this SVG with the report's escaping: the only markup this page inserts.
    wrap.innerHTML = state.trial.plan.html;
    Array.prototype.forEach.call(wrap.querySelectorAll('g.pd-node'), function (g) {
      var kind = g.querySelector('text.pd-kind');
      boxes[g.getAttribute('data-node')] = { g: g, kind: kind, kindText: kind ? kind.textContent : '' };
    });
  }
  function labelOf(id) {
    var b = boxes[id];
    var label = b && b.g.querySelector('text.pd-label');
    return label ? label.textContent : id;
  }
  function drawVertices(vertices) {
    var body = $('vertices').tBodies[0];
    clear(body);
    var notes = {};
    vertices.forEach(function (v) {
      var b = boxes[v.id];
      if (b) {
        b.g.setAttribute('data-state', v.state);
        if (b.kind) {
          var parts = [];
          if (v.busy !== null) parts.push('busy ' + pct(v.busy));
          if (v.backPressured) parts.push('bp ' + pct(v.backPressured));
          if (v.inPerSec !== null) parts.push('in ' + rate(v.inPerSec) + '/s');
          else if (v.outPerSec !== null) parts.push('out ' + rate(v.outPerSec) + '/s');
          b.kind.textContent = parts.length ? parts.join(' \u00b7 ') : b.kindText;
        }
      }
      if (v.note) notes[v.note] = true;
      var tr = row([labelOf(v.id), v.state, pct(v.busy), pct(v.backPressured), pct(v.idle), rate(v.inPerSec), rate(v.outPerSec),
        v.watermark === undefined ? '' : v.watermark === null ? 'none yet' : eventTime(v.watermark), v.note || ''],
        [false, false, true, true, true, true, true, true, false]);
      tr.children[1].className = 'state-' + v.state;
      body.appendChild(tr);
    });
    $('graph-note').textContent = Object.keys(notes).join('; ');
  }

  // ---- engine views ----
  function table(headers, rows, numeric) {
    var wrap = el('div', null, 'table-wrap');
    var t = document.createElement('table');
    var head = document.createElement('tr');
    headers.forEach(function (h, i) { var th = el('th', h); if (numeric && numeric[i]) th.className = 'num'; head.appendChild(th); });
    var thead = document.createElement('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    var body = document.createElement('tbody');
    if (rows.length === 0) body.appendChild(row(['none yet']));
    rows.forEach(function (r) { body.appendChild(row(r, numeric)); });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }
  function drawEngine(tick) {
    var view = $('engine-view');
    var s = tick && tick.engineStats;
    var engine = state.trial ? state.trial.engine : '';
    $('spark-charts').hidden = engine !== 'spark';
    clear(view);
    if (!s) { view.appendChild(el('p', 'waiting for the engine\u2019s first stats', 'empty')); return; }
    if (engine === 'flink') return flinkView(view, s);
    if (engine === 'spark') return sparkView(view, s);
    if (engine === 'storm') return stormView(view, s);
    $('engine-title').textContent = 'Engine: ' + engine;
    view.appendChild(el('p', 'This engine has no engine-specific view; its counters:', 'muted'));
    view.appendChild(table(Object.keys(s).filter(function (k) { return typeof s[k] === 'number'; }),
      [Object.keys(s).filter(function (k) { return typeof s[k] === 'number'; }).map(function (k) { return count(s[k]); })]));
  }
  function flinkView(view, s) {
    $('engine-title').textContent = 'Flink: checkpoints';
    var c = s.checkpointSummary || {};
    var stats = el('div', null, 'stats');
    stats.appendChild(stat('interval', c.interval === null || c.interval === undefined ? 'off' : ms(c.interval)));
    stats.appendChild(stat('mode', c.mode || '-'));
    stats.appendChild(stat('completed', count(c.completed)));
    stats.appendChild(stat('failed', count(c.failed)));
    stats.appendChild(stat('latest completed', c.latestCompletedId === null || c.latestCompletedId === undefined ? '-' : c.latestCompletedId));
    stats.appendChild(stat('skipped triggers', count(c.skippedTicks)));
    var f = c.inFlight;
    stats.appendChild(stat('in flight', f ? '#' + f.id + ': ' + f.acknowledged + '/' + f.tasks + ' tasks acknowledged' : 'none'));
    view.appendChild(stats);
    var list = (s.checkpoints || []).slice().reverse();
    if (c.interval === null || c.interval === undefined) view.appendChild(el('p', 'Checkpointing is off (flink.checkpointInterval=off, as in Flink); give -o flink.checkpointInterval=1000 to see checkpoints.', 'muted'));
    view.appendChild(table(['id', 'status', 'duration', 'size', 'alignment', 'sync', 'async', 'failure'],
      list.map(function (k) { return [k.id, k.status, ms(k.durationMs), bytes(k.sizeBytes), ms(k.alignmentMs), ms(k.syncDurationMs), ms(k.asyncDurationMs), k.failureReason || '']; }),
      [true, false, true, true, true, true, true, false]));
    var b = s.buffers || {};
    view.appendChild(el('h4', 'Network buffers'));
    view.appendChild(table(['sent', 'fill', 'flushed full', 'by timeout', 'by event', 'bytes'],
      [[count(b.sent), pct(b.avgFillRatio), count(b.flushedFull), count(b.flushedByTimeout), count(b.flushedByEvent), bytes(b.bytesSent)]],
      [true, true, true, true, true, true]));
  }
  function sparkView(view, s) {
    $('engine-title').textContent = 'Spark Streaming: batches';
    var stats = el('div', null, 'stats');
    stats.appendChild(stat('batch interval', ms(s.batchIntervalMs)));
    stats.appendChild(stat('batches', count(s.batchesTotal)));
    stats.appendChild(stat('pending batches', count(s.batchesPending)));
    stats.appendChild(stat('mean scheduling delay', ms(s.meanSchedulingDelayMs)));
    stats.appendChild(stat('mean processing delay', ms(s.meanProcessingDelayMs)));
    stats.appendChild(stat('stages / tasks', count(s.stagesTotal) + ' / ' + count(s.tasksTotal)));
    stats.appendChild(stat('executors \u00d7 cores', s.executors + ' \u00d7 ' + s.coresPerExecutor));
    view.appendChild(stats);
    var batches = (s.batches || []).slice(-MAX_POINTS);
    setSeries(charts.batchDelay, [
      batches.map(function (b) { return { x: b.time, y: b.schedulingDelayMs }; }),
      batches.map(function (b) { return { x: b.time, y: b.processingDelayMs }; }),
      batches.map(function (b) { return { x: b.time, y: s.batchIntervalMs }; })
    ]);
    setSeries(charts.batchInput, [
      batches.map(function (b) { return { x: b.time, y: b.records }; }),
      batches.map(function (b) { return { x: b.time, y: b.stages }; })
    ]);
    view.appendChild(el('h4', 'Latest batches'));
    view.appendChild(table(['batch time', 'input records', 'scheduling delay', 'processing delay', 'total delay', 'stages', 'tasks'],
      batches.slice(-10).reverse().map(function (b) { return [clock(b.time), count(b.records), ms(b.schedulingDelayMs), ms(b.processingDelayMs), ms(b.totalDelayMs), b.stages, b.tasks]; }),
      [false, true, true, true, true, true, true]));
  }
  function stormView(view, s) {
    $('engine-title').textContent = 'Storm: topology';
    var stats = el('div', null, 'stats');
    var cl = s.completeLatencyMs;
    stats.appendChild(stat('acked', count(s.acked)));
    stats.appendChild(stat('failed', count(s.failed)));
    stats.appendChild(stat('replayed', count(s.replayed)));
    stats.appendChild(stat('timed out', count(s.timedOut)));
    stats.appendChild(stat('complete latency p50 / p99', cl ? ms(cl.p50) + ' / ' + ms(cl.p99) : 'no ackers'));
    stats.appendChild(stat('spout pending', count(s.spoutPending)));
    var a = s.assignment || {};
    stats.appendChild(stat('workers / executors / ackers', a.workers + ' / ' + a.executors + ' / ' + a.ackers));
    view.appendChild(stats);
    var live = {};
    (state.last ? state.last.vertices : []).forEach(function (v) { live[v.id] = v; });
    view.appendChild(el('h4', 'Bolts'));
    view.appendChild(table(['component', 'executors', 'executed', 'capacity (run)', 'capacity (last interval)', 'execute latency', 'process latency'],
      (s.bolts || []).map(function (b) {
        var v = live['component:' + b.component];
        return [b.component + (b.system ? ' (system)' : ''), b.executors, count(b.executed), FORMATS.plain(b.capacity), v && v.busy !== null ? FORMATS.plain(v.busy) : '-', ms(b.executeLatencyMs), 'not modelled'];
      }), [false, true, true, true, true, true, false]));
    view.appendChild(el('h4', 'Executor queues'));
    view.appendChild(table(['executor', 'capacity', 'high-water mark', 'overflow high-water', 'pending emits high-water'],
      (s.queues || []).map(function (q) { return [q.executor, count(q.capacity), count(q.highWaterMark), count(q.overflowHighWaterMark), count(q.pendingEmitsHighWaterMark)]; }),
      [false, true, true, true, true]));
  }

  // ---- trials and events ----
  function addFinished(e) {
    $('finished').tBodies[0].appendChild(row([e.index + 1, e.engine, e.workload, e.trial, e.purpose, e.status === 'ok' ? 'ok' : 'failed: ' + (e.error || ''),
      rate(e.inputEventsPerSec), ms(e.latencyP50Ms), ms(e.latencyP99Ms)], [true, false, false, true, false, false, true, true, true]));
  }
  function addEvent(e) {
    var body = $('events').tBodies[0];
    body.insertBefore(row([clock(e.time), e.kind, e.text]), body.firstChild);
    while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
  }

  // ---- the stream ----
  var samples = [];
  /** The running trial's faults and recovery steps (LiveFaultMark). */
  var faultMarks = [];
  function setStatus(kind, text) {
    root.setAttribute('data-live', kind);
    var s = $('status');
    s.className = 'status ' + kind;
    s.textContent = text;
  }
  function onTrial(t) {
    state.trial = t; state.last = null; samples = []; faultMarks = [];
    root.setAttribute('data-engine', t.engine);
    drawPlan(); drawSamples(samples); drawOverview(); drawVertices([]); drawEngine(null);
  }
  function onTick(tick) {
    state.last = tick; state.ticks++;
    samples.push(tick.sample);
    if (tick.faults) faultMarks = faultMarks.concat(tick.faults);
    if (samples.length > MAX_POINTS) samples.splice(0, samples.length - MAX_POINTS);
    root.setAttribute('data-ticks', String(state.ticks));
    drawSamples(samples); drawOverview(); drawVertices(tick.vertices); drawEngine(tick);
  }
  function onMessage(m) {
    if (m.type === 'snapshot') {
      var snap = m.snapshot;
      state.run = snap.run; state.ended = snap.ended;
      clear($('finished').tBodies[0]); clear($('events').tBodies[0]);
      snap.finished.forEach(addFinished);
      snap.events.forEach(addEvent);
      if (snap.trial) onTrial(snap.trial); else drawOverview();
      samples = snap.samples.slice(-MAX_POINTS);
      faultMarks = snap.faults || [];
      if (snap.last) { state.last = snap.last; drawOverview(); drawVertices(snap.last.vertices); drawEngine(snap.last); }
      drawSamples(samples);
      if (snap.ended) { setStatus('ended', 'run finished'); source.close(); } else setStatus('live', 'live');
    } else if (m.type === 'trial') onTrial(m.trial);
    else if (m.type === 'tick') onTick(m.tick);
    else if (m.type === 'trial-end') addFinished(m.end);
    else if (m.type === 'event') addEvent(m.event);
    else if (m.type === 'end') { state.ended = true; setStatus('ended', 'run finished'); source.close(); }
  }

  var source;
  function start() {
    if (typeof Chart === 'undefined') { console.error('live: Chart.js did not load'); return; }
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    buildCharts();
    source = new EventSource('/events');
    source.onmessage = function (e) {
      try { onMessage(JSON.parse(e.data)); } catch (err) { console.error('live: bad message: ' + (err && err.message)); }
    };
    source.onerror = function () { if (!state.ended) setStatus('disconnected', 'disconnected: retrying'); };
    source.onopen = function () { if (!state.ended) setStatus('live', 'live'); };
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
