# shellcheck shell=bash
# Shared by scripts/demo and scripts/check (sourced, not run): messages, and the project's own
# virtual environment in .venv, created and updated only when needed so that a second run of
# either command starts at once.

PYTHON=${PYTHON:-python3}
VENV=.venv

die() {
  printf '\nerror: %s\n' "$*" >&2
  exit 1
}

step() {
  printf '\n==> %s\n' "$*"
}

# True when the interpreter $1 runs and is Python 3.11 or newer (parole's requires-python).
python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

# A hash of what decides the installed packages: pyproject.toml (dependencies, entry points,
# package list) and which extras were asked for. Code changes need no reinstall: it is editable.
install_hash() {
  "$VENV/bin/python" - "$1" <<'PY'
import hashlib, pathlib, sys
data = pathlib.Path("pyproject.toml").read_bytes() + sys.argv[1].encode()
print(hashlib.sha256(data).hexdigest())
PY
}

# ensure_venv TARGET [ALSO_ACCEPTED...]: make .venv hold an editable install of TARGET
# ("." or ".[dev]"). An install of one of ALSO_ACCEPTED made from the same pyproject.toml will
# do too (the dev install has everything the demo needs).
ensure_venv() {
  local target=$1 candidate stamp
  if [[ ! -x $VENV/bin/python ]] || ! python_ok "$VENV/bin/python"; then
    # Missing, or made by an interpreter that has since gone or is too old: start again.
    command -v "$PYTHON" >/dev/null 2>&1 \
      || die "$PYTHON not found. parole needs Python 3.11 or newer: install it (Debian/Ubuntu: apt-get install python3 python3-venv), or name it with PYTHON=/path/to/python3.11 $0"
    python_ok "$PYTHON" \
      || die "parole needs Python 3.11 or newer, but $PYTHON is $("$PYTHON" --version 2>&1). Install a newer Python, or name it with PYTHON=/path/to/python3.11 $0"
    step "Creating the virtual environment $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" \
      || die "could not create $VENV with $PYTHON (Debian/Ubuntu: apt-get install python3-venv)"
  fi
  if [[ -x $VENV/bin/parole ]]; then
    for candidate in "$target" "${@:2}"; do
      stamp="$VENV/.parole-installed-$(install_hash "$candidate" | cut -c1-16)"
      if [[ -f $stamp ]]; then
        return 0
      fi
    done
  fi
  step "Installing parole ($target) into $VENV"
  # -qq hides progress and warnings (this machine's pip configuration names local indexes that
  # may not exist); pip still prints its errors.
  "$VENV/bin/python" -m pip install -qq --disable-pip-version-check -e "$target" \
    || die "pip could not install parole ($target): see pip's message above"
  rm -f "$VENV"/.parole-installed-*
  touch "$VENV/.parole-installed-$(install_hash "$target" | cut -c1-16)"
}
