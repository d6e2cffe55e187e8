#!/usr/bin/env bash
# Builds the front end and starts `tco serve` on the embedded catalog and the bundled sample.
# Extra arguments go to `tco serve` (e.g. --addr 0.0.0.0:8080; or set TCO_ADDR).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/install-tools.sh
trunk build --release
cargo run --release -p tco-server --bin tco -- serve --dist dist "$@"
