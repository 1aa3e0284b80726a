#!/usr/bin/env bash
# Light requests while site searches run (bench/busy_search.py): the map's page, which needs
# no database, and the health check, which asks it; then the map's page while one client
# writes a plot and searches, again and again. Serves on 127.0.0.1:18181.
#   bash bench/busy.sh [searchers]               the demo data set (geodata/), a fresh copy
#   bash bench/busy.sh [searchers] --plots N     `parkland bench-data --plots N`, in database
#                                                parkland_bench_N, made once and kept
set -euo pipefail
cd "$(dirname "$0")/.."
searchers="${1:-4}"
plots=""
if [ "${2:-}" = "--plots" ]; then plots="${3:?--plots needs a number}"; fi
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
cargo build --release --quiet
source bench/database.sh
url=$(bench_database "${plots:-demo}")
bench_serve "$url"
for path in /map /health; do
  python3 bench/busy_search.py http://127.0.0.1:18181 --searchers "$searchers" --path "$path"
done
python3 bench/busy_search.py http://127.0.0.1:18181 --searchers 1 --path /map --write-db "$url"
