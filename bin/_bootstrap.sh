# Shared set-up for bin/run and bin/test. Sourced, not run. Idempotent and quick when nothing changed.
# Usage: bootstrap <requirements file>
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.13 python3.12)
  if [ -d "${PYENV_ROOT:-$HOME/.pyenv}/versions" ]; then
    for v in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
      [ -x "$v" ] && candidates+=("$v")
    done
  fi
  candidates+=(python3)
  local c
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

bootstrap() {
  local reqs="$1"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local py
    py="$(find_python)" || die "Python 3.12 or newer is needed and none was found. Install it (for example with pyenv: 'pyenv install 3.12') or set PYTHON=/path/to/python3.12."
    say "Creating .venv with $py ($("$py" --version))"
    rm -rf .venv
    "$py" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi

  local stamp=".venv/.installed-$(basename "$reqs")"
  local want
  want="$(cat requirements.txt "$reqs" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Python dependencies from $reqs"
    # The locks carry a hash for every file (docs/DEPENDENCIES.md): pip installs nothing it cannot check.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$reqs"
    echo "$want" > "$stamp"
  fi

  command -v npm >/dev/null 2>&1 || die "npm is needed to build the front end (GOV.UK Frontend). Install Node.js 20 or newer."
  local lockhash
  lockhash="$(cat frontend/package.json frontend/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -d frontend/node_modules ] || [ ! -f frontend/node_modules/.installed ] || [ "$(cat frontend/node_modules/.installed)" != "$lockhash" ]; then
    say "Installing front-end packages from the npm registry"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lockhash" > frontend/node_modules/.installed
  fi
  local srchash
  srchash="$(cat frontend/build.mjs frontend/scss/* frontend/js/* frontend/node_modules/.installed | sha256sum | cut -d' ' -f1)"
  if [ ! -f frontend/build/.built ] || [ "$(cat frontend/build/.built)" != "$srchash" ]; then
    say "Compiling the front end"
    (cd frontend && node build.mjs)
    echo "$srchash" > frontend/build/.built
  fi
  pdf_system_packages
  mkdir -p var
}

# The PDFs (WeasyPrint) are set in Liberation Sans and subset their fonts with HarfBuzz; without
# them they still work, in DejaVu Sans with subsetting in Python, about a quarter slower. Installed
# here when missing and possible (root with apt-get), otherwise said once.
pdf_system_packages() {
  local missing=()
  # Whole outputs are read (no grep -q), so pipefail never sees a writer cut off early.
  [ -n "$(fc-list 'Liberation Sans' family 2>/dev/null)" ] || missing+=(fonts-liberation)
  [ -n "$(ldconfig -p 2>/dev/null | grep libharfbuzz-subset || true)" ] || missing+=(libharfbuzz-subset0)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing ${missing[*]} for the PDFs"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || say "Could not install ${missing[*]}: PDFs will be slower (DejaVu Sans, subsetting in Python)"
  else
    say "Missing ${missing[*]} (install with apt-get): PDFs will be slower (DejaVu Sans, subsetting in Python)"
  fi
}
