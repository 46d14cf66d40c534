// The experiment's pool of engines: the main worker and helper workers, one per core.
import { call, postToEngine, request, settle } from './engine.js';
import { BUNDLE, ui } from './page.js';

// A pool of engines for the experiment: the main worker and helpers, one per core.
// Each helper gets the same model and tables (the target as CSV text the main worker
// writes), builds the same experiment and runs its first phase; the other units go to
// whichever engine is free; the main worker assembles every result. `?workers=N` caps the pool.
const PROGRESS_MS = 250;
const CHUNK_MS = 250;

function poolSize() {
  const cap = Number(new URLSearchParams(location.search).get('workers')) || 4;
  return Math.max(1, Math.min(cap, navigator.hardwareConcurrency || 2));
}

function helperEngine() {
  const w = BUNDLE ? new Worker(BUNDLE.workerUrl) : new Worker('worker.js', { type: 'module' });
  const waiting = new Map();
  let next = 1;
  w.onmessage = (e) => settle(waiting, e.data);
  w.onerror = (e) => {
    e.preventDefault();
    for (const [, p] of waiting) p.reject({ error: `A helper engine stopped: ${e.message || 'unknown error'}` });
    waiting.clear();
  };
  const ask = (type, args = {}, onEvent = null, transfer = []) => {
    const id = next++;
    const promise = new Promise((resolve, reject) => waiting.set(id, { resolve, reject, onEvent }));
    w.postMessage({ id, type, ...args }, transfer);
    return { id, promise };
  };
  // Stopping it ends what it was asked (a helper holds nothing the page needs).
  const stop = () => {
    w.terminate();
    for (const [, p] of waiting) p.reject({ cancelled: true, error: 'the engine was stopped' });
    waiting.clear();
  };
  return { ask, cancel: (id) => w.postMessage({ type: 'cancel', target: id }), stop };
}

// The main engine as a pool member.
const mainEngine = { ask: request, cancel: (id) => postToEngine({ type: 'cancel', target: id }), stop: () => {} };

async function startHelper(model, tables) {
  const h = helperEngine();
  const init = BUNDLE ? { wasm: await BUNDLE.wasm() } : {};
  await h.ask('init', init, null, init.wasm ? [init.wasm.buffer] : []).promise;
  await h.ask('loadModel', { json: model, name: ui.modelName }).promise;
  for (const [role, csv] of Object.entries(tables)) await h.ask('loadTable', { role, text: csv, name: `${role}.csv` }).promise;
  return h;
}

// Runs the experiment on the pool; resolves to { report, gridCsv, elapsed, workers }.
// `onStarted` is called once every engine has accepted the settings and built the experiment.
export async function runPool(config, fromSource, onProgress, onStarted = () => {}) {
  const started = performance.now();
  const n = poolSize();
  const engines = [mainEngine];
  // Known from the start, so that Cancel works while the helpers are still starting: every
  // step checks `cancelled`, and a running job is cancelled in its engine.
  const pool = { engines, jobs: [], cancelled: false };
  ui.pool = pool;
  const stopIfCancelled = () => {
    if (pool.cancelled) throw { cancelled: true };
  };
  // Once the run has ended (done, failed or cancelled), a late message from a helper engine
  // must not write progress over the final status.
  let over = false;
  let ticker = null;
  try {
    if (n > 1) {
      const model = (await call('exportModel')).json;
      stopIfCancelled();
      const tables = { target: (await call('tableCsv', { role: 'target' })).csv };
      if (fromSource) tables.source = (await call('tableCsv', { role: 'source' })).csv;
      stopIfCancelled();
      const helpers = await Promise.allSettled(Array.from({ length: n - 1 }, () => startHelper(model, tables)));
      for (const h of helpers) if (h.status === 'fulfilled') engines.push(h.value);
      const failed = helpers.find((h) => h.status === 'rejected');
      if (failed) throw failed.reason;
      stopIfCancelled();
    }
    const starts = await Promise.all(engines.map((e) => e.ask('paperStart', { config, fromSource }).promise));
    stopIfCancelled();
    onStarted();
    const { total, first } = starts[0];
    // Units done by each engine, the chunk it is running included.
    const done = new Array(engines.length).fill(0);
    // Shown at most every PROGRESS_MS: with an engine per core there is no core to spare for
    // redrawing the status 25 times a second per engine.
    let shown = -Infinity;
    let lastWhat = 'OODT';
    const report = (what = lastWhat) => {
      lastWhat = what;
      if (over || performance.now() - shown < PROGRESS_MS) return;
      shown = performance.now();
      const d = first + done.reduce((a, b) => a + b, 0);
      const elapsed = performance.now() - started;
      const left = d > first ? (elapsed / (d - first)) * (total - d) : null;
      onProgress({ done: d, total, what, elapsed, left, workers: engines.length });
    };
    // The time runs on while a long unit (an IDT fold on a large target) reports nothing.
    ticker = setInterval(() => report(), 1000);
    // Every engine runs the first phase (its own pretraining); engine 0's results count.
    const firstRuns = await Promise.all(
      engines.map((e, k) => {
        const job = e.ask('paperUnits', { indices: Array.from({ length: first }, (_, i) => i) }, null);
        ui.pool.jobs[k] = job.id;
        return job.promise;
      }),
    );
    report('pretraining done');
    stopIfCancelled();
    // The other units go out in chunks to whichever engine is free. Units take from 1 ms (a
    // baseline) to 200 ms (an IDT fold), in runs of one kind, so a chunk is sized by time:
    // about CHUNK_MS at the pace of the engine's last chunk, and never more than a share of
    // what is left (guided scheduling), so that no engine sits idle at the end while another
    // finishes a long chunk. Units are independent and seeded, and the report puts each
    // result in its place, so the dealing does not change it.
    const queue = Array.from({ length: total - first }, (_, i) => first + i);
    const results = [...firstRuns[0].results];
    await Promise.all(
      engines.map(async (e, k) => {
        let msPerUnit = Infinity; // unknown until the engine's first chunk: one unit
        while (queue.length > 0 && !pool.cancelled && !over) {
          const share = Math.ceil(queue.length / (2 * engines.length));
          const indices = queue.splice(0, Math.max(1, Math.min(share, Math.floor(CHUNK_MS / msPerUnit))));
          const t0 = performance.now();
          const before = done[k];
          const job = e.ask('paperUnits', { indices }, (m) => {
            done[k] = before + m.done;
            report(m.what);
          });
          ui.pool.jobs[k] = job.id;
          const r = await job.promise;
          results.push(...r.results);
          done[k] = before + indices.length;
          msPerUnit = (performance.now() - t0) / indices.length;
        }
      }),
    );
    stopIfCancelled();
    const r = await call('paperAssemble', { results });
    return { ...r, elapsed: performance.now() - started, workers: engines.length };
  } catch (err) {
    over = true;
    engines.forEach((e, k) => {
      if (pool.jobs[k] !== undefined) e.cancel(pool.jobs[k]);
    });
    call('paperEnd').catch(() => {});
    throw err;
  } finally {
    over = true;
    clearInterval(ticker);
    for (const e of engines.slice(1)) e.stop();
    ui.pool = null;
  }
}

// Drops the helper engines of the running experiment at once (when they do not stop when asked).
export function stopHelpers() {
  if (ui.pool) for (const e of ui.pool.engines.slice(1)) e.stop();
}

export function cancelPool() {
  if (!ui.pool) return;
  ui.pool.cancelled = true;
  ui.pool.engines.forEach((e, k) => {
    if (ui.pool.jobs[k] !== undefined) e.cancel(ui.pool.jobs[k]);
  });
}
