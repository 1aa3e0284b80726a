#!/usr/bin/env bash
# Writes schema/schema.sql again: the schema a fresh database gets from the migrations and
# schema/functions/, as tests/schema_dump.rs compares it. Run it after changing either,
# and commit the file with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PARKLAND_WRITE_SCHEMA=1 cargo nextest run --test schema_dump
echo "wrote schema/schema.sql"
