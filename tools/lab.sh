#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# The demo: provision the simulated lab with playbooks/provision.yml, then audit it in check mode
# and write the compliance report. Needs Linux, bash, git, Python 3.11 to 3.13 and pwsh 7.6.10
# (installed when missing: see tools/venv.sh).
#
#   ./tools/lab.sh            fresh lab over the fake WinRM endpoint (real winrm plugin + pywinrm);
#                             the modules with fakes for every Windows call run for real in pwsh
#   ./tools/lab.sh --winsim   the same through the in-process winsim connection, every module
#                             answered by its Python model (no pwsh; the fast path of the unit tests)
#   ./tools/lab.sh --keep     keep the lab state of the previous run (shows an idempotent re-run)
#
# Lab state: .lab/state (inspect with: PYTHONPATH=tests/simulator .venv/bin/python -m winsim show dhcp01)
# Reports:   .lab/reports/ipam-compliance.{html,json,junit.xml} (the audit); .lab/reports/provision/ (the provisioning run)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
# shellcheck source=tools/venv.sh
source "$REPO/tools/venv.sh"

WINRM=1
KEEP=0
for arg in "$@"; do
    case $arg in
        --winrm) WINRM=1 ;;
        --winsim) WINRM=0 ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '5,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "lab.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

ensure_venv
if [[ $WINRM == 1 ]]; then
    ensure_pwsh
    if [[ -z $PWSH ]]; then
        echo "lab.sh: $PWSH_MISSING" >&2
        echo "lab.sh: install it (dotnet tool install --global PowerShell --version $PWSH_VERSION), or run ./tools/lab.sh --winsim" >&2
        exit 2
    fi
fi
export ANSIBLE_CONFIG=$REPO/ansible.cfg
export WINSIM_STATE_DIR=$REPO/.lab/state
REPORTS=$REPO/.lab/reports
if [[ $KEEP == 0 ]]; then
    rm -rf "$WINSIM_STATE_DIR" "$REPORTS"
fi
mkdir -p "$WINSIM_STATE_DIR" "$REPORTS"

extra=()
endpoint_pid=
stop_endpoint() {
    if [[ -n $endpoint_pid ]]; then
        kill "$endpoint_pid" 2>/dev/null || true
        wait "$endpoint_pid" 2>/dev/null || true
        # What ran for real: the endpoint's closing line counts the modules run in pwsh.
        grep '^pwsh:' "$REPO/.lab/winrm-endpoint.log" | sed 's/^/lab: /' || true
    fi
}
trap stop_endpoint EXIT
if [[ $WINRM == 1 ]]; then
    # The endpoint seeds the lab from the inventory and listens on each host's 127.0.0.x address.
    log=$REPO/.lab/winrm-endpoint.log
    "$PY" tests/simulator/winrm_endpoint.py --inventory inventory/lab --state-dir "$WINSIM_STATE_DIR" \
        --port 0 --user lab --password lab-password --pwsh > "$log" 2>&1 &
    endpoint_pid=$!
    for _attempt in $(seq 100); do
        grep -q '^listening' "$log" && break
        sleep 0.1
    done
    if ! grep -q '^listening' "$log"; then
        echo "lab.sh: the WinRM endpoint did not start:" >&2
        cat "$log" >&2
        exit 1
    fi
    read -r _word port _addrs < <(grep '^listening' "$log")
    echo "lab: fake WinRM endpoint on port $port (pid $endpoint_pid), modules in pwsh where faked"
    extra=(-e ansible_connection=winrm -e "ansible_port=$port" -e ansible_winrm_transport=basic
           -e ansible_winrm_scheme=http -e ansible_user=lab -e ansible_password=lab-password)
fi

echo "lab: provisioning the simulated fleet with playbooks/provision.yml"
ansible-playbook playbooks/provision.yml "${extra[@]}" -e "ipam_report_dir=$REPORTS/provision"

echo "lab: auditing in check mode with playbooks/audit.yml (no writes)"
ansible-playbook playbooks/audit.yml --diff "${extra[@]}" -e "ipam_report_dir=$REPORTS"

echo
echo "lab: compliance report: $REPORTS/ipam-compliance.html"
echo "lab: (JSON: $REPORTS/ipam-compliance.json, JUnit: $REPORTS/ipam-compliance.junit.xml)"
