# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_access_status import ActionModule
from harness import RemoteScript, run_action

DC01 = 'dc01.corp.example.com'
DHCP01 = 'dhcp01.corp.example.com'
NPS01 = 'nps01.corp.example.com'


def server(name, roles, manageability='Managed', overall='Unblocked', **statuses):
    entry = {'name': name, 'exists': True, 'server_types': roles, 'manageability': manageability, 'overall': overall,
             'dhcp_rpc': 'Not applicable', 'dns_rpc': 'Not applicable', 'dhcp_audit_share': 'Not applicable',
             'event_log': 'Unblocked', 'recommended_action': '', 'domain': 'corp.example.com'}
    entry.update(statuses)
    return entry


def reply(*servers, task_state='Ready'):
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'servers': list(servers),
            'discovery_task': {'name': 'ServerDiscovery', 'exists': True, 'enabled': True, 'state': task_state,
                               'last_run_time': '2026-11-21T10:00:00Z', 'last_task_result': 0}}


class Polls:
    """Scripted reads, one reply per poll (the last one repeats)."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.calls = []

    def __call__(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        self.calls.append(dict(module_args))
        assert module_args == {'mode': 'read'}, 'a read-only module sent %r' % module_args
        return self.replies[min(len(self.calls), len(self.replies)) - 1]


BLOCKED_DHCP = server(DHCP01, ['DHCP'], overall='Blocked', dhcp_rpc='Unblocked', dhcp_audit_share='Blocked',
                      recommended_action='Unblock IPAM Access')
ARGS = {'delay': 0}


def test_reports_every_managed_server_per_access_type():
    remote = RemoteScript(reply(server(DC01, ['DC', 'DNS'], dns_rpc='Unblocked'), BLOCKED_DHCP,
                                server(NPS01, ['NPS'], manageability='Unmanaged', overall='NotChecked')))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert [s['name'] for s in result['servers']] == [DC01, DHCP01]   # Unmanaged ones are not reported by default
    dhcp = result['servers'][1]
    assert dhcp == {'name': DHCP01, 'server_types': ['dhcp'], 'manageability': 'managed', 'overall': 'Blocked',
                    'dhcp_rpc': 'Unblocked', 'dns_rpc': 'Not applicable', 'dhcp_audit_share': 'Blocked',
                    'event_log': 'Unblocked', 'recommended_action': 'Unblock IPAM Access'}
    assert result['blocked'] == [{'server': DHCP01, 'access_type': 'dhcp_audit_share'}]
    assert result['all_unblocked'] is False and result['polls'] == 1


def test_polls_until_discovery_finished_and_statuses_are_checked():
    waiting = reply(server(DC01, ['DC'], overall='Not checked', event_log='Not checked'), task_state='Running')
    still = reply(server(DC01, ['DC'], overall='Unblocked'), task_state='Running')   # old status, task not done
    done = reply(server(DC01, ['DC'], overall='Unblocked'))
    remote = Polls(waiting, still, done)
    result = run_action(ActionModule, {'delay': 0, 'retries': 5}, remote)
    assert len(remote.calls) == 3 and result['polls'] == 3
    assert result['all_unblocked'] is True and result['blocked'] == []


def test_polling_is_bounded_by_retries():
    remote = Polls(reply(server(DC01, ['DC'], overall='NotChecked'), task_state='Running'))
    with pytest.raises(AnsibleActionFail, match=r'not finished checking access after 3 read\(s\).*ServerDiscovery task '
                                                r'is still running.*dc01.corp.example.com still show Not checked'):
        run_action(ActionModule, {'delay': 0, 'retries': 2}, remote)
    assert len(remote.calls) == 3


def test_sleeps_delay_between_polls(monkeypatch):
    slept = []
    monkeypatch.setattr('ansible_collections.ipam.provisioning.plugins.action.ipam_access_status.time.sleep', slept.append)
    remote = Polls(reply(server(DC01, ['DC'], overall='Not checked')), reply(server(DC01, ['DC'])))
    run_action(ActionModule, {'delay': 7}, remote)
    assert slept == [7]


def test_each_wait_is_printed_as_it_happens(monkeypatch):
    printed = []
    monkeypatch.setattr('ansible_collections.ipam.provisioning.plugins.action.ipam_access_status.display.display',
                        lambda text, *a, **k: printed.append(text))
    waiting = reply(server(DC01, ['DC'], overall='Not checked', event_log='Not checked'), task_state='Running')
    remote = Polls(waiting, reply(server(DC01, ['DC'], overall='Unblocked')))
    run_action(ActionModule, {'delay': 0, 'retries': 4}, remote)
    assert len(printed) == 1 and 'read 1 of 5' in printed[0]
    assert 'ServerDiscovery task is still running' in printed[0] and DC01 + ' still show Not checked' in printed[0]


def test_requested_servers_in_order_and_case_insensitive():
    remote = RemoteScript(reply(server(DC01, ['DC']), BLOCKED_DHCP))
    result = run_action(ActionModule, {'delay': 0, 'servers': [DHCP01.upper(), DC01, DC01]}, remote)
    assert [s['name'] for s in result['servers']] == [DHCP01, DC01]


def test_unknown_server_fails_clearly_after_one_read():
    remote = RemoteScript(reply(server(DC01, ['DC'])))
    with pytest.raises(AnsibleActionFail, match='not in the IPAM server inventory: web01.corp.example.com'):
        run_action(ActionModule, {'delay': 0, 'servers': [DC01, 'web01.corp.example.com']}, remote)
    assert remote.modes == ['read']


def test_unmanaged_server_fails_because_ipam_does_not_check_it():
    remote = RemoteScript(reply(server(NPS01, ['NPS'], manageability='Unmanaged', overall='Not checked')))
    with pytest.raises(AnsibleActionFail, match='nps01.corp.example.com is Unmanaged in IPAM'):
        run_action(ActionModule, {'delay': 0, 'servers': [NPS01]}, remote)


def test_fail_on_blocked_lists_server_and_access_type_and_keeps_the_report():
    remote = RemoteScript(reply(server(DC01, ['DC']), BLOCKED_DHCP))
    with pytest.raises(AnsibleActionFail, match=r'Blocked for dhcp01.corp.example.com \(dhcp_audit_share\)') as info:
        run_action(ActionModule, {'delay': 0, 'fail_on_blocked': True}, remote)
    assert info.value.result['blocked'] == [{'server': DHCP01, 'access_type': 'dhcp_audit_share'}]
    assert len(info.value.result['servers']) == 2


def test_no_managed_server_is_a_warning_not_a_failure():
    result = run_action(ActionModule, ARGS, RemoteScript(reply()))
    assert result['servers'] == [] and 'manages no server' in result['warnings'][0]


def test_check_mode_is_the_same_read():
    remote = RemoteScript(reply(server(DC01, ['DC'])))
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert result['changed'] is False and remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({'retries': -1}, 'retries must not be negative'),
    ({'delay': -5}, 'delay must not be negative'),
    ({'servers': []}, 'must not be empty'),
    ({'servers': ['dc01']}, "fully qualified DNS name.*not 'dc01'"),
    ({'retries': 'many'}, 'retries'),
    ({'refresh': True}, 'refresh'),
])
def test_bad_input_fails_before_connecting(args, message):
    remote = RemoteScript(reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_feature_missing_is_reported():
    failure = {'failed': True, 'error': 'not_found', 'msg': 'the IPAM Server feature is not installed on this host: x'}
    with pytest.raises(AnsibleActionFail, match='IPAM Server feature is not installed'):
        run_action(ActionModule, ARGS, RemoteScript(failure))
