# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sourced by tools/*.sh: make sure .venv exists with tests/requirements.txt installed at the exact
# versions of tests/constraints.txt, and the repository is importable as
# ansible_collections.ipam.provisioning. Needs REPO set by the caller.
# Sets VENV, PY, ANSIBLE_COLLECTIONS_PATH and puts the venv first on PATH.
#
# Package source: the machine's own pip configuration (its index) whenever an index answers. Only
# when none does, the wheelhouse IPAM_WHEELHOUSE (default: ../shared/wheels beside the repository)
# is used through PIP_NO_INDEX/PIP_FIND_LINKS, and PIP_OFFLINE_CONFIG names a pip configuration
# file with the same settings for ansible-test, which strips the environment before its own pip
# runs (tools/sanity.sh hands it over).
#
# IPAM_VENV names another venv (default .venv) and IPAM_ANSIBLE_CORE another ansible-core release for
# it (the version matrix of tools/test.sh --matrix): such a venv gets what the lab and the e2e
# scenarios need, at the pins of tests/constraints.txt but for ansible-core.
#
# PowerShell: ensure_pwsh puts pwsh 7.6.10 on PATH (as a dotnet global tool where dotnet exists,
# otherwise Microsoft's Linux release archive) and sets PWSH, or leaves PWSH empty with the reason
# in PWSH_MISSING.

VENV=${IPAM_VENV:-$REPO/.venv}
PY=$VENV/bin/python
PWSH_VERSION=7.6.10
# The controller Pythons of the ansible-core release in tests/constraints.txt (2.19: 3.11 to 3.13).
PYTHON_MIN=3.11
PYTHON_MAX=3.13

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
pip_quiet() {
    # Some machines' pip configuration makes every call warn "Location ... is ignored"; harmless.
    "$PY" -m pip "$@" 2>&1 | { grep -v 'Location .* is ignored' || true; }
    return "${PIPESTATUS[0]}"
}

# A Python whose version ansible-core (tests/constraints.txt) accepts on the controller.
_python_in_range() {
    "$1" -c "import sys; lo = tuple(map(int, '$PYTHON_MIN'.split('.'))); hi = tuple(map(int, '$PYTHON_MAX'.split('.')));
sys.exit(0 if lo <= sys.version_info[:2] <= hi else 1)" 2>/dev/null
}

_find_python() {
    local candidate
    if [[ -n ${PYTHON:-} ]]; then
        _python_in_range "$PYTHON" && { echo "$PYTHON"; return 0; }
        return 1
    fi
    for candidate in python3.11 python3.12 python3.13 python3; do
        command -v "$candidate" >/dev/null 2>&1 && _python_in_range "$candidate" && { echo "$candidate"; return 0; }
    done
    return 1
}

# Use the wheelhouse only when no package index answers; a user's index always wins.
_choose_package_source() {
    local wheelhouse=${IPAM_WHEELHOUSE:-$REPO/../shared/wheels}
    if [[ ${PIP_NO_INDEX:-} =~ ^(1|true|yes)$ ]]; then
        :   # the caller already chose offline
    elif PIP_FIND_LINKS= "$PY" -m pip download --no-deps --quiet --retries 0 --timeout 5 \
            --dest "$VENV/.probe" "pip==$("$PY" -m pip --version | cut -d' ' -f2)" >/dev/null 2>&1; then
        rm -rf "$VENV/.probe"
        echo "setup: packages from the configured package index"
        return 0
    fi
    rm -rf "$VENV/.probe"
    if [[ ! -d $wheelhouse ]]; then
        echo "setup: no package index answers and there is no wheelhouse at $wheelhouse (set IPAM_WHEELHOUSE)" >&2
        return 2
    fi
    wheelhouse=$(cd "$wheelhouse" && pwd)
    export PIP_NO_INDEX=1 PIP_FIND_LINKS=$wheelhouse PIP_DISABLE_PIP_VERSION_CHECK=1
    PIP_OFFLINE_CONFIG=$REPO/.lab/pip-offline.conf
    mkdir -p "$(dirname "$PIP_OFFLINE_CONFIG")"
    printf '[global]\nno-index = true\nfind-links = %s\ndisable-pip-version-check = true\n' "$wheelhouse" > "$PIP_OFFLINE_CONFIG"
    export PIP_OFFLINE_CONFIG
    echo "setup: no package index answers: installing from the wheelhouse $wheelhouse"
}

