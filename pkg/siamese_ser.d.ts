/* tslint:disable */
/* eslint-disable */

/**
 * A k-shot fine-tuning in progress ([`Session`]).
 */
export class FineTune {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The "before" figures (the model as loaded, on the test rows: unseen and seen speakers).
     */
    before(): any;
    /**
     * True when every epoch has run.
     */
    done(): boolean;
    /**
     * Epochs completed.
     */
    epochsDone(): number;
    /**
     * Epochs configured.
     */
    epochs(): number;
    /**
     * Measures the fine-tuned model on the test rows and returns the outcome
     * ([`FewShotOutcome`](crate::fewshot::FewShotOutcome)).
     */
    finish(): any;
    /**
     * The labelled rows drawn for fine-tuning.
     */
    labelled(): any;
    /**
     * The fine-tuned model (after [`finish`](Self::finish)).
     */
    model(): Model;
    /**
     * Draws the labelled rows from `table` ([`FewShotConfig`], partial objects allowed),
     * measures `model` and its logistic-regression baseline (adapted to the labelled rows) on
     * the rest, and prepares training.
     */
    constructor(model: Model, table: Table, config: any);
    /**
     * The outcome as CSV text (after [`finish`](Self::finish)), with the model's and the
     * target's names in its settings lines.
     */
    outcomeCsv(model: string, target: string): string;
    /**
     * Runs up to `max_epochs` epochs; returns their statistics (an array).
     */
    step(max_epochs: number): any;
}

/**
 * How well a model fine-tuned on recordings recognises the ones it was not fine-tuned on,
 * one fold per call ([`recordings::HeldOut`](crate::recordings::HeldOut)).
 */
export class HeldOut {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * True when every fold has run.
     */
    done(): boolean;
    /**
     * The estimate ([`HeldOutEstimate`](crate::recordings::HeldOutEstimate)).
     */
    estimate(): any;
    /**
     * Folds run.
     */
    foldsDone(): number;
    /**
     * Folds in all.
     */
    folds(): number;
    /**
     * Prepares the estimate for fine-tuning `model` on the labelled rows of `table` with the
     * training settings of `config` ([`FewShotConfig`], partial objects allowed).
     */
    constructor(model: Model, table: Table, config: any);
    /**
     * Stores the estimate in `model` (the model fine-tuned on every clip), so that its weights
     * file and card carry it.
     */
    recordIn(model: Model): void;
    /**
     * Runs the next fold.
     */
    step(): void;
}

/**
 * Cuts a live microphone stream into utterances ([`Segmenter`]).
 */
export class Listener {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The level (RMS) of the latest 20 ms.
     */
    level(): number;
    /**
     * A listener for a stream at `rate` Hz.
     */
    constructor(rate: number);
    /**
     * Feeds samples; returns the utterances that ended (an array of Float32Arrays).
     */
    push(samples: Float32Array | number[]): Array<any>;
    /**
     * The stream's rate.
     */
    rate(): number;
    /**
     * True while someone is speaking.
     */
    speaking(): boolean;
}

/**
 * A trained recogniser.
 */
export class Model {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Provenance and architecture in brief ([`crate::recognizer::ModelCard`]).
     */
    card(): any;
    /**
     * The model's logistic-regression baseline on the labelled rows of `table` (`undefined`
     * if the model has none).
     */
    evaluateBaseline(table: Table): any;
    /**
     * UAR and confusion matrix on the labelled rows of `table`, against the model's references.
     */
    evaluate(table: Table): any;
    /**
     * The names of the model's input columns.
     */
    featureNames(): string[];
    /**
     * Reads a weights file (the same format the CLI writes).
     */
    static fromJson(text: string): Model;
    /**
     * Corpora of `table` this model was trained on (its results there would be optimistic).
     */
    overlap(table: Table): any;
    /**
     * Every row of `table` predicted, with per-class probabilities and what each row was
     * standardised with, the totals, UAR and the baseline's on the labelled rows
     * ([`Predictions`](crate::report::Predictions)), and the same rows as CSV text (`csv`).
     */
    predict(table: Table): any;
    /**
     * The weights file, as JSON text.
     */
    toJson(): string;
}

/**
 * The paper's experiment, one unit of work per call.
 */
