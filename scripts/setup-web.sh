#!/usr/bin/env bash
# Installs the map view's front-end packages (web/package.json: MapLibre GL JS, and
# playwright-core for the browser tests) from npm, exactly as web/package-lock.json
# pins them, and only when they are missing or the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  exit 0
fi
echo "setup-web: installing the map's packages into web/node_modules"
npm ci --no-audit --no-fund --loglevel=error
