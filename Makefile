# siamese-ser: the two commands a new user needs are `make serve` and `make test`.
# Each sets up what it needs first (idempotent), so both work on a fresh Debian machine with rustup.

SHELL := /bin/bash
CARGO ?= cargo

.PHONY: setup-rust test test-native test-wasm-build lint bench reproduce

## Rust toolchain pieces: the wasm target and the lint components.
setup-rust:
	rustup target add wasm32-unknown-unknown
	rustup component add clippy rustfmt

## Every test: native unit and integration tests, lints, and the wasm build of the core.
test: setup-rust lint test-native test-wasm-build

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

# --show-output prints what passing tests said, e.g. "SKIPPED … ../shared/data … is not here".
test-native:
	$(CARGO) test -- --show-output

## The core must build for the browser (no threads, no file system).
test-wasm-build:
	$(CARGO) build --lib --target wasm32-unknown-unknown --no-default-features

## Criterion benchmarks (fixed units of work; see benches/training.rs).
bench:
	$(CARGO) bench --bench training

## The paper's experiment, TESS -> RAVDESS at 16 kHz, from ../shared/data.
reproduce:
	$(CARGO) run --release -- reproduce --source ../shared/data/tess_16k.csv --target ../shared/data/ravdess_16k.csv --json reproduce.json
