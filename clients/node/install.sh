#!/usr/bin/env bash
# Installs the application examples' Node.js packages (typeorm, pg) from package-lock.json, in the directory the
# build copies this client to, when node_modules does not already hold exactly that lock: npm ci takes about 7 s
# even when nothing changed, and the build runs this before every certification. No install scripts, no audit,
# no funding or update check; the npm cache first, so a second build needs no network.
# Usage: install.sh --offline=true|false   (true when Maven runs offline)
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.pgrh-installed-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
command -v npm >/dev/null || { echo "clients/node: npm not found: install Node.js 20 (Debian: nodejs npm)" >&2; exit 1; }
npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
  npm ci --ignore-scripts --no-audit --no-fund --prefer-offline "${1:---offline=false}" --loglevel=warn
cp package-lock.json "$stamp"
