#!/usr/bin/env bash
# Light requests while hostile or heavy ones run, on the demo data (a fresh copy), served
# on 127.0.0.1:18181 by the release build:
#   1. /health while 16 clients send bad tokens for a real token's id (bench/bad_tokens.py),
#      each repeating its token, then each token new;
#   2. a kept tile while 16 clients run site searches (bench/busy_search.py).
#   bash bench/hostile.sh [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-16}"
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
cargo build --release --quiet
source bench/database.sh
url=$(bench_database demo)
token=$(DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland token create --role editor --name bench-editor | grep -o 'pl_[0-9]*_[0-9a-f]*')
id=$(echo "$token" | cut -d_ -f2)
bench_serve "$url"
python3 bench/bad_tokens.py http://127.0.0.1:18181 --token-id "$id" --clients "$clients"
python3 bench/bad_tokens.py http://127.0.0.1:18181 --token-id "$id" --clients "$clients" --fresh
tile=/tiles/plots/14/13338/7091.mvt  # 10 KB of 广清产业园 plots
curl -sf -o /dev/null "http://127.0.0.1:18181$tile"
python3 bench/busy_search.py http://127.0.0.1:18181 --searchers "$clients" --path "$tile"
