#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run every test gate of ipam.provisioning. Needs only Linux, bash, git and Python 3.11 to 3.13; it
# installs pwsh 7.6.10 when it is missing (tools/venv.sh).
#
#   ./tools/test.sh                 every gate (what CI runs)
#   ./tools/test.sh --fast          every gate but sanity, integration and matrix (the slow ones)
#   ./tools/test.sh --matrix        only the matrix gate: the lab and the e2e scenarios on every
#                                   older supported ansible-core (MATRIX_CORES)
#   ./tools/test.sh pytest lint     only the named gates, in the order given
#   ./tools/test.sh --list          name and describe the gates
#
# It creates .venv when it is missing, installs tests/requirements.txt, links the
# repository as .lab/collections/ansible_collections/ipam/provisioning, then runs the gates. Each
# gate reports PASS, FAIL or SKIP (passed what it could, a tool missing) with its time; a failed gate
# does not stop the others. The last line is "gates: N passed, M failed[, K skipped]" and the exit
# status is 1 when any gate failed, a skip is no failure (2 on a usage or setup error).
#
# Environment: PYTHON (interpreter to create .venv with; default the first of python3.11 to 3.13 on PATH),
# PYTEST_WORKERS (default "auto"; 0 runs pytest without xdist), extra pytest arguments in
# PYTEST_ADDOPTS as usual; INTEGRATION_KEEP, INTEGRATION_TARGET_TIMEOUT (see tools/integration.sh);
# MATRIX_CORES (default "2.16.19 2.17.14 2.18.19": the ansible-core releases the matrix gate runs;
# the newest supported one, tests/constraints.txt's, is what every other gate runs); MATRIX_PWSH_CORES
# (default: the first of MATRIX_CORES): the releases whose e2e scenarios run the modules in pwsh.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

# The matrix runs last: the full suite on the newest ansible-core (tests/constraints.txt) first, then
# the lab and the e2e scenarios on each older release requires_ansible admits (5 to 13 minutes on
# 2 CPUs), which is how CI tests every release the collection claims within its 90 minutes.
ALL_GATES=(pytest pwsh build lint sanity integration changelog matrix)
ALL_KNOWN_GATES=("${ALL_GATES[@]}")
MATRIX_CORES=${MATRIX_CORES:-2.16.19 2.17.14 2.18.19}
# The releases whose e2e scenarios run the modules in pwsh (the others use the models): the oldest by
# default, whose exec wrapper and Ansible.Basic differ most from the newest; every release runs the lab in pwsh.
MATRIX_PWSH_CORES=${MATRIX_PWSH_CORES-${MATRIX_CORES%% *}}
declare -A GATE_HELP=(
    [pytest]="pytest: unit, contract and end-to-end tests (tests/unit, tests/contract, tests/e2e)"
    [pwsh]="PowerShell syntax of every .ps1/.psm1 and Windows PowerShell 5.1 compatibility (tools/pwsh_syntax.py: PowerShell's parser and tree-sitter-pwsh; SKIP without pwsh)"
    [build]="ansible-galaxy build + offline install; ansible-doc of every module and role from the artifact; galaxy-importer's offline checks (tools/galaxy_import.sh)"
    [lint]="ansible-lint, profile production (.ansible-lint)"
    [sanity]="ansible-test sanity --venv --python 3.11 on a copy of the tree (tools/sanity.sh)"
    [integration]="ansible-test windows-integration, every target, against the fake WinRM endpoint (tools/integration.sh)"
    [changelog]="antsibull-changelog lint (changelogs/fragments)"
    [matrix]="tools/lab.sh (modules in pwsh) and tests/e2e/test_scenarios.py (in pwsh on MATRIX_PWSH_CORES, else the models) on each older ansible-core (MATRIX_CORES), one venv each under .lab/"
)

usage() {
    sed -n '5,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo "gates: ${ALL_KNOWN_GATES[*]} (default: ${ALL_GATES[*]})"
}

# --- arguments -----------------------------------------------------------------------------------
FAST=0
SELECTED=()
for arg in "$@"; do
    case $arg in
        --fast) FAST=1 ;;
        --matrix) SELECTED+=(matrix) ;;
        -h|--help) usage; exit 0 ;;
        --list)
            for g in "${ALL_KNOWN_GATES[@]}"; do printf '%-12s %s\n' "$g" "${GATE_HELP[$g]}"; done
            exit 0 ;;
        -*) echo "test.sh: unknown option $arg" >&2; usage >&2; exit 2 ;;
        *)
            if [[ -z ${GATE_HELP[$arg]+x} ]]; then
                echo "test.sh: unknown gate '$arg' (gates: ${ALL_KNOWN_GATES[*]})" >&2
                exit 2
            fi
            SELECTED+=("$arg") ;;
    esac
