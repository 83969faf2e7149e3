# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_defaults with the action group of meta/runtime.yml, end to end against the simulated lab.

``group/ipam.provisioning.access`` sets ``principals`` once for every module that takes them; the
real ansible-playbook resolves the group from meta/runtime.yml, the action plugins receive the
principals, and the simulated host shows them where the module put them. The ansible.windows-style
aliases ``name`` (the group) and ``members`` (the principals) are used in the same play.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from e2e.lab_helpers import IPAM_SID, Lab  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True

REMOTE_MANAGEMENT_USERS = 'S-1-5-32-580'
# The debug task's "ok: [dhcp01] => {...}" block (the default callback prints the result as JSON).
RESULT = re.compile(r'^ok: \[(?P<host>[^\]]+)\] => (?P<body>\{\n.*?\n\})$', re.M | re.S)
SVC_VMM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1106'   # CORP\svc-vmm
PLAYBOOK = r'''
- name: Principals set once for the access modules
  hosts: dhcp01
  gather_facts: false
  module_defaults:
    group/ipam.provisioning.access:
      principals:
        - CORP\IPAM01$
  tasks:
    - name: group_membership with the group as `name` and no principals of its own
      ipam.provisioning.group_membership:
        name: remote_management_users
      register: by_default

    - name: dhcp_users_membership takes them too (check mode, nothing written)
      ipam.provisioning.dhcp_users_membership: {}
      check_mode: true
      register: dhcp_check

    - name: A task's own `members` win over the group's principals
      ipam.provisioning.group_membership:
        group: remote_management_users
        members:
          - CORP\svc-vmm
      register: own_members

    - name: Show the results
      ansible.builtin.debug:
        msg: "E2E_RESULT {{ {'by_default': by_default, 'dhcp_check': dhcp_check, 'own_members': own_members} | to_json }}"
'''


def test_module_defaults_group_sets_principals_for_every_access_module(tmp_path):
    lab = Lab(str(tmp_path))
    playbook = os.path.join(lab.work, 'module_defaults.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        handle.write(PLAYBOOK)
    dhcp_users_before = next(g for g in lab.sim.host_state('dhcp01')['groups'].values() if g['name'] == 'DHCP Users')

    run = lab.run(playbook, wrap=False)

    assert run.proc.returncode == 0, run.output
    bodies = [json.loads(m['body'])['msg'] for m in RESULT.finditer(run.proc.stdout)]
    found = [b[len('E2E_RESULT '):] for b in bodies if isinstance(b, str) and b.startswith('E2E_RESULT ')]
    assert found, run.output
    result = json.loads(found[0])

    # The principals of module_defaults reached group_membership (group given as `name`) ...
    assert result['by_default']['changed'] is True
    assert [p['sid'] for p in result['by_default']['principals']] == [IPAM_SID]
    assert result['by_default']['group']['sid'] == REMOTE_MANAGEMENT_USERS
    # ... and dhcp_users_membership, which plans to add them in check mode and writes nothing.
    assert [p['sid'] for p in result['dhcp_check']['principals']] == [IPAM_SID]
    assert [m['sid'] for m in result['dhcp_check']['added']] == [IPAM_SID]
    # A task's own `members` replace the group's principals for that task.
    assert [p['sid'] for p in result['own_members']['principals']] == [SVC_VMM_SID]

    state = lab.sim.host_state('dhcp01')
    assert set(state['groups'][REMOTE_MANAGEMENT_USERS]['members']) >= {IPAM_SID, SVC_VMM_SID}
    dhcp_users = next(g for g in state['groups'].values() if g['name'] == 'DHCP Users')
    assert dhcp_users['members'] == dhcp_users_before['members']
