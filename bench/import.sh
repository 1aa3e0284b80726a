#!/usr/bin/env bash
# The import's rate, by the command line on the release build: N plots (default 10,000; a
# grid of 50 m squares 20 m apart, EPSG:4547) into a park of their own added to a fresh
# copy of the demo data; a dry run first (every check, nothing written), then the import.
#   bash bench/import.sh [plots]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
cargo build --release --quiet
source bench/database.sh
url=$(bench_database demo)
side=$(python3 -c "import math; print(math.ceil(math.sqrt($n)))")
span=$((side * 70 + 100))
psql "$url" -qc "INSERT INTO parks (id, name_zh, level, city, boundary)
  VALUES ('BENCH-IMPORT', '导入测试园', 'other', '惠州市',
          ST_Multi(ST_Transform(ST_MakeEnvelope(450000, 2550000, 450000 + $span, 2550000 + $span, 4547), 4326)))"
file=$(mktemp --suffix=.geojson)
trap 'rm -f "$file"' EXIT
psql "$url" -Atqc "SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
    'type', 'Feature',
    'properties', json_build_object('park_id', 'BENCH-IMPORT', 'code', 'BI-' || lpad(i::text, 5, '0'), 'land_use', '100102', 'status', 'available'),
    'geometry', ST_AsGeoJSON(ST_MakeEnvelope(x, y, x + 50, y + 50, 4547), 2)::json) ORDER BY i))
  FROM (SELECT i, 450050 + (i % $side) * 70 AS x, 2550050 + (i / $side) * 70 AS y FROM generate_series(0, $n - 1) i) g" > "$file"
echo "bench/import.sh: $n plots, $(du -h "$file" | cut -f1) of GeoJSON in EPSG:4547"
for run in --dry-run ""; do
  start=$(date +%s.%N)
  DATABASE_URL="$url" RUST_LOG=error,parkland::import=info ./target/release/parkland import "$file" --layer plots --crs EPSG:4547 $run 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*imported; the parks.*held_ms=\([0-9]*\).*/the land lock held for the final write: \1 ms/p; /plots from/p' 
  end=$(date +%s.%N)
  python3 -c "s = $end - $start; print(f'${run:-import}: {s:.1f} s, {$n / s:.0f} plots/s, {1000 * s / $n:.2f} ms a plot')"
done
psql "$url" -Atqc "SELECT 'plots in BENCH-IMPORT: ' || count(*) FROM plots WHERE park_id = 'BENCH-IMPORT'"