done
if [[ ${#SELECTED[@]} -eq 0 ]]; then
    SELECTED=("${ALL_GATES[@]}")
fi
if [[ $FAST == 1 ]]; then
    kept=()
    for g in "${SELECTED[@]}"; do [[ $g == sanity || $g == integration || $g == matrix ]] || kept+=("$g"); done
    SELECTED=("${kept[@]}")
fi
if [[ ${#SELECTED[@]} -eq 0 ]]; then
    echo "test.sh: no gate left to run (--fast skips sanity and integration)" >&2
    exit 2
fi

# --- environment ---------------------------------------------------------------------------------
# shellcheck source=tools/venv.sh
source "$REPO/tools/venv.sh"
ensure_venv || exit 2
# pwsh runs the modules for real in pytest, the syntax gate and sanity; a gate that needs it and
# cannot have it says SKIP (or fails under CI, where the PowerShell must run).
ensure_pwsh
export ANSIBLE_NOCOLOR=1 PY_COLORS=0 ANSIBLE_FORCE_COLOR=0

# --- gates ---------------------------------------------------------------------------------------
# A gate returns GATE_SKIPPED when it passed what it could check but could not run all of it (a tool
# is missing); it is reported as SKIP and does not fail the run. 77 is automake's "skipped"; a
# tool's own exit status is never passed through as a skip (pytest's 3, for one, is an internal error).
GATE_SKIPPED=77
gate_pytest() {
    local workers=${PYTEST_WORKERS:-auto} rc=0
    # The slowest tests are listed so that CI's log shows where the gate's minutes go.
    local args=(--durations=30)
    if [[ $workers != 0 ]]; then
        args+=(-n "$workers")
    fi
    # Ansible's own PowerShell coverage wrapper records which lines of our modules ran in pwsh
    # (tools/pwsh_coverage.py prints the table); only the collection's files get breakpoints.
    local coverage=$REPO/tests/output/pwsh-coverage
    rm -rf "$coverage"
    mkdir -p "$coverage"
    _ANSIBLE_COVERAGE_REMOTE_OUTPUT=$coverage/cov _ANSIBLE_COVERAGE_REMOTE_PATH_FILTER='*/ipam/provisioning/plugins/*' \
        "$PY" -m pytest "${args[@]}" || rc=$?
    if [[ $rc == 5 ]]; then
        echo "pytest: no tests were collected; that counts as a failure"
    fi
    "$PY" tools/pwsh_coverage.py "$coverage"
    return "$rc"
}

# tools/pwsh_syntax.py exits 3 when tree-sitter-pwsh passed but, without pwsh, PowerShell's parser
# and the Windows PowerShell 5.1 check could not run: a SKIP, which must not read as a pass.
gate_pwsh() {
    local rc=0 out reason
    out=$("$PY" tools/pwsh_syntax.py --git --expect-all-in plugins/modules --expect-all-in plugins/module_utils 2>&1) \
        || rc=$?
    printf '%s\n' "$out"
    if [[ $rc == 3 ]]; then
        reason=$(sed -n 's/^pwsh_syntax: SKIP //p' <<<"$out" | head -n 1)
        echo "gate pwsh: SKIP (${reason:-real parser and 5.1 check not run}; tree-sitter-pwsh passed)"
        return "$GATE_SKIPPED"
    fi
    return "$rc"
}

gate_build() {
    local tmp rc=0
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipam-build.XXXXXX")
    build_check "$tmp" || rc=$?
    rm -rf "$tmp"
    return "$rc"
}

build_check() {
    local tmp=$1 tarball failed=0 name kind path
    ansible-galaxy collection build --output-path "$tmp/dist" "$REPO"
    tarball=$(ls "$tmp"/dist/ipam-provisioning-*.tar.gz)
    # build_ignore must keep the simulator and the lab out of the artifact.
    local leaked
    leaked=$(tar -tzf "$tarball" | grep -E '^(\./)?(tests/simulator|inventory/lab|tests/e2e|tests/contract|tools|\.lab|\.venv)(/|$)' || true)
    if [[ -n $leaked ]]; then
        echo "build: the artifact contains files build_ignore should keep out:"
        printf '%s\n' "$leaked" | head -n 20 | sed 's/^/  /'
        failed=1
    fi
    # Install with only the temp path configured: the repository's .lab link would otherwise make
    # galaxy answer "already installed" and the checks below would read the work tree.
    : > "$tmp/ansible.cfg"
    (cd "$tmp" && ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$tmp/collections" \
        ansible-galaxy collection install --offline -p "$tmp/collections" "$tarball")
    local installed=$tmp/collections/ansible_collections/ipam/provisioning

    # Everything below runs from $tmp with only the installed artifact on the collections path, so
    # the repository's ansible.cfg and the .lab link are not in play.
    local names=() roles=()
    for path in "$installed"/plugins/modules/*.py "$installed"/plugins/modules/*.ps1; do
        [[ -e $path ]] || continue
        name=$(basename "${path%.*}")
        [[ $name == __init__ ]] && continue
        [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
    done
    for path in "$installed"/roles/*/; do
        [[ -d $path ]] && roles+=("$(basename "$path")")
    done
    # Other documented plugin types: one plugin per file, named after the file.
    local inventories=() filters=()
    for path in "$installed"/plugins/inventory/*.py; do
        [[ -e $path && $(basename "$path") != __init__.py ]] && inventories+=("$(basename "${path%.py}")")
    done
    for path in "$installed"/plugins/filter/*.py; do
        [[ -e $path && $(basename "$path") != __init__.py ]] && filters+=("$(basename "${path%.py}")")
    done
    # The repository and the artifact must hold the same modules and roles.
    for path in "$REPO"/plugins/modules/*.py "$REPO"/plugins/modules/*.ps1 "$REPO"/roles/*/; do
        [[ -e $path ]] || continue
        name=$(basename "${path%.*}")
        [[ $path == */ ]] && name=$(basename "$path")
        [[ $name == __init__ ]] && continue
        if [[ ! -e $installed/${path#"$REPO"/} ]]; then
            echo "build: ${path#"$REPO"/} is missing from the built collection"
            failed=1
        fi
    done
    for kind in module role inventory filter; do
        local list=()
        case $kind in
            module) list=("${names[@]}") ;;
            role) list=("${roles[@]}") ;;
            inventory) list=("${inventories[@]}") ;;
            filter) list=("${filters[@]}") ;;
        esac
        for name in "${list[@]}"; do
            # stdout carries the JSON; stderr is kept apart (a library's warning there must not be
            # read as data) and shown only when the call fails.
            local out err=$tmp/ansible-doc.stderr
            if ! out=$(cd "$tmp" && ANSIBLE_COLLECTIONS_PATH="$tmp/collections" ANSIBLE_CONFIG="$tmp/ansible.cfg" \
                    ansible-doc -t "$kind" --json "ipam.provisioning.$name" 2>"$err"); then
                echo "build: ansible-doc -t $kind ipam.provisioning.$name failed:"
                tail -n 20 "$err"
                failed=1
                continue
            fi
            if ! printf '%s' "$out" | "$PY" -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError as exc:
    sys.exit("ansible-doc printed no JSON on stdout (%s)" % exc)
entry = doc.get("ipam.provisioning." + sys.argv[1])
if not entry:
    sys.exit("ansible-doc returned no documentation for ipam.provisioning." + sys.argv[1])
where = (entry.get("doc") or {}).get("filename") or entry.get("path") or ""
sys.exit(0 if where.startswith(sys.argv[2]) else "documentation read from %r, not from the built artifact" % where)
' "$name" "$tmp/collections/"; then
                echo "build: ansible-doc -t $kind ipam.provisioning.$name: FAILED (above)"
                failed=1
                continue
            fi
            echo "build: ansible-doc -t $kind ipam.provisioning.$name OK"
        done
    done
    # Would Galaxy accept the artifact? galaxy-importer's offline checks on the same tarball, in a venv
    # of its own (tools/galaxy_import.sh); ansible-lint is the lint gate's job. galaxy.yml names no
    # repository yet, which Galaxy requires: the script checks the rest with a stand-in and says so.
    if ! "$REPO/tools/galaxy_import.sh" --no-lint --allow-missing-repository "$tarball"; then
        echo "build: galaxy-importer refused $(basename "$tarball") or found a problem (the galaxy-import: lines above)"
        failed=1
    fi
    local verdict="all documented"
    [[ $failed == 0 ]] || verdict="FAILED: see the build: lines above"
    echo "build: $(basename "$tarball"): ${#names[@]} module(s), ${#roles[@]} role(s), ${#inventories[@]} inventory and ${#filters[@]} filter plugin(s) checked with ansible-doc from the installed artifact: $verdict"
    return "$failed"
}

gate_lint() {
    ansible-lint
}

gate_sanity() {
    VENV=$VENV tools/sanity.sh
}

gate_integration() {
    VENV=$VENV tools/integration.sh
}

gate_matrix() {
    local core failed=0 venv models workers=()
    [[ ${PYTEST_WORKERS:-auto} == 0 ]] || workers=(-n "${PYTEST_WORKERS:-auto}")
    for core in $MATRIX_CORES; do
        venv=$REPO/.lab/venv-core-$core
        echo "matrix: ansible-core $core ($venv)"
        # Each run sources tools/venv.sh afresh with its own venv and ansible-core.
        if ! IPAM_VENV=$venv IPAM_ANSIBLE_CORE=$core ./tools/lab.sh > "$REPO/.lab/matrix-lab-$core.log" 2>&1; then
            echo "matrix: ansible-core $core: tools/lab.sh FAILED (tail of .lab/matrix-lab-$core.log):"
            tail -n 30 "$REPO/.lab/matrix-lab-$core.log"
            failed=1
        else
            echo "matrix: ansible-core $core: tools/lab.sh PASS: $(grep -E 'IPAM compliance|^lab: pwsh:' "$REPO/.lab/matrix-lab-$core.log" | tr -s ' ' | paste -sd ' ' -)"
        fi
        # In pwsh the scenarios go through this release's exec wrapper and Ansible.Basic, which is what
        # differs between releases for the PowerShell half; that costs a minute more than the models, so
        # only MATRIX_PWSH_CORES do it (CI's 90 minutes on a slow day).
        models=1
        if [[ " $MATRIX_PWSH_CORES " == *" $core "* ]]; then
            models=0
        fi
        if ! IPAM_E2E_MODELS_ONLY=$models "$venv/bin/python" -m pytest -p no:cacheprovider -q "${workers[@]}" tests/e2e/test_scenarios.py \
                > "$REPO/.lab/matrix-e2e-$core.log" 2>&1; then
            echo "matrix: ansible-core $core: e2e scenarios FAILED (tail of .lab/matrix-e2e-$core.log):"
            tail -n 30 "$REPO/.lab/matrix-e2e-$core.log"
            failed=1
        else
            echo "matrix: ansible-core $core: e2e scenarios PASS ($([[ $models == 1 ]] && echo "modules' models" || echo 'modules in pwsh')): $(tail -n 1 "$REPO/.lab/matrix-e2e-$core.log")"
        fi
    done
    return "$failed"
}

gate_changelog() {
    antsibull-changelog lint
}

# --- run -----------------------------------------------------------------------------------------
declare -A RESULT TIME
passed=0
failed=0
skipped=0
for gate in "${SELECTED[@]}"; do
    echo
    echo "==> gate $gate: ${GATE_HELP[$gate]}"
    start=$(now)
    rc=0
    # A background subshell keeps `set -e` in force inside the gate (it is off in `cmd || ...`).
    ("gate_$gate") </dev/null &
    wait $! || rc=$?
    TIME[$gate]=$(elapsed "$start")
    if [[ $rc == 0 ]]; then
        RESULT[$gate]=PASS
        passed=$((passed + 1))
    elif [[ $rc == "$GATE_SKIPPED" ]]; then
        RESULT[$gate]=SKIP
        skipped=$((skipped + 1))
    else
        RESULT[$gate]="FAIL (exit $rc)"
        failed=$((failed + 1))
    fi
    echo "<== gate $gate: ${RESULT[$gate]} in ${TIME[$gate]}s"
done

echo
echo "summary:"
for gate in "${SELECTED[@]}"; do
    printf '  %-12s %-16s %7ss\n' "$gate" "${RESULT[$gate]}" "${TIME[$gate]}"
done
if [[ $skipped == 0 ]]; then
    echo "gates: $passed passed, $failed failed"
else
    echo "gates: $passed passed, $failed failed, $skipped skipped"
fi
[[ $failed == 0 ]]
