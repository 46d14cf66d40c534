// Built by build/page.mjs from www/src/ (edit those files, then `make page`).
(() => {
  // www/src/page.js
  var $ = (id) => document.getElementById(id);
  var EMOTIONS = [];
  var chance = () => 1 / EMOTIONS.length;
  var BUNDLE = window.SIAMESE_BUNDLE || null;
  var MODELS = {
    tess: { file: "models/tess.json", label: "pretrained on TESS" },
    all: { file: "models/all.json", label: "trained on every available corpus" }
  };
  var SAMPLE = { file: "../data/ravdess_16k.csv", name: "ravdess_16k.csv" };
  var ui = {
    state: "loading",
    modelName: null,
    haveModel: false,
    haveTarget: false,
    haveSource: false,
    haveTuned: false,
    haveVoiceModel: false,
    busy: null,
    // id of the running job
    limits: null,
    // the engine's limits (src/limits.rs), read at start
    targetSeq: 0,
    // counts the person's target choices: only the newest one is loaded
    outcome: null,
    outcomeCsv: null,
    report: null,
    gridCsv: null,
    predictCsv: null,
    plots: {}
  };
  var mb = (bytes) => `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`;
  function tooBig(file, limit, what) {
    return file.size > limit ? `${file.name} is ${mb(file.size)}; the limit for ${what} is ${mb(limit)}.` : null;
  }
  function status(text) {
    $("status").textContent = text;
  }
  function showError(id, message) {
    const el = $(id);
    el.textContent = message;
    el.hidden = !message;
  }
  var clearError = (id) => showError(id, "");
  var pct = (x) => x === null || x === void 0 || Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)} %`;
  var fmt = (x, d = 4) => x === null || x === void 0 ? "—" : Number(x).toFixed(d);
  var esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  function readFile(file) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(new Error(`could not read ${file.name}`));
      r.readAsText(file);
    });
  }
  async function fetchText(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.text();
  }
  function provenance(body) {
    return { engine: `siamese-ser ${$("engine-version").textContent}`, model: ui.modelName, target: ui.targetName, ...body };
  }
  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1e3);
  }
  var FIELDS = {
    speakers: "set-speakers",
    samples_per_emotion: "set-samples",
    epochs: "set-epochs",
    learning_rate: "set-lr",
    seed: "set-seed",
    frozen_layers: "set-frozen",
    repeats: "paper-repeats"
  };
  var sentence = (s) => /[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
  function errorText(e, kind = null) {
    if (e && e.setting && e.expected !== void 0) {
      const id = kind === "paper" && e.setting === "speakers" ? "paper-speakers" : FIELDS[e.setting];
      const label = id && document.querySelector(`label[for="${id}"]`);
      if (label) return `${label.textContent.trim()}: ${e.value} is not allowed: ${e.expected}.`;
    }
    return e && (e.error || e.message) || String(e);
  }

  // www/src/plots.js
  function drawBands(u, bands) {
    const ctx = u.ctx;
    const xs = u.data[0];
    for (const b of bands) {
      if (!u.series[b.series].show) continue;
      const pts = xs.map((x2, i) => [x2, b.lo[i], b.hi[i]]).filter(([, lo, hi]) => lo !== null && hi !== null);
      if (pts.length === 0) continue;
      ctx.save();
      ctx.fillStyle = b.color;
      ctx.globalAlpha = 0.13;
      ctx.beginPath();
      const x = (v) => u.valToPos(v, "x", true);
      const y = (v) => u.valToPos(v, "y", true);
      const halfWidth = pts.length === 1 ? 4 * devicePixelRatio : 0;
      pts.forEach(([v, , hi], i) => ctx[i ? "lineTo" : "moveTo"](x(v) - (i ? 0 : halfWidth), y(hi)));
      if (halfWidth) ctx.lineTo(x(pts[0][0]) + halfWidth, y(pts[0][2]));
      [...pts].reverse().forEach(([v, lo], i) => ctx.lineTo(x(v) + (i ? 0 : halfWidth), y(lo)));
      if (halfWidth) ctx.lineTo(x(pts[0][0]) - halfWidth, y(pts[0][1]));
      ctx.closePath();
      ctx.fill();
      ctx.restore();
    }
  }
  var plotsLoading = null;
  function loadPlots() {
    if (window.uPlot) return Promise.resolve();
    plotsLoading ||= new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "vendor/uPlot.iife.min.js";
      s.onload = resolve;
      s.onerror = () => {
        plotsLoading = null;
        s.remove();
        reject(new Error("The plotting library (vendor/uPlot.iife.min.js) could not be loaded; the figures are missing."));
      };
      document.head.append(s);
    });
    return plotsLoading;
  }
  function linePlot(key, el, series, data, axes, xs = null, bands = []) {
    if (ui.plots[key]) ui.plots[key].destroy();
    delete ui.plots[key];
    el.innerHTML = "";
    el.dataset.bands = String(bands.length);
    if (!window.uPlot) {
      loadPlots().then(
        () => linePlot(key, el, series, data, axes, xs, bands),
        (err) => el.textContent = errorText(err)
      );
      return;
    }
    const width = Math.max(280, el.clientWidth || 600);
    ui.plots[key] = new uPlot(
      {
        width,
        height: 260,
        series: [{ label: series[0] }, ...series.slice(1)],
        axes: [{ label: series[0], ...xs ? { splits: () => xs } : {} }, ...axes],
        scales: { x: { time: false } },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        hooks: bands.length ? { drawClear: [(u) => drawBands(u, bands)] } : {}
      },
      data,
      el
    );
  }
  var resizing = false;
  window.addEventListener("resize", () => {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(() => {
      resizing = false;
      const plots = Object.entries(ui.plots);
      for (const [, plot] of plots) plot.setSize({ width: 280, height: 260 });
      for (const [key, plot] of plots) {
        const el = key === "loss" ? $("loss-plot") : $("figure2");
        plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
      }
    });
  });
  function drawLoss(epochs, distance) {
    const x = epochs.map((s) => s.epoch);
    const series = ["epoch", { label: "pair loss (BCE)", stroke: "#0b5cad", width: 2 }];
    const data = [x, epochs.map((s) => s.bce)];
    const axes = [{ label: "pair loss" }];
    if (distance) {
      series.push({ label: "distance loss", stroke: "#c2410c", width: 2, scale: "d" });
      data.push(epochs.map((s) => s.distance === null ? null : s.distance));
      axes.push({ label: "distance loss", scale: "d", side: 1, grid: { show: false } });
    }
    linePlot("loss", $("loss-plot"), series, data, axes);
  }
  var EMOTION_COLOURS = { angry: "#d55e00", happy: "#e69f00", sad: "#0072b2", fearful: "#009e73" };
  function drawEmbedding(map) {
    $("embedding-figure").hidden = !map;
    if (!map) return;
    for (const [id, proj, title] of [
      ["embedding-before", map.before, "before"],
      ["embedding-after", map.after, "after"]
    ]) {
      const c = $(id);
      const g = c.getContext("2d");
      g.clearRect(0, 0, c.width, c.height);
      const xs = proj.points.map((p) => p[0]);
      const ys = proj.points.map((p) => p[1]);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const sx = (v) => 10 + (v - x0) / (x1 - x0 || 1) * (c.width - 20);
      const sy = (v) => c.height - 26 - (v - y0) / (y1 - y0 || 1) * (c.height - 46);
      proj.points.forEach((p, i) => {
        g.fillStyle = EMOTION_COLOURS[map.emotions[i]];
        g.beginPath();
        g.arc(sx(p[0]), sy(p[1]), 2.5, 0, 2 * Math.PI);
        g.fill();
      });
      g.fillStyle = "#1b1f24";
      g.font = "13px system-ui, sans-serif";
      const share = Math.round(100 * (proj.explained[0] + proj.explained[1]));
      g.fillText(`${title} (${share} % of the variance)`, 10, c.height - 6);
      c.setAttribute("aria-label", `Embeddings of ${proj.points.length} test rows ${title} fine-tuning, coloured by emotion`);
    }
    $("embedding-legend").innerHTML = EMOTIONS.map(
      (e) => `<li><span class="swatch" style="background:${EMOTION_COLOURS[e]}"></span>${e}</li>`
    ).join("");
  }

  // www/src/pool.js
  var PROGRESS_MS = 250;
  function poolSize() {
    const cap = Number(new URLSearchParams(location.search).get("workers")) || 4;
    return Math.max(1, Math.min(cap, navigator.hardwareConcurrency || 2));
  }
  function helperEngine() {
    const w = BUNDLE ? new Worker(BUNDLE.workerUrl) : new Worker("worker.js", { type: "module" });
    const waiting = /* @__PURE__ */ new Map();
    let next = 1;
    w.onmessage = (e) => settle(waiting, e.data);
    w.onerror = (e) => {
      e.preventDefault();
      for (const [, p] of waiting) p.reject({ error: `A helper engine stopped: ${e.message || "unknown error"}` });
      waiting.clear();
    };
    const ask = (type, args = {}, onEvent = null, transfer = []) => {
      const id = next++;
      const promise = new Promise((resolve, reject) => waiting.set(id, { resolve, reject, onEvent }));
      w.postMessage({ id, type, ...args }, transfer);
      return { id, promise };
    };
    return { ask, cancel: (id) => w.postMessage({ type: "cancel", target: id }), stop: () => w.terminate() };
  }
  var mainEngine = { ask: request, cancel: (id) => postToEngine({ type: "cancel", target: id }), stop: () => {
  } };
  async function startHelper(model, tables) {
    const h = helperEngine();
    const init = BUNDLE ? { wasm: await BUNDLE.wasm() } : {};
    await h.ask("init", init, null, init.wasm ? [init.wasm.buffer] : []).promise;
    await h.ask("loadModel", { json: model, name: ui.modelName }).promise;
    for (const [role, csv] of Object.entries(tables)) await h.ask("loadTable", { role, text: csv, name: `${role}.csv` }).promise;
    return h;
  }
  async function runPool(config, fromSource, onProgress, onStarted = () => {
  }) {
    const started = performance.now();
    const n = poolSize();
    const engines = [mainEngine];
    const pool = { engines, jobs: [], cancelled: false };
    ui.pool = pool;
    const stopIfCancelled = () => {
      if (pool.cancelled) throw { cancelled: true };
    };
    let over = false;
    try {
      if (n > 1) {
        const model = (await call("exportModel")).json;
        stopIfCancelled();
        const tables = { target: (await call("tableCsv", { role: "target" })).csv };
        if (fromSource) tables.source = (await call("tableCsv", { role: "source" })).csv;
        stopIfCancelled();
        const helpers = await Promise.allSettled(Array.from({ length: n - 1 }, () => startHelper(model, tables)));
        for (const h of helpers) if (h.status === "fulfilled") engines.push(h.value);
        const failed = helpers.find((h) => h.status === "rejected");
        if (failed) throw failed.reason;
        stopIfCancelled();
      }
      const starts = await Promise.all(engines.map((e) => e.ask("paperStart", { config, fromSource }).promise));
      stopIfCancelled();
      onStarted();
      const { total, first } = starts[0];
      const done = new Array(engines.length).fill(0);
      let shown = -Infinity;
      const report = (what) => {
        if (over || performance.now() - shown < PROGRESS_MS) return;
        shown = performance.now();
        const d = first + done.reduce((a, b) => a + b, 0);
        const elapsed = performance.now() - started;
        const left = d > first ? elapsed / (d - first) * (total - d) : null;
        onProgress({ done: d, total, what, elapsed, left, workers: engines.length });
      };
      const firstRuns = await Promise.all(
        engines.map((e, k) => {
          const job = e.ask("paperUnits", { indices: Array.from({ length: first }, (_, i) => i) }, null);
          ui.pool.jobs[k] = job.id;
          return job.promise;
        })
      );
      report("pretraining done");
      stopIfCancelled();
      const queue = Array.from({ length: total - first }, (_, i) => first + i);
      const results = [...firstRuns[0].results];
      await Promise.all(
        engines.map(async (e, k) => {
          while (queue.length > 0 && !pool.cancelled && !over) {
            const indices = queue.splice(0, Math.max(1, Math.ceil(queue.length / (2 * engines.length))));
            const before = done[k];
            const job = e.ask("paperUnits", { indices }, (m) => {
              done[k] = before + m.done;
              report(m.what);
            });
            ui.pool.jobs[k] = job.id;
            const r2 = await job.promise;
            results.push(...r2.results);
            done[k] = before + indices.length;
          }
        })
      );
      stopIfCancelled();
      const r = await call("paperAssemble", { results });
      return { ...r, elapsed: performance.now() - started, workers: engines.length };
    } catch (err) {
      over = true;
      engines.forEach((e, k) => {
        if (pool.jobs[k] !== void 0) e.cancel(pool.jobs[k]);
      });
      call("paperEnd").catch(() => {
      });
      throw err;
    } finally {
      over = true;
      for (const e of engines.slice(1)) e.stop();
      ui.pool = null;
    }
  }
  function cancelPool() {
    if (!ui.pool) return;
    ui.pool.cancelled = true;
    ui.pool.engines.forEach((e, k) => {
      if (ui.pool.jobs[k] !== void 0) e.cancel(ui.pool.jobs[k]);
    });
  }

  // www/src/settings.js
  var currentMethod = () => ui.methods.find((m) => m.name === $("set-method").value) || ui.methods[0];
  function applyMethod() {
    const m = currentMethod();
    $("set-epochs").value = m.finetune.epochs;
    $("set-lr").value = m.finetune.learning_rate;
    $("set-method-hint").textContent = `${m.describe[0].toUpperCase()}${m.describe.slice(1)}.`;
  }
  $("set-method").addEventListener("change", applyMethod);
  var MAX = { "set-speakers": "draw_speakers", "set-samples": "samples_per_emotion", "set-epochs": "epochs", "paper-repeats": "repeats" };
  function applyLimits() {
    for (const [id, key] of Object.entries(MAX)) $(id).max = ui.limits[key];
  }
  function readSettings() {
    const num = (id, name, integer, min) => {
      const el = $(id);
      const v = Number(el.value);
      const max = MAX[id] ? ui.limits[MAX[id]] : Number.MAX_SAFE_INTEGER;
      const shown = el.value.length > 24 ? `${el.value.slice(0, 20)}…` : el.value;
      const ok = el.value.trim() !== "" && Number.isFinite(v) && (!integer || Number.isSafeInteger(v) && v <= max) && (min === 0 && !integer ? v > 0 : v >= min);
      if (!ok) {
        const what = integer ? `a whole number from ${min} to ${max}` : "a number above 0";
        throw new Error(`${name}: “${shown}” is not ${what}.`);
      }
      return v;
    };
    return {
      speakers: num("set-speakers", "Speakers k", true, 1),
      samples_per_emotion: num("set-samples", "Samples per emotion", true, 1),
      train: {
        ...currentMethod().finetune,
        epochs: num("set-epochs", "Epochs", true, 1),
        learning_rate: num("set-lr", "Learning rate", false, 0),
        seed: num("set-seed", "Seed", true, 0),
        frozen_layers: Number($("set-frozen").value),
        distance_loss: $("set-distance").checked
      }
    };
  }
  function currentSettings() {
    try {
      return readSettings();
    } catch {
      return null;
    }
  }
  var differs = (now, then) => Object.keys(now).some((k) => now[k] !== null && typeof now[k] === "object" ? differs(now[k], then?.[k] ?? {}) : now[k] !== then?.[k]);
  var checks = [];
  var onSettingsChange = (check) => checks.push(check);
  var settingsChanged = () => checks.forEach((c) => c());
  for (const id of ["settings-section", "paper-section"]) {
    $(id).addEventListener("input", settingsChanged);
    $(id).addEventListener("change", settingsChanged);
  }
  function settingsOrAlert(errorId, where = "") {
    clearError(errorId);
    try {
      return readSettings();
    } catch (err) {
      showError(errorId, `${where}${errorText(err)}`);
      return null;
    }
  }
  $("seed-random").addEventListener("click", () => {
    const a = new Uint32Array(1);
    crypto.getRandomValues(a);
    $("set-seed").value = String(a[0]);
    settingsChanged();
  });

  // www/src/engine.js
  var worker = null;
  var nextId = 1;
  var newId = () => nextId++;
  var postToEngine = (m, transfer = []) => worker.postMessage(m, transfer);
  var pending = /* @__PURE__ */ new Map();
  var replay = {};
  function settle(requests, m) {
    const p = requests.get(m.id);
    if (!p) return;
    if (m.type === "progress" || m.type === "started") {
      if (p.onEvent) p.onEvent(m);
      return;
    }
    requests.delete(m.id);
    if (m.ok) p.resolve(m);
    else p.reject(m);
  }
  function startWorker() {
    worker = BUNDLE ? new Worker(BUNDLE.workerUrl) : new Worker("worker.js", { type: "module" });
    worker.onmessage = (e) => settle(pending, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      for (const [, p] of pending) p.reject({ error: `The engine stopped: ${e.message || "unknown error"}`, crashed: true });
      pending.clear();
    };
  }
  function request(type, args = {}, onEvent = null, transfer = []) {
    const id = nextId++;
    const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onEvent }));
    worker.postMessage({ id, type, ...args }, transfer);
    return { id, promise };
  }
  var call = (type, args, onEvent, transfer) => request(type, args, onEvent, transfer).promise;
  async function initEngine() {
    const args = BUNDLE ? { wasm: await BUNDLE.wasm() } : {};
    const r = await call("init", args, null, args.wasm ? [args.wasm.buffer] : []);
    $("engine-version").textContent = r.version;
    ui.limits = r.limits;
    applyLimits();
    EMOTIONS.splice(0, EMOTIONS.length, ...r.emotions);
    ui.methods = r.defaults.methods;
    if (!ui.defaultsShown) {
      const label = (m) => m.name === r.defaults.best ? `${m.name} — measured best` : m.name === "paper" ? "paper — the paper's method" : m.name;
      for (const id of ["set-method", "paper-method"]) {
        $(id).innerHTML = r.defaults.methods.map((m) => `<option value="${esc(m.name)}">${esc(label(m))}</option>`).join("");
      }
      $("paper-method").value = "paper";
      const f = r.defaults.fewshot;
      $("set-speakers").value = f.speakers;
      $("set-samples").value = f.samples_per_emotion;
      $("set-frozen").value = String(f.train.frozen_layers);
      $("set-distance").checked = f.train.distance_loss;
      $("set-epochs").value = f.train.epochs;
      $("set-lr").value = f.train.learning_rate;
      $("set-seed").value = f.train.seed;
      $("paper-repeats").value = r.defaults.protocol.repeats;
      $("set-method").value = r.defaults.best;
      applyMethod();
      ui.defaultsShown = true;
    }
  }
  async function recover(message) {
    worker.terminate();
    startWorker();
    await initEngine();
    for (const kind of ["model", "target", "source", "predict", "voice"]) {
      const r = replay[kind];
      if (r && r.restore) await r.restore();
      else if (r) await call(r.type, r.args);
    }
    ui.haveTuned = false;
    ui.haveVoiceModel = false;
    return `${message} The engine was restarted and your model, files and recordings were reloaded; please try again.`;
  }
  async function runJob({
    kind,
    job,
    busy,
    done,
    cancelled = () => {
    },
    failed,
    failedLine = () => {
    },
    errorId,
    explain = (m) => m,
    doneState = "done",
    plots = false
  }) {
    ui.busy = { kind, id: job.id };
    const from = document.activeElement;
    setState("busy");
    status(busy);
    const plotting = plots ? loadPlots().catch(() => {
    }) : null;
    try {
      const r = await job.promise;
      await plotting;
      ui.busy = null;
      done(r);
      setState(doneState);
      keepFocus(from);
      return true;
    } catch (err) {
      ui.busy = null;
      let shown = null;
      if (err.cancelled) {
        cancelled();
      } else {
        let msg = errorText(err, kind);
        if (err.crashed) msg = await recover(msg);
        shown = errorId(msg, err);
        showError(shown, explain(msg));
        status(failed);
        failedLine();
      }
      setState("ready");
      keepFocus(shown ? $(shown) : from);
      return false;
    }
  }
  function keepFocus(target) {
    const lost = (el) => !el || el === document.body || el.disabled || !el.isConnected || el.offsetParent === null;
    if (!lost(document.activeElement)) return;
    if (target && !lost(target)) target.focus();
    else $("status").focus();
  }
  function cancelJob(kind) {
    if (!ui.busy || ui.busy.kind !== kind) return;
    if (ui.busy.id === "pool") cancelPool();
    else worker.postMessage({ type: "cancel", target: ui.busy.id });
  }

  // www/src/microphone.js
  var TAP = `class Tap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(2048); this.n = 0; }
  process(inputs) {
    const chans = inputs[0];
    if (chans && chans.length) {
      const len = chans[0].length;
      for (let i = 0; i < len; i++) {
        let v = 0;
        for (const c of chans) v += c[i];
        this.buf[this.n++] = v / chans.length;
        if (this.n === this.buf.length) { this.port.postMessage(this.buf.slice()); this.n = 0; }
      }
    }
    return true;
  }
}
registerProcessor('siamese-tap', Tap);`;
  var mic = {
    ctx: null,
    stream: null,
    node: null,
    rate: 0,
    recording: null,
    live: null,
    clips: [],
    counts: [0, 0, 0, 0],
    kept: [],
    player: null
  };
  replay.voice = {
    restore: async () => {
      for (const c of mic.kept) await call("addClip", { ...c, samples: c.samples.slice() });
    }
  };
  var MAX_CLIP_SECONDS = 10;
  function voiceControls() {
    const on = !!mic.ctx;
    const counts = Object.fromEntries(EMOTIONS.map((e, i) => [e, mic.counts[i]]));
    $("mic-start").disabled = on;
    $("mic-stop").disabled = !on;
    for (const b of document.querySelectorAll("button.record")) {
      const e = b.dataset.emotion;
      const rec = mic.recording && mic.recording.emotion === e;
      b.disabled = !on || !!mic.recording && !rec || !!mic.live;
      b.classList.toggle("recording", !!rec);
      b.textContent = rec ? `Stop recording ${e}` : `Record ${e} (${counts[e]})`;
    }
    const enough = EMOTIONS.every((e) => counts[e] >= 2);
    $("voice-train").disabled = !enough || !!mic.recording || !!mic.live || !!ui.busy || !ui.haveModel;
    $("live-toggle").disabled = !on || !ui.haveVoiceModel || !!mic.recording;
    $("live-toggle").textContent = mic.live ? "Stop live prediction" : "Start live prediction";
    $("voice-export").disabled = !ui.haveVoiceModel;
  }
  function renderClips() {
    $("clip-list").innerHTML = mic.clips.map(
      (c, i) => `<li>${esc(c.file)}: ${c.emotion}, ${c.seconds.toFixed(1)} s<button type="button" data-play="${i}" aria-label="Play ${esc(c.file)}">▶</button><button type="button" data-remove="${i}" aria-label="Delete ${esc(c.file)}">✕</button></li>`
    ).join("");
    voiceControls();
  }
  async function startMic() {
    clearError("voice-error");
    try {
      mic.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
      });
      mic.ctx = new AudioContext();
      await mic.ctx.audioWorklet.addModule(`data:text/javascript;base64,${btoa(TAP)}`);
      const src = mic.ctx.createMediaStreamSource(mic.stream);
      mic.node = new AudioWorkletNode(mic.ctx, "siamese-tap");
      const mute = mic.ctx.createGain();
      mute.gain.value = 0;
      src.connect(mic.node).connect(mute).connect(mic.ctx.destination);
      mic.rate = mic.ctx.sampleRate;
      mic.node.port.onmessage = (e) => onMicBlock(e.data);
      $("voice-status").textContent = `Microphone on (${mic.rate} Hz; recordings are converted to 16 kHz).`;
    } catch (err) {
      stopMic();
      showError("voice-error", micProblem(err));
    }
    voiceControls();
  }
  function micProblem(err) {
    const name = err && err.name;
    if (!navigator.mediaDevices)
      return "This browser gives no microphone to this page: it needs a secure address (https://, or http://localhost). Recording your voice is not available here; WAV files in section 2 still work.";
    if (name === "NotAllowedError" || name === "SecurityError")
      return "The browser did not allow the microphone. Allow it for this page (the icon in the address bar, or the site settings) and press Start again.";
    if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone was found. Connect one and press Start again.";
    if (name === "NotReadableError" || name === "AbortError")
      return "The microphone is there but could not be read: another application may be using it, or the system blocks it (check its privacy settings). Close the other application and press Start again.";
    return `The microphone could not be started (${errorText(err)}). Press Start to try again.`;
  }
  function stopMic() {
    if (mic.live) toggleLive();
    if (mic.recording) finishClip();
    if (mic.stream) mic.stream.getTracks().forEach((t) => t.stop());
    if (mic.ctx) mic.ctx.close();
    mic.ctx = mic.stream = mic.node = null;
    $("mic-level").value = 0;
    voiceControls();
    if (document.activeElement === $("mic-stop") || document.activeElement === document.body) $("mic-start").focus();
  }
  function onMicBlock(block) {
    let sum = 0;
    for (const v of block) sum += v * v;
    $("mic-level").value = Math.min(1, 4 * Math.sqrt(sum / block.length));
    if (mic.recording) {
      mic.recording.blocks.push(block);
      mic.recording.samples += block.length;
      if (mic.recording.samples >= MAX_CLIP_SECONDS * mic.rate) finishClip();
    }
    if (mic.live) postToEngine({ type: "listen", samples: block }, [block.buffer]);
  }
  async function finishClip() {
    const r = mic.recording;
    mic.recording = null;
    voiceControls();
    if (!r || r.samples < 0.3 * mic.rate) {
      $("voice-status").textContent = "That clip was shorter than 0.3 s and was not kept.";
      return;
    }
    const samples = new Float32Array(r.samples);
    let off = 0;
    for (const b of r.blocks) {
      samples.set(b, off);
      off += b.length;
    }
    const clip = { samples, rate: mic.rate, emotion: r.emotion, speaker: $("voice-speaker").value.trim() };
    try {
      const res = await call("addClip", { ...clip, samples: samples.slice() }, null, []);
      clip.name = res.clips[res.clips.length - 1].file;
      mic.kept.push(clip);
      mic.clips = res.clips;
      mic.counts = res.counts;
      voiceModelGone("");
      $("voice-status").textContent = `Kept ${clip.name} (${(r.samples / mic.rate).toFixed(1)} s).`;
    } catch (err) {
      showError("voice-error", errorText(err));
    }
    renderClips();
  }
  for (const b of document.querySelectorAll("button.record")) {
    b.addEventListener("click", () => {
      if (mic.recording) {
        finishClip();
        return;
      }
      clearError("voice-error");
      mic.recording = { emotion: b.dataset.emotion, blocks: [], samples: 0 };
      $("voice-status").textContent = `Recording ${b.dataset.emotion}… speak one sentence, then press Stop.`;
      voiceControls();
    });
  }
  function voiceModelGone(why) {
    if (mic.live) toggleLive();
    $("voice-estimate").hidden = true;
    $("voice-estimate").innerHTML = "";
    $("live").hidden = true;
    $("live-history").innerHTML = "";
    if (ui.haveVoiceModel) {
      ui.haveVoiceModel = false;
      if (why) $("voice-status").textContent = why;
    }
  }
  function playClip(i) {
    const c = mic.kept[i];
    if (!c) return;
    if (mic.player) mic.player.close();
    mic.player = new AudioContext({ sampleRate: c.rate });
    const buffer = mic.player.createBuffer(1, c.samples.length, c.rate);
    buffer.copyToChannel(c.samples, 0);
    const src = mic.player.createBufferSource();
    src.buffer = buffer;
    src.connect(mic.player.destination);
    src.start();
    $("voice-status").textContent = `Playing ${c.name} (${(c.samples.length / c.rate).toFixed(1)} s).`;
  }
  $("clip-list").addEventListener("click", async (e) => {
    if (e.target.dataset.play !== void 0) {
      playClip(Number(e.target.dataset.play));
      return;
    }
    const i = e.target.dataset.remove;
    if (i === void 0) return;
    try {
      const res = await call("removeClip", { index: Number(i) });
      mic.clips = res.clips;
      mic.counts = res.counts;
      mic.kept.splice(Number(i), 1);
      voiceModelGone("The clip was deleted; train again to use the remaining clips.");
    } catch (err) {
      showError("voice-error", errorText(err));
    }
    renderClips();
    const left = $("clip-list").querySelectorAll("button[data-remove]");
    (left[Math.min(Number(i), left.length - 1)] || $("voice-status")).focus();
  });
  $("mic-start").addEventListener("click", startMic);
  $("mic-stop").addEventListener("click", stopMic);
  $("voice-train").addEventListener("click", async () => {
    const config = settingsOrAlert("voice-error", "Fine-tuning on your voice uses the settings of section 3. ");
    if (!config) return;
    voiceModelGone("");
    mic.trainedOn = [...new Set(mic.clips.map((c) => c.speaker).filter(Boolean))];
    const job = request("voiceFinetune", { config }, (m) => {
      $("voice-progress").max = m.total;
      $("voice-progress").value = m.done;
      $("voice-status").textContent = m.estimating ? `Estimating accuracy on clips held out: fold ${m.done} of ${m.total}` : `Fine-tuning on your voice: epoch ${m.done} of ${m.total}`;
    });
    await runJob({
      kind: "voice",
      job,
      busy: "Fine-tuning on your voice…",
      done: (r) => {
        ui.haveVoiceModel = true;
        $("voice-status").textContent = `Fine-tuned on ${mic.clips.length} clips in ${(r.elapsed / 1e3).toFixed(2)} s (with the estimate). Start live prediction and speak.`;
        renderVoiceEstimate(r.estimate, r.estimateError);
        status("Your voice model is ready.");
      },
      failed: "Fine-tuning on your voice did not run.",
      errorId: () => "voice-error"
    });
    voiceControls();
  });
  function renderVoiceEstimate(e, error) {
    const box = $("voice-estimate");
    box.hidden = false;
    if (!e) {
      box.innerHTML = `<p>No accuracy estimate: ${esc(error || "it could not be computed")}.</p>`;
      return;
    }
    const line = (name, r) => `<tr><th scope="row">${name}</th><td>${r.correct} of ${r.rows}</td><td>${pct(r.uar)}</td></tr>`;
    const step = 100 / e.tuned.rows;
    let advice = "";
    if (e.tuned.uar <= e.before.uar) {
      advice = " Fine-tuning did not beat the model as it was on clips it had not heard: record more clips (3 to 5 of each emotion), or try another method (section 3, Method).";
    }
    box.innerHTML = `<h3>How well it knows your voice (estimate)</h3><p>Each clip was held out once: the model was fine-tuned on the others (${e.folds} folds) and guessed it. Chance is ${pct(e.chance)} UAR (unweighted average recall over the emotions). With ${e.tuned.rows} clips one clip more or less right moves the share by ${step.toFixed(0)} points, so read it as rough; it says how well the model knows this voice, not how it would do on other people.${advice}</p><table class="estimate"><thead><tr><th scope="col">model</th><th scope="col">clips right</th><th scope="col">UAR</th></tr></thead><tbody>` + line("fine-tuned on your other clips", e.tuned) + line("before fine-tuning", e.before) + (e.baseline ? line("logistic regression, same clips", e.baseline) : "") + "</tbody></table>";
  }
  function showPrediction(m) {
    if (m.error) {
      showError("voice-error", m.error);
      return;
    }
    const p = m.prediction;
    $("live").hidden = false;
    $("live-label").textContent = `${p.predicted} (${(100 * p.probabilities[EMOTIONS.indexOf(p.predicted)]).toFixed(0)} %)`;
    EMOTIONS.forEach((e, i) => {
      document.querySelector(`.bar-fill[data-emotion="${e}"]`).style.width = `${(100 * p.probabilities[i]).toFixed(1)}%`;
      document.querySelector(`.bar-value[data-value="${e}"]`).textContent = `${(100 * p.probabilities[i]).toFixed(1)} %`;
    });
    const li = document.createElement("li");
    li.textContent = `${(/* @__PURE__ */ new Date()).toLocaleTimeString()}: ${p.predicted} — ${m.seconds.toFixed(1)} s utterance`;
    $("live-history").prepend(li);
    while ($("live-history").children.length > 20) $("live-history").lastChild.remove();
  }
  function toggleLive() {
    if (mic.live) {
      postToEngine({ type: "listenStop", id: newId() });
      mic.live = null;
      $("voice-status").textContent = "Live prediction stopped.";
    } else {
      clearError("voice-error");
      const job = request("listenStart", { rate: mic.rate, speaker: $("voice-speaker").value.trim() }, showPrediction);
      mic.live = job;
      $("live").hidden = false;
      $("voice-status").textContent = "Listening: speak a sentence, then pause.";
      job.promise.catch((err) => showError("voice-error", errorText(err)));
    }
    voiceControls();
  }
  $("live-toggle").addEventListener("click", toggleLive);
  $("voice-export").addEventListener("click", async () => {
    try {
      const who = (mic.trainedOn || []).join("+").replace(/[^\p{L}\p{N}+_-]+/gu, "-") || "unnamed";
      download(`siamese-ser-voice-${who}.json`, (await call("exportVoiceModel")).json, "application/json");
    } catch (err) {
      showError("voice-error", errorText(err));
    }
  });

  // www/src/controls.js
  function setState(s) {
    ui.state = s;
    document.body.dataset.state = s;
    refreshControls();
  }
  function refreshControls() {
    const idle = !ui.busy && ui.state !== "loading" && ui.state !== "error";
    const why = (needModel) => !idle ? ui.busy ? "Wait for the running job to finish, or cancel it." : "The engine is starting." : needModel && !ui.haveModel ? "Load a model first (section 1)." : !ui.haveTarget ? "Load target data first (section 2)." : ui.targetProblem || "";
    const ft = why(true);
    const paper = ui.haveSource ? why(false) : why(true);
    $("finetune-button").disabled = Boolean(ft);
    $("finetune-why").textContent = ft;
    $("paper-button").disabled = Boolean(paper);
    $("paper-why").textContent = paper;
    $("cancel-button").disabled = !(ui.busy && ui.busy.kind === "finetune");
    $("paper-cancel").disabled = !(ui.busy && ui.busy.kind === "paper");
    for (const id of [
      "model-select",
      "model-file",
      "target-file",
      "target-folder",
      "sample-button",
      "predict-file",
      "predict-folder",
      "paper-source",
      "use-tuned"
    ]) {
      $(id).disabled = !idle;
    }
    for (const el of document.querySelectorAll("#recordings-table select, #recordings-table input")) el.disabled = !idle;
    $("drop-zone").setAttribute("aria-disabled", String(!idle));
    voiceControls();
  }

  // www/src/sections/model.js
  function renderCard(card, name) {
    const trained = card.trained_on.map((c) => `${esc(c.name)}: ${c.rows} rows, ${c.speakers} speakers`).join("; ") || "—";
    const oodt = card.metrics.filter((m) => m.name === "oodt_uar");
    const tuned = card.fine_tuned.map(
      (f) => `${f.rows} rows of ${esc(f.corpora.join(", "))}, ${f.frozen_layers} frozen, ${f.distance_loss ? "with" : "without"} distance loss, ${f.epochs} epochs`
    ).join("; ");
    $("model-card").innerHTML = `<dl>
    <dt>Model</dt><dd>${esc(name)}</dd>
    <dt>Trained on</dt><dd>${trained}</dd>
    ${tuned ? `<dt>Fine-tuned on</dt><dd>${tuned}</dd>` : ""}
    <dt>${tuned ? "OODT UAR of the model it was fine-tuned from" : "OODT UAR"}</dt><dd>${oodt.length ? oodt.map((m) => `<strong>${pct(m.value)}</strong> on ${esc(m.on)} (chance ${pct(chance())})`).join("<br>") : "not measured (no held-out corpus)"}</dd>
    <dt>Network</dt><dd>${card.architecture.inputs} → ${card.architecture.extractor.join(" → ")} (extractor), |g(x) − g(x′)| → ${card.architecture.head} → 1; ${card.parameters.toLocaleString("en")} parameters</dd>
    <dt>Standardisation</dt><dd>${esc(card.normalization.replace("_", " "))}</dd>
    <dt>References</dt><dd>${card.references}: ${esc(card.reference_description)}</dd>
  </dl>`;
    $("predict-model").textContent = `Predictions use the loaded model (${name}).`;
  }
  var RUNS = {
    finetune: {
      results: "results",
      status: "train-status",
      progress: "train-progress",
      kept: { outcome: null, outcomeMethod: null, outcomeCsv: null, haveTuned: false }
    },
    paper: {
      results: "paper-results",
      status: "paper-status",
      progress: "paper-progress",
      kept: { report: null, gridCsv: null, paperConfig: null }
    }
  };
  function removeRun(kind, line, otherwise = "") {
    const r = RUNS[kind];
    const had = !$(r.results).hidden;
    $(r.results).hidden = true;
    $(r.progress).value = 0;
    Object.assign(ui, r.kept);
    $(r.status).textContent = had ? line : otherwise;
    return had;
  }
  function clearResults(why) {
    const had = !$("results").hidden || !$("paper-results").hidden;
    const line = had ? `Earlier results were removed: ${why}.` : "";
    for (const kind of Object.keys(RUNS)) removeRun(kind, line, line);
    for (const id of ["finetune-error", "settings-error", "paper-error"]) clearError(id);
    if (had) status(line);
    if (ui.modelName) $("predict-model").textContent = `Predictions use the loaded model (${ui.modelName}).`;
    if (ui.state === "done") setState("ready");
  }
  function clearPredictions() {
    if (!$("predict-results").hidden) {
      $("predict-results").hidden = true;
      ui.predictCsv = null;
      $("predict-summary").textContent = "";
    }
  }
  function showOverlap(overlap) {
    const el = $("overlap-warning");
    if (overlap && overlap.length) {
      el.textContent = `Warning: the loaded model was trained on ${overlap.join(", ")}, and the target file has rows from it too. Its UAR on this file will be optimistic; for a fair test choose a model that has not seen this corpus.`;
      el.hidden = false;
    } else {
      el.hidden = true;
    }
  }
  function modelChanged(r, name, why) {
    ui.modelName = name;
    ui.haveModel = true;
    clearResults(why);
    clearPredictions();
    voiceModelGone("Your voice model was fine-tuned from the earlier model and was removed; train again to start from the one now loaded.");
    renderCard(r.card, name);
    showOverlap(r.overlap);
  }
  async function loadModel(json, name) {
    clearError("model-error");
    const args = { json, name };
    const r = await call("loadModel", args);
    replay.model = { type: "loadModel", args };
    modelChanged(r, name, `the model is now ${name}`);
    status(`Model loaded: ${name}.`);
    refreshControls();
  }
  function showModelChoice(label) {
    const sel = $("model-select");
    let opt = sel.querySelector("option[data-other]");
    if (!label) {
      if (opt) opt.remove();
      return;
    }
    if (!opt) {
      opt = document.createElement("option");
      opt.dataset.other = "true";
      opt.value = "other";
      sel.append(opt);
    }
    opt.textContent = label;
    sel.value = "other";
  }
  async function loadBundledModel(key) {
    const m = MODELS[key];
    const json = BUNDLE ? await BUNDLE.models[key]() : await fetchText(m.file);
    await loadModel(json, `${m.label} (${m.file})`);
    showModelChoice(null);
    $("model-select").value = key;
  }
  $("model-select").addEventListener("change", async (e) => {
    if (e.target.value === "other") return;
    try {
      await loadBundledModel(e.target.value);
    } catch (err) {
      showError("model-error", `Could not load that model: ${sentence(errorText(err))}`);
      status(`The model could not be loaded; ${ui.modelName ? `${ui.modelName} is still loaded` : "no model is loaded"}.`);
    }
  });
  $("model-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const big = tooBig(file, ui.limits.weights_bytes, "a weights file");
      if (big) throw new Error(big);
      await loadModel(await readFile(file), file.name);
      showModelChoice(`imported: ${file.name}`);
    } catch (err) {
      showError("model-error", `${file.name}: ${sentence(errorText(err))}${ui.haveModel ? " The previous model is still loaded." : ""}`);
      status(`${file.name} could not be loaded as a model.`);
    } finally {
      e.target.value = "";
    }
  });

  // www/src/sections/recordings.js
  async function loadRecordings(files) {
    clearError("target-error");
    if (files.length > 5e3) {
      showError("target-error", `${files.length} files is more than the 5,000 this page handles at once.`);
      return;
    }
    const named = files.map((f) => ({ file: f.file || f, name: f.path || (f.file || f).webkitRelativePath || (f.file || f).name }));
    const big = named.map((f) => tooBig(f.file, ui.limits.wav_bytes, "a WAV file")).filter(Boolean);
    if (big.length) {
      showError("target-error", big.join("\n"));
      return;
    }
    const seq = ++ui.targetSeq;
    const payload = [];
    for (const f of named) payload.push({ name: f.name, bytes: await f.file.arrayBuffer() });
    if (seq !== ui.targetSeq) return;
    $("wav-progress").hidden = false;
    $("wav-progress").max = files.length;
    $("wav-progress").value = 0;
    const job = request(
      "loadRecordings",
      { files: payload },
      (m) => {
        $("wav-progress").value = m.done;
        $("wav-status").textContent = `Computing features: ${m.done} of ${m.total} files (${m.name})`;
      },
      payload.map((p) => p.bytes)
    );
    const finished = await runJob({
      kind: "recordings",
      job,
      busy: "Computing features of the recordings…",
      done: (r) => {
        ui.haveTarget = true;
        ui.targetName = `${r.list.length} WAV recordings`;
        ui.targetProblem = readiness(r.summary);
        clearResults(`the target is now ${r.list.length} recordings`);
        const labels = {};
        replay.target = {
          labels,
          restore: async () => {
            const again = [];
            for (const f of named) again.push({ name: f.name, bytes: await f.file.arrayBuffer() });
            await call(
              "loadRecordings",
              { files: again },
              null,
              again.map((p) => p.bytes)
            );
            for (const [index, l] of Object.entries(labels)) await call("labelRecording", { index: Number(index), ...l });
          }
        };
        showRecordings(r);
        $("wav-status").textContent = `Features computed for ${r.list.length} of ${files.length} files.`;
        if (r.problems.length) {
          showError("target-error", `${r.problems.length} file(s) could not be used:
