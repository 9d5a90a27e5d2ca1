#!/usr/bin/env bash
# The back office's rich-text editor (Jodit, MIT) is vendored at a pinned version under
# src/gongkai/static/vendor/jodit/. This script re-fetches that version from the npm registry
# and checks it against the recorded SHA-256 sums (--update takes a new version).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/gongkai/static/vendor/jodit
version=$(cat "$dest/VERSION")
if [ "${1:-}" = "--update" ]; then version="${2:?version}"; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "jodit@$version" >/dev/null && tar xzf "jodit-$version.tgz")
if [ "${1:-}" = "--update" ]; then
  cp "$work/package/es2021/jodit.min.js" "$work/package/es2021/jodit.min.css" "$dest/"
  cp "$work/package/LICENSE.txt" "$dest/LICENSE.txt"
  (cd "$dest" && sha256sum jodit.min.js jodit.min.css > SHA256SUMS)
  echo "$version" > "$dest/VERSION"
  echo "Jodit $version vendored"
else
  (cd "$work/package/es2021" && sha256sum -c "$OLDPWD/$dest/SHA256SUMS")
fi
