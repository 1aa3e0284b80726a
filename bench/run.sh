#!/usr/bin/env bash
# Benchmarks the site search. Builds parkland in release mode, serves a database on
# 127.0.0.1:18181 (from the PostgreSQL server in DATABASE_URL, default the local one),
# runs bench/site_search.py, prints one JSON line.
#   bash bench/run.sh [runs]               the demo data set (geodata/), a fresh copy
#   bash bench/run.sh [runs] --plots N     `parkland bench-data --plots N`, in database
#                                          parkland_bench_N, made once and kept (a
#                                          million plots takes minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"
plots=""
if [ "${2:-}" = "--plots" ]; then plots="${3:?--plots needs a number}"; fi
cargo build --release --quiet
source bench/database.sh
url=$(bench_database "${plots:-demo}")
bench_serve "$url"
python3 bench/site_search.py http://127.0.0.1:18181 --runs "$runs" --db "$url"
