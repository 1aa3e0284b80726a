#!/usr/bin/env bash
# parkland side by side with TiPg, Martin and raw PostGIS (pgbench) on one database, with
# wrk as the load; writes the table into bench/RESULTS.md.
#   bash bench/compare.sh demo            the demo data set (geodata/), a fresh copy
#   bash bench/compare.sh 1000000         `parkland bench-data --plots 1000000`, in
#                                         database parkland_bench_1000000, made once and kept
# Extra arguments go to bench/compare.py (--rounds N, --seconds N per round, --connections N,
# --servers a,b, --endpoints TEXT).
# Installs what is missing: wrk (Debian), TiPg (PyPI, into target/bench-py), Martin
# (crates.io, into target/bench-tools; 1.14.0, the newest that builds with rustc 1.95).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:?demo or a number of plots}"
shift

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
command -v pgbench >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-contrib; }
if ! target/bench-py/bin/python -c "import tipg" 2>/dev/null; then
  python3 -m venv target/bench-py
  target/bench-py/bin/pip install --quiet --disable-pip-version-check "tipg>=1,<2" uvicorn
fi
# Martin without its default extras: "rendering" clones maplibre-native from GitHub.
[ -x target/bench-tools/bin/martin ] || cargo install martin --version 1.14.0 --locked --no-default-features --features postgres --root target/bench-tools
cargo build --release --quiet

source bench/database.sh
url=$(bench_database "$size")
python3 bench/compare.py "$url" --label "$size" "$@"
