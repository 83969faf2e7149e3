# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_server_task import TASK_NAMES, ActionModule
from harness import RemoteScript, run_action

PATH = '\\Microsoft\\Windows\\IPAM\\'


def task(name, state='Ready', exists=True):
    return {'name': name, 'path': PATH, 'exists': exists, 'enabled': state != 'Disabled' and exists, 'state': state,
            'last_run_time': None, 'last_task_result': 267011}


def read_reply(*tasks):
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'tasks': list(tasks), 'token': 'tok'}


def apply_echo(args):
    return {'changed': True, 'tasks': [dict(task(n, 'Running' if n in args['start'] else 'Ready'),
                                            last_run_time='2026-11-21T10:00:00Z') for n in args['names']]}


def test_starts_server_discovery():
    remote = RemoteScript(read_reply(task('ServerDiscovery')), apply_echo)
    result = run_action(ActionModule, {'tasks': ['serverdiscovery']}, remote, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0]['names'] == ['ServerDiscovery']   # canonical spelling
    assert remote.calls[1]['start'] == ['ServerDiscovery'] and remote.calls[1]['token'] == 'tok'
    assert result['started'] == ['ServerDiscovery'] and result['already_running'] == []
    assert result['tasks'][0]['state'] == 'Running' and result['tasks'][0]['last_run_time'] == '2026-11-21T10:00:00Z'
    assert result['diff'] == {'before': {'tasks': {'ServerDiscovery': 'Ready'}},
                              'after': {'tasks': {'ServerDiscovery': 'Running'}}}


def test_retrieve_all_starts_every_ipam_task():
    remote = RemoteScript(read_reply(*[task(n) for n in TASK_NAMES]), apply_echo)
    result = run_action(ActionModule, {'retrieve_all': True}, remote)
    assert remote.calls[0]['names'] == list(TASK_NAMES)
    assert result['started'] == list(TASK_NAMES)
    assert len(TASK_NAMES) == 7


def test_check_mode_reports_what_would_start_and_starts_nothing():
    remote = RemoteScript(read_reply(task('Audit'), task('AddressUtilization')))
    result = run_action(ActionModule, {'tasks': ['Audit', 'AddressUtilization', 'audit']}, remote, check_mode=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert result['started'] == ['Audit', 'AddressUtilization']


def test_a_running_task_is_not_started_again():
    remote = RemoteScript(read_reply(task('ServerDiscovery', 'Running'), task('Audit')), apply_echo)
    result = run_action(ActionModule, {'tasks': ['ServerDiscovery', 'Audit']}, remote)
    assert remote.calls[1]['start'] == ['Audit']
    assert result['already_running'] == ['ServerDiscovery']
    only_running = RemoteScript(read_reply(task('ServerDiscovery', 'Running')))
    result = run_action(ActionModule, {'tasks': ['ServerDiscovery']}, only_running)
    assert result['changed'] is False and only_running.modes == ['read']


def test_missing_task_fails_after_the_read():
    remote = RemoteScript(read_reply(task('ServerDiscovery', exists=False)))
    with pytest.raises(AnsibleActionFail, match=r'no scheduled task ServerDiscovery under .*IPAM.*provisioned'):
        run_action(ActionModule, {'tasks': ['ServerDiscovery']}, remote)
    assert remote.modes == ['read']


def test_disabled_task_fails_naming_it():
    remote = RemoteScript(read_reply(task('Audit'), task('ServerAvailability', 'Disabled')))
    with pytest.raises(AnsibleActionFail, match='ServerAvailability are disabled.*Nothing was started'):
        run_action(ActionModule, {'tasks': ['Audit', 'ServerAvailability']}, remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({'tasks': ['ServerDiscovery', 'Backup']}, "unknown IPAM task.*'Backup'.*ServerDiscovery"),
    ({'tasks': ['ServerDiscovery'], 'retrieve_all': True}, 'mutually exclusive'),
    ({}, 'retrieve_all: true'),
    ({'tasks': []}, 'retrieve_all: true'),
    ({'tasks': ['Audit'], 'start': ['Audit']}, 'start'),   # internal protocol option
])
def test_bad_input_fails_before_connecting(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': 'The IPAM scheduled tasks Audit changed between read and apply; nothing was written.'}
    remote = RemoteScript(read_reply(task('Audit')), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'tasks': ['Audit']}, remote)
    assert info.value.code == 'changed_since_read'