export class PaperRun {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The report from every unit's result (`results`: an array of what
     * [`run_unit`](Self::run_unit) returned as `result`, from any workers, in any order).
     */
    assemble(results: Array<any>): any;
    /**
     * Units done.
     */
    doneCount(): number;
    /**
     * True when every unit has run.
     */
    done(): boolean;
    /**
     * The first-phase units (pretraining, the source baseline) come first in the list: how
     * many. Every worker of a pool runs them; the rest can be shared out.
     */
    firstPhase(): number;
    /**
     * OODT from `model` (no source corpus needed), IDT and the fine-tuning grid on `target`.
     * `config`: [`ProtocolConfig`], partial objects allowed.
     */
    static fromModel(model: Model, target: Table, config: any): PaperRun;
    /**
     * Everything from scratch: pretraining on `source`, then as [`from_model`](Self::from_model).
     */
    static fromSource(source: Table, target: Table, config: any): PaperRun;
    /**
     * The grid as CSV text (after [`report`](Self::report)).
     */
    gridCsv(): string;
    /**
     * The report ([`ReproduceReport`]) once every unit has run.
     */
    report(): any;
    /**
     * Runs unit `index` (first-phase units before any other) and returns
     * `{ result, what }`: the unit's result as numbers (a `Float64Array`, for
     * [`assemble`](Self::assemble) in any worker; [`crate::protocol::transfer`]) and its
     * progress line. Units are independent and seeded, so which worker runs which changes
     * nothing.
     */
    runUnit(index: number): any;
    /**
     * Runs the next unit; returns its progress line ([`Progress`]).
     */
    step(): any;
    /**
     * Units in all.
     */
    total(): number;
}

/**
 * Recordings turned into feature rows: WAV files, or clips from the microphone
 * ([`recordings::Recordings`](crate::recordings::Recordings)).
 */
