/**
 * The report page's own script (plain ES2019, inlined after Chart.js). It reads the embedded JSON
 * (`<script type="application/json" id="report-data">`, parsed, never evaluated), turns the named
 * formats of the chart configurations into tick and tooltip callbacks, creates every chart, follows
 * the light/dark colour scheme, and marks the page when done:
 * `<html data-charts="N" data-chart-errors="M">`, which the browser test waits for.
 *
 * It is a string, not TypeScript compiled for the browser, because the project compiles for Node only;
 * the browser test in test/reports/html runs it in Chromium.
 */
import { CLIENT_FORMATS } from '../page/index.js';

export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var root = document.documentElement;
  var dataElement = document.getElementById('report-data');
  var data = JSON.parse(dataElement ? dataElement.textContent : '{"charts":[]}');

${CLIENT_FORMATS}
  // On a log axis only some ticks are labelled: powers of ten, plus 2 and 5 when the axis spans at
  // most three decades (more would not fit); percentiles at powers of ten only.
  function isMajorLogTick(v, format, scale) {
    if (!(v > 0)) return false;
    var m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
    var decades = scale && scale.min > 0 ? Math.log10(scale.max / scale.min) : 0;
    if (format === 'percentile' || decades > 3) return Math.abs(m - 1) < 1e-6;
    return Math.abs(m - 1) < 1e-6 || Math.abs(m - 2) < 1e-6 || Math.abs(m - 5) < 1e-6;
  }

  /** Replaces ticks.format with a callback on every scale. */
  function hydrateScales(scales) {
    Object.keys(scales || {}).forEach(function (key) {
      var s = scales[key];
      var format = s.ticks && s.ticks.format;
      if (!format) return;
      delete s.ticks.format;
      var f = FORMATS[format] || FORMATS.plain;
      var log = s.type === 'logarithmic';
      s.ticks.callback = function (value) {
        var v = typeof value === 'number' ? value : Number(value);
        if (s.type === 'category') return this.getLabelForValue(value);
        if (log && !isMajorLogTick(v, format, this)) return null; // null hides the tick's grid line too
        return f(v);
      };
    });
  }

  function hydrateTooltip(config) {
    var plugins = config.options.plugins || (config.options.plugins = {});
    var tooltip = plugins.tooltip || (plugins.tooltip = {});
    var format = tooltip.format || {};
    delete tooltip.format;
    var horizontal = config.options.indexAxis === 'y';
    var value = FORMATS[format.value] || FORMATS.plain;
    var valueRight = FORMATS[format.valueRight] || value;
    var at = format.at ? function (v) { return format.at === 'percentile' ? FORMATS.percentile(v, 1) : FORMATS[format.at](v); } : null;
    tooltip.callbacks = {
      label: function (ctx) {
        var parsed = ctx.parsed || {};
        var v = horizontal ? parsed.x : parsed.y;
        if (v === null || v === undefined || isNaN(v)) return null;
        var f = ctx.dataset.yAxisID === 'y2' ? valueRight : value;
        var text = (ctx.dataset.label ? ctx.dataset.label + ': ' : '') + f(v);
        if (at && !horizontal && typeof parsed.x === 'number') text += ' at ' + at(parsed.x);
        return text;
      },
      afterLabel: function (ctx) {
        var raw = ctx.raw;
        if (raw && typeof raw === 'object' && typeof raw.note === 'string') return raw.note;
        var notes = ctx.dataset.notes;
        if (notes && typeof notes[ctx.dataIndex] === 'string') return notes[ctx.dataIndex];
        return '';
      }
    };
  }

  function cssVar(name) { return getComputedStyle(root).getPropertyValue(name).trim(); }

  // Shades warm-up and drain on time axes: options.plugins.bands = {bands: [{from, to, label}]}.
  var bandsPlugin = {
    id: 'bands',
    beforeDatasetsDraw: function (chart, args, options) {
      var bands = options && options.bands;
      var x = chart.scales.x;
      if (!bands || !bands.length || !x) return;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      bands.forEach(function (b) {
        var x0 = Math.max(area.left, x.getPixelForValue(b.from));
        var x1 = Math.min(area.right, x.getPixelForValue(b.to));
        if (!(x1 > x0)) return;
        ctx.fillStyle = cssVar('--band');
        ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
        ctx.fillStyle = cssVar('--muted');
        if (x1 - x0 > 40) ctx.fillText(b.label, x0 + 4, area.top + 3);
      });
      ctx.restore();
    }
  };

  function applyTheme() {
    Chart.defaults.color = cssVar('--chart-text') || '#555';
    Chart.defaults.borderColor = cssVar('--chart-grid') || 'rgba(0,0,0,0.1)';
  }

  var charts = [];
  var errors = 0;
  function build(spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) throw new Error('no canvas for ' + spec.id);
    var config = spec.config;
    config.options = config.options || {};
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    hydrateScales(config.options.scales);
    hydrateTooltip(config);
    charts.push(new Chart(canvas, config));
  }

  function start() {
    if (typeof Chart === 'undefined') {
      console.error('report: Chart.js did not load');
      root.setAttribute('data-charts', '0');
      root.setAttribute('data-chart-errors', String(data.charts.length));
      return;
    }
    Chart.register(bandsPlugin);
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    applyTheme();
    data.charts.forEach(function (spec) {
      try {
        build(spec);
      } catch (err) {
        errors++;
        console.error('report: chart ' + spec.id + ' failed: ' + (err && err.message));
        var canvas = document.getElementById(spec.id);
        if (canvas && canvas.parentNode) {
          var p = document.createElement('p');
          p.className = 'chart-error';
          p.textContent = 'This chart could not be drawn: ' + (err && err.message);
          canvas.parentNode.replaceChild(p, canvas);
        }
      }
    });
    if (window.matchMedia) {
      var mq = window.matchMedia('(prefers-color-scheme: dark)');
      var onChange = function () { applyTheme(); charts.forEach(function (c) { c.update('none'); }); };
      if (mq.addEventListener) mq.addEventListener('change', onChange);
    }
    root.setAttribute('data-charts', String(charts.length));
    root.setAttribute('data-chart-errors', String(errors));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
