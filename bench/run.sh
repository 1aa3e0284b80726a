#!/usr/bin/env bash
# Benchmarks the analysis endpoints on the demo data set. Builds parkland in release mode,
# serves a fresh copy of the demo on 127.0.0.1:18181 (from the PostgreSQL server in
# DATABASE_URL, default the local one), runs bench/site_search.py, prints the result.
#   bash bench/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"
admin="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="parkland_bench"
cargo build --release --quiet
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
url="${admin%/*}/$db"
DATABASE_URL="$url" ./target/release/parkland load geodata >/dev/null
psql "$url" -qc "VACUUM ANALYZE"
DATABASE_URL="$url" RUST_LOG=warn ./target/release/parkland serve --bind 127.0.0.1:18181 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.1; done
python3 bench/site_search.py http://127.0.0.1:18181 --runs "$runs"
