#!/usr/bin/env bash
# Installs code-server from npm into a folder (default: a throwaway one under $TMPDIR) and prints its bin path.
# code-server's own postinstall downloads ripgrep from GitHub; this does the same steps offline, with the
# registry packages and Debian's ripgrep in place of the download.
#   tests/editors/install-code-server.sh [DIR]
# Needs Node 20, a C++ toolchain and the headers code-server's native modules build against (Debian:
# build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev) and ripgrep.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
DIR="${1:-$(mktemp -d "${TMPDIR:-/tmp}/code-server.XXXXXX")}"
mkdir -p "$DIR"
BIN="$DIR/node_modules/code-server/out/node/entry.js"
if [ -f "$DIR/.installed-$VERSION" ]; then
  echo "$BIN"
  exit 0
fi
RG="$(command -v rg || true)"
[ -n "$RG" ] || { echo "install-code-server: ripgrep (rg) is needed" >&2; exit 1; }
export npm_config_unsafe_perm=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
{
  npm install --prefix "$DIR" --ignore-scripts "code-server@$VERSION"
  # code-server's own native dependency (argon2 builds from source when its prebuilt download fails).
  (cd "$DIR" && npm rebuild argon2)
  cd "$DIR/node_modules/code-server/lib/vscode"
  npm install --omit=dev --ignore-scripts
  # With bin/ present, @vscode/ripgrep's postinstall keeps it instead of downloading.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$RG" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild
  rm -rf node_modules.asar && ln -s node_modules node_modules.asar
  (cd bin/remote-cli && rm -f code-server && ln -s code-linux.sh code-server)
  (cd bin/helpers && rm -f browser.sh && ln -s browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev
} >"$DIR/install.log" 2>&1 || { tail -n 40 "$DIR/install.log" >&2; exit 1; }
touch "$DIR/.installed-$VERSION"
echo "$BIN"
