# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_utilization_threshold import ActionModule
from harness import RemoteScript, run_action


def read_reply(under=20, over=80):
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'under_utilization': under,
            'over_utilization': over, 'token': '%d/%d' % (under, over)}


def apply_echo(args):
    under = args.get('under_utilization', 20)
    over = args.get('over_utilization', 80)
    return {'changed': True, 'under_utilization': under, 'over_utilization': over, 'token': '%d/%d' % (under, over)}


def test_sets_both_thresholds():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, {'under_utilization': 10, 'over_utilization': 90}, remote, diff=True)
    assert result['changed'] is True and remote.modes == ['read', 'apply']
    assert remote.calls[1] == {'_module': ActionModule.MODULE, 'mode': 'apply', 'token': '20/80',
                               'under_utilization': 10, 'over_utilization': 90}
    assert result['changes'] == {'under_utilization': 10, 'over_utilization': 90}
    assert result['diff'] == {'before': {'under_utilization': 20, 'over_utilization': 80},
                              'after': {'under_utilization': 10, 'over_utilization': 90}}


def test_sends_only_what_changes_and_keeps_the_other():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, {'under_utilization': 20, 'over_utilization': 85}, remote)
    assert 'under_utilization' not in remote.calls[1] and remote.calls[1]['over_utilization'] == 85
    assert (result['under_utilization'], result['over_utilization']) == (20, 85)


def test_compliant_costs_one_round_trip():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'over_utilization': 80}, remote)
    assert result['changed'] is False and remote.modes == ['read'] and result['changes'] == {}


def test_check_mode_writes_nothing():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'under_utilization': 5}, remote, check_mode=True)
    assert result['changed'] is True and remote.modes == ['read'] and result['under_utilization'] == 5


def test_one_option_against_the_current_other_value_is_checked_after_the_read():
    remote = RemoteScript(read_reply(20, 80))
    with pytest.raises(AnsibleActionFail, match=r'on host1: the overutilization threshold \(80\) must not be lower.*'
                                                r'\(85\) \(over_utilization kept at its current value\); nothing was changed'):
        run_action(ActionModule, {'under_utilization': 85}, remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({}, 'one of the following is required'),
    ({'under_utilization': 101}, 'percentage'),
    ({'over_utilization': -1}, 'percentage'),
    ({'under_utilization': 60, 'over_utilization': 50}, 'must not be lower'),
    ({'under_utilization': 'low'}, 'under_utilization'),
    ({'over_utilization': 90, 'token': 'x'}, 'token'),
])
def test_bad_input_fails_before_connecting(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': 'The IPAM address utilization thresholds changed between read and apply; nothing was written.'}
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'over_utilization': 90}, RemoteScript(read_reply(), failure))
    assert info.value.code == 'changed_since_read'


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'under_utilization': 20, 'over_utilization': 80})
    with pytest.raises(AnsibleActionFail, match='reports thresholds'):
        run_action(ActionModule, {'over_utilization': 90}, remote)
