# Sourced by scripts/build, scripts/serve and scripts/test: installs what the project needs, once.
# Each step is skipped when its lock file has not changed since the last install (stamps in .stamps/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p .stamps
# Python keeps each module it compiles (__pycache__/, ignored by git). A machine that sets
# PYTHONDONTWRITEBYTECODE (this one does) made every Python process of the build and the suite compile
# MkDocs, Material, Playwright and the calculators again: a build took 16 s instead of 13, and the
# suite's 58 command-line bad-input cases 12.3 s instead of 9.8 (one process each).
unset PYTHONDONTWRITEBYTECODE

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is required: $2" >&2; exit 1; }; }

stamp_ok() { # stamp_ok NAME FILE...: true when FILEs are unchanged since NAME was stamped
  [ -f ".stamps/$1" ] && [ "$(cat "${@:2}" | sha256sum)" = "$(cat ".stamps/$1")" ]
}
stamp() { cat "${@:2}" | sha256sum > ".stamps/$1"; }

setup_python() {
  need python3 "install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    python3 -m venv .venv
    rm -f .stamps/python
  fi
  if ! stamp_ok python requirements.lock pyproject.toml; then
    echo "setup: installing pinned Python packages (requirements.lock)" >&2
    # --no-compile: pip would compile every installed module to bytecode (about 8 s here); Python
    # compiles the few that are imported on first use instead.
    .venv/bin/python -m pip install -q --no-compile --disable-pip-version-check -r requirements.lock
    stamp python requirements.lock pyproject.toml
  fi
}

setup_node() {
  need npm "install Node.js 20 and npm (Debian: apt-get install nodejs npm)"
  if [ ! -d node_modules ] || ! stamp_ok node package-lock.json; then
    echo "setup: installing pinned front-end packages (npm ci)" >&2
    npm ci --no-audit --no-fund --loglevel=error
    stamp node package-lock.json
  fi
}

# Both at once: pip and npm each spend most of their time waiting on files and the registry, so a
# fresh clone is ready sooner (about 10 s here). A failure in either stops the script.
setup_python_and_node() {
  setup_node &
  local node=$!
  setup_python
  wait "$node"
}

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
setup_browser() {
  if [ -x "$CHROMIUM" ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the browser tests need Chromium at $CHROMIUM." >&2
    echo "       Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
    echo "       (or set CHROMIUM=/path/to/chromium)" >&2
    exit 1
  fi
}

PY="$ROOT/.venv/bin/python"
