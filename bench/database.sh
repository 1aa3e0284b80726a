# The benchmark database, for bench/run.sh and bench/compare.sh (sourced); prints its URL.
#   bench_database demo    the demo data set (geodata/), a fresh copy in parkland_bench
#   bench_database N       `parkland bench-data --plots N` in parkland_bench_N, made once
#                          and kept (a million plots takes minutes)
# Needs the release build; the server from DATABASE_URL (default the local one).
bench_database() {
  local size="$1" admin="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" db url have
  if [ "$size" = demo ]; then
    db="parkland_bench"
    url="${admin%/*}/$db"
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >&2
    DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland load geodata >/dev/null
  else
    db="parkland_bench_$size"
    url="${admin%/*}/$db"
    have=$(psql "$url" -Atqc "SELECT count(*) FROM plots" 2>/dev/null || echo none)
    if [ "$have" != "$size" ]; then
      psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >&2
      DATABASE_URL="$url" RUST_LOG=error ./target/release/parkland bench-data --plots "$size" >&2
    fi
  fi
  psql "$url" -qc "VACUUM ANALYZE" >&2
  echo "$url"
}
