#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, and nothing that is there already:
# PostgreSQL server binaries (the tests start throwaway clusters from them), the npm tools (buf) and the
# .NET local tools (dotnet-ef).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; exit 1; fi
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "prerequisites: installing PostgreSQL server from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if [ ! -x /usr/bin/chromium ]; then
  # The web app's browser tests (tests/Watershed.Web.Tests) drive Debian's headless Chromium with Playwright.
  echo "prerequisites: installing Chromium from Debian (the web app's browser tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v kubectl >/dev/null; then
  echo "prerequisites: installing kubectl (renders the kustomize overlays offline)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubectl >/dev/null
fi

if [ ! -d scripts/tools/node_modules/kubernetes-models ] || [ ! -x scripts/tools/node_modules/.bin/buf ]; then
  echo "prerequisites: installing npm tools (buf, schema validators)"
  (cd scripts/tools && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet tool restore >/dev/null
