#!/usr/bin/env bash
# Property-based tests of the HTTP API from its own OpenAPI document: schemathesis generates
# requests for every operation (from the examples, the schemas' edges, random data and
# stateful sequences: create, then read, share, revoke, delete what was created) and checks
# the answers against `tco serve` on a free loopback port with an empty data directory.
# Needs python3 with venv; the pinned schemathesis goes into a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

version=4.32.5
venv=target/schemathesis-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$version"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

cargo build -p tco-server --bin tco --locked
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
: >"$work/stdout"
target/debug/tco serve --addr 127.0.0.1:0 --data-dir "$work/data" --dist "$work/no-dist" \
  >"$work/stdout" 2>"$work/server.log" &
server=$!
base=""
for _ in $(seq 100); do
  base=$(sed -n 's|^tco is serving on \(http://[^/]*\)/$|\1|p' "$work/stdout")
  [ -n "$base" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "tco serve did not start" >&2; exit 1; }

# A fixed seed: the same cases each run, so a failure reproduces.
"$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "$base/api/openapi.json" --url "$base" \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-100}" \
  --seed "${SCHEMATHESIS_SEED:-7}" \
  --request-timeout 30 \
  --generation-database none \
  --no-color "$@"
