# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""managed_server_access end to end, its PowerShell run in pwsh: one read, one write, the same end state.

A DHCP server gets its five host-level settings from one task. Check mode reads once and writes
nothing; the real run reads once and writes once; a second run finds everything compliant in one
round trip; state absent takes away what was granted, in two round trips, and leaves the host's
groups, service descriptor, share and firewall rules as they were before. A setting that fails on
the host does not stop the others, and fails the task.
"""
from __future__ import annotations

import copy
import json
import os
import re

import pytest

from e2e.lab_helpers import IPAM_SID, Lab  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True

DHCP_SETTINGS = ['event_log_readers', 'dhcp_users', 'dhcp_service_acl', 'dhcpaudit_share', 'dhcp_firewall']
RESULT = re.compile(r'^ok: \[(?P<host>[^\]]+)\] => (?P<body>\{\n.*?\n\})$', re.M | re.S)
PLAYBOOK = r'''
- name: The host-level settings of a DHCP server in one task
  hosts: dhcp01
  gather_facts: false
  tasks:
    - name: Apply them
      ipam.provisioning.managed_server_access:
        settings: %(settings)s
        principals:
          - CORP\IPAM01$
        state: "{{ wanted | default('present') }}"
      register: applied
      ignore_errors: true

    - name: Show the result
      ansible.builtin.debug:
        msg: "E2E_RESULT {{ applied | to_json }}"
''' % {'settings': json.dumps(DHCP_SETTINGS)}
# What the settings touch on the host: these parts of its state must come back as they were.
DHCP_FOLDER = 'c:\\windows\\system32\\dhcp'
TOUCHED = ('groups', 'services', 'shares', 'firewall_rules')


def run_task(lab: Lab, playbook: str, *args: str) -> tuple[dict, dict]:
    """The task's result and the round trips and writes it cost on dhcp01."""
    before = lab.sim.counters('dhcp01')
    run = lab.run(playbook, *args, wrap=False)
    assert run.proc.returncode == 0, run.output
    after = lab.sim.counters('dhcp01')
    bodies = [json.loads(m['body'])['msg'] for m in RESULT.finditer(run.proc.stdout)]
    found = [b[len('E2E_RESULT '):] for b in bodies if isinstance(b, str) and b.startswith('E2E_RESULT ')]
    assert found, run.output
    return json.loads(found[0]), {k: after[k] - before[k] for k in after}


def touched(lab: Lab) -> dict:
    state = lab.sim.host_state('dhcp01')
    return copy.deepcopy({k: state.get(k) for k in TOUCHED})


@pytest.fixture(scope='module')
def lab_run(tmp_path_factory):
    lab = Lab(str(tmp_path_factory.mktemp('managed_server_access')))
    playbook = os.path.join(lab.work, 'managed_server_access.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        handle.write(PLAYBOOK)
    steps = {'before': touched(lab)}
    steps['check'] = run_task(lab, playbook, '--check')
    steps['after_check'] = touched(lab)
    steps['apply'] = run_task(lab, playbook)
    steps['after_apply'] = touched(lab)
    steps['again'] = run_task(lab, playbook)
    steps['remove'] = run_task(lab, playbook, '-e', 'wanted=absent')
    steps['after_remove'] = touched(lab)
    return lab, playbook, steps


def test_check_mode_reads_once_and_writes_nothing(lab_run):
    _lab, _playbook, steps = lab_run
    result, cost = steps['check']
    assert cost == {'round_trips': 1, 'writes': 0}
    assert result['round_trips'] == 1
    assert [r['item']['id'] for r in result['results']] == DHCP_SETTINGS
    assert all(r['changed'] and not r.get('failed') for r in result['results']), result
    assert steps['after_check'] == steps['before']


def test_a_drifted_host_is_read_once_and_written_once(lab_run):
    _lab, _playbook, steps = lab_run
    result, cost = steps['apply']
    assert cost['round_trips'] == 2 and cost['writes'] > 0, cost
    assert result['round_trips'] == 2 and result['changed'] is True
    assert not result.get('failed'), result
    assert [r['changed'] for r in result['results']] == [True] * len(DHCP_SETTINGS)
    state = steps['after_apply']
    assert 'dhcpaudit' in state['shares']
    assert IPAM_SID in state['services']['DHCPServer']['sddl']


def test_a_compliant_host_costs_one_round_trip(lab_run):
    _lab, _playbook, steps = lab_run
    result, cost = steps['again']
    assert cost == {'round_trips': 1, 'writes': 0}
    assert result['changed'] is False
    assert [r['changed'] for r in result['results']] == [False] * len(DHCP_SETTINGS)


def test_removal_gives_back_the_host_as_it_was(lab_run):
    _lab, _playbook, steps = lab_run
    result, cost = steps['remove']
    assert cost['round_trips'] == 2, cost
    assert not result.get('failed'), result
    assert steps['after_remove'] == steps['before']


def test_a_failing_setting_fails_the_task_and_the_others_still_run(tmp_path):
    lab = Lab(str(tmp_path))
    playbook = os.path.join(lab.work, 'managed_server_access.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        handle.write(PLAYBOOK)
    # The DHCP audit folder is gone: the share cannot be created, everything else can.
    with lab.sim.edit('dhcp01') as ctx:
        ctx.host['paths'] = [p for p in ctx.host['paths'] if not p.lower().startswith(DHCP_FOLDER)]
    result, _cost = run_task(lab, playbook)
    assert result['failed'] is True
    by_id = {r['item']['id']: r for r in result['results']}
    assert by_id['dhcpaudit_share']['failed'] is True
    assert by_id['dhcpaudit_share']['msg'].startswith('dhcpaudit_share: ')
    assert '1 of 5 settings failed' in result['msg']
    assert all(by_id[s]['changed'] and not by_id[s].get('failed') for s in DHCP_SETTINGS if s != 'dhcpaudit_share')