${r.problems.join("\n")}`);
        }
        status(`Target: ${r.list.length} recordings.`);
      },
      failed: "The recordings could not be used.",
      errorId: () => "target-error",
      explain: (msg) => `The recordings could not be used: ${msg}${ui.haveTarget ? " The previously loaded target is still in use." : ""}`,
      doneState: "ready"
    });
    if (!finished) $("wav-status").textContent = "";
    $("wav-progress").hidden = true;
  }
  function showRecordings(r) {
    $("target-summary").innerHTML = renderSummary(r.summary, `${r.list.length} recordings`);
    showOverlap(r.overlap);
    $("recordings").hidden = false;
    $("recordings-details").open = r.list.some((f) => !f.emotion);
    const options = (sel) => ["", ...EMOTIONS].map((e) => `<option value="${e}"${e === (sel || "") ? " selected" : ""}>${e || "— unlabelled"}</option>`).join("");
    $("recordings-table").innerHTML = '<thead><tr><th scope="col">file</th><th scope="col">seconds</th><th scope="col">rate</th><th scope="col">emotion</th><th scope="col">speaker</th></tr></thead><tbody>' + r.list.map(
      (f, i) => `<tr><th scope="row">${esc(f.file)}${f.other_emotion ? ` <small>(${esc(f.other_emotion)})</small>` : ""}</th><td>${f.seconds.toFixed(2)}</td><td>${f.sample_rate} Hz${f.channels > 1 ? `, ${f.channels} ch` : ""}</td><td><label><span class="sr-only">Emotion of ${esc(f.file)}</span><select data-index="${i}" class="rec-emotion">${options(f.emotion)}</select></label></td><td><label><span class="sr-only">Speaker of ${esc(f.file)}</span><input type="text" data-index="${i}" class="rec-speaker" value="${esc(f.speaker || "")}" size="8"></label></td></tr>`
    ).join("") + "</tbody>";
  }
  $("recordings-table").addEventListener("change", async (e) => {
    const i = e.target.dataset.index;
    if (i === void 0) return;
    const row = e.target.closest("tr");
    try {
      const label = { emotion: row.querySelector(".rec-emotion").value, speaker: row.querySelector(".rec-speaker").value };
      const r = await call("labelRecording", { index: Number(i), ...label });
      if (replay.target && replay.target.labels) replay.target.labels[i] = label;
      clearResults(`the label or speaker of ${r.list[Number(i)].file} changed`);
      ui.targetProblem = readiness(r.summary);
      $("target-summary").innerHTML = renderSummary(r.summary, `${r.list.length} recordings`);
      clearError("target-error");
      refreshControls();
    } catch (err) {
      showError("target-error", errorText(err));
    }
  });
  $("recordings-csv").addEventListener("click", async () => {
    try {
      download("siamese-ser-recordings.csv", (await call("recordingsCsv")).csv, "text/csv");
    } catch (err) {
      showError("target-error", errorText(err));
    }
  });
  var drop = $("drop-zone");
  drop.addEventListener("click", () => {
    if (!$("target-file").disabled) $("target-file").click();
  });
  drop.addEventListener("keydown", (e) => {
    if ((e.key === "Enter" || e.key === " ") && !$("target-file").disabled) {
      e.preventDefault();
      $("target-file").click();
    }
  });
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if ($("target-file").disabled) return;
    const entries = [...e.dataTransfer.items].map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
    if (entries.some((en) => en.isDirectory)) {
      const found = [];
      for (const en of entries) found.push(...await filesOfEntry(en));
      const wavs = found.filter((f) => isWav(f.file));
      if (!wavs.length) showError("target-error", "The dropped folder holds no .wav files.");
      else await loadRecordings(wavs);
      return;
    }
    const files = [...e.dataTransfer.files];
    if (files.length) await loadTargetFiles(files);
  });
  $("sample-button").addEventListener("click", async () => {
    const seq = ++ui.targetSeq;
    try {
      const text = BUNDLE ? await BUNDLE.sample() : await fetchText(SAMPLE.file);
      await loadTarget(text, SAMPLE.name, seq);
    } catch (err) {
      showError("target-error", `The sample could not be loaded: ${errorText(err)}`);
    }
  });

  // www/src/sections/target.js
  function renderSummary(s, name) {
    const per = EMOTIONS.map((e, i) => `${e} ${s.per_emotion[i]}`).join(", ");
    const skipped = s.skipped.length ? s.skipped.map((k) => `${k.rows} ${esc(k.emotion)}`).join(", ") + " (emotions the model does not recognise)" : "none";
    return `<dl>
    <dt>File</dt><dd>${esc(name)} (${s.format === "recordings" ? "features computed from WAV recordings" : `${s.format === "opensmile" ? "openSMILE's output" : "siamese-ser format"}, ${{ ",": "comma", ";": "semicolon", "	": "tab" }[s.delimiter] || esc(s.delimiter)}-separated`}; ${s.features} feature columns)</dd>
    <dt>Rows</dt><dd>${s.rows_kept} used of ${s.rows_read}</dd>
    <dt>Speakers</dt><dd>${s.speakers}${s.unknown_speaker ? ` (+ ${s.unknown_speaker} rows with no known speaker)` : ""}</dd>
    <dt>Per emotion</dt><dd>${per}${s.unlabelled ? `; ${s.unlabelled} unlabelled` : ""}</dd>
    <dt>Skipped</dt><dd>${skipped}</dd>
    <dt>Labels from</dt><dd>${esc(s.label_source)}; corpora: ${esc(s.corpora.join(", "))}</dd>
  </dl>`;
  }
  function readiness(s) {
    const few = EMOTIONS.filter((e, i) => s.per_emotion[i] < 2);
    if (few.length) {
      return `Fine-tuning needs at least 2 labelled rows of each emotion; this target has ${few.map((e) => `${s.per_emotion[EMOTIONS.indexOf(e)]} ${e}`).join(", ")}.`;
    }
    if (s.speakers < 1) return "Fine-tuning needs rows whose speaker is known (a speaker column or recognised file names).";
    return "";
  }
  async function loadTarget(text, name, seq = ++ui.targetSeq) {
    if (seq !== ui.targetSeq) return;
    clearError("target-error");
    status(`Reading ${name}…`);
    const args = { role: "target", text, name };
    try {
      const r = await call("loadTable", args, (m) => status(`Reading ${name}: ${Math.round(100 * m.done / m.total)} %…`));
      replay.target = { type: "loadTable", args };
      ui.haveTarget = true;
      ui.targetName = name;
      ui.targetProblem = readiness(r.summary);
      clearResults(`the target is now ${name}`);
      $("recordings").hidden = true;
      $("wav-status").textContent = "";
      $("target-summary").innerHTML = renderSummary(r.summary, name);
      showOverlap(r.overlap);
      status(`Target loaded: ${name}, ${r.summary.rows_kept} ${r.summary.rows_kept === 1 ? "row" : "rows"}.`);
    } catch (err) {
      if (err.cancelled) return;
      let msg = errorText(err);
      if (err.crashed) msg = await recover(msg);
      showError("target-error", `${name}: ${msg}${ui.haveTarget ? " The previously loaded target file is still in use." : ""}`);
      status("The file could not be used.");
    }
    refreshControls();
  }
  async function loadTargetFile(file) {
    if (!file) return;
    const big = tooBig(file, ui.limits.csv_bytes, "a CSV file");
    if (big) {
      showError("target-error", big);
      return;
    }
    const seq = ++ui.targetSeq;
    try {
      await loadTarget(await readFile(file), file.name, seq);
    } catch (err) {
      showError("target-error", `${file.name}: ${errorText(err)}`);
    }
  }
  var isWav = (f) => /\.wav$/i.test(f.name) || /^audio\/(x-)?wav/.test(f.type);
  async function loadTargetFiles(files) {
    const wavs = files.filter(isWav);
    if (!wavs.length && files.length > 1) {
      showError("target-error", `Choose one feature CSV at a time (${files.length} files were given), or WAV recordings (any number).`);
      return void 0;
    }
    if (!wavs.length) return loadTargetFile(files[0]);
    if (wavs.length !== files.length) {
      showError(
        "target-error",
        `Choose either one feature CSV or WAV recordings, not both (${files.length - wavs.length} other file(s) were given).`
      );
      return void 0;
    }
    return loadRecordings(wavs);
  }
  $("target-file").addEventListener("change", async (e) => {
    const files = [...e.target.files];
    e.target.value = "";
    if (files.length) await loadTargetFiles(files);
  });
  $("target-folder").addEventListener("change", async (e) => {
    const files = [...e.target.files].filter(isWav);
    e.target.value = "";
    if (!files.length) {
      showError("target-error", "That folder holds no .wav files.");
      return;
    }
    await loadRecordings(files);
  });
  async function filesOfEntry(entry, path = "") {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      return [{ file, path: path + file.name }];
    }
    const reader = entry.createReader();
    const out = [];
    for (; ; ) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch) out.push(...await filesOfEntry(child, `${path}${entry.name}/`));
    }
    return out;
  }

  // www/src/render.js
  function recallTable(columns) {
    const head = columns.map(([name]) => `<th scope="col">${esc(name)}</th>`).join("");
    const cell = (rep, f) => `<td>${rep ? pct(f(rep)) : "—"}</td>`;
    const rows = EMOTIONS.map(
      (e, i) => `<tr><th scope="row">${e}</th>${columns.map(([, rep]) => cell(rep, (r) => r.recall[i])).join("")}</tr>`
    );
    return `<thead><tr><th scope="col">emotion</th>${head}</tr></thead>
    <tbody>${rows.join("")}<tr><th scope="row">UAR</th>${columns.map(([, rep]) => cell(rep, (r) => r.uar)).join("")}</tr></tbody>`;
  }
  var headline = (m) => m && (m.unseen || m.seen) || null;
  function confusionTable(report) {
    const head = `<thead><tr><th scope="col">true \\ predicted</th>${EMOTIONS.map((e) => `<th scope="col">${e}</th>`).join("")}</tr></thead>`;
    const body = report.confusion.map((row, t) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row.map((n, p) => {
        const share = n / total;
        const a = 0.08 + 0.85 * share;
        const bg = `rgba(11, 92, 173, ${a.toFixed(3)})`;
        const lin = (c) => {
          const v = (255 * (1 - a) + c * a) / 255;
          return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        const lum = 0.2126 * lin(11) + 0.7152 * lin(92) + 0.0722 * lin(173);
        const fg = 1.05 / (lum + 0.05) >= 4.5 ? "#fff" : "#1b1f24";
        return `<td style="background:${bg};color:${fg}" title="${n} of ${total} ${EMOTIONS[t]} rows predicted ${EMOTIONS[p]}">${n}</td>`;
      });
      return `<tr><th scope="row">${EMOTIONS[t]}</th>${cells.join("")}</tr>`;
    });
    return `${head}<tbody>${body.join("")}</tbody>`;
  }

  // www/src/sections/finetune.js
  var speakersWord = (n) => n === 1 ? "one speaker" : `${n} speakers`;
  function guidance(before, after, o) {
    const notes = [];
    if (after.uar < before.uar) {
      notes.push(
        `Fine-tuning lowered UAR here: ${o.labelled.length} labelled rows are a noisier yardstick than the loaded model's own references, and with few speakers fine-tuning often does worse (README, Reproduction). Try more speakers k, or keep the loaded model.`
      );
    }
    if (after.speakers < 2) {
      notes.push(
        `The test rows come from ${after.speakers === 1 ? "one speaker" : "no known speaker"}: this says how the model does on that voice, not on new voices in general. Choose fewer speakers k to leave more speakers for testing.`
      );
    }
    if (after.rows < 100) {
      const step = 100 / (4 * Math.max(1, Math.floor(after.rows / 4)));
      notes.push(
        `Only ${after.rows} test rows: one row more or less recognised moves UAR by about ${step.toFixed(0)} points, so this figure says little.`
      );
    }
    return notes.length ? ` ${notes.join(" ")}` : "";
  }
  function settingsLine(c, method) {
    const t = c.train;
    return `method ${method}, k = ${c.speakers}, ${c.samples_per_emotion} per emotion, ${t.frozen_layers} frozen, ${t.distance_loss ? "with" : "without"} distance loss, ${t.epochs} epochs, learning rate ${t.learning_rate}, seed ${t.seed}`;
  }
  function checkStale() {
    const el = $("results-stale");
    const now = currentSettings();
    el.hidden = !ui.outcome || Boolean(now && !differs(now, ui.outcome.config) && $("set-method").value === ui.outcomeMethod);
    if (!el.hidden) {
      el.textContent = `The settings were changed after this run: these results are from ${settingsLine(ui.outcome.config, ui.outcomeMethod)}. Press Fine-tune to run with the settings now shown.`;
    }
  }
  onSettingsChange(checkStale);
  function renderOutcome(r) {
    const o = r.outcome;
    const [before, after, base] = [headline(o.before), headline(o.after), headline(o.baseline)];
    const unseen = Boolean(o.after.unseen);
    $("results").hidden = false;
    $("uar-before").textContent = pct(before.uar);
    $("uar-after").textContent = pct(after.uar);
    const seen = o.after.seen && unseen ? ` On the other ${o.after.seen.rows} rows of the ${speakersWord(o.after.seen.speakers)} who gave labelled rows (seen speakers, not speaker-independent) the fine-tuned model reaches ${pct(o.after.seen.uar)}.` : "";
    const excluded = o.excluded_speakers.length ? ` Left out: ${o.excluded_speakers.join(", ")} (the development speakers the default settings were chosen on).` : "";
    $("results-basis").textContent = (unseen ? `Both figures on the same ${after.rows} rows of the ${speakersWord(after.speakers)} who gave no labelled row (unseen speakers).` : `Every speaker gave labelled rows, so these figures are on the other rows of those speakers (seen speakers): they say how well the model knows these voices, not how it does on new ones.`) + ` Before: the loaded model against its own references; after: the fine-tuned model against the ${o.labelled.length} labelled rows.${base ? ` Logistic regression (the model's baseline adapted to the same labelled rows) on the same rows: ${pct(base.uar)}.` : ""} Chance is ${pct(chance())}.${seen}${excluded} Fine-tuning took ${(r.elapsed / 1e3).toFixed(2)} s (${o.steps} steps).` + guidance(before, after, o);
    $("recall-table").innerHTML = recallTable([
      ["before", before],
      ["after", after],
      ["logistic regression", base]
    ]);
    $("confusion").innerHTML = confusionTable(after);
    checkStale();
    $("labelled-list").innerHTML = o.labelled.map((l) => `<li>${esc(l.file || "(no file name)")} — speaker ${esc(l.speaker || "?")}, ${l.emotion}</li>`).join("");
    drawLoss(o.epochs, o.config.train.distance_loss);
    drawEmbedding(o.embedding);
    const clamped = o.epochs.reduce((a, s) => a + s.distance_clamped, 0);
    const batches = o.epochs.reduce((a, s) => a + s.batches, 0);
    if (o.config.train.distance_loss) {
      $("results-basis").textContent += ` The distance loss used its D_d ≤ D_s rule in ${clamped} of ${batches} batches.`;
    }
  }
  $("finetune-button").addEventListener("click", async () => {
    clearError("finetune-error");
    const config = settingsOrAlert("settings-error");
    if (!config) {
      status("Fine-tuning did not run.");
      return;
    }
    const epochs = [];
    const method = $("set-method").value;
    const job = request("finetune", { config }, (m) => {
      if (m.type === "started") {
        removeRun("finetune", "");
        $("train-status").textContent = `Fine-tuning on ${m.labelled.length} labelled rows…`;
        $("train-progress").max = m.total;
        return;
      }
      epochs.push(...m.stats);
      const last = m.stats[m.stats.length - 1];
      $("train-progress").value = m.done;
      $("train-status").textContent = `Epoch ${m.done} of ${m.total} — pair loss ${fmt(last.bce)}, pair accuracy ${pct(last.pair_accuracy)}${last.distance === null ? "" : `, distance loss ${fmt(last.distance, 3)}`} — ${(m.elapsed / 1e3).toFixed(2)} s`;
    });
    $("train-status").textContent = "Starting…";
    await runJob({
      kind: "finetune",
      plots: true,
      job,
      busy: "Fine-tuning…",
      done: (r) => {
        ui.outcome = r.outcome;
        ui.outcomeMethod = method;
        ui.outcomeCsv = r.csv;
        ui.haveTuned = true;
        renderOutcome(r);
        $("results-heading").focus();
        $("train-status").textContent = `Done: ${r.outcome.epochs.length} epochs in ${(r.elapsed / 1e3).toFixed(2)} s.`;
        $("predict-model").textContent = `Predictions use the loaded model (${ui.modelName}); press “Use the fine-tuned model” to predict with the fine-tuned one.`;
        status(`Fine-tuned: UAR ${pct(headline(r.outcome.before).uar)} → ${pct(headline(r.outcome.after).uar)}.`);
      },
      cancelled: () => {
        $("train-status").textContent = "Cancelled. The loaded model is unchanged.";
        status("Fine-tuning cancelled.");
      },
      failed: "Fine-tuning did not run.",
      failedLine: () => {
        $("train-status").textContent = $("results").hidden ? "Fine-tuning did not run." : "Fine-tuning did not run; the results below are those of the earlier run.";
      },
      // Errors about the draw or a setting belong next to the settings.
      errorId: (msg, err) => ["setting", "data"].includes(err.kind) && !err.crashed ? "settings-error" : "finetune-error"
    });
  });
  $("cancel-button").addEventListener("click", () => cancelJob("finetune"));
  $("export-model").addEventListener("click", async () => {
    try {
      const r = await call("exportTuned");
      download("siamese-ser-finetuned.json", r.json, "application/json");
    } catch (err) {
      showError("finetune-error", errorText(err));
    }
  });
  $("use-tuned").addEventListener("click", async () => {
    try {
      const r = await call("useTuned");
      replay.model = { type: "loadModel", args: { json: r.json, name: "fine-tuned model" } };
      modelChanged(r, "the fine-tuned model (this session)", "the fine-tuned model is now the loaded model");
      showModelChoice("fine-tuned in this session");
      status("The fine-tuned model is now the loaded model.");
      $("model-card").focus();
    } catch (err) {
      showError("finetune-error", errorText(err));
    }
  });
  $("export-json").addEventListener("click", () => {
    if (ui.outcome) download("siamese-ser-results.json", JSON.stringify(provenance({ outcome: ui.outcome }), null, 2), "application/json");
  });
  $("export-csv").addEventListener("click", () => {
    if (ui.outcomeCsv) download("siamese-ser-results.csv", ui.outcomeCsv, "text/csv");
  });

  // www/src/sections/paper.js
  function renderReport(r) {
    $("paper-results").hidden = false;
    const t = r.table1;
    const lr = r.baselines.logistic_regression;
    const src = r.source.map((c) => c.name).join(" + ") || "loaded model";
    const cell = (c) => `best cell k = ${c.speakers}, ${c.frozen} frozen (the highest of ${r.grid.length / 2} cells, so biased upward)`;
    const ci = (c) => c ? ` [${pct(c[0])}, ${pct(c[1])}]` : "";
    const pv = (p) => p ? p.p_value < 1e-3 ? "p < 0.001" : `p = ${p.p_value.toFixed(3)}` : "—";
    const rows = [
      ["OODT", "oodt", lr.oodt, null, r.table1_rows.oodt],
      ["IDT", "idt", lr.idt, null, r.table1_rows.idt],
      ["Siamese NN fine-tuning", "finetune", lr.finetune, r.table1_seen.finetune, `${r.table1_rows.finetune}; ${cell(t.finetune_cell)}`],
      [
        "… with distance loss",
        "finetune_distance",
        lr.finetune,
        r.table1_seen.finetune_distance,
        `${r.table1_rows.finetune_distance}; ${cell(t.finetune_distance_cell)}`
      ]
    ];
    $("table1").innerHTML = `<thead><tr><th scope="col"></th><th scope="col">ours: ${esc(src)} → this target (mean ± std [95 % interval])</th><th scope="col">logistic regression, same rows</th><th scope="col">ours − logistic regression (paired)</th><th scope="col">seen speakers (the labelled speakers’ other rows)</th>${r.paper.map((p) => `<th scope="col">paper: ${esc(p.source)} → RAVDESS</th>`).join("")}<th scope="col">ours computed on</th></tr></thead><tbody>` + rows.map(
      ([name, key, base, seen, note]) => `<tr><th scope="row">${name}</th><td>${pct(t[key])}${r.table1_ci[key] || r.table1_std[key] > 0 ? ` ± ${(100 * r.table1_std[key]).toFixed(1)}` : ""}${ci(r.table1_ci[key])}</td><td>${base === null || base === void 0 ? "—" : pct(base)}</td><td>${pv(r.table1_vs_baseline[key])}</td><td>${seen === null || seen === void 0 ? "—" : `${pct(seen)} (the other rows of the k = ${t[`${key}_cell`].speakers} labelled speakers)`}</td>${r.paper.map((p) => `<td>${pct(p[key])}</td>`).join("")}<td>${esc(note)}</td></tr>`
    ).join("") + "</tbody>";
    $("table1-caption").textContent = `UAR on ${r.settings.evaluation_speakers.length} evaluation speakers${r.settings.dev_speakers_excluded.length ? ` (left out: ${r.settings.dev_speakers_excluded.join(", ")}, the development speakers the settings were chosen on)` : ""}. ${r.settings.intervals}.${r.config.repeats < 5 ? ` With ${r.config.repeats} repeat${r.config.repeats === 1 ? "" : "s"} per cell the fine-tuning intervals are very wide (they are cut at 0 and 100 %).` : ""} Method: ${r.settings.method === "paper" ? "the paper's" : r.settings.method}. The paper's columns are other source corpora (eNTERFACE'05, CREMA-D), quoted for comparison. Chance is ${pct(chance())}.`;
    const ks = r.config.speakers;
    const colors = [
      ["#0b5cad", "#2e8540", "#005f73"],
      ["#c2410c", "#8a4baf", "#9d174d"]
    ];
    const series = ["speakers k"];
    const data = [ks];
    const bands = [];
    for (const d of [false, true]) {
      for (const [i, f] of r.config.frozen.entries()) {
        const color = colors[Number(d)][i % 3];
        series.push({ label: `${f} frozen${d ? ", distance loss" : ""}`, stroke: color, width: 2, dash: d ? [] : [6, 4] });
        const cells = ks.map((k) => r.grid.find((g) => g.speakers === k && g.frozen === f && g.distance_loss === d));
        data.push(cells.map((c) => c ? 100 * c.uar_mean : null));
        if (cells.some((c) => c && c.uar_ci)) {
          const end = (j) => cells.map((c) => c && c.uar_ci ? 100 * c.uar_ci[j] : null);
          bands.push({ series: data.length - 1, lo: end(0), hi: end(1), color });
        }
      }
    }
    series.push({ label: "logistic regression", stroke: "#6b7280", width: 2, dash: [2, 3] });
    data.push(
      ks.map((k) => {
        const c = r.grid.find((g) => g.speakers === k && g.baseline_uar_mean !== null);
        return c ? 100 * c.baseline_uar_mean : null;
      })
    );
    series.push({ label: `OODT (${pct(t.oodt)})`, stroke: "#111827", width: 1, dash: [10, 3, 2, 3] });
    data.push(ks.map(() => 100 * t.oodt));
    series.push({ label: `IDT (${pct(t.idt)})`, stroke: "#4b5563", width: 1, dash: [2, 2] });
    data.push(ks.map(() => 100 * t.idt));
    series.push({ label: `chance (${pct(chance())})`, stroke: "#9ca3af", width: 1, dash: [1, 4] });
    data.push(ks.map(() => 100 * chance()));
    linePlot("figure2", $("figure2"), series, data, [{ label: "UAR (%), unseen speakers" }], ks, bands);
    $("figure2-caption").textContent = bands.length ? `Shaded: the 95 % interval of each line's mean over its ${r.config.repeats} draws. Click a legend entry to hide a line and its band.` : "With one repeat per cell there is no interval to shade; run more repeats for one. Click a legend entry to hide a line.";
    const signed = (v) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)}`;
    const e = r.distance_effect;
    $("distance-summary").textContent = `The distance loss over the whole grid, paired by draw: ${signed(e.mean)} points${e.ci95 ? ` [${signed(e.ci95[0])}, ${signed(e.ci95[1])}]` : ""}, better in ${e.wins} and worse in ${e.losses} of ${e.n} draws (Wilcoxon ${pv(e)}).`;
    $("grid-table").innerHTML = `<caption>UAR on the unseen evaluation speakers' rows, ${r.config.repeats === 1 ? "one draw" : `mean ± std over ${r.config.repeats} draws`} per cell; differences in points.</caption><thead><tr><th scope="col">k</th><th scope="col">frozen</th><th scope="col">steps</th><th scope="col">without</th><th scope="col">with distance loss</th><th scope="col">difference (paired) [95 %]</th><th scope="col">draws better / worse</th><th scope="col">logistic regression</th></tr></thead><tbody>` + r.distance_effect_cells.map((c) => {
      const a = r.grid.find((g) => g.speakers === c.speakers && g.frozen === c.frozen && !g.distance_loss);
      const b = r.grid.find((g) => g.speakers === c.speakers && g.frozen === c.frozen && g.distance_loss);
      const ms = (g) => `${(100 * g.uar_mean).toFixed(1)} %` + (g.uars.length > 1 ? ` ± ${(100 * g.uar_std).toFixed(1)}` : "");
      const d = c.test;
      return `<tr><td>${c.speakers}</td><td>${c.frozen}</td><td>${a.steps}</td><td>${ms(a)}</td><td>${ms(b)}</td><td>${signed(d.mean)}${d.ci95 ? ` [${signed(d.ci95[0])}, ${signed(d.ci95[1])}]` : ""}</td><td>${d.wins} / ${d.losses}</td><td>${a.baseline_uar_mean === null ? "—" : pct(a.baseline_uar_mean)}</td></tr>`;
    }).join("") + "</tbody>";
  }
  function sourceChanged(why) {
    removeRun("paper", `Earlier results were removed: ${why}.`);
    clearError("paper-error");
  }
  function readPaperConfig() {
    const repeats = Number($("paper-repeats").value);
    if (!Number.isSafeInteger(repeats) || repeats < 1 || repeats > ui.limits.repeats) {
      const shown = $("paper-repeats").value.length > 24 ? `${$("paper-repeats").value.slice(0, 20)}…` : $("paper-repeats").value;
      throw new Error(`Repeats: “${shown}” is not a whole number from 1 to ${ui.limits.repeats}.`);
    }
    const seed = Number($("set-seed").value);
    const config = { repeats, seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : 42, method: $("paper-method").value };
    const ks = $("paper-speakers").value.trim();
    if (ks) {
      const values = ks.split(/[\s,;]+/).filter(Boolean).map(Number);
      const bad = values.find((k) => !Number.isSafeInteger(k) || k < 1);
      if (bad !== void 0 || !values.length) {
        throw new Error(`Numbers of speakers: “${ks.length > 24 ? `${ks.slice(0, 20)}…` : ks}” is not a list of whole numbers of 1 or more.`);
      }
      const twice = values.find((k, i) => values.indexOf(k) !== i);
      if (twice !== void 0) throw new Error(`Numbers of speakers: ${twice} is given twice; give each number once.`);
      config.speakers = values;
    }
    return config;
  }
  function checkStale2() {
    const el = $("paper-stale");
    let now = null;
    try {
      now = readPaperConfig();
    } catch {
    }
    const then = ui.paperConfig;
    el.hidden = !ui.report || !then || JSON.stringify(now) === JSON.stringify(then);
    if (!el.hidden) {
      el.textContent = `The settings were changed after this run: these results are from ${then.repeats} repeats, seed ${then.seed}, method ${then.method}, k = ${then.speakers ? then.speakers.join(", ") : "the default for the target"}. Press “Run the paper's experiment” to run with the settings now shown.`;
    }
  }
  onSettingsChange(checkStale2);
  $("paper-source").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    clearError("paper-source-error");
    const big = tooBig(file, ui.limits.csv_bytes, "a CSV file");
    if (big) {
      showError("paper-source-error", big);
      e.target.value = "";
      return;
    }
    const args = { role: "source", text: await readFile(file), name: file.name };
    try {
      const r = await call("loadTable", args, (m) => status(`Reading ${file.name}: ${Math.round(100 * m.done / m.total)} %…`));
      replay.source = { type: "loadTable", args };
      ui.haveSource = true;
      ui.sourceName = file.name;
      const per = r.summary.per_emotion;
      const labelled = per.reduce((a, b) => a + b, 0);
      const few = EMOTIONS.filter((e2, i) => per[i] < 2);
      $("paper-source-name").textContent = `Source: ${file.name}, ${labelled} labelled ${labelled === 1 ? "row" : "rows"} (${EMOTIONS.map((e2, i) => `${e2} ${per[i]}`).join(", ")}; ${r.summary.rows_read} read); ` + (few.length ? `the experiment cannot pretrain on it: it needs at least 2 rows of each emotion, and this file has ${few.map((e2) => `${per[EMOTIONS.indexOf(e2)]} ${e2}`).join(", ")}.` : "the experiment pretrains on it instead of using the loaded model.");
      $("paper-source-status").hidden = false;
      sourceChanged(`the experiment's source is now ${file.name}`);
      status(`Source loaded: ${file.name}.`);
    } catch (err) {
      if (!err.cancelled) showError("paper-source-error", `${file.name}: ${err.crashed ? await recover(errorText(err)) : errorText(err)}`);
    }
    e.target.value = "";
    refreshControls();
  });
  $("paper-source-remove").addEventListener("click", async () => {
    try {
      await call("dropTable", { role: "source" });
      delete replay.source;
      ui.haveSource = false;
      ui.sourceName = null;
      $("paper-source-status").hidden = true;
      sourceChanged("the experiment's source was removed");
      status("Source removed: the experiment uses the loaded model again.");
      $("paper-source").focus();
    } catch (err) {
      showError("paper-source-error", errorText(err));
    }
    refreshControls();
  });
  $("paper-button").addEventListener("click", async () => {
    clearError("paper-error");
    let config;
    try {
      config = readPaperConfig();
    } catch (err) {
      showError("paper-error", err.message);
      status("The experiment did not run.");
      return;
    }
    $("paper-status").textContent = "Starting…";
    const job = {
      id: "pool",
      promise: runPool(
        config,
        ui.haveSource,
        (m) => {
          $("paper-progress").max = m.total;
          $("paper-progress").value = m.done;
          const left = m.left === null ? "" : `, about ${Math.ceil(m.left / 1e3)} s left`;
          $("paper-status").textContent = `${m.done} of ${m.total} runs on ${m.workers} engine(s) — ${m.what} — ${(m.elapsed / 1e3).toFixed(1)} s${left}`;
        },
        // Every engine took the settings: the earlier results go now, so that a cancelled or
        // failed run never leaves them looking like its own (refused settings leave them).
        () => removeRun("paper", "Started; the earlier results were removed.", "Started…")
      )
    };
    await runJob({
      kind: "paper",
      plots: true,
      job,
      busy: "Running the paper's experiment…",
      done: (r) => {
        ui.report = r.report;
        ui.gridCsv = r.gridCsv;
        ui.paperConfig = config;
        renderReport(r.report);
        checkStale2();
        $("paper-results-heading").focus();
        $("paper-status").textContent = `Done: ${r.report.grid.reduce((a, c) => a + c.uars.length, 0)} fine-tuning runs, ${r.report.idt.folds.length} IDT folds and OODT (${r.report.settings.pretrain_seeds} pretraining seed(s)) with their logistic-regression baselines in ${(r.elapsed / 1e3).toFixed(1)} s on ${r.workers} engine(s).`;
        status("The paper's experiment finished.");
      },
      cancelled: () => {
        $("paper-status").textContent = "Cancelled.";
        status("Experiment cancelled.");
      },
      failed: "The experiment did not run.",
      failedLine: () => {
        $("paper-status").textContent = $("paper-results").hidden ? "The experiment did not run." : "The experiment did not run; the results below are those of the earlier run.";
      },
      errorId: () => "paper-error"
    });
  });
  $("paper-cancel").addEventListener("click", () => cancelJob("paper"));
  $("paper-json").addEventListener("click", () => {
    if (!ui.report) return;
    const source = ui.haveSource ? ui.sourceName : null;
    const model = ui.report.settings.oodt_model.startsWith("given") ? ui.modelName : `pretrained here on ${source}`;
    download(
      "siamese-ser-paper-report.json",
      JSON.stringify({ ...provenance({ report: ui.report }), model, source }, null, 2),
      "application/json"
    );
  });
  $("paper-csv").addEventListener("click", () => {
    if (ui.gridCsv) download("siamese-ser-paper-grid.csv", ui.gridCsv, "text/csv");
  });

  // www/src/sections/predict.js
  function renderPredictions(r, from, read) {
    const p = provenance({ input: from });
    ui.predictCsv = `# ${p.engine}; model ${p.model}; input ${p.input}
${r.csv}`;
    const shown = r.rows.slice(0, 500);
    $("predict-results").hidden = false;
    const t = r.totals;
    $("predict-summary").textContent = `${t.rows} ${t.rows === 1 ? "row" : "rows"} predicted from ${from} (${read}) with ${ui.modelName}${t.labelled ? `; ${t.correct} of ${t.labelled} labelled rows predicted correctly (${pct(t.correct / t.labelled)})` : ""}${r.labelled ? `, UAR ${pct(r.labelled.uar)} on them (chance ${pct(chance())})` : ""}${r.baseline ? `; the model's logistic regression on the same rows: UAR ${pct(r.baseline.uar)}` : ""}${r.overlap.length ? `; the model was trained on ${r.overlap.join(", ")} too, so these figures are optimistic` : ""}${t.standardised_by_model ? `; ${t.standardised_by_model} row(s) of an unknown speaker, or of a speaker with fewer than ${t.min_group_rows} rows, were standardised with the model's statistics` : ""}${r.rows.length > shown.length ? `; the first ${shown.length} are shown, the download has all` : ""}.`;
    $("predict-table").innerHTML = `<thead><tr><th scope="col">file</th><th scope="col">speaker</th><th scope="col">label</th><th scope="col">predicted</th>${EMOTIONS.map((e2) => `<th scope="col">P(${e2})</th>`).join("")}</tr></thead><tbody>` + shown.map(
      (p2) => `<tr data-predicted="${p2.predicted}"><td>${esc(p2.file)}</td><td>${esc(p2.speaker || "")}</td><td>${p2.emotion || ""}</td><td><strong>${p2.predicted}</strong></td>${p2.probabilities.map((v) => `<td>${v.toFixed(3)}</td>`).join("")}</tr>`
    ).join("") + "</tbody>";
  }
  async function predictFiles(files) {
    clearError("predict-error");
    $("predict-results").hidden = true;
    ui.predictCsv = null;
    const wavs = files.filter(isWav);
    const label = files.length === 1 ? files[0].name : `${files.length} files`;
    try {
      if (wavs.length && wavs.length !== files.length) throw new Error("choose either one feature CSV or WAV recordings, not both.");
      if (!wavs.length && files.length > 1) throw new Error("choose one feature CSV at a time (or WAV recordings, any number).");
      if (wavs.length) {
        const big = wavs.map((f) => tooBig(f, ui.limits.wav_bytes, "a WAV file")).filter(Boolean);
        if (big.length) throw new Error(big.join(" "));
        const payload = [];
        for (const f of wavs) payload.push({ name: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() });
        status(`Computing the features of ${label}…`);
        const r = await call(
          "predictRecordings",
          { files: payload },
          null,
          payload.map((p) => p.bytes)
        );
        const used = wavs.length - r.problems.length;
        renderPredictions(
          r,
          label,
          used === wavs.length ? `${used} ${used === 1 ? "file" : "files"} used` : `${used} of ${wavs.length} files used`
        );
        if (r.problems.length) showError("predict-error", `${r.problems.length} file(s) could not be used:
${r.problems.join("\n")}`);
      } else {
        const file = files[0];
        const big = tooBig(file, ui.limits.csv_bytes, "a CSV file");
        if (big) throw new Error(big);
        const args = { role: "predict", text: await readFile(file), name: file.name };
        const loaded = await call("loadTable", args);
        replay.predict = { type: "loadTable", args };
        renderPredictions(
          await call("predict"),
          file.name,
          `${loaded.summary.rows_read} ${loaded.summary.rows_read === 1 ? "row" : "rows"} read`
        );
      }
      status(`Predicted ${label}.`);
    } catch (err) {
      if (err.cancelled) return;
      let msg = errorText(err);
      if (err.crashed) msg = await recover(msg);
      showError("predict-error", `${label}: ${msg}`);
      status(`${label} could not be predicted.`);
    }
  }
  $("predict-folder").addEventListener("change", async (e) => {
    const wavs = [...e.target.files].filter(isWav);
    if (wavs.length) await predictFiles(wavs);
    else showError("predict-error", "The chosen folder holds no .wav files.");
    e.target.value = "";
  });
  $("predict-file").addEventListener("change", async (e) => {
    const files = [...e.target.files];
    if (files.length) await predictFiles(files);
    e.target.value = "";
  });
  $("predict-csv").addEventListener("click", () => {
    if (ui.predictCsv) download("siamese-ser-predictions.csv", ui.predictCsv, "text/csv");
  });

  // www/src/main.js
  (async function start() {
    refreshControls();
    try {
      startWorker();
      await initEngine();
      await loadBundledModel($("model-select").value);
      setState("ready");
      status("Ready. Load a target CSV (or the bundled sample), then press Fine-tune.");
    } catch (err) {
      showError("fatal-error", `The engine could not start: ${errorText(err)}`);
      status("Not ready.");
      setState("error");
    }
  })();
})();
