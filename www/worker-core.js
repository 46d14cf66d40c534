// The engine's Web Worker: it owns the WebAssembly instance and runs every long job, so the
// page only draws. Loaded as a module worker by www/worker.js, or pasted into a classic blob
// worker by the single-file build; both call self.startWorker(boot), where boot(initMessage)
// resolves to the wasm exports (Model, Table, FineTune, PaperRun, …).
//
// Protocol: the page posts {id, type, ...args}; the worker answers {id, ok: true, ...result}
// or {id, ok: false, error}, and may post {id, type: 'progress', ...} in between. A
// {type: 'cancel', target: id} message stops job `id` at its next slice. If the engine traps
// (a bug), the answer has crashed: true and the page starts a fresh worker.
'use strict';

self.startWorker = function startWorker(boot) {
  let api = null;
  const st = {
    model: null,
    modelName: '',
    tables: {},
    tableNames: {},
    tuned: null,
    cancelled: new Set(),
    loading: {}, // role → id of the newest load of that role (an older one stops)
    recordings: null, // WAV files loaded as the target
    voice: null, // microphone clips
    voiceModel: null, // the model fine-tuned on them
    listener: null,
    liveId: null,
  };
  const SLICE_MS = 40; // work per slice before the worker looks at its messages again

  const post = (m) => self.postMessage(m);
  // A macrotask boundary without setTimeout's clamping: lets queued messages (cancel) in.
  const yieldNow = () =>
    new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve();
      ch.port2.postMessage(0);
    });
  const need = (value, what) => {
    if (!value) throw new Error(what);
    return value;
  };
  const checkCancel = (id, force = false) => {
    if (force || st.cancelled.has(id)) {
      const e = new Error('cancelled');
      e.cancelled = true;
      throw e;
    }
  };
  const replace = (slot, value) => {
    if (slot && slot !== value && typeof slot.free === 'function') slot.free();
    return value;
  };

  // Runs a FineTune to the end in slices of about SLICE_MS (the number of epochs per slice
  // adapts), posting each slice's epoch statistics and looking for Cancel in between.
  async function trainInSlices(ft, id, started) {
    let batch = 1;
    while (!ft.done()) {
      checkCancel(id);
      const t0 = performance.now();
      const stats = ft.step(batch);
      const dt = Math.max(performance.now() - t0, 0.5);
      batch = Math.max(1, Math.min(100000, Math.round(batch * Math.min(SLICE_MS / dt, 8))));
      post({ id, type: 'progress', stats, done: ft.epochsDone(), total: ft.epochs(), elapsed: performance.now() - started });
      await yieldNow();
    }
    checkCancel(id);
  }

  // `model` becomes the loaded model: its card, and its overlap with the target. A voice model
  // was fine-tuned from the earlier model, so it goes with it.
  function useModel(model, name) {
    st.model = replace(st.model, model);
    st.modelName = name;
    st.voiceModel = replace(st.voiceModel, null);
    const target = st.tables.target;
    return { card: model.card(), overlap: target ? model.overlap(target) : [] };
  }

  // The clips as the page lists them, and how many of each emotion.
  const clipsNow = () => ({ clips: st.voice.list(), counts: st.voice.counts() });

  function recordingsTable() {
    const table = st.recordings.table();
    st.tables.target = replace(st.tables.target, table);
    st.tableNames.target = 'WAV recordings';
    return { summary: table.summary(), list: st.recordings.list(), overlap: st.model ? st.model.overlap(table) : [] };
  }

  const handlers = {
    async init(args) {
      api = await boot(args);
      return { version: api.version(), limits: api.limits(), emotions: api.emotions(), defaults: api.defaults() };
    },

    loadModel({ json, name }) {
      const model = api.Model.fromJson(json); // throws on a bad file; the old model stays
      return { ...useModel(model, name || ''), name };
    },

    // Forgets a loaded table (the experiment's source, when the person removes it).
    dropTable({ role }) {
      st.tables[role] = replace(st.tables[role], null);
      delete st.tableNames[role];
      return {};
    },

    // Reads a CSV in slices of about SLICE_MS, with progress; a newer load of the same role
    // stops this one. Reads the columns the loaded model was trained on (the paper's 64 IS09
    // features for the bundled models). Throws on a bad file; the old table stays.
    async loadTable({ role, text, name }, id) {
      st.loading[role] = id;
      const load = api.TableLoad.start(text, name, st.model ? st.model.featureNames() : undefined);
      try {
        let rows = 500;
        let done = false;
        while (!done) {
          if (st.loading[role] !== id) checkCancel(-1, true);
          checkCancel(id);
          const t0 = performance.now();
          done = load.step(rows);
          const dt = Math.max(performance.now() - t0, 0.5);
          rows = Math.max(1, Math.min(1e6, Math.round(rows * Math.min(SLICE_MS / dt, 8))));
          if (!done) {
            post({ id, type: 'progress', done: load.bytesDone(), total: load.bytesTotal(), name });
            await yieldNow();
          }
        }
        if (st.loading[role] !== id) checkCancel(-1, true);
        const table = load.finish();
        st.tables[role] = replace(st.tables[role], table);
        st.tableNames[role] = name;
        const overlap = role === 'target' && st.model ? st.model.overlap(table) : [];
        return { summary: table.summary(), overlap, name };
      } finally {
        load.free();
        if (st.loading[role] === id) delete st.loading[role];
        st.cancelled.delete(id);
      }
    },

    async finetune({ config }, id) {
      need(st.model, 'Load a model first.');
      const target = need(st.tables.target, 'Load a target CSV first.');
      const ft = new api.FineTune(st.model, target, config);
      try {
        const started = performance.now();
        post({ id, type: 'started', before: ft.before(), labelled: ft.labelled(), total: ft.epochs() });
        await trainInSlices(ft, id, started);
        const outcome = ft.finish();
        const csv = ft.outcomeCsv(st.modelName, st.tableNames.target || 'recordings');
        st.tuned = replace(st.tuned, ft.model());
        return { outcome, csv, card: st.tuned.card(), elapsed: performance.now() - started };
      } finally {
        ft.free();
        st.cancelled.delete(id);
      }
    },

    exportTuned() {
      return { json: need(st.tuned, 'Fine-tune a model first.').toJson() };
    },

    exportModel() {
      return { json: need(st.model, 'Load a model first.').toJson() };
    },

    useTuned() {
      const json = need(st.tuned, 'Fine-tune a model first.').toJson();
      return { ...useModel(api.Model.fromJson(json), 'fine-tuned model'), json };
    },

    // ---- the paper's experiment, shared out over a pool of workers: every worker builds the
    // same experiment and runs its first phase (pretraining); the page hands the other units,
    // a chunk at a time, to whichever worker is free; one worker assembles every result. Units are seeded and independent,
    // so the report is the same whatever the number of workers.
    // The engine's refusal of the experiment on the loaded model and target with the default
    // settings, if it refuses them for the data (too few speakers, say): the page says so on
    // the Run button before it is pressed.
    // Whether the experiment can run on what is loaded: from the source CSV if there is one.
    paperCheck() {
      const { source, target } = st.tables;
      if (!target || (!source && !st.model)) return { problem: null };
      try {
        (source ? api.PaperRun.fromSource(source, target, undefined) : api.PaperRun.fromModel(st.model, target, undefined)).free();
        return { problem: null };
      } catch (e) {
        return { problem: e && e.kind === 'data' ? e.message : null };
      }
    },

    paperStart({ config, fromSource }) {
      if (st.paper) st.paper.free();
      st.paper = null;
      const target = need(st.tables.target, 'Load a target CSV first.');
      st.paper = fromSource
        ? api.PaperRun.fromSource(need(st.tables.source, 'Load a source CSV first.'), target, config)
        : api.PaperRun.fromModel(need(st.model, 'Load a model first.'), target, config);
      return { total: st.paper.total(), first: st.paper.firstPhase() };
    },

    // Runs units `indices` in slices of about SLICE_MS, posting progress, stopping on Cancel.
    async paperUnits({ indices }, id) {
      const run = need(st.paper, 'Start the experiment first.');
      const results = [];
      try {
        let i = 0;
        while (i < indices.length) {
          checkCancel(id);
          const t0 = performance.now();
          let what = '';
          do {
            const r = run.runUnit(indices[i]);
            results.push(r.result);
            what = r.what;
            i += 1;
          } while (i < indices.length && performance.now() - t0 < SLICE_MS);
          post({ id, type: 'progress', done: i, what });
          await yieldNow();
        }
        checkCancel(id);
        return { results };
      } finally {
        st.cancelled.delete(id);
      }
    },

    paperAssemble({ results }) {
      const run = need(st.paper, 'Start the experiment first.');
      try {
        const report = run.assemble(results);
        return { report, gridCsv: run.gridCsv() };
      } finally {
        run.free();
        st.paper = null;
      }
    },

    paperEnd() {
      if (st.paper) st.paper.free();
      st.paper = null;
      return {};
    },

    // A table as CSV text, to load the same rows into another worker.
    tableCsv({ role }) {
      return { csv: need(st.tables[role], `No ${role} table is loaded.`).toCsv() };
    },

    // ---- WAV recordings as the target table
    async loadRecordings({ files }, id) {
      const rec = new api.Recordings();
      const problems = [];
      try {
        let t0 = performance.now();
        for (const [i, f] of files.entries()) {
          checkCancel(id);
          try {
            rec.addWav(f.name, new Uint8Array(f.bytes));
          } catch (err) {
            // A trap leaves the engine unusable: let the page replace it.
            if (err instanceof WebAssembly.RuntimeError) throw err;
            problems.push(String(err.message || err));
          }
          if (performance.now() - t0 > SLICE_MS || i === files.length - 1) {
            post({ id, type: 'progress', done: i + 1, total: files.length, name: f.name });
            await yieldNow();
            t0 = performance.now();
          }
        }
        if (rec.isEmpty()) throw new Error(`no recording could be used:\n${problems.join('\n')}`);
        st.recordings = replace(st.recordings, rec);
        return { ...recordingsTable(), problems };
      } catch (err) {
        if (st.recordings !== rec) rec.free();
        throw err;
      } finally {
        st.cancelled.delete(id);
      }
    },

    labelRecording({ index, emotion, speaker }) {
      need(st.recordings, 'Load recordings first.').setLabel(index, emotion, speaker);
      return recordingsTable();
    },

    recordingsCsv() {
      return { csv: need(st.recordings, 'Load recordings first.').toCsv() };
    },

    // ---- your voice: microphone clips, fine-tuning on all of them, live prediction
    // A new clip is named by the engine ("angry-3"), never repeating a name a clip still has;
    // a restored one keeps its name.
    addClip({ name, samples, rate, emotion, speaker }) {
      if (!st.voice) st.voice = new api.Recordings();
      st.voice.addClip(name || st.voice.nextClipName(emotion), samples, rate, emotion, speaker);
      return clipsNow();
    },

    // Removing a clip makes the voice model stale: it is dropped with its live prediction.
    removeClip({ index }) {
      need(st.voice, 'Record a clip first.').remove(index);
      st.voiceModel = replace(st.voiceModel, null);
      return clipsNow();
    },

    // Fine-tunes on every clip, then estimates how well that recognises clips it has not
    // heard (each fold fine-tuned without its clips), beside the model before and its baseline.
    async voiceFinetune({ config }, id) {
      need(st.model, 'Load a model first.');
      const table = need(st.voice, 'Record some clips first.').table();
      const ft = new api.FineTune(st.model, table, { ...config, all_rows: true });
      let held = null;
      try {
        const started = performance.now();
        await trainInSlices(ft, id, started);
        ft.finish();
        st.voiceModel = replace(st.voiceModel, ft.model());
        let estimate = null;
        let estimateError = null;
        try {
          held = new api.HeldOut(st.model, table, config);
          while (!held.done()) {
            checkCancel(id);
            held.step();
            post({ id, type: 'progress', estimating: true, done: held.foldsDone(), total: held.folds() });
            await yieldNow();
          }
          estimate = held.estimate();
          // The voice model's weights file keeps the estimate (its card shows it).
          held.recordIn(st.voiceModel);
        } catch (err) {
          if (err.cancelled || err instanceof WebAssembly.RuntimeError) throw err;
          estimateError = String(err.message || err);
        }
        return { card: st.voiceModel.card(), elapsed: performance.now() - started, estimate, estimateError };
      } finally {
        if (held) held.free();
        ft.free();
        table.free();
        st.cancelled.delete(id);
      }
    },

    // A long-lived request: its events are predictions; it ends with listenStop.
    listenStart({ rate, speaker }, id) {
      need(st.voiceModel, 'Fine-tune on your voice first.');
      if (st.listener) st.listener.free();
      st.listener = new api.Listener(rate);
      st.liveId = id;
      st.liveSpeaker = speaker;
      return new Promise((resolve) => {
        st.stopLive = () => resolve({ stopped: true });
      });
    },

    listen({ samples }) {
      if (!st.listener) return { ignored: true };
      for (const u of st.listener.push(samples)) {
        const t0 = performance.now();
        const prediction = st.voice.predictClip(st.voiceModel, u, st.listener.rate(), st.liveSpeaker || '');
        post({ id: st.liveId, type: 'progress', prediction, seconds: u.length / st.listener.rate(), ms: performance.now() - t0 });
      }
      return { level: st.listener.level(), speaking: st.listener.speaking() };
    },

    listenStop() {
      if (st.listener) st.listener.free();
      st.listener = null;
      if (st.stopLive) st.stopLive();
      st.stopLive = null;
      return {};
    },

    exportVoiceModel() {
      return { json: need(st.voiceModel, 'Fine-tune on your voice first.').toJson() };
    },

    // Predictions always come from the loaded model (the one the card shows).
    predict() {
      const model = need(st.model, 'Load a model first.');
      const table = need(st.tables.predict, 'Load a CSV to predict first.');
      return model.predict(table);
    },

    // WAV recordings to predict: their features, then the loaded model's predictions.
    predictRecordings({ files }) {
      const model = need(st.model, 'Load a model first.');
      const rec = new api.Recordings();
      const problems = [];
      try {
        for (const f of files) {
          try {
            rec.addWav(f.name, new Uint8Array(f.bytes));
          } catch (err) {
            if (err instanceof WebAssembly.RuntimeError) throw err;
            problems.push(String(err.message || err));
          }
        }
        if (rec.isEmpty()) throw new Error(`no recording could be used:\n${problems.join('\n')}`);
        const table = rec.table();
        try {
          return { ...model.predict(table), problems };
        } finally {
          table.free();
        }
      } finally {
        rec.free();
      }
    },
  };

  self.onmessage = async (event) => {
    const { id, type, ...args } = event.data;
    if (type === 'cancel') {
      st.cancelled.add(args.target);
      return;
    }
    try {
      const handler = handlers[type];
      if (!handler) throw new Error(`unknown request ${type}`);
      if (type !== 'init' && !api) throw new Error('The engine is not ready yet.');
      const result = await handler(args, id);
      if (id !== undefined) post({ id, ok: true, ...result });
    } catch (err) {
      if (id === undefined) {
        // A fire-and-forget message (microphone audio): report on the live request.
        if (st.liveId !== null) post({ id: st.liveId, type: 'progress', error: String((err && err.message) || err) });
      } else if (err && err.cancelled) {
        post({ id, ok: false, cancelled: true });
      } else if (err instanceof WebAssembly.RuntimeError) {
        let detail = '';
        try {
          detail = api.takePanicMessage() || '';
        } catch (_) {
          // the instance may be unusable; the page replaces this worker anyway
        }
        post({ id, ok: false, crashed: true, error: `The engine hit an internal error${detail ? `: ${detail}` : ''}.` });
      } else {
        const e = err || {};
        post({ id, ok: false, error: String(e.message || err), kind: e.kind, setting: e.setting, value: e.value, expected: e.expected });
      }
    }
  };
};
