#!/usr/bin/env bash
# Installs the pinned schemathesis that the contract test (e2e/src/contract.test.ts) runs, into its own virtualenv
# at .data/venv-schemathesis (python3 from PATH, packages from PyPI). Does nothing when that version is already there;
# safe to run again and from several processes at once. Prints the schemathesis executable's path last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Pinned: schemathesis, and hypothesis, which generates the data, so that a seed means the same requests everywhere.
SCHEMATHESIS_VERSION=4.32.5
HYPOTHESIS_VERSION=6.170.17
venv=${SCHEMATHESIS_VENV:-$PWD/.data/venv-schemathesis}

installed() {
  [ -x "$venv/bin/schemathesis" ] &&
    "$venv/bin/python" - "$SCHEMATHESIS_VERSION" "$HYPOTHESIS_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if (version("schemathesis"), version("hypothesis")) == (sys.argv[1], sys.argv[2]) else 1)
PY
}

if ! installed; then
  command -v python3 >/dev/null || { echo "install.sh: python3 is not on PATH" >&2; exit 1; }
  mkdir -p "$(dirname "$venv")"
  # One installer at a time; the others wait and then find it installed.
  exec 9>"$venv.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if ! installed; then
    echo "install.sh: installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      "schemathesis==$SCHEMATHESIS_VERSION" "hypothesis==$HYPOTHESIS_VERSION" >&2
    installed || { echo "install.sh: schemathesis $SCHEMATHESIS_VERSION did not install" >&2; exit 1; }
  fi
fi
echo "$venv/bin/schemathesis"
