#!/usr/bin/env bash
# Benchmarks reading the past (#21): a million plots (`parkland bench-data --plots
# 1000000`, copied into parkland_bench_versions) with ten versions for a tenth of them
# (ten rounds of a write to every tenth plot), then an items page of 100 now and as of
# an instant after the fifth round, a park's ledger now and as of it, and the storage of
# a version. Release build, served on 127.0.0.1:18181. Prints one JSON line.
#   bash bench/versions.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
cargo build --release --quiet
source bench/database.sh
base=$(bench_database 1000000)
admin="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
url="${admin%/*}/parkland_bench_versions"
psql "$admin" -qc "DROP DATABASE IF EXISTS parkland_bench_versions WITH (FORCE)" \
  -c "CREATE DATABASE parkland_bench_versions TEMPLATE parkland_bench_1000000" >&2
# The copy's schema as this build makes it (the versioned tables' history among it).
DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland migrate >&2
start=$(date +%s.%N)
for round in $(seq 10); do
  psql "$url" -qc "UPDATE plots SET tax_wan = coalesce(tax_wan, 0) + 1 WHERE id % 10 = 0" >&2
  if [ "$round" = 5 ]; then
    middle=$(psql "$url" -Atqc "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
  fi
done
writes=$(python3 -c "import time; print(round(time.time() - $start, 1))")
psql "$url" -qc "VACUUM ANALYZE" >&2
bench_serve "$url"
python3 bench/versions.py http://127.0.0.1:18181 --runs "$runs" --db "$url" --instant "$middle" --writes-s "$writes"
