#!/usr/bin/env bash
# Installs the operating-system packages parkland needs, and only those missing.
# Debian 12 names; run as root (or with sudo available). Safe to run again.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
# What each package is for:
#   postgresql-$PG_MAJOR-postgis-3   PostGIS, in the machine's server and in the embedded cluster
#   postgresql-$PG_MAJOR-pgrouting   road routing (pgr_dijkstra, pgr_drivingDistance)
#   libproj-dev pkg-config clang libclang-dev   the proj crate links PROJ through bindgen
#   gdal-bin                          GDAL's OAPIF client, used by the API tests
#   chromium fonts-wqy-microhei       the browser tests of the map view, and a font
#                                     that has the Chinese characters of its labels
#   nodejs npm                        the map's front-end packages (web/package.json)
wanted=(
  "postgresql-$PG_MAJOR-postgis-3"
  "postgresql-$PG_MAJOR-pgrouting"
  libproj-dev pkg-config clang libclang-dev
  gdal-bin
  chromium fonts-wqy-microhei
)
# Node.js and npm may come from elsewhere than Debian (the project machines have their own).
if ! command -v npm >/dev/null; then
  wanted+=(nodejs npm)
fi
# The embedded cluster needs the server binaries themselves.
if [ ! -x "/usr/lib/postgresql/$PG_MAJOR/bin/initdb" ]; then
  wanted+=("postgresql-$PG_MAJOR")
fi

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup-system: missing packages: ${missing[*]}" >&2
    echo "setup-system: run as root or install them: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