export class Recordings {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds a clip of mono `samples` at `rate` Hz (the microphone's), labelled `emotion`
     * ("" for none), spoken by `speaker`.
     */
    addClip(name: string, samples: Float32Array | number[], rate: number, emotion: string, speaker: string): any;
    /**
     * Decodes a WAV file, converts it to 16 kHz and computes its features; returns what is
     * known about it. Emotion and speaker come from the file name when it follows a known
     * corpus's convention.
     */
    addWav(name: string, bytes: Uint8Array | number[]): any;
    /**
     * Labelled recordings per emotion, in the order of [`emotions`].
     */
    counts(): Uint32Array;
    /**
     * True if there are none.
     */
    isEmpty(): boolean;
    /**
     * Recordings held.
     */
    len(): number;
    /**
     * What is known about each recording.
     */
    list(): any;
    constructor();
    /**
     * A name for the next clip of `emotion` ("" for none) that no recording has.
     */
    nextClipName(emotion: string): string;
    /**
     * Predicts the emotion of one utterance (mono `samples` at `rate` Hz) with `model`,
     * standardised together with these recordings (the same speaker).
     */
    predictClip(model: Model, samples: Float32Array | number[], rate: number, speaker: string): any;
    /**
     * Removes recording `index`.
     */
    remove(index: number): void;
    /**
     * Sets the emotion ("" = unlabelled) and speaker ("" = unknown) of recording `index`.
     */
    setLabel(index: number, emotion: string, speaker: string): void;
    /**
     * The recordings as a feature table, for fine-tuning, the experiment or prediction.
     */
    table(): Table;
    /**
     * The features as CSV text in our format, for download.
     */
    toCsv(): string;
}

/**
 * A parsed feature table.
 */
export class Table {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Parses CSV text; `name` (the file name) names the corpus of rows that do not say theirs.
     * `features`: the columns to read (a model's [`Model::feature_names`]); `undefined` reads
     * the paper's 64 IS09 functionals.
     */
    static parse(text: string, name: string, features?: string[] | null): Table;
    /**
     * Rows kept.
     */
    rows(): number;
    /**
     * What was read and skipped ([`LoadSummary`]).
     */
    summary(): any;
    /**
     * The rows as CSV text in our format, which [`Table::parse`] reads back exactly (how the
     * page hands a table to the other workers of a pool).
     */
    toCsv(): string;
}

/**
 * A CSV text being read a slice of rows at a time ([`CsvLoad`]), so the worker can report
 * progress and stop between slices.
 */
export class TableLoad {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Bytes read so far.
     */
    bytesDone(): number;
    /**
     * Bytes in all.
     */
    bytesTotal(): number;
    /**
     * The table, once [`step`](Self::step) has returned true.
     */
    finish(): Table;
    /**
     * Checks the size and the header of `text` (see [`Table::parse`] for the arguments).
     */
    static start(text: string, name: string, features?: string[] | null): TableLoad;
    /**
     * Reads up to `rows` more rows; true when the whole text is read.
     */
    step(rows: number): boolean;
}

/**
 * The default settings ([`FewShotConfig`] and [`ProtocolConfig`]), so the page shows the
 * engine's defaults rather than typing them again.
 */
export function defaults(): any;

/**
 * The four emotions, in the order every report uses.
 */
export function emotions(): any;

/**
 * The rate features are computed at (recordings are converted to it).
 */
export function featureRate(): number;

/**
 * Every limit on what the engine accepts ([`crate::limits::Limits`]), so the page checks a
 * file's size before reading it and never types a limit again.
 */
export function limits(): any;

/**
 * A random seed from the browser's cryptographic generator, for "surprise me" seeds.
 */
export function randomSeed(): number;

/**
 * Installs the panic hook when the module starts.
 */
export function start(): void;

/**
 * The message of the last panic, if any (taken: a second call returns `undefined`).
 */
export function takePanicMessage(): string | undefined;

/**
 * The crate version, shown in the page footer.
 */
export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_finetune_free: (a: number, b: number) => void;
    readonly __wbg_heldout_free: (a: number, b: number) => void;
    readonly __wbg_listener_free: (a: number, b: number) => void;
    readonly __wbg_model_free: (a: number, b: number) => void;
    readonly __wbg_paperrun_free: (a: number, b: number) => void;
    readonly __wbg_recordings_free: (a: number, b: number) => void;
    readonly __wbg_table_free: (a: number, b: number) => void;
    readonly __wbg_tableload_free: (a: number, b: number) => void;
    readonly defaults: () => [number, number, number];
    readonly emotions: () => [number, number, number];
    readonly featureRate: () => number;
    readonly finetune_before: (a: number) => [number, number, number];
    readonly finetune_done: (a: number) => number;
    readonly finetune_epochs: (a: number) => number;
    readonly finetune_epochsDone: (a: number) => number;
    readonly finetune_finish: (a: number) => [number, number, number];
    readonly finetune_labelled: (a: number) => [number, number, number];
    readonly finetune_model: (a: number) => [number, number, number];
    readonly finetune_new: (a: number, b: number, c: any) => [number, number, number];
    readonly finetune_outcomeCsv: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly finetune_step: (a: number, b: number) => [number, number, number];
    readonly heldout_done: (a: number) => number;
    readonly heldout_estimate: (a: number) => [number, number, number];
    readonly heldout_folds: (a: number) => number;
    readonly heldout_foldsDone: (a: number) => number;
    readonly heldout_new: (a: number, b: number, c: any) => [number, number, number];
    readonly heldout_recordIn: (a: number, b: number) => [number, number];
    readonly heldout_step: (a: number) => [number, number];
    readonly limits: () => [number, number, number];
    readonly listener_level: (a: number) => number;
    readonly listener_new: (a: number) => [number, number, number];
    readonly listener_push: (a: number, b: number, c: number) => any;
    readonly listener_rate: (a: number) => number;
    readonly listener_speaking: (a: number) => number;
    readonly model_card: (a: number) => [number, number, number];
    readonly model_evaluate: (a: number, b: number) => [number, number, number];
    readonly model_evaluateBaseline: (a: number, b: number) => [number, number, number];
    readonly model_featureNames: (a: number) => [number, number];
    readonly model_fromJson: (a: number, b: number) => [number, number, number];
    readonly model_overlap: (a: number, b: number) => [number, number, number];
    readonly model_predict: (a: number, b: number) => [number, number, number];
    readonly model_toJson: (a: number) => [number, number];
    readonly paperrun_assemble: (a: number, b: any) => [number, number, number];
    readonly paperrun_done: (a: number) => number;
    readonly paperrun_doneCount: (a: number) => number;
    readonly paperrun_firstPhase: (a: number) => number;
    readonly paperrun_fromModel: (a: number, b: number, c: any) => [number, number, number];
    readonly paperrun_fromSource: (a: number, b: number, c: any) => [number, number, number];
    readonly paperrun_gridCsv: (a: number) => [number, number, number, number];
    readonly paperrun_report: (a: number) => [number, number, number];
    readonly paperrun_runUnit: (a: number, b: number) => [number, number, number];
    readonly paperrun_step: (a: number) => [number, number, number];
    readonly paperrun_total: (a: number) => number;
    readonly randomSeed: () => [number, number, number];
    readonly recordings_addClip: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => [number, number, number];
    readonly recordings_addWav: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly recordings_counts: (a: number) => [number, number];
    readonly recordings_isEmpty: (a: number) => number;
    readonly recordings_len: (a: number) => number;
    readonly recordings_list: (a: number) => [number, number, number];
    readonly recordings_new: () => number;
    readonly recordings_nextClipName: (a: number, b: number, c: number) => [number, number, number, number];
    readonly recordings_predictClip: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly recordings_remove: (a: number, b: number) => [number, number];
    readonly recordings_setLabel: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly recordings_table: (a: number) => [number, number, number];
    readonly recordings_toCsv: (a: number) => [number, number, number, number];
    readonly start: () => void;
    readonly table_parse: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly table_rows: (a: number) => number;
    readonly table_summary: (a: number) => [number, number, number];
    readonly table_toCsv: (a: number) => [number, number];
    readonly tableload_bytesDone: (a: number) => number;
    readonly tableload_bytesTotal: (a: number) => number;
    readonly tableload_finish: (a: number) => [number, number, number];
    readonly tableload_start: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly tableload_step: (a: number, b: number) => [number, number, number];
    readonly takePanicMessage: () => [number, number];
    readonly version: () => [number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
