// Tables shared by the sections: recall per emotion and UAR, and confusion matrices.
import { EMOTIONS, esc, pct } from './page.js';

// Recall per emotion and UAR of each report (columns), on the same test rows.
export function recallTable(columns) {
  const head = columns.map(([name]) => `<th scope="col">${esc(name)}</th>`).join('');
  const cell = (rep, f) => `<td>${rep ? pct(f(rep)) : '—'}</td>`;
  const rows = EMOTIONS.map(
    (e, i) => `<tr><th scope="row">${e}</th>${columns.map(([, rep]) => cell(rep, (r) => r.recall[i])).join('')}</tr>`,
  );
  return `<thead><tr><th scope="col">emotion</th>${head}</tr></thead>
    <tbody>${rows.join('')}<tr><th scope="row">UAR</th>${columns.map(([, rep]) => cell(rep, (r) => r.uar)).join('')}</tr></tbody>`;
}

// The speaker-independent part of a measurement (rows of speakers who gave no labelled row),
// or the seen part when there is no other.
export const headline = (m) => (m && (m.unseen || m.seen)) || null;

// A heat map as a table: each cell's shade is its share of the true emotion's rows.
export function confusionTable(report) {
  const head = `<thead><tr><th scope="col">true \\ predicted</th>${EMOTIONS.map((e) => `<th scope="col">${e}</th>`).join('')}</tr></thead>`;
  const body = report.confusion.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    const cells = row.map((n, p) => {
      const share = n / total;
      const a = 0.08 + 0.85 * share;
      const bg = `rgba(11, 92, 173, ${a.toFixed(3)})`;
      // The shade blended on white; white text only where it has 4.5:1 contrast.
      const lin = (c) => {
        const v = (255 * (1 - a) + c * a) / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      const lum = 0.2126 * lin(11) + 0.7152 * lin(92) + 0.0722 * lin(173);
      const fg = 1.05 / (lum + 0.05) >= 4.5 ? '#fff' : '#1b1f24';
      return `<td style="background:${bg};color:${fg}" title="${n} of ${total} ${EMOTIONS[t]} rows predicted ${EMOTIONS[p]}">${n}</td>`;
    });
    return `<tr><th scope="row">${EMOTIONS[t]}</th>${cells.join('')}</tr>`;
  });
  return `${head}<tbody>${body.join('')}</tbody>`;
}

// A shaded band [lo, hi] around series `series` (its index in the data), drawn while the
// series is shown (a click on its legend entry hides both).
