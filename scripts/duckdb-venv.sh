#!/usr/bin/env bash
# DuckDB, the peer the benchmarks compare against, in a venv under target/ (nothing system-wide).
# The benchmarks find it there; without it they measure only this tool and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv target/duckdb-venv
target/duckdb-venv/bin/pip install --quiet "duckdb==2.0.1"
target/duckdb-venv/bin/python -c "import duckdb; print('duckdb', duckdb.__version__, 'in target/duckdb-venv')"
