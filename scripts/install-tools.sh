#!/usr/bin/env bash
# Installs what building the front end needs, skipping whatever is already there:
# the wasm32 target, trunk 0.21.x (0.22 needs a newer rustc), and the wasm-bindgen-cli whose
# version matches Cargo.lock. With --browser, also Debian's chromium and chromedriver; with
# --test, everything ./scripts/test.sh runs: those, Debian's postgresql (the server programs the
# PostgreSQL tests start), python3-venv (for the schemathesis run), npm, and axe-core (the
# browser test's accessibility checks) at the version pinned in tests/axe-version, from the npm
# registry into target/axe (nothing installed system-wide, no browser downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  cargo install trunk --version '~0.21' --locked
fi

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  # Not --locked: the CLI's own lock file names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

browser=false
tests=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
    --test) browser=true; tests=true ;;
    *) echo "usage: $0 [--browser | --test]" >&2; exit 2 ;;
  esac
done

packages=()
if $browser && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  packages+=(chromium chromium-driver)
fi
if $tests; then
  # Debian keeps initdb and pg_ctl off PATH, in /usr/lib/postgresql/VERSION/bin.
  if ! command -v initdb >/dev/null && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    packages+=(postgresql)
  fi
  if ! command -v npm >/dev/null; then
    packages+=(npm)
  fi
  # Debian's python3 cannot make a venv with pip without python3-venv (ensurepip).
  if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    packages+=(python3 python3-venv)
  fi
fi
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi

if $tests; then
  axe_version=$(cat tests/axe-version)
  if ! grep -qs "\"version\": \"$axe_version\"" target/axe/node_modules/axe-core/package.json; then
    npm install --prefix target/axe --no-audit --no-fund --no-save "axe-core@$axe_version"
  fi
fi
