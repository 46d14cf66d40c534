// Where the CPU goes while the page runs the experiment: CPU seconds per thread of every
// Chromium process (Linux /proc), from the click to the report. node e2e/bench/threads.mjs [workers]
import { readFileSync, readdirSync } from 'node:fs';
import { launch, startServer } from '../harness.mjs';
import { timePageExperiment } from './page-experiment.mjs';

const TICK = 100; // clock ticks per second on Linux
function threads() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!/chrom/i.test(cmd)) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = /\((.*)\)/.exec(stat)[1];
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${tid}`, { key: `${type}: ${name}`, cpu: (Number(f[11]) + Number(f[12])) / TICK });
      } catch {
        /* gone */
      }
    }
  }
  return out;
}
const server = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  let before;
  const wall = await timePageExperiment(page, `${server.base}www/?workers=${process.argv[2] || 4}`, () => {
    before = threads();
  });
  const after = threads();
  const byKey = new Map();
  for (const [id, t] of after) {
    const d = t.cpu - (before.get(id)?.cpu ?? 0);
    if (d > 0) byKey.set(t.key, (byKey.get(t.key) ?? 0) + d);
  }
  console.log(`wall ${wall.toFixed(2)} s`);
  for (const [k, v] of [...byKey].sort((a, b) => b[1] - a[1])) if (v >= 0.02) console.log(`${v.toFixed(2).padStart(7)} s  ${k}`);
} finally {
  await browser.close();
  server.stop();
}
