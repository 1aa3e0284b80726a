# The benchmark database and its server, for bench/run.sh, bench/busy.sh and
# bench/compare.sh (sourced):
#   bench_database demo    the demo data set (geodata/), a fresh copy in parkland_bench
#   bench_database N       `parkland bench-data --plots N` in parkland_bench_N, made once
#                          and kept (a million plots takes minutes); prints its URL
#   bench_serve URL        serves it on 127.0.0.1:18181 until the script exits
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

# Serves the database URL $1 with the release build on 127.0.0.1:18181 until the calling
# script exits, and waits until it answers.
bench_serve() {
  # A server left on the port would be measured instead of this build.
  if curl -sf http://127.0.0.1:18181/health >/dev/null; then echo "127.0.0.1:18181 is taken: stop what serves there first" >&2; exit 1; fi
  DATABASE_URL="$1" RUST_LOG="${RUST_LOG:-warn}" ./target/release/parkland serve --bind 127.0.0.1:18181 &
  bench_server=$!
  trap 'kill $bench_server 2>/dev/null; wait $bench_server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/health >/dev/null && return; sleep 0.1; done
  echo "parkland did not answer on 127.0.0.1:18181 in 10 s" >&2; exit 1
}
