/**
 * Number formats for page scripts (plain ES2019 source, inlined into a page's own script): `FORMATS.ms`,
 * `rate`, `bytes`, `count`, `percent`, `seconds`, `plain`, `percentile`, each a function of a number
 * returning text. Shared by the HTML report and the live dashboard, so both write a figure the same way.
 */
export const CLIENT_FORMATS = String.raw`  function fixed(v, d) { return Number(v.toFixed(d)).toString(); }
  var FORMATS = {
    ms: function (v) {
      if (!isFinite(v)) return '-';
      if (v === 0) return '0';
      if (v >= 10000) return fixed(v / 1000, 1) + ' s';
      if (v >= 100) return v.toFixed(0) + ' ms';
      if (v >= 1) return fixed(v, 1) + ' ms';
      if (v >= 0.01) return fixed(v, 3) + ' ms';
      return fixed(v * 1000, 2) + ' \u00b5s';
    },
    rate: function (v) {
      if (!isFinite(v)) return '-';
      var a = Math.abs(v);
      if (a >= 1e6) return fixed(v / 1e6, 2) + 'M';
      if (a >= 1e4) return fixed(v / 1e3, 1) + 'k';
      return fixed(v, a >= 10 ? 0 : 2);
    },
    bytes: function (v) {
      if (!isFinite(v)) return '-';
      var a = Math.abs(v);
      if (a >= 1073741824) return fixed(v / 1073741824, 2) + ' GiB';
      if (a >= 1048576) return fixed(v / 1048576, 1) + ' MiB';
      if (a >= 1024) return fixed(v / 1024, 0) + ' KiB';
      return v.toFixed(0) + ' B';
    },
    count: function (v) { return isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'; },
    percent: function (v) { return isFinite(v) ? fixed(v * 100, 1) + '%' : '-'; },
    seconds: function (v) { return isFinite(v) ? fixed(v, 1) + ' s' : '-'; },
    plain: function (v) { return isFinite(v) ? fixed(v, 3) : '-'; },
    // x = 1 / (1 - q): 1 -> 0%, 10 -> 90%, 100 -> 99%, 1000 -> 99.9%
    percentile: function (x, extra) {
      if (!(x >= 1)) return '-';
      var digits = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2) + (extra || 0);
      return fixed(100 * (1 - 1 / x), Math.min(digits, 8)) + '%';
    }
  };
`;
