#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# ansible-test sanity, offline and without Docker or pwsh:
#
#   tools/sanity.sh [extra ansible-test sanity arguments, e.g. --test pep8]
#
# 1. Check tests/sanity/ignore-<core>.txt against the .ps1 modules (tools/sanity_ignores.py).
# 2. Put the get-pip stand-in (tools/get_pip_stand_in.py) where ansible-test looks for its cached
#    bootstrap script: ~/.ansible/test/cache/get_pip_<pip version>.py. The real one is downloaded
#    from a host that cannot be reached here.
# 3. Copy the files git tracks or does not ignore into <tmp>/ansible_collections/ipam/provisioning
#    (ansible-test needs that layout on the *resolved* path; a symlink does not do) and make the
#    copy a git repository of its own, so ansible-test sees exactly those files
#    (tools/collection_copy.sh, shared with tools/integration.sh).
# 4. Run ansible-test sanity --venv --python 3.11 there. ansible-test clears the environment and
#    would find pyenv's shims (python3.8 ... 3.13) otherwise, so the real 3.11 bin directory goes
#    first on PATH.
#
# Environment: VENV (default <repo>/.venv), SANITY_KEEP=1 keeps the copy (path printed),
# PIP_OFFLINE_CONFIG (set by tools/venv.sh when no package index answers).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$REPO/.venv}
PY=$VENV/bin/python
cd "$REPO"

echo "sanity: checking tests/sanity ignore files"
"$PY" tools/sanity_ignores.py

# --- 2. get-pip stand-in -------------------------------------------------------------------------
PIP_VERSION=$("$PY" - <<'EOF'
import types
try:
    from ansible_test._internal.python_requirements import get_venv_packages
    print(get_venv_packages(types.SimpleNamespace(version='3.11'))['pip'])
except Exception:  # layout of ansible-test internals changed: fall back to the version 2.19 uses
    print('24.2')
EOF
)
# Offline (tools/venv.sh found no index): ansible-test strips PIP_* before its own pip runs, so its
# venvs read the wheelhouse from the pip configuration file of a HOME of their own.
if [[ -n ${PIP_OFFLINE_CONFIG:-} ]]; then
    export HOME=$REPO/.lab/offline-home
    mkdir -p "$HOME/.config/pip"
    cp "$PIP_OFFLINE_CONFIG" "$HOME/.config/pip/pip.conf"
    echo "sanity: offline: ansible-test's pip reads $HOME/.config/pip/pip.conf"
fi
CACHE=$HOME/.ansible/test/cache
GET_PIP=$CACHE/get_pip_${PIP_VERSION//./_}.py
mkdir -p "$CACHE"
if [[ ! -e $GET_PIP ]] || grep -q 'ipam.provisioning get-pip stand-in' "$GET_PIP"; then
    cp tools/get_pip_stand_in.py "$GET_PIP"
    echo "sanity: get-pip stand-in written to $GET_PIP"
else
    echo "sanity: using the existing (real) get-pip script $GET_PIP"
fi

# --- 3. the copy ---------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ipam-sanity.XXXXXX")
cleanup() {
    if [[ ${SANITY_KEEP:-0} == 1 ]]; then
        echo "sanity: copy kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
DEST=$(tools/collection_copy.sh "$WORK")
echo "sanity: copy in $DEST"

# --- 4. ansible-test -----------------------------------------------------------------------------
REAL_PY_BIN=$("$PY" -c 'import os, sys; print(os.path.join(sys.base_prefix, "bin"))')
if [[ ! -x $REAL_PY_BIN/python3.11 ]]; then
    echo "sanity: no python3.11 in $REAL_PY_BIN (base of $PY)" >&2
    exit 2
fi
cd "$DEST"
# The machine's pip configuration makes every pip call warn "Location ... is ignored"; harmless.
PATH="$REAL_PY_BIN:$VENV/bin:$PATH" "$VENV/bin/ansible-test" sanity --venv --python 3.11 --color no "$@" 2>&1 \
    | { grep -v 'Location .* is ignored' || true; }
