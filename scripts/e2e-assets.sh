#!/usr/bin/env bash
# axe-core for the accessibility checks in the browser tests, from the npm registry.
set -euo pipefail
dest=var/e2e
if [ ! -f "$dest/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$dest"
  npm install --silent --no-audit --no-fund --prefix "$dest" axe-core@4 >/dev/null
fi
