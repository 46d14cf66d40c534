# siamese-ser. A new user needs two commands, and each sets up what it needs first:
#   make serve   builds the page and serves it on http://127.0.0.1:8000/www/
#   make test    runs every test (native, wasm in headless Chromium, end to end)

SHELL := /bin/bash
CARGO ?= cargo
PORT ?= 8000
WBG_VERSION := 0.2.130
WASM := target/wasm32-unknown-unknown/release/siamese_ser.wasm
WASM_OPT := node_modules/.bin/wasm-opt
# Paths compiled into the wasm are remapped, so the committed pkg/ is the same on every machine.
CARGO_HOME ?= $(HOME)/.cargo
RUSTUP_HOME ?= $(HOME)/.rustup
WASM_RUSTFLAGS := -C target-feature=+simd128 -C llvm-args=--inline-threshold=100 --remap-path-prefix=$(CURDIR)=/siamese-ser \
  --remap-path-prefix=$(CARGO_HOME)=/cargo --remap-path-prefix=$(RUSTUP_HOME)=/rustup
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test build setup setup-rust setup-wasm-bindgen setup-node setup-browser \
        pkg page single lint test-native test-wasm-build test-wasm-browser test-e2e bench bench-browser reproduce models \
        cost fuzz methods

# ---------------------------------------------------------------- the two commands
serve: build
	@echo
	@echo "  siamese-ser is at  http://127.0.0.1:$(PORT)/www/   (Ctrl-C stops the server)"
	@echo
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory .

test: setup setup-browser lint test-native test-wasm-build build test-wasm-browser test-e2e

# ---------------------------------------------------------------- setup (idempotent)
setup: setup-rust setup-wasm-bindgen setup-node

setup-rust:
	rustup target add wasm32-unknown-unknown
	rustup component add clippy rustfmt

setup-wasm-bindgen:
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WBG_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WBG_VERSION) (must match the crate; takes a few minutes once)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WBG_VERSION); \
	fi

setup-node: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup-browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; \
	fi

# ---------------------------------------------------------------- build
# A complete static site: serve the repository root and open /www/.
build: setup pkg page single

pkg:
	RUSTFLAGS="$(WASM_RUSTFLAGS)" $(CARGO) build --lib --release --target wasm32-unknown-unknown --no-default-features
	wasm-bindgen --target web --out-dir pkg $(WASM)
	$(WASM_OPT) -O3 --strip-producers --strip-target-features pkg/siamese_ser_bg.wasm -o pkg/siamese_ser_bg.wasm
	# The glue is part of the first visit: minified, 4 KiB less gzipped (its API: pkg/siamese_ser.d.ts).
	node_modules/.bin/esbuild pkg/siamese_ser.js --minify --format=esm --log-level=warning --allow-overwrite --outfile=pkg/siamese_ser.js
	wasm-bindgen --target no-modules --no-typescript --out-dir target/pkg-no-modules $(WASM)
	$(WASM_OPT) -O3 --strip-producers --strip-target-features target/pkg-no-modules/siamese_ser_bg.wasm -o target/pkg-no-modules/siamese_ser_bg.wasm
	mkdir -p www/vendor
	cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE www/vendor/

# The page's script: www/src/ bundled into www/app.js (esbuild).
page:
	node build/page.mjs

# One self-contained HTML file (wasm, default model and the sample inlined) that works from file://.
single:
	node build/single.mjs

# The bundled models, deterministically, from ../shared/data (TESS is not committed).
models:
	$(CARGO) build --release
	target/release/siamese-ser pretrain --source ../shared/data/tess_16k.csv --speaker-means --seed 42 \
	  --eval-target data/ravdess_16k.csv --out www/models/tess.json
	target/release/siamese-ser pretrain --source ../shared/data/tess_16k.csv --source data/ravdess_16k.csv \
	  --speaker-means --seed 42 --out www/models/all.json

# ---------------------------------------------------------------- tests
JS := "www/**/*.js" "e2e/**/*.mjs" "build/**/*.mjs" "bench/**/*.js" "bench/**/*.mjs"
lint: setup-node
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check $(JS)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --features fuzzing -- -D warnings
	$(CARGO) clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings

# --show-output prints what passing tests said, e.g. "SKIPPED … ../shared/data … is not here".
# The `fuzzing` feature adds the replay of the committed fuzzing corpora (fuzz/corpus/).
test-native:
	$(CARGO) test --features fuzzing -- --show-output

# The core must build for the browser (no threads, no file system).
test-wasm-build:
	$(CARGO) build --lib --target wasm32-unknown-unknown --no-default-features

# The binding layer in headless Chromium (runner: .cargo/config.toml).
test-wasm-browser:
	WASM_BINDGEN_TEST_TIMEOUT=120 $(CARGO) test --target wasm32-unknown-unknown --no-default-features --test web

# The page end to end in headless Chromium (playwright-core driving Debian's Chromium).
test-e2e:
	node --test --test-concurrency=1 e2e/

# ---------------------------------------------------------------- measurements
bench:
	$(CARGO) bench --bench training

# The browser timings beside the native CLI's, measured back to back in one run.
bench-browser: build
	$(CARGO) build --release
	node e2e/bench/run.mjs

# Time and peak memory against rows, columns and minutes of audio (README, "Limits").
cost:
	$(CARGO) build --release
	python3 bench/cost.py

# Coverage-guided fuzzing (needs nightly, only for this): one target for an hour or 10^7 runs.
# make fuzz TARGET=csv   (targets: csv, weights, wav, config)
TARGET ?= csv
fuzz:
	rustup toolchain install nightly --profile minimal
	cargo install cargo-fuzz
	mkdir -p target/fuzz-corpus/$(TARGET)
	cargo +nightly fuzz run -O $(TARGET) target/fuzz-corpus/$(TARGET) fuzz/corpus/$(TARGET) -- \
	  -timeout=1 -rss_limit_mb=1024 -max_len=65536 -runs=10000000 -max_total_time=3600 -print_final_stats=1

reproduce:
	$(CARGO) run --release -- reproduce --source ../shared/data/tess_16k.csv --target ../shared/data/ravdess_16k.csv --json reproduce.json

# Both methods on TESS → RAVDESS, and the README's method table from their reports.
methods:
	$(CARGO) build --release
	mkdir -p target/methods
	for m in paper best; do target/release/siamese-ser reproduce --method $$m --source ../shared/data/tess_16k.csv \
	  --target ../shared/data/ravdess_16k.csv --json target/methods/$$m.json > target/methods/$$m.txt; done
	python3 bench/methods.py "TESS → RAVDESS=target/methods/paper.json" "TESS → RAVDESS=target/methods/best.json"
