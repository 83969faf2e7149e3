#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# ansible-test sanity, offline and without Docker:
#
#   tools/sanity.sh [extra ansible-test sanity arguments, e.g. --test pep8]
#
# 1. Check tests/sanity/ignore-<core>.txt against the PowerShell files (tools/sanity_ignores.py).
#    Find pwsh: validate-modules runs it to read each .ps1 module's $spec. $PWSH if set, else pwsh
#    on PATH, else ~/.dotnet/tools/pwsh (resolved before step 2 may change HOME), else
#    ensure_pwsh of tools/venv.sh installs it. It must run in the environment ansible-test gives
#    its programs (PATH, HOME, LC_ALL and little else: no DOTNET_ROOT); if it only runs with
#    DOTNET_ROOT, a pwsh wrapper that sets it goes on PATH instead.
# 2. Put the get-pip stand-in (tools/get_pip_stand_in.py) where ansible-test looks for its cached
#    bootstrap script: ~/.ansible/test/cache/get_pip_<pip version>.py. The real one is downloaded
#    from a host that cannot be reached here.
# 3. Copy the files git tracks or does not ignore into <tmp>/ansible_collections/ipam/provisioning
#    (ansible-test needs that layout on the *resolved* path; a symlink does not do) and make the
#    copy a git repository of its own, so ansible-test sees exactly those files
#    (tools/collection_copy.sh, shared with tools/integration.sh).
# 4. Run ansible-test sanity --venv --python 3.11 there. ansible-test clears the environment and
#    would find pyenv's shims (python3.8 ... 3.13) otherwise, so the real 3.11 bin directory goes
#    first on PATH, then pwsh's directory.
#
# Environment: VENV (default <repo>/.venv), SANITY_KEEP=1 keeps the copy (path printed),
# PIP_OFFLINE_CONFIG (set by tools/venv.sh when no package index answers), PWSH (the pwsh to use).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$REPO/.venv}
PY=$VENV/bin/python
cd "$REPO"

echo "sanity: checking tests/sanity ignore files"
"$PY" tools/sanity_ignores.py

# --- 1b. pwsh, resolved before HOME may change ----------------------------------------------------
if [[ -z ${PWSH:-} ]]; then
    PWSH=$(command -v pwsh 2>/dev/null || true)
fi
if [[ -z $PWSH && -x $HOME/.dotnet/tools/pwsh ]]; then
    PWSH=$HOME/.dotnet/tools/pwsh
fi
if [[ -z $PWSH ]]; then
    # Not installed yet (a fresh machine): tools/venv.sh knows how; it only prints to stderr here.
    PWSH=$(REPO=$REPO; source tools/venv.sh; ensure_pwsh >&2; echo "${PWSH:-}")
fi
if [[ -z $PWSH || ! -x $PWSH ]]; then
    echo "sanity: no pwsh (set PWSH, or: dotnet tool install --global PowerShell --version 7.6.10);" \
        "validate-modules needs it to read the .ps1 modules' argument specs" >&2
    exit 2
fi
PWSH=$(readlink -f "$PWSH")
PWSH_DIR=$(dirname "$PWSH")
pwsh_stripped() {  # run pwsh the way ansible-test does: PATH, HOME, LC_ALL only
    env -i PATH="$1:/usr/bin:/bin" HOME="$HOME" LC_ALL=C.UTF-8 pwsh -NoProfile -NonInteractive \
        -Command '$PSVersionTable.PSVersion.ToString()' 2>&1
}
if ! PWSH_VERSION=$(pwsh_stripped "$PWSH_DIR"); then
    # A dotnet global tool finds its runtime through DOTNET_ROOT unless dotnet is in a standard
    # place; ansible-test drops DOTNET_ROOT, so a wrapper sets it.
    dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet 2>/dev/null || echo /nonexistent)")")}
    PWSH_DIR=$REPO/.lab/pwsh-wrapper
    mkdir -p "$PWSH_DIR"
    printf '#!/bin/sh\nDOTNET_ROOT=%q exec %q "$@"\n' "$dotnet_root" "$PWSH" > "$PWSH_DIR/pwsh"
    chmod +x "$PWSH_DIR/pwsh"
    if ! PWSH_VERSION=$(pwsh_stripped "$PWSH_DIR"); then
        echo "sanity: $PWSH does not run in ansible-test's environment (PATH, HOME, LC_ALL only), not even" \
            "with DOTNET_ROOT=$dotnet_root:" >&2
        echo "$PWSH_VERSION" >&2
        exit 2
    fi
    echo "sanity: pwsh needs DOTNET_ROOT, which ansible-test drops: using the wrapper $PWSH_DIR/pwsh"
fi
echo "sanity: pwsh $PWSH_VERSION at $PWSH (runs in ansible-test's stripped environment)"

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
PATH="$REAL_PY_BIN:$VENV/bin:$PWSH_DIR:$PATH" "$VENV/bin/ansible-test" sanity --venv --python 3.11 --color no "$@" 2>&1 \
    | { grep -v 'Location .* is ignored' || true; }
