/* @ts-self-types="./siamese_ser.d.ts" */

/**
 * A k-shot fine-tuning in progress ([`Session`]).
 */
export class FineTune {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        FineTuneFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_finetune_free(ptr, 0);
    }
    /**
     * The "before" figures (the model as loaded, on the test rows: unseen and seen speakers).
     * @returns {any}
     */
    before() {
        const ret = wasm.finetune_before(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * True when every epoch has run.
     * @returns {boolean}
     */
    done() {
        const ret = wasm.finetune_done(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Epochs completed.
     * @returns {number}
     */
    epochsDone() {
        const ret = wasm.finetune_epochsDone(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Epochs configured.
     * @returns {number}
     */
    epochs() {
        const ret = wasm.finetune_epochs(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Measures the fine-tuned model on the test rows and returns the outcome
     * ([`FewShotOutcome`](crate::fewshot::FewShotOutcome)).
     * @returns {any}
     */
    finish() {
        const ret = wasm.finetune_finish(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The labelled rows drawn for fine-tuning.
     * @returns {any}
     */
    labelled() {
        const ret = wasm.finetune_labelled(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The fine-tuned model (after [`finish`](Self::finish)).
     * @returns {Model}
     */
    model() {
        const ret = wasm.finetune_model(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Model.__wrap(ret[0]);
    }
    /**
     * Draws the labelled rows from `table` ([`FewShotConfig`], partial objects allowed),
     * measures `model` and its logistic-regression baseline (adapted to the labelled rows) on
     * the rest, and prepares training.
     * @param {Model} model
     * @param {Table} table
     * @param {any} config
     */
    constructor(model, table, config) {
        _assertClass(model, Model);
        _assertClass(table, Table);
        const ret = wasm.finetune_new(model.__wbg_ptr, table.__wbg_ptr, config);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        FineTuneFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * The outcome as CSV text (after [`finish`](Self::finish)), with the model's and the
     * target's names in its settings lines.
     * @param {string} model
     * @param {string} target
     * @returns {string}
     */
    outcomeCsv(model, target) {
        let deferred4_0;
        let deferred4_1;
        try {
            let ptr0, len0, ptr1, len1;
            try {
                ptr0 = passStringToWasm0(model, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len0 = WASM_VECTOR_LEN;
                ptr1 = passStringToWasm0(target, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len1 = WASM_VECTOR_LEN;
            } catch (e) {
                if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
                if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
                throw e;
            }
            const ret = wasm.finetune_outcomeCsv(this.__wbg_ptr, ptr0, len0, ptr1, len1);
            var ptr3 = ret[0];
            var len3 = ret[1];
            if (ret[3]) {
                ptr3 = 0; len3 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred4_0 = ptr3;
            deferred4_1 = len3;
            return getStringFromWasm0(ptr3, len3);
        } finally {
            wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
        }
    }
    /**
     * Runs up to `max_epochs` epochs; returns their statistics (an array).
     * @param {number} max_epochs
     * @returns {any}
     */
    step(max_epochs) {
        const ret = wasm.finetune_step(this.__wbg_ptr, max_epochs);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) FineTune.prototype[Symbol.dispose] = FineTune.prototype.free;

/**
 * How well a model fine-tuned on recordings recognises the ones it was not fine-tuned on,
 * one fold per call ([`recordings::HeldOut`](crate::recordings::HeldOut)).
 */
export class HeldOut {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        HeldOutFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_heldout_free(ptr, 0);
    }
    /**
     * True when every fold has run.
     * @returns {boolean}
     */
    done() {
        const ret = wasm.heldout_done(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * The estimate ([`HeldOutEstimate`](crate::recordings::HeldOutEstimate)).
     * @returns {any}
     */
    estimate() {
        const ret = wasm.heldout_estimate(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Folds run.
     * @returns {number}
     */
    foldsDone() {
        const ret = wasm.heldout_foldsDone(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Folds in all.
     * @returns {number}
     */
    folds() {
        const ret = wasm.heldout_folds(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Prepares the estimate for fine-tuning `model` on the labelled rows of `table` with the
     * training settings of `config` ([`FewShotConfig`], partial objects allowed).
     * @param {Model} model
     * @param {Table} table
     * @param {any} config
     */
    constructor(model, table, config) {
        _assertClass(model, Model);
        _assertClass(table, Table);
        const ret = wasm.heldout_new(model.__wbg_ptr, table.__wbg_ptr, config);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        HeldOutFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Runs the next fold.
     */
    step() {
        const ret = wasm.heldout_step(this.__wbg_ptr);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) HeldOut.prototype[Symbol.dispose] = HeldOut.prototype.free;

/**
 * Cuts a live microphone stream into utterances ([`Segmenter`]).
 */
export class Listener {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ListenerFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_listener_free(ptr, 0);
    }
    /**
     * The level (RMS) of the latest 20 ms.
     * @returns {number}
     */
    level() {
        const ret = wasm.listener_level(this.__wbg_ptr);
        return ret;
    }
    /**
     * A listener for a stream at `rate` Hz.
     * @param {number} rate
     */
    constructor(rate) {
        const ret = wasm.listener_new(rate);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        ListenerFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Feeds samples; returns the utterances that ended (an array of Float32Arrays).
     * @param {Float32Array | number[]} samples
     * @returns {Array<any>}
     */
    push(samples) {
        const ptr0 = passArrayF32ToWasm0(samples, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.listener_push(this.__wbg_ptr, ptr0, len0);
        return ret;
    }
    /**
     * The stream's rate.
     * @returns {number}
     */
    rate() {
        const ret = wasm.listener_rate(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * True while someone is speaking.
     * @returns {boolean}
     */
    speaking() {
        const ret = wasm.listener_speaking(this.__wbg_ptr);
        return ret !== 0;
    }
}
if (Symbol.dispose) Listener.prototype[Symbol.dispose] = Listener.prototype.free;

/**
 * A trained recogniser.
 */
export class Model {
    static __wrap(ptr) {
        const obj = Object.create(Model.prototype);
        obj.__wbg_ptr = ptr;
        ModelFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ModelFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_model_free(ptr, 0);
    }
    /**
     * Provenance and architecture in brief ([`crate::recognizer::ModelCard`]).
     * @returns {any}
     */
    card() {
        const ret = wasm.model_card(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The model's logistic-regression baseline on the labelled rows of `table` (`undefined`
     * if the model has none).
     * @param {Table} table
     * @returns {any}
     */
    evaluateBaseline(table) {
        _assertClass(table, Table);
        const ret = wasm.model_evaluateBaseline(this.__wbg_ptr, table.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * UAR and confusion matrix on the labelled rows of `table`, against the model's references.
     * @param {Table} table
     * @returns {any}
     */
    evaluate(table) {
        _assertClass(table, Table);
        const ret = wasm.model_evaluate(this.__wbg_ptr, table.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The names of the model's input columns.
     * @returns {string[]}
     */
    featureNames() {
        const ret = wasm.model_featureNames(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Reads a weights file (the same format the CLI writes).
     * @param {string} text
     * @returns {Model}
     */
    static fromJson(text) {
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.model_fromJson(ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Model.__wrap(ret[0]);
    }
    /**
     * Corpora of `table` this model was trained on (its results there would be optimistic).
     * @param {Table} table
     * @returns {any}
     */
    overlap(table) {
        _assertClass(table, Table);
        const ret = wasm.model_overlap(this.__wbg_ptr, table.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Every row of `table` predicted, with per-class probabilities and what each row was
     * standardised with, the totals, UAR and the baseline's on the labelled rows
     * ([`Predictions`](crate::report::Predictions)), and the same rows as CSV text (`csv`).
     * @param {Table} table
     * @returns {any}
     */
    predict(table) {
        _assertClass(table, Table);
        const ret = wasm.model_predict(this.__wbg_ptr, table.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The weights file, as JSON text.
     * @returns {string}
     */
    toJson() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.model_toJson(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) Model.prototype[Symbol.dispose] = Model.prototype.free;

/**
 * The paper's experiment, one unit of work per call.
 */
export class PaperRun {
    static __wrap(ptr) {
        const obj = Object.create(PaperRun.prototype);
        obj.__wbg_ptr = ptr;
        PaperRunFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        PaperRunFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_paperrun_free(ptr, 0);
    }
    /**
     * The report from every unit's result (`results`: an array of what
     * [`run_unit`](Self::run_unit) returned as `result`, from any workers, in any order).
     * @param {Array<any>} results
     * @returns {any}
     */
    assemble(results) {
        const ret = wasm.paperrun_assemble(this.__wbg_ptr, results);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Units done.
     * @returns {number}
     */
    doneCount() {
        const ret = wasm.paperrun_doneCount(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * True when every unit has run.
     * @returns {boolean}
     */
    done() {
        const ret = wasm.paperrun_done(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * The first-phase units (pretraining, the source baseline) come first in the list: how
     * many. Every worker of a pool runs them; the rest can be shared out.
     * @returns {number}
     */
    firstPhase() {
        const ret = wasm.paperrun_firstPhase(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * OODT from `model` (no source corpus needed), IDT and the fine-tuning grid on `target`.
     * `config`: [`ProtocolConfig`], partial objects allowed.
     * @param {Model} model
     * @param {Table} target
     * @param {any} config
     * @returns {PaperRun}
     */
    static fromModel(model, target, config) {
        _assertClass(model, Model);
        _assertClass(target, Table);
        const ret = wasm.paperrun_fromModel(model.__wbg_ptr, target.__wbg_ptr, config);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return PaperRun.__wrap(ret[0]);
    }
    /**
     * Everything from scratch: pretraining on `source`, then as [`from_model`](Self::from_model).
     * @param {Table} source
     * @param {Table} target
     * @param {any} config
     * @returns {PaperRun}
     */
    static fromSource(source, target, config) {
        _assertClass(source, Table);
        _assertClass(target, Table);
        const ret = wasm.paperrun_fromSource(source.__wbg_ptr, target.__wbg_ptr, config);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return PaperRun.__wrap(ret[0]);
    }
    /**
     * The grid as CSV text (after [`report`](Self::report)).
     * @returns {string}
     */
    gridCsv() {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.paperrun_gridCsv(this.__wbg_ptr);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * The report ([`ReproduceReport`]) once every unit has run.
     * @returns {any}
     */
    report() {
        const ret = wasm.paperrun_report(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Runs unit `index` (first-phase units before any other) and returns
     * `{ result, what }`: the unit's result as numbers (a `Float64Array`, for
     * [`assemble`](Self::assemble) in any worker; [`crate::protocol::transfer`]) and its
     * progress line. Units are independent and seeded, so which worker runs which changes
     * nothing.
     * @param {number} index
     * @returns {any}
     */
    runUnit(index) {
        const ret = wasm.paperrun_runUnit(this.__wbg_ptr, index);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Runs the next unit; returns its progress line ([`Progress`]).
     * @returns {any}
     */
    step() {
        const ret = wasm.paperrun_step(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Units in all.
     * @returns {number}
     */
    total() {
        const ret = wasm.paperrun_total(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) PaperRun.prototype[Symbol.dispose] = PaperRun.prototype.free;

/**
 * Recordings turned into feature rows: WAV files, or clips from the microphone
 * ([`recordings::Recordings`](crate::recordings::Recordings)).
 */
export class Recordings {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        RecordingsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_recordings_free(ptr, 0);
    }
    /**
     * Adds a clip of mono `samples` at `rate` Hz (the microphone's), labelled `emotion`
     * ("" for none), spoken by `speaker`.
     * @param {string} name
     * @param {Float32Array | number[]} samples
     * @param {number} rate
     * @param {string} emotion
     * @param {string} speaker
     * @returns {any}
     */
    addClip(name, samples, rate, emotion, speaker) {
        const val5 = +rate;
        let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
        try {
            ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArrayF32ToWasm0(samples, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passStringToWasm0(emotion, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
            ptr3 = passStringToWasm0(speaker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len3 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.recordings_addClip(this.__wbg_ptr, ptr0, len0, ptr1, len1, val5, ptr2, len2, ptr3, len3);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Decodes a WAV file, converts it to 16 kHz and computes its features; returns what is
     * known about it. Emotion and speaker come from the file name when it follows a known
     * corpus's convention.
     * @param {string} name
     * @param {Uint8Array | number[]} bytes
     * @returns {any}
     */
    addWav(name, bytes) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.recordings_addWav(this.__wbg_ptr, ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Labelled recordings per emotion, in the order of [`emotions`].
     * @returns {Uint32Array}
     */
    counts() {
        const ret = wasm.recordings_counts(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * True if there are none.
     * @returns {boolean}
     */
    isEmpty() {
        const ret = wasm.recordings_isEmpty(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Recordings held.
     * @returns {number}
     */
    len() {
        const ret = wasm.recordings_len(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * What is known about each recording.
     * @returns {any}
     */
    list() {
        const ret = wasm.recordings_list(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    constructor() {
        const ret = wasm.recordings_new();
        this.__wbg_ptr = ret;
        RecordingsFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * A name for the next clip of `emotion` ("" for none) that no recording has.
     * @param {string} emotion
     * @returns {string}
     */
    nextClipName(emotion) {
        let deferred3_0;
        let deferred3_1;
        try {
            const ptr0 = passStringToWasm0(emotion, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len0 = WASM_VECTOR_LEN;
            const ret = wasm.recordings_nextClipName(this.__wbg_ptr, ptr0, len0);
            var ptr2 = ret[0];
            var len2 = ret[1];
            if (ret[3]) {
                ptr2 = 0; len2 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred3_0 = ptr2;
            deferred3_1 = len2;
            return getStringFromWasm0(ptr2, len2);
        } finally {
            wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
        }
    }
    /**
     * Predicts the emotion of one utterance (mono `samples` at `rate` Hz) with `model`,
     * standardised together with these recordings (the same speaker).
     * @param {Model} model
     * @param {Float32Array | number[]} samples
     * @param {number} rate
     * @param {string} speaker
     * @returns {any}
     */
    predictClip(model, samples, rate, speaker) {
        _assertClass(model, Model);
        const val3 = +rate;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArrayF32ToWasm0(samples, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(speaker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 4, 4); }
            throw e;
        }
        const ret = wasm.recordings_predictClip(this.__wbg_ptr, model.__wbg_ptr, ptr0, len0, val3, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Removes recording `index`.
     * @param {number} index
     */
    remove(index) {
        const ret = wasm.recordings_remove(this.__wbg_ptr, index);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Sets the emotion ("" = unlabelled) and speaker ("" = unknown) of recording `index`.
     * @param {number} index
     * @param {string} emotion
     * @param {string} speaker
     */
    setLabel(index, emotion, speaker) {
        const val3 = +index;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(emotion, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(speaker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.recordings_setLabel(this.__wbg_ptr, val3, ptr0, len0, ptr1, len1);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * The recordings as a feature table, for fine-tuning, the experiment or prediction.
     * @returns {Table}
     */
    table() {
        const ret = wasm.recordings_table(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Table.__wrap(ret[0]);
    }
    /**
     * The features as CSV text in our format, for download.
     * @returns {string}
     */
    toCsv() {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.recordings_toCsv(this.__wbg_ptr);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
}
if (Symbol.dispose) Recordings.prototype[Symbol.dispose] = Recordings.prototype.free;

/**
 * A parsed feature table.
 */
export class Table {
    static __wrap(ptr) {
        const obj = Object.create(Table.prototype);
        obj.__wbg_ptr = ptr;
        TableFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        TableFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_table_free(ptr, 0);
    }
    /**
     * Parses CSV text; `name` (the file name) names the corpus of rows that do not say theirs.
     * `features`: the columns to read (a model's [`Model::feature_names`]); `undefined` reads
     * the paper's 64 IS09 functionals.
     * @param {string} text
     * @param {string} name
     * @param {string[] | null} [features]
     * @returns {Table}
     */
    static parse(text, name, features) {
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = isLikeNone(features) ? 0 : passArrayJsValueToWasm0(features, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__externref_drop_slice(ptr2, len2); wasm.__wbindgen_free(ptr2, len2 * 4, 4); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.table_parse(ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Table.__wrap(ret[0]);
    }
    /**
     * Rows kept.
     * @returns {number}
     */
    rows() {
        const ret = wasm.table_rows(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * What was read and skipped ([`LoadSummary`]).
     * @returns {any}
     */
    summary() {
        const ret = wasm.table_summary(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The rows as CSV text in our format, which [`Table::parse`] reads back exactly (how the
     * page hands a table to the other workers of a pool).
     * @returns {string}
     */
    toCsv() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.table_toCsv(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) Table.prototype[Symbol.dispose] = Table.prototype.free;

/**
 * A CSV text being read a slice of rows at a time ([`CsvLoad`]), so the worker can report
 * progress and stop between slices.
 */
export class TableLoad {
    static __wrap(ptr) {
        const obj = Object.create(TableLoad.prototype);
        obj.__wbg_ptr = ptr;
        TableLoadFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        TableLoadFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_tableload_free(ptr, 0);
    }
    /**
     * Bytes read so far.
     * @returns {number}
     */
    bytesDone() {
        const ret = wasm.tableload_bytesDone(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Bytes in all.
     * @returns {number}
     */
    bytesTotal() {
        const ret = wasm.tableload_bytesTotal(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The table, once [`step`](Self::step) has returned true.
     * @returns {Table}
     */
    finish() {
        const ret = wasm.tableload_finish(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Table.__wrap(ret[0]);
    }
    /**
     * Checks the size and the header of `text` (see [`Table::parse`] for the arguments).
     * @param {string} text
     * @param {string} name
     * @param {string[] | null} [features]
     * @returns {TableLoad}
     */
    static start(text, name, features) {
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = isLikeNone(features) ? 0 : passArrayJsValueToWasm0(features, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__externref_drop_slice(ptr2, len2); wasm.__wbindgen_free(ptr2, len2 * 4, 4); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.tableload_start(ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return TableLoad.__wrap(ret[0]);
    }
    /**
     * Reads up to `rows` more rows; true when the whole text is read.
     * @param {number} rows
     * @returns {boolean}
     */
    step(rows) {
        const ret = wasm.tableload_step(this.__wbg_ptr, rows);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] !== 0;
    }
}
if (Symbol.dispose) TableLoad.prototype[Symbol.dispose] = TableLoad.prototype.free;

/**
 * The default settings ([`FewShotConfig`] and [`ProtocolConfig`]), so the page shows the
 * engine's defaults rather than typing them again.
 * @returns {any}
 */
export function defaults() {
    const ret = wasm.defaults();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * The four emotions, in the order every report uses.
 * @returns {string[]}
 */
export function emotions() {
    const ret = wasm.emotions();
    var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v1;
}

/**
 * The rate features are computed at (recordings are converted to it).
 * @returns {number}
 */
export function featureRate() {
    const ret = wasm.featureRate();
    return ret >>> 0;
}

/**
 * Every limit on what the engine accepts ([`crate::limits::Limits`]), so the page checks a
 * file's size before reading it and never types a limit again.
 * @returns {any}
 */
export function limits() {
    const ret = wasm.limits();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * A random seed from the browser's cryptographic generator, for "surprise me" seeds.
 * @returns {number}
 */
export function randomSeed() {
    const ret = wasm.randomSeed();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0] >>> 0;
}

/**
 * Installs the panic hook when the module starts.
 */
export function start() {
    wasm.start();
}

/**
 * The message of the last panic, if any (taken: a second call returns `undefined`).
 * @returns {string | undefined}
 */
export function takePanicMessage() {
    const ret = wasm.takePanicMessage();
    let v1;
    if (ret[0] !== 0) {
        v1 = getStringFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
    }
    return v1;
}

/**
 * The crate version, shown in the page footer.
 * @returns {string}
 */
export function version() {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.version();
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_String_8564e559799eccda: function(arg0, arg1) {
            const ret = String(arg1);
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_is_null_c22311b1cc228e3a: function(arg0) {
            const ret = arg0 === null;
            return ret;
        },
        __wbg___wbindgen_is_string_fc456fee5d3317de: function(arg0) {
            const ret = typeof(arg0) === 'string';
            return ret;
        },
        __wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
            const ret = arg0 === undefined;
            return ret;
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_error_d1fc0193610e0e39: function(arg0) {
            console.error(arg0);
        },
        __wbg_getRandomValues_8b6f1f663e6f188d: function() { return handleError(function (arg0, arg1) {
            globalThis.crypto.getRandomValues(getArrayU8FromWasm0(arg0, arg1));
        }, arguments); },
        __wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
            const ret = arg0[arg1 >>> 0];
            return ret;
        },
        __wbg_length_5a8bb8abe1e54e15: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_b03a0fabb109b1e9: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_new_37eb45aaf5eeb820: function() {
            const ret = new Array();
            return ret;
        },
        __wbg_new_7075786089b89c5e: function() {
            const ret = new Map();
            return ret;
        },
        __wbg_new_787b9fb330d55d78: function(arg0, arg1) {
            const ret = new Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_cd4348290afae586: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_new_from_slice_355c10c5d8f2addb: function(arg0, arg1) {
            const ret = new Float32Array(getArrayF32FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_from_slice_aaf85a9746711968: function(arg0, arg1) {
            const ret = new Float64Array(getArrayF64FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_prototypesetcall_a366c038a3918afa: function(arg0, arg1, arg2) {
            Float64Array.prototype.set.call(getArrayF64FromWasm0(arg0, arg1), arg2);
        },
        __wbg_push_c9f4893fc209f768: function(arg0, arg1) {
            const ret = arg0.push(arg1);
            return ret;
        },
        __wbg_set_2793479888329cb6: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = Reflect.set(arg0, arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_set_8282f7e0d2d01336: function(arg0, arg1, arg2) {
            const ret = arg0.set(arg1, arg2);
            return ret;
        },
        __wbg_set_d2d33b52458e984a: function(arg0, arg1, arg2) {
            arg0[arg1 >>> 0] = arg2;
        },
        __wbg_set_e4b9a833d288759a: function(arg0, arg1, arg2) {
            arg0[arg1] = arg2;
        },
        __wbg_stringify_0a0fbf2ef722380a: function() { return handleError(function (arg0) {
            const ret = JSON.stringify(arg0);
            return ret;
        }, arguments); },
        __wbindgen_generic_0000000000000001: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_generic_0000000000000003: function(arg0) {
            // Cast intrinsic for `U64 -> Externref`.
            const ret = BigInt.asUintN(64, arg0);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./siamese_ser_bg.js": import0,
    };
}

const FineTuneFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_finetune_free(ptr, 1));
const HeldOutFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_heldout_free(ptr, 1));
const ListenerFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_listener_free(ptr, 1));
const ModelFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_model_free(ptr, 1));
const PaperRunFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_paperrun_free(ptr, 1));
const RecordingsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_recordings_free(ptr, 1));
const TableFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_table_free(ptr, 1));
const TableLoadFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_tableload_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function _assertClass(instance, klass) {
    if (!(instance instanceof klass)) {
        throw new Error(`expected instance of ${klass.name}`);
    }
}

function getArrayF32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayF64FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat64ArrayMemory0().subarray(ptr / 8, ptr / 8 + len);
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayU32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

let cachedFloat32ArrayMemory0 = null;
function getFloat32ArrayMemory0() {
    if (cachedFloat32ArrayMemory0 === null || cachedFloat32ArrayMemory0.byteLength === 0) {
        cachedFloat32ArrayMemory0 = new Float32Array(wasm.memory.buffer);
    }
    return cachedFloat32ArrayMemory0;
}

let cachedFloat64ArrayMemory0 = null;
function getFloat64ArrayMemory0() {
    if (cachedFloat64ArrayMemory0 === null || cachedFloat64ArrayMemory0.byteLength === 0) {
        cachedFloat64ArrayMemory0 = new Float64Array(wasm.memory.buffer);
    }
    return cachedFloat64ArrayMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint32ArrayMemory0 = null;
function getUint32ArrayMemory0() {
    if (cachedUint32ArrayMemory0 === null || cachedUint32ArrayMemory0.byteLength === 0) {
        cachedUint32ArrayMemory0 = new Uint32Array(wasm.memory.buffer);
    }
    return cachedUint32ArrayMemory0;
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayF32ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 4, 4) >>> 0;
    getFloat32ArrayMemory0().set(arg, ptr / 4);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayJsValueToWasm0(array, malloc) {
    const ptr = malloc(array.length * 4, 4) >>> 0;
    for (let i = 0; i < array.length; i++) {
        const add = addToExternrefTable0(array[i]);
        getDataViewMemory0().setUint32(ptr + 4 * i, add, true);
    }
    WASM_VECTOR_LEN = array.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedFloat32ArrayMemory0 = null;
    cachedFloat64ArrayMemory0 = null;
    cachedUint32ArrayMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('siamese_ser_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
