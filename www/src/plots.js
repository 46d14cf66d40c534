// Plots: uPlot loaded on first use, line plots with 95 % bands, the loss curves and the
// embedding map.
import { $, EMOTIONS, errorText, alone, ui } from './page.js';

function drawBands(u, bands) {
  const ctx = u.ctx;
  const xs = u.data[0];
  for (const b of bands) {
    if (!u.series[b.series].show) continue;
    const pts = xs.map((x, i) => [x, b.lo[i], b.hi[i]]).filter(([, lo, hi]) => lo !== null && hi !== null);
    if (pts.length === 0) continue;
    ctx.save();
    // Inside the plotting area: an interval that reaches past the axes is cut there.
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.fillStyle = b.color;
    ctx.globalAlpha = 0.13;
    ctx.beginPath();
    const x = (v) => u.valToPos(v, 'x', true);
    const y = (v) => u.valToPos(v, 'y', true);
    const halfWidth = pts.length === 1 ? 4 * devicePixelRatio : 0;
    pts.forEach(([v, , hi], i) => ctx[i ? 'lineTo' : 'moveTo'](x(v) - (i ? 0 : halfWidth), y(hi)));
    if (halfWidth) ctx.lineTo(x(pts[0][0]) + halfWidth, y(pts[0][2]));
    [...pts].reverse().forEach(([v, lo], i) => ctx.lineTo(x(v) + (i ? 0 : halfWidth), y(lo)));
    if (halfWidth) ctx.lineTo(x(pts[0][0]) - halfWidth, y(pts[0][1]));
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  }
}

// The plotting library and its style sheet are not part of the first visit: they load when a
// run starts (runJob), or when a plot is first drawn. (The single-file page has them inline.)
let plotsLoading = null;
export function loadPlots() {
  if (window.uPlot) return Promise.resolve();
  plotsLoading ||= new Promise((resolve, reject) => {
    if (!document.querySelector('link[href="vendor/uPlot.min.css"]')) {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = 'vendor/uPlot.min.css';
      document.head.append(css);
    }
    const s = document.createElement('script');
    s.src = 'vendor/uPlot.iife.min.js';
    s.onload = resolve;
    s.onerror = () => {
      plotsLoading = null;
      s.remove();
      reject(new Error('The plotting library (vendor/uPlot.iife.min.js) could not be loaded; the figures are missing.'));
    };
    document.head.append(s);
  });
  return plotsLoading;
}

// series[0] names the x axis; axes: y axes after the x axis; xs: the x ticks (default: auto);
// bands: shaded intervals around some series (see drawBands).
export function linePlot(key, el, series, data, axes, xs = null, bands = []) {
  if (ui.plots[key]) ui.plots[key].destroy();
  delete ui.plots[key];
  el.innerHTML = '';
  el.dataset.bands = String(bands.length);
  if (!window.uPlot) {
    loadPlots().then(
      () => linePlot(key, el, series, data, axes, xs, bands),
      (err) => (el.textContent = alone(errorText(err))),
    );
    return;
  }
  const width = Math.max(280, el.clientWidth || 600);
  ui.plots[key] = new uPlot(
    {
      width,
      height: 260,
      series: [{ label: series[0] }, ...series.slice(1)],
      axes: [{ label: series[0], ...(xs ? { splits: () => xs } : {}) }, ...axes],
      scales: { x: { time: false } },
      // The legend's squares are drawn like their lines: dashed, dotted or solid.
      legend: {
        live: false,
        markers: {
          width: 3,
          dash: (u, i) => {
            const d = u.series[i].dash;
            return !d || d.length === 0 ? 'solid' : d[0] <= 2 ? 'dotted' : 'dashed';
          },
        },
      },
      cursor: { drag: { x: false, y: false } },
      hooks: bands.length ? { drawClear: [(u) => drawBands(u, bands)] } : {},
    },
    data,
    el,
  );
}
// A plot follows the width of its box. Each plot is first made narrow, so that the box's width
// is the page's and not the plot's own (a wide plot would otherwise hold its box open when the
// window narrows, and the page would scroll sideways).
// Resize events come many per second while a window is dragged: one pass per frame.
let resizing = false;
window.addEventListener('resize', () => {
  if (resizing) return;
  resizing = true;
  requestAnimationFrame(() => {
    resizing = false;
    const plots = Object.entries(ui.plots);
    for (const [, plot] of plots) plot.setSize({ width: 280, height: 260 });
    for (const [key, plot] of plots) {
      const el = key === 'loss' ? $('loss-plot') : $('figure2');
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    }
  });
});

export function drawLoss(epochs, distance) {
  const x = epochs.map((s) => s.epoch);
  const series = ['epoch', { label: 'pair loss (BCE)', stroke: '#0b5cad', width: 2 }];
  const data = [x, epochs.map((s) => s.bce)];
  const axes = [{ label: 'pair loss' }];
  if (distance) {
    series.push({ label: 'distance loss', stroke: '#c2410c', width: 2, scale: 'd' });
    data.push(epochs.map((s) => (s.distance === null ? null : s.distance)));
    axes.push({ label: 'distance loss', scale: 'd', side: 1, grid: { show: false } });
  }
  linePlot('loss', $('loss-plot'), series, data, axes);
}

// What a person should make of a result that looks wrong or says little.

// Colour-blind-safe colours per emotion (Okabe & Ito).
const EMOTION_COLOURS = { angry: '#d55e00', happy: '#e69f00', sad: '#0072b2', fearful: '#009e73' };

// The embedding map: one scatter plot per model, points coloured by emotion; `rows` says
// which rows they are.
export function drawEmbedding(map, rows) {
  $('embedding-figure').hidden = !map;
  if (!map) return;
  for (const [id, proj, title] of [
    ['embedding-before', map.before, 'before'],
    ['embedding-after', map.after, 'after'],
  ]) {
    const c = $(id);
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const xs = proj.points.map((p) => p[0]);
    const ys = proj.points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (v) => 10 + ((v - x0) / (x1 - x0 || 1)) * (c.width - 20);
    const sy = (v) => c.height - 26 - ((v - y0) / (y1 - y0 || 1)) * (c.height - 46);
    proj.points.forEach((p, i) => {
      g.fillStyle = EMOTION_COLOURS[map.emotions[i]];
      g.beginPath();
      g.arc(sx(p[0]), sy(p[1]), 2.5, 0, 2 * Math.PI);
      g.fill();
    });
    g.fillStyle = '#1b1f24';
    g.font = '13px system-ui, sans-serif';
    const share = Math.round(100 * (proj.explained[0] + proj.explained[1]));
    g.fillText(`${title} (${share} % of the variance)`, 10, c.height - 6);
    c.setAttribute('aria-label', `Embeddings of ${proj.points.length} ${rows} ${title} fine-tuning, coloured by emotion`);
  }
  $('embedding-rows').textContent = `Shown: ${map.before.points.length} ${rows}.`;
  $('embedding-legend').innerHTML = EMOTIONS.map(
    (e) => `<li><span class="swatch" style="background:${EMOTION_COLOURS[e]}"></span>${e}</li>`,
  ).join('');
}
