# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.service_acl import ActionModule
from harness import RemoteScript, run_action

# DNS service descriptor on a DC (windows-defaults.md 1a, without the lab-added ACE).
DNS_SDDL = ('D:(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)(A;;CCLCSWRPWPDTLOCRRC;;;SY)'
            '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SO)'
            'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1105'
OUR_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID


def read_reply(sddl=DNS_SDDL, exists=True, principals=None, recorded=()):
    return {
        'recorded': list(recorded),
        'changed': False, 'exists': exists, 'display_name': 'DNS Server', 'sddl': sddl, 'token': sddl,
        'host': {'name': 'DC01', 'domain_role': 5},
        'principals': principals if principals is not None else [
            {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}],
    }


def apply_echo(args):
    return {'changed': True, 'sddl': args['sddl'], 'token': args['sddl']}


ARGS = {'name': 'DNS', 'principals': ['CORP\\IPAM01$']}


def test_adds_ace_before_sacl_and_keeps_everything_else():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read', 'apply']
    expected = DNS_SDDL.replace('S:(AU', OUR_ACE + 'S:(AU')
    assert result['sddl'] == expected
    assert remote.calls[1]['sddl'] == expected
    assert remote.calls[1]['token'] == DNS_SDDL  # compare-and-swap against what was read
    assert result['added'] == [OUR_ACE]
    assert result['diff'] == {'before': {'sddl': DNS_SDDL}, 'after': {'sddl': expected}}


def test_compliant_host_costs_one_round_trip():
    compliant = DNS_SDDL.replace('S:(AU', OUR_ACE + 'S:(AU')
    remote = RemoteScript(read_reply(compliant))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert result['added'] == []


def test_check_mode_plans_but_never_applies():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert OUR_ACE in result['sddl']


def test_absent_removes_only_our_ace():
    with_ours = DNS_SDDL.replace('(A;;CCLCSWLOCRRC;;;SU)', '(A;;CCLCSWLOCRRC;;;SU)' + OUR_ACE)
    remote = RemoteScript(read_reply(with_ours, recorded=[OUR_ACE]), apply_echo)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True
    assert result['sddl'] == DNS_SDDL
    assert result['removed'] == [OUR_ACE]
    assert remote.calls[1]['record_remove'] == [OUR_ACE] and remote.calls[1]['record_add'] == []


def test_absent_keeps_an_ace_the_record_does_not_name():
    # The same ACE, but there before the collection ran: removal leaves it, in one round trip.
    with_theirs = DNS_SDDL.replace('(A;;CCLCSWLOCRRC;;;SU)', '(A;;CCLCSWLOCRRC;;;SU)' + OUR_ACE)
    remote = RemoteScript(read_reply(with_theirs))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False and remote.modes == ['read']
    assert [k['ace'] for k in result['kept']] == [OUR_ACE]
    forced = RemoteScript(read_reply(with_theirs), apply_echo)
    assert run_action(ActionModule, dict(ARGS, state='absent', remove_unrecorded=True), forced)['sddl'] == DNS_SDDL


def test_present_records_the_ace_it_adds_and_reports_one_it_did_not():
    remote = RemoteScript(read_reply(), apply_echo)
    run_action(ActionModule, ARGS, remote)
    assert remote.calls[1]['record_add'] == [OUR_ACE]
    with_theirs = DNS_SDDL.replace('(A;;CCLCSWLOCRRC;;;SU)', '(A;;CCLCSWLOCRRC;;;SU)' + OUR_ACE)
    compliant = run_action(ActionModule, ARGS, RemoteScript(read_reply(with_theirs)))
    assert compliant['changed'] is False and [p['sid'] for p in compliant['pre_existing']] == [IPAM_SID]
    ours = run_action(ActionModule, ARGS, RemoteScript(read_reply(with_theirs, recorded=[OUR_ACE])))
    assert ours['pre_existing'] == []


def test_a_recorded_ace_that_is_gone_is_forgotten():
    remote = RemoteScript(read_reply(recorded=[OUR_ACE]), apply_echo)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True and result['forgotten'] == [OUR_ACE] and result['removed'] == []
    assert remote.calls[1]['sddl'] == DNS_SDDL and remote.calls[1]['record_remove'] == [OUR_ACE]


def test_a_damaged_record_entry_is_reported_and_not_acted_on():
    with_theirs = DNS_SDDL.replace('(A;;CCLCSWLOCRRC;;;SU)', '(A;;CCLCSWLOCRRC;;;SU)' + OUR_ACE)
    remote = RemoteScript(read_reply(with_theirs, recorded=['(A;;CC;;;not-a-sid']))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False and len(result['kept']) == 1
    assert any('not ACEs' in w for w in result['warnings'])


def test_missing_service_fails_after_read_without_apply():
    remote = RemoteScript(read_reply(sddl=None, exists=False))
    with pytest.raises(AnsibleActionFail, match="service 'DNS' does not exist.*nothing was changed"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_corrupt_descriptor_is_an_error_not_rewritten():
    remote = RemoteScript(read_reply(sddl='D:(A;;CCLC;;;SY'))
    with pytest.raises(AnsibleActionFail, match='not valid SDDL'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_unresolved_principal_fails_with_its_name():
    bad = [{'input': 'CORP\\nosuch$', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"nosuch\$' could not be resolved.*No mapping"):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\nosuch$']), remote)


def test_broad_principal_refused_unless_allowed():
    everyone = [{'input': 'Everyone', 'sid': 'S-1-1-0', 'name': 'Everyone', 'error': None}]
    remote = RemoteScript(read_reply(principals=everyone), apply_echo)
    with pytest.raises(AnsibleActionFail, match='allow_broad_principals'):
        run_action(ActionModule, dict(ARGS, principals=['Everyone']), remote)
    assert remote.modes == ['read']
    result = run_action(ActionModule, dict(ARGS, principals=['Everyone'], allow_broad_principals=True), remote)
    assert '(A;;CCLCSWLOCRRC;;;S-1-1-0)' in result['sddl']


@pytest.mark.parametrize('args, message', [
    ({'principals': ['CORP\\IPAM01$']}, 'name'),
    (dict(ARGS, state='gone'), 'state'),
    (dict(ARGS, rights='QQ'), 'rights'),
    (dict(ARGS, principals=['CORP\\a,CORP\\b']), 'comma'),
    (dict(ARGS, mode='apply'), 'mode'),  # the internal protocol is not a user option
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'sddl': DNS_SDDL})
    with pytest.raises(AnsibleActionFail, match='still lacks'):
        run_action(ActionModule, ARGS, remote)


def test_remote_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The security descriptor of service 'DNS' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'


def test_descriptor_without_dacl_is_refused_not_restricted():
    # A missing DACL grants everyone access; one added ACE would lock everyone else out.
    remote = RemoteScript(read_reply(sddl='O:BAG:SY'))
    with pytest.raises(AnsibleActionFail, match='no DACL'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_comma_separated_string_of_principals_is_refused():
    # Ansible would split it into a list; refusing keeps the user's intent explicit.
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match='YAML list, not the comma-separated string'):
        run_action(ActionModule, dict(ARGS, principals='CORP\\IPAM01$,CORP\\IPAM02$'), remote)
    assert remote.calls == []


DENY = '(D;;LC;;;%s)' % IPAM_SID
WITH_DENY = DNS_SDDL.replace('D:', 'D:' + DENY, 1)


def test_a_deny_for_the_principal_fails_the_setting_and_names_the_deny():
    remote = RemoteScript(read_reply(WITH_DENY), apply_echo)
    with pytest.raises(AnsibleActionFail, match=r"service 'DNS' denies CORP\\IPAM01\$: deny LC .*remove_conflicting_deny"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_a_deny_fails_the_audit_too_even_with_our_allow_present():
    both = WITH_DENY.replace('S:(AU', OUR_ACE + 'S:(AU')
    remote = RemoteScript(read_reply(both))
    with pytest.raises(AnsibleActionFail, match='Windows applies an explicit Deny before any Allow'):
        run_action(ActionModule, ARGS, remote, check_mode=True)
    assert remote.modes == ['read']


def test_remove_conflicting_deny_removes_it_in_the_same_write():
    remote = RemoteScript(read_reply(WITH_DENY), apply_echo)
    result = run_action(ActionModule, dict(ARGS, remove_conflicting_deny=True), remote)
    assert remote.modes == ['read', 'apply']
    assert result['sddl'] == DNS_SDDL.replace('S:(AU', OUR_ACE + 'S:(AU')
    assert result['removed_deny'] == [DENY] and result['added'] == [OUR_ACE]


def test_removal_leaves_a_deny_alone():
    with_ours = WITH_DENY.replace('S:(AU', OUR_ACE + 'S:(AU')
    remote = RemoteScript(read_reply(with_ours, recorded=[OUR_ACE]), apply_echo)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['sddl'] == WITH_DENY and result['removed_deny'] == []


def test_a_host_that_keeps_the_deny_after_the_write_is_reported():
    remote = RemoteScript(read_reply(WITH_DENY), lambda args: {'changed': True, 'sddl': WITH_DENY + OUR_ACE})
    with pytest.raises(AnsibleActionFail, match='still'):
        run_action(ActionModule, dict(ARGS, remove_conflicting_deny=True), remote)


def test_an_unresolved_name_without_the_trailing_dollar_gets_the_hint():
    bad = [{'input': 'CORP\\IPAM01', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"was done; a computer account's name ends with '\$' \(CORP\\IPAM01\$\)$"):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\IPAM01']), remote)
