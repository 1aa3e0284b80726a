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
admin="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release --quiet
if [ -z "$plots" ]; then
  db="parkland_bench"
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  url="${admin%/*}/$db"
  DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland load geodata >/dev/null
  psql "$url" -qc "VACUUM ANALYZE"
else
  db="parkland_bench_$plots"
  url="${admin%/*}/$db"
  have=$(psql "$url" -Atqc "SELECT count(*) FROM plots" 2>/dev/null || echo none)
  if [ "$have" != "$plots" ]; then
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland bench-data --plots "$plots" >&2
  fi
fi
DATABASE_URL="$url" RUST_LOG="${RUST_LOG:-warn}" ./target/release/parkland serve --bind 127.0.0.1:18181 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.1; done
python3 bench/site_search.py http://127.0.0.1:18181 --runs "$runs" --db "$url"
