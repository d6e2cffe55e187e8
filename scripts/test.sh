#!/usr/bin/env bash
# Runs every check and every test: formatting, lints (native and wasm32), the front-end
# build, then unit, API, CLI and browser tests, and schemathesis against the running API.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/install-tools.sh --test
cargo fmt --all --check
cargo clippy --workspace --exclude tco-app --all-targets --locked -- -D warnings
cargo clippy -p tco-app --target wasm32-unknown-unknown --locked -- -D warnings
trunk build
cargo test --workspace --exclude tco-app --locked
# The page's view logic (number formatting, chart geometry, URL state) runs natively too.
cargo test -p tco-app --locked
# The HTTP API against its own OpenAPI document, with schemathesis (about half a minute).
scripts/schemathesis.sh
