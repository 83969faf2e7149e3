# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_server_task, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_server_task import TASK_NAMES
from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import ipam_server as model

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_server_task'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('dhcp01', {'kind': 'member', 'roles': ['DHCP']}, DOMAIN)
    return simulator


def call(sim, args, check_mode=False):
    return sim.run_module('ipam01', MODULE, args, check_mode=check_mode)


def run(sim, args, check_mode=False):
    return run_action(sim, 'ipam01', 'ipam_server_task', args, check_mode=check_mode, diff=False)


def test_read_reports_each_task_and_the_token(sim):
    result = call(sim, {'mode': 'read', 'names': ['serverdiscovery', 'Backup']})
    discovery, missing = result['tasks']
    assert discovery == {'name': 'ServerDiscovery', 'path': '\\Microsoft\\Windows\\IPAM\\', 'exists': True, 'enabled': True,
                         'state': 'Ready', 'last_run_time': None, 'last_task_result': model.TASK_RESULT_NEVER_RUN}
    assert missing['exists'] is False and missing['name'] == 'Backup'
    assert result['token'] == 'Backup=missing;ServerDiscovery=enabled'


def test_start_records_the_run_and_a_stale_token_fails(sim):
    token = call(sim, {'mode': 'read', 'names': ['Audit']})['token']
    result = call(sim, {'mode': 'apply', 'names': ['Audit'], 'start': ['Audit'], 'token': token})
    assert result['changed'] is True and result['tasks'][0]['last_task_result'] == 0
    assert result['tasks'][0]['last_run_time'].endswith('Z')
    assert sim.counters('ipam01')['writes'] == 1
    stale = call(sim, {'mode': 'apply', 'names': ['Audit'], 'start': ['Audit'], 'token': 'Audit=disabled'})
    assert stale['failed'] and stale['error'] == 'changed_since_read'


def test_disabled_task_cannot_start(sim):
    with sim.edit('ipam01') as ctx:
        model.ipam_state(ctx)['tasks']['Audit']['enabled'] = False
    result = call(sim, {'mode': 'apply', 'names': ['Audit'], 'start': ['Audit'], 'token': 'Audit=disabled'})
    assert result['failed'] and 'The task is disabled' in result['msg'] and result['error'] == 'invalid_state'
    assert call(sim, {'mode': 'read', 'names': ['Audit']})['tasks'][0]['state'] == 'Disabled'


def test_check_mode_apply_starts_nothing(sim):
    result = call(sim, {'mode': 'apply', 'names': ['Audit'], 'start': ['Audit'], 'token': 'Audit=enabled'}, check_mode=True)
    assert result['changed'] is True and result['tasks'][0]['last_run_time'] is None
    assert sim.counters('ipam01')['writes'] == 0


def test_a_host_without_the_ipam_feature_says_so(sim):
    result = sim.run_module('dhcp01', MODULE, {'mode': 'read', 'names': ['ServerDiscovery']})
    assert result['failed'] and 'IPAM Server feature is not installed' in result['msg']


def test_through_the_action_plugin(sim):
    check = run(sim, {'retrieve_all': True}, check_mode=True)
    assert check['changed'] is True and check['started'] == list(TASK_NAMES)
    assert sim.counters('ipam01')['writes'] == 0
    result = run(sim, {'retrieve_all': True})
    assert result['started'] == list(TASK_NAMES)
    by_name = {t['name']: t for t in result['tasks']}
    assert by_name['ServerDiscovery']['state'] == 'Running'   # refreshing access status
    assert by_name['Audit']['state'] == 'Ready' and by_name['Audit']['last_task_result'] == 0
    again = run(sim, {'tasks': ['ServerDiscovery', 'Audit']})
    assert again['already_running'] == ['ServerDiscovery'] and again['started'] == ['Audit']


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_server_task']})
    before = sim.counters('ipam01')
    # Someone disabled the task between read and apply: the apply is refused (nothing started), and the
    # plan made from the second read refuses the disabled task.
    with pytest.raises(AnsibleActionFail, match='Audit are disabled'):
        run(sim, {'tasks': ['Audit']})
    after = sim.counters('ipam01')
    assert after['round_trips'] - before['round_trips'] == 3
    assert after['writes'] == before['writes']


def test_a_refused_start_is_access_denied_in_any_language(sim):
    # Task Scheduler's refusal is a CimException with the id 'HRESULT 0x80070005,Start-ScheduledTask'
    # and Windows' localized text ('Zugriff verweigert' here): the id says access denied.
    sim.seed_host('ipam02', {'kind': 'member', 'roles': ['IPAM'], 'language': 'de-DE'}, DOMAIN)
    sim.set_faults('ipam02', {'access_denied': 'write'})
    result = sim.run_module('ipam02', MODULE, {'mode': 'apply', 'names': ['Audit'], 'start': ['Audit'],
                                               'token': 'Audit=enabled'})
    assert result['failed'] and result['error'] == 'access_denied'
    assert result['msg'] == 'Access is denied: Start-ScheduledTask \\Microsoft\\Windows\\IPAM\\Audit.'
    assert sim.host_state('ipam02')['ipam']['tasks']['Audit']['runs'] == 0
