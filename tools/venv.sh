# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sourced by tools/*.sh: make sure .venv exists with tests/requirements.txt installed and the
# repository is importable as ansible_collections.ipam.provisioning. Needs REPO set by the caller.
# Sets VENV, PY, ANSIBLE_COLLECTIONS_PATH and puts the venv first on PATH.

VENV=$REPO/.venv
PY=$VENV/bin/python

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
pip_quiet() {
    # The machine's pip configuration makes every call warn "Location ... is ignored"; harmless.
    "$PY" -m pip "$@" 2>&1 | { grep -v 'Location .* is ignored' || true; }
}

ensure_venv() {
    local setup_start python stamp want
    setup_start=$(now)
    if [[ ! -x $PY ]]; then
        python=${PYTHON:-python3.11}
        if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
            echo "setup: Python 3.11 is required to create $VENV, and '$python' is not a working Python 3.11." >&2
            echo "setup: install python3.11 (or set PYTHON=/path/to/python3.11) and run again." >&2
            return 2
        fi
        echo "setup: creating $VENV with $(command -v "$python")"
        "$python" -m venv "$VENV"
        pip_quiet install --quiet --disable-pip-version-check --upgrade pip
    fi
    # Install (or confirm) the requirements; skipped when nothing changed since the last install.
    stamp=$VENV/.ipam-requirements.sha256
    want=$(sha256sum "$REPO/tests/requirements.txt" | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        echo "setup: installing tests/requirements.txt"
        pip_quiet install --quiet --disable-pip-version-check -r "$REPO/tests/requirements.txt"
        echo "$want" > "$stamp"
    fi
    ANSIBLE_COLLECTIONS_PATH=$("$PY" "$REPO/tests/collection_path.py")
    export ANSIBLE_COLLECTIONS_PATH
    export PATH="$VENV/bin:$PATH"
    echo "setup: done in $(elapsed "$setup_start")s ($("$PY" --version), ansible-core $("$PY" -c 'from ansible.release import __version__; print(__version__)'))"
}