ensure_venv() {
    local setup_start python stamp want
    setup_start=$(now)
    if [[ ! -x $PY ]]; then
        if ! python=$(_find_python); then
            echo "setup: Python $PYTHON_MIN to $PYTHON_MAX is required to create $VENV (the controller Pythons of ansible-core 2.19);" >&2
            echo "setup: ${PYTHON:-none of python3.11, python3.12, python3.13, python3} is one. Install one, or set PYTHON=/path/to/python3.x." >&2
            return 2
        fi
        echo "setup: creating $VENV with $(command -v "$python")"
        "$python" -m venv "$VENV"
    fi
    _choose_package_source || return 2
    local constraints=$REPO/tests/constraints.txt requirements=$REPO/tests/requirements.txt
    if [[ -n ${IPAM_ANSIBLE_CORE:-} ]]; then
        constraints=$VENV/constraints.txt
        requirements=$VENV/requirements.txt
        # resolvelib follows the ansible-core release (2.16 to 2.18 need an older one than 2.19).
        grep -v '^resolvelib==' "$REPO/tests/constraints.txt" \
            | sed "s/^ansible-core==.*/ansible-core==$IPAM_ANSIBLE_CORE/" > "$constraints"
        # What the lab and the e2e scenarios need; the linters and builders pin the newest ansible-core.
        grep -E '^(ansible-core|pywinrm|jmespath|pytest|pytest-xdist|hypothesis|PyYAML)([<>=!~ ]|$)' "$REPO/tests/requirements.txt" \
            | sed "s/^ansible-core[<>=!~].*/ansible-core==$IPAM_ANSIBLE_CORE/" > "$requirements"
    fi
    # Install (or confirm) the pinned requirements; skipped when neither file changed since.
    stamp=$VENV/.ipam-requirements.sha256
    want=$(cat "$requirements" "$constraints" | sha256sum | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        echo "setup: installing tests/requirements.txt with tests/constraints.txt${IPAM_ANSIBLE_CORE:+ (ansible-core $IPAM_ANSIBLE_CORE)}"
        if ! pip_quiet install --quiet -c "$constraints" -r "$requirements"; then
            echo "setup: pip could not install tests/requirements.txt (see above)" >&2
            return 2
        fi
        echo "$want" > "$stamp"
    fi
    ANSIBLE_COLLECTIONS_PATH=$("$PY" "$REPO/tests/collection_path.py")
    export ANSIBLE_COLLECTIONS_PATH
    export PATH="$VENV/bin:$PATH"
    echo "setup: done in $(elapsed "$setup_start")s ($("$PY" --version), ansible-core $("$PY" -c 'from ansible.release import __version__; print(__version__)'))"
}

# pwsh $PWSH_VERSION: from PATH, from dotnet's global tools folder, installed as a dotnet global tool,
# or unpacked from Microsoft's Linux release archive into .lab/pwsh. Sets PWSH (empty when none could
# be had) and PWSH_MISSING (why). Never fails the caller: each caller decides what a missing pwsh means.
ensure_pwsh() {
    local tools=${DOTNET_TOOLS_DIR:-$HOME/.dotnet/tools} found version archive
    PWSH=
    PWSH_MISSING=
    for found in "$(command -v pwsh 2>/dev/null)" "$tools/pwsh" "$REPO/.lab/pwsh/pwsh"; do
        [[ -n $found && -x $found ]] || continue
        version=$("$found" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null) || continue
        if [[ $version == "$PWSH_VERSION" ]]; then
            PWSH=$found
            break
        fi
    done
    if [[ -z $PWSH ]] && command -v dotnet >/dev/null 2>&1; then
        echo "setup: installing PowerShell $PWSH_VERSION as a dotnet global tool"
        if dotnet tool update --global PowerShell --version "$PWSH_VERSION" >/dev/null 2>&1 \
                || dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null 2>&1; then
            [[ -x $tools/pwsh ]] && PWSH=$tools/pwsh
        fi
    fi
    if [[ -z $PWSH ]]; then
        archive="https://github.com/PowerShell/PowerShell/releases/download/v$PWSH_VERSION/powershell-$PWSH_VERSION-linux-x64.tar.gz"
        if command -v curl >/dev/null 2>&1 && mkdir -p "$REPO/.lab/pwsh" \
                && curl -fsSL --max-time 120 "$archive" | tar -xz -C "$REPO/.lab/pwsh" 2>/dev/null; then
            chmod +x "$REPO/.lab/pwsh/pwsh"
            PWSH=$REPO/.lab/pwsh/pwsh
        else
            PWSH_MISSING="pwsh $PWSH_VERSION is not installed and could not be installed (dotnet tool install --global PowerShell --version $PWSH_VERSION, or $archive)"
        fi
    fi
    if [[ -n $PWSH ]]; then
        # A dotnet global tool finds its runtime through DOTNET_ROOT, which some callers strip.
        if [[ -z ${DOTNET_ROOT:-} ]] && command -v dotnet >/dev/null 2>&1; then
            DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")")
            export DOTNET_ROOT
        fi
        export PWSH
        export PATH="$(dirname "$PWSH"):$PATH"
        echo "setup: pwsh $PWSH_VERSION at $PWSH"
    else
        echo "setup: $PWSH_MISSING"
    fi
}
