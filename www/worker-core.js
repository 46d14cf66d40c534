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
  const st = { model: null, tables: {}, tuned: null, cancelled: new Set() };
  const SLICE_MS = 40; // work per slice before the worker looks at its messages again

  const post = (m) => self.postMessage(m);
  // A macrotask boundary without setTimeout's clamping: lets queued messages (cancel) in.
  const yieldNow = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  const need = (value, what) => {
    if (!value) throw new Error(what);
    return value;
  };
  const checkCancel = (id) => {
    if (st.cancelled.has(id)) {
      const e = new Error('cancelled');
      e.cancelled = true;
      throw e;
    }
  };
  const replace = (slot, value) => {
    if (slot && slot !== value && typeof slot.free === 'function') slot.free();
    return value;
  };

  const handlers = {
    async init(args) {
      api = await boot(args);
      return { version: api.version() };
    },

    loadModel({ json, name }) {
      const model = api.Model.fromJson(json); // throws on a bad file; the old model stays
      st.model = replace(st.model, model);
      const target = st.tables.target;
      return { card: model.card(), name, overlap: target ? model.overlap(target) : [] };
    },

    loadTable({ role, text, name }) {
      const table = api.Table.parse(text, name); // throws on a bad file; the old table stays
      st.tables[role] = replace(st.tables[role], table);
      const overlap = role === 'target' && st.model ? st.model.overlap(table) : [];
      return { summary: table.summary(), overlap, name };
    },

    async finetune({ config }, id) {
      need(st.model, 'Load a model first.');
      const target = need(st.tables.target, 'Load a target CSV first.');
      const ft = new api.FineTune(st.model, target, config);
      try {
        const started = performance.now();
        post({ id, type: 'started', before: ft.before(), labelled: ft.labelled(), total: ft.epochs() });
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
        const outcome = ft.finish();
        const csv = ft.outcomeCsv();
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
      const tuned = need(st.tuned, 'Fine-tune a model first.');
      const json = tuned.toJson();
      st.model = replace(st.model, api.Model.fromJson(json));
      const target = st.tables.target;
      return { card: st.model.card(), json, overlap: target ? st.model.overlap(target) : [] };
    },

    async paper({ config, fromSource }, id) {
      const target = need(st.tables.target, 'Load a target CSV first.');
      const run = fromSource
        ? api.PaperRun.fromSource(need(st.tables.source, 'Load a source CSV first.'), target, config)
        : api.PaperRun.fromModel(need(st.model, 'Load a model first.'), target, config);
      try {
        const started = performance.now();
        post({ id, type: 'progress', done: 0, total: run.total(), what: 'starting', elapsed: 0 });
        while (!run.done()) {
          checkCancel(id);
          const t0 = performance.now();
          let p;
          do {
            p = run.step();
          } while (!run.done() && performance.now() - t0 < SLICE_MS);
          post({ id, type: 'progress', done: p.done, total: p.total, what: p.what, elapsed: performance.now() - started });
          await yieldNow();
        }
        checkCancel(id);
        const report = run.report();
        return { report, gridCsv: run.gridCsv(), elapsed: performance.now() - started };
      } finally {
        run.free();
        st.cancelled.delete(id);
      }
    },

    predict({ useTuned }) {
      const model = useTuned ? need(st.tuned, 'Fine-tune a model first.') : need(st.model, 'Load a model first.');
      const table = need(st.tables.predict, 'Load a CSV to predict first.');
      return { rows: model.predict(table), csv: model.predictCsv(table) };
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
      post({ id, ok: true, ...result });
    } catch (err) {
      if (err && err.cancelled) {
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
        post({ id, ok: false, error: String((err && err.message) || err) });
      }
    }
  };
};
