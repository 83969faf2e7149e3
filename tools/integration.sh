#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# ansible-test windows-integration for the integration targets, against the simulated lab served
# by the fake WinRM endpoint, offline and without Windows, Docker or pwsh:
#
#   tools/integration.sh [TARGET ...]       every target when none is named
#
# 1. Copy the collection to <tmp>/ansible_collections/ipam/provisioning (tools/collection_copy.sh).
# 2. Start tests/simulator/winrm_endpoint.py on a free port with a fresh simulator state directory:
#    one listener per lab host on its 127.0.0.x address, basic auth with a generated password.
# 3. Write the inventory ansible-test reads (tools/integration_inventory.py): the lab's hosts in
#    [windows] with ansible_connection=winrm, its groups and variables, winsim_lab=true,
#    winsim_state_dir and winsim_repo (the copy). Write a lab-only
#    tests/integration/windows-integration.cfg in the copy: the targets' simulator-only checks use
#    the test lookup winsim_counters (tests/simulator/lookup_plugins).
# 4. Run `ansible-test windows-integration --inventory <it> --local --python <venv's> <target>` once per
#    target, in ansible-test's order, one after another against the same simulated hosts (like a
#    real estate: a target must leave the hosts as it found them). --local: nothing is installed,
#    the controller is this venv (it has pywinrm); --venv would pip-install pywinrm from an index.
#    A target runs against every host of [windows] (ansible-test's play is always `hosts: windows`),
#    unless its aliases file has the line `winsim/limit`: then the inventory holds only the hosts its
#    winsim_limit file selects (see tests/integration/README.md).
# 5. Print PASS/FAIL and the time per target (failures with their failed tasks and the tail of the
#    output); every target's full output is kept in tests/output/integration/<target>.log.
# The endpoint is stopped on every exit (trap). Exit status 1 when a target failed, 2 on a setup error.
#
# Environment: VENV (default <repo>/.venv), INTEGRATION_KEEP=1 keeps the copy and the endpoint's
# state (path printed), INTEGRATION_TARGET_TIMEOUT seconds per target (default 900).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$REPO/.venv}
PY=$VENV/bin/python
TARGET_TIMEOUT=${INTEGRATION_TARGET_TIMEOUT:-900}
LOG_DIR=$REPO/tests/output/integration
cd "$REPO"

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "integration: $*"; }

