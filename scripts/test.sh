#!/usr/bin/env bash
# Runs every test against a real PostgreSQL + PostGIS:
#   - DATABASE_URL, when it is set;
#   - else the server on 127.0.0.1:5432, when one answers (as on the project's machines);
#   - else a private cluster that parkland starts for the run and stops after it.
set -euo pipefail
cd "$(dirname "$0")/.."

runner=(cargo nextest run --no-fail-fast)
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "test: cargo-nextest not found, using cargo test" >&2
  runner=(cargo test --no-fail-fast)
fi

# Python clients for the API tests (OWSLib, openapi-spec-validator, schemathesis), in a
# venv of their own.
venv="$PWD/target/py"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import owslib, openapi_spec_validator, schemathesis" 2>/dev/null; then
  echo "test: installing OWSLib, openapi-spec-validator and schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "OWSLib>=0.31" "openapi-spec-validator>=0.7" "schemathesis>=4.3,<5"
fi
export PARKLAND_PYTHON="$venv/bin/python"

# The map's packages, for the map tests.
bash scripts/setup-web.sh

# The code as rustfmt writes it (rustfmt.toml), no clippy warning (the default lints; the
# few allowed ones say why where they are), then build once; the runner then only runs.
cargo fmt --check || { echo "test: run cargo fmt" >&2; exit 1; }
# The map's JavaScript as biome formats and lints it (web/biome.json).
(cd web && npx --no-install biome check app) || { echo "test: run (cd web && npx biome check --write app)" >&2; exit 1; }
cargo clippy --all-targets --quiet -- -D warnings || { echo "test: clippy has warnings (cargo clippy --all-targets)" >&2; exit 1; }
cargo build --bins --tests

if [ -n "${DATABASE_URL:-}" ]; then
  echo "test: using DATABASE_URL"
  exec "${runner[@]}"
fi

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  echo "test: using the PostgreSQL server on 127.0.0.1:5432"
  exec "${runner[@]}"
fi

echo "test: no PostgreSQL server found; starting a private cluster in target/test-cluster"
exec ./target/debug/parkland with-db --data-dir "$PWD/target/test-cluster" -- "${runner[@]}"