# --- cleanup: the endpoint always goes -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ipam-integration.XXXXXX")
ENDPOINT_PID=
stop_endpoint() {
    [[ -n $ENDPOINT_PID ]] || return 0
    if kill -0 "$ENDPOINT_PID" 2>/dev/null; then
        kill -TERM "$ENDPOINT_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$ENDPOINT_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$ENDPOINT_PID" 2>/dev/null; then
            say "endpoint (pid $ENDPOINT_PID) ignored SIGTERM; killing it"
            kill -KILL "$ENDPOINT_PID" 2>/dev/null || true
        fi
    fi
    wait "$ENDPOINT_PID" 2>/dev/null || true
    ENDPOINT_PID=
    # What ran for real: the endpoint's closing line counts the commands run in pwsh.
    grep '^pwsh:' "$WORK/endpoint.out" 2>/dev/null | sed 's/^/integration: /' || true
}
CHILD=
stop_child() {  # the running ansible-test, started as the leader of its own process group
    [[ -n $CHILD ]] || return 0
    kill -TERM -- "-$CHILD" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 -- "-$CHILD" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL -- "-$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
    CHILD=
}
cleanup() {
    stop_child
    stop_endpoint
    if [[ ${INTEGRATION_KEEP:-0} == 1 ]]; then
        say "copy, inventory and simulator state kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the copy ---------------------------------------------------------------------------------
DEST=$(tools/collection_copy.sh "$WORK")
# Hosts the integration lab adds to inventory/lab (a read-only DC): read with it as one inventory.
LAB_OVERLAY=$DEST/tests/integration/lab_overlay.yml
TARGETS_DIR=$DEST/tests/integration/targets

# Every target directory with tasks/main.yml, and what ansible-test windows-integration selects.
mapfile -t DIRS < <(cd "$TARGETS_DIR" 2>/dev/null && for d in */tasks/main.yml; do [[ -e $d ]] && echo "${d%%/*}"; done | sort)
if [[ ${#DIRS[@]} -eq 0 ]]; then
    say "no tests/integration/targets/*/tasks/main.yml" >&2
    exit 2
fi
# The controller Python is the venv's (tools/venv.sh accepts 3.11 to 3.13).
PYV=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ansible_test() {
    (cd "$DEST" && PATH="$VENV/bin:$PATH" "$VENV/bin/ansible-test" windows-integration --color no "$@")
}
# --inventory must name an existing file even for --list-targets.
: > "$WORK/empty.winrm"
mapfile -t SELECTED < <(ansible_test --inventory "$WORK/empty.winrm" --local --python "$PYV" --list-targets "$@")
TARGETS=()
MISSING=()
for d in "${DIRS[@]}"; do
    if [[ " ${SELECTED[*]} " == *" $d "* ]]; then
        TARGETS+=("$d")
    elif [[ $# -eq 0 ]]; then
        MISSING+=("$d")  # a target directory ansible-test would not run: say so, count it failed
    fi
done
for s in "${SELECTED[@]}"; do
    [[ " ${DIRS[*]} " == *" $s "* ]] || TARGETS+=("$s")  # e.g. a target without tasks/main.yml
done
if [[ ${#TARGETS[@]} -eq 0 && ${#MISSING[@]} -eq 0 ]]; then
    say "no target selected (${*:-all})" >&2
    exit 2
fi

# --- 2. the endpoint -----------------------------------------------------------------------------
STATE=$WORK/state
USER_NAME=lab-admin
PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')
start=$(now)
# The modules that have fakes for every Windows call run for real in pwsh (--pwsh); pwsh comes from
# tools/venv.sh's ensure_pwsh (tools/test.sh), or PATH when run alone.
PWSH_FLAG=()
if [[ -n ${PWSH:-} ]] || command -v pwsh >/dev/null 2>&1 || [[ -x $HOME/.dotnet/tools/pwsh ]]; then
    PWSH_FLAG=(--pwsh)
elif [[ -n ${CI:-} ]]; then
    say "pwsh is not installed: CI must run the modules for real"
    exit 2
else
    say "pwsh is not installed: every module is answered by its Python model"
fi
"$PY" "$DEST/tests/simulator/winrm_endpoint.py" --inventory "$DEST/inventory/lab/hosts.yml" \
    --inventory "$LAB_OVERLAY" --state-dir "$STATE" \
    --port 0 --user "$USER_NAME" --password="$PASSWORD" "${PWSH_FLAG[@]}" > "$WORK/endpoint.out" 2> "$WORK/endpoint.log" < /dev/null &
ENDPOINT_PID=$!
line=
for _ in $(seq 600); do  # 120 s: seeding runs ansible-inventory once
    line=$(head -n 1 "$WORK/endpoint.out" 2>/dev/null || true)
    [[ $line == listening\ * ]] && break
    kill -0 "$ENDPOINT_PID" 2>/dev/null || break
    sleep 0.2
done
if [[ $line != listening\ * ]]; then
    say "the WinRM endpoint did not start:" >&2
    tail -n 30 "$WORK/endpoint.log" >&2 || true
    exit 2
fi
read -r _ PORT ADDRESSES <<< "$line"
say "endpoint pid $ENDPOINT_PID on port $PORT of $ADDRESSES (started in $(elapsed "$start")s)"

# --- 3. inventories and the lab's ansible-test configuration -------------------------------------
inventory_for() {  # inventory_for FILE [PATTERN]
    local args=(--lab "$DEST/inventory/lab" --lab "$LAB_OVERLAY" --port "$PORT" --user "$USER_NAME" --password="$PASSWORD"
                --state-dir "$STATE" --repo "$DEST" --output "$1")
    [[ -n ${2:-} ]] && args+=(--limit "$2")
    (cd "$WORK" && "$PY" "$DEST/tools/integration_inventory.py" "${args[@]}")
}
inventory_for "$WORK/inventory.winrm"
HOSTS=$(awk '/^\[windows\]$/ { on = 1; next } /^\[/ { on = 0 } on && NF && !/^#/ { n++ } END { print n + 0 }' "$WORK/inventory.winrm")

CFG=$DEST/tests/integration/windows-integration.cfg
if [[ -e $CFG ]]; then
    say "tests/integration/windows-integration.cfg exists in the repository; tools/integration.sh" \
        "would have to merge its lab settings (lookup_plugins, forks) into it: extend this script" >&2
    exit 2
fi
cat > "$CFG" <<EOF
# Written by tools/integration.sh into its copy only (not part of the repository).
[defaults]
lookup_plugins = $DEST/tests/simulator/lookup_plugins
forks = $(( HOSTS > 5 ? HOSTS : 5 ))
EOF

limit_of() {  # the host pattern of a target that opts in with the alias winsim/limit, else nothing
    local dir=$TARGETS_DIR/$1
    grep -qxE '[[:space:]]*winsim/limit[[:space:]]*' "$dir/aliases" 2>/dev/null || return 0
    if [[ ! -f $dir/winsim_limit ]]; then
        echo "windows"
        return 0
    fi
    grep -vE '^[[:space:]]*(#|$)' "$dir/winsim_limit" | head -n 1 | tr -d '[:space:]'
}

failed_tasks() {  # the TASK headers and failure lines of failed tasks that were not ignored
    awk '
        function flush() { if (n && !ignored) printf "%s\n%s\n", header, buf; n = 0; buf = ""; ignored = 0 }
        /^TASK \[/ || /^PLAY RECAP/ { flush(); header = $0; next }
        /^\.\.\.ignoring/ { ignored = 1; next }
        n || /^(fatal|failed): / { if (n < 25) buf = buf $0 "\n"; n++ }
        END { flush() }
    ' "$1"
}

# --- 4. the targets ------------------------------------------------------------------------------
mkdir -p "$LOG_DIR"
declare -A RESULT TIME
passed=0
failed=0
gate_start=$(now)
say "${#TARGETS[@]} target(s), $HOSTS host(s) in [windows]: ${TARGETS[*]}"
for target in "${TARGETS[@]}"; do
    inventory=$WORK/inventory.winrm
    limit=$(limit_of "$target")
    note=
    if [[ -n $limit && $limit != windows ]]; then
        inventory=$WORK/inventory.$target.winrm
        if ! inventory_for "$inventory" "$limit" 2> "$WORK/limit.err"; then
            cat "$WORK/limit.err"
            RESULT[$target]="FAIL (winsim_limit)"; TIME[$target]=0.0; failed=$((failed + 1))
            continue
        fi
        note=" (limited to $limit)"
    fi
    log=$LOG_DIR/$target.log
    echo
    say "==> $target$note"
    start=$(now)
    rc=0
    # In its own process group (setsid keeps the pid), so a timeout or the trap can end all of it.
    (cd "$DEST" && exec setsid env PATH="$VENV/bin:$PATH" "$VENV/bin/ansible-test" windows-integration --color no \
        --inventory "$inventory" --local --python "$PYV" "$target") > "$log" 2>&1 < /dev/null &
    CHILD=$!
    deadline=$(( EPOCHSECONDS + TARGET_TIMEOUT ))
    while kill -0 "$CHILD" 2>/dev/null && (( EPOCHSECONDS < deadline )); do sleep 0.5; done
    if kill -0 "$CHILD" 2>/dev/null; then
        echo "integration: timed out after ${TARGET_TIMEOUT}s" >> "$log"
        stop_child
        rc=124
    else
        wait "$CHILD" || rc=$?
        CHILD=
    fi
    TIME[$target]=$(elapsed "$start")
    bad_recap=$(awk '/^PLAY RECAP/ { on = 1; next } on && /(failed|unreachable)=[1-9]/' "$log")
    if [[ $rc == 0 && -z $bad_recap ]] && grep -q '^PLAY RECAP' "$log"; then
        RESULT[$target]=PASS
        passed=$((passed + 1))
    else
        RESULT[$target]="FAIL (exit $rc)"
        failed=$((failed + 1))
        echo "--- $target: failed tasks (not ignored)"
        failed_tasks "$log" | head -n 150
        echo "--- $target: play recap"
        awk '/^PLAY RECAP/ { on = 1 } on && NF' "$log" | head -n 20
        echo "--- $target: last 40 lines of $log"
        tail -n 40 "$log"
    fi
    say "<== $target: ${RESULT[$target]} in ${TIME[$target]}s (log: ${log#"$REPO"/})"
done
for target in "${MISSING[@]}"; do
    RESULT[$target]="FAIL (not selected by ansible-test; aliases?)"
    TIME[$target]=0.0
    failed=$((failed + 1))
done

echo
say "results (ansible-test windows-integration --local --python $PYV, fake WinRM endpoint):"
for target in "${TARGETS[@]}" "${MISSING[@]}"; do
    printf '  %-28s %-20s %7ss\n' "$target" "${RESULT[$target]}" "${TIME[$target]}"
done
say "targets: $passed passed, $failed failed in $(elapsed "$gate_start")s"
[[ $failed == 0 ]]
