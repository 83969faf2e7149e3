# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.group_membership import ActionModule
from harness import RemoteScript, run_action

DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330'
IPAM_SID = DOMAIN + '-1205'
MONITOR_SID = DOMAIN + '-1107'
ORPHAN_SID = DOMAIN + '-1150'
ELR = 'S-1-5-32-573'
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
MONITOR = {'sid': MONITOR_SID, 'name': 'CORP\\svc-monitor'}
ORPHAN = {'sid': ORPHAN_SID, 'name': None}


def token(members):
    return ','.join(sorted(m['sid'] for m in members))


def read_reply(members=(MONITOR, ORPHAN), group=None, principals=None, domain_role=3, recorded=()):
    members = [dict(m) for m in members]
    return {
        'recorded': list(recorded),
        'changed': False,
        'group': group if group is not None else {'name': 'Event Log Readers', 'sid': ELR,
                                                  'scope': 'domain' if domain_role in (4, 5) else 'local'},
        'members': members, 'token': token(members),
        'host': {'name': 'DNS01', 'domain_role': domain_role},
        'principals': principals if principals is not None else [dict(IPAM)],
    }


def apply_echo(read):
    """The host applies exactly what it was told to (after the CAS), then reports its members."""
    def apply(args):
        assert args['token'] == read['token']
        members = [m for m in read['members'] if m['sid'] not in args['remove']]
        members += [{'sid': s, 'name': 'CORP\\IPAM01$' if s == IPAM_SID else None} for s in args['add']]
        return {'changed': True, 'group': read['group'], 'members': members, 'token': token(members)}
    return apply


ARGS = {'group': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}
SORTED_AFTER_ADD = [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, {'sid': MONITOR_SID, 'name': 'CORP\\svc-monitor'},
                    {'sid': ORPHAN_SID, 'name': ORPHAN_SID}]


def test_adds_missing_principal_by_sid_and_keeps_other_members():
    read = read_reply()
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0]['group'] == ELR  # the alias is sent as its SID
    assert remote.calls[1]['add'] == [IPAM_SID] and remote.calls[1]['remove'] == []
    # Recorded as added by this collection, so removal may take it away again.
    assert remote.calls[1]['record_add'] == [IPAM_SID] and remote.calls[1]['record_remove'] == []
    assert remote.calls[1]['token'] == read['token']
    assert result['added'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]
    assert result['removed'] == []
    assert result['members'] == SORTED_AFTER_ADD
    assert result['group'] == {'name': 'Event Log Readers', 'sid': ELR, 'scope': 'local'}
    assert result['domain_wide'] is False and 'note' not in result
    assert result['diff'] == {'before': {'members': ['CORP\\svc-monitor', ORPHAN_SID]},
                              'after': {'members': ['CORP\\IPAM01$', 'CORP\\svc-monitor', ORPHAN_SID]}}


def test_member_already_present_costs_one_round_trip():
    remote = RemoteScript(read_reply(members=(MONITOR, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, ORPHAN)))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert result['added'] == [] and result['removed'] == []
    # Not in the record: there before this collection, and said so.
    assert result['pre_existing'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]


def test_sid_comparison_ignores_case_and_name_spelling():
    # The host may list the member under a localized or differently cased name: SIDs decide.
    member = {'sid': IPAM_SID.lower(), 'name': 'corp\\ipam01$'}
    remote = RemoteScript(read_reply(members=(member,)))
    assert run_action(ActionModule, ARGS, remote)['changed'] is False


def test_check_mode_plans_but_never_applies():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert result['members'] == SORTED_AFTER_ADD
    assert result['diff']['after'] == {'members': ['CORP\\IPAM01$', 'CORP\\svc-monitor', ORPHAN_SID]}


def test_absent_removes_exactly_the_principal():
    read = read_reply(members=(MONITOR, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, ORPHAN), recorded=[IPAM_SID])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote, diff=True)
    assert result['changed'] is True
    assert remote.calls[1]['remove'] == [IPAM_SID] and remote.calls[1]['add'] == []
    assert remote.calls[1]['record_remove'] == [IPAM_SID] and remote.calls[1]['record_add'] == []
    assert result['removed'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]
    assert result['members'] == [{'sid': MONITOR_SID, 'name': 'CORP\\svc-monitor'}, {'sid': ORPHAN_SID, 'name': ORPHAN_SID}]
    assert result['diff']['before'] == {'members': ['CORP\\IPAM01$', 'CORP\\svc-monitor', ORPHAN_SID]}
    assert result['kept'] == [] and result['pre_existing'] == []


def test_absent_keeps_a_member_the_record_does_not_name():
    # The IPAM server was a member before this collection ran: removal leaves it, in one round trip.
    read = read_reply(members=(MONITOR, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, ORPHAN))
    remote = RemoteScript(read)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert result['removed'] == []
    assert [k['sid'] for k in result['kept']] == [IPAM_SID]
    assert 'remove_unrecorded' in result['kept'][0]['reason']


def test_remove_unrecorded_removes_it_anyway():
    read = read_reply(members=(MONITOR, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, ORPHAN))
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, state='absent', remove_unrecorded=True), remote)
    assert result['changed'] is True
    assert remote.calls[1]['remove'] == [IPAM_SID]
    assert result['kept'] == []


def test_absent_forgets_a_recorded_member_that_is_gone():
    # Recorded, but no longer a member (removed by hand, or a run stopped after its record): the record
    # entry is dropped and nothing is removed from the group.
    read = read_reply(recorded=[IPAM_SID])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True
    assert remote.calls[1]['remove'] == [] and remote.calls[1]['record_remove'] == [IPAM_SID]
    assert result['forgotten'] == [IPAM_SID] and result['removed'] == []


def test_absent_when_not_a_member_is_a_no_op():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False
    assert remote.modes == ['read']


def test_absent_of_an_orphaned_sid_removes_it():
    orphan_input = {'input': ORPHAN_SID, 'sid': ORPHAN_SID, 'name': None, 'error': None}
    read = read_reply(principals=[orphan_input], recorded=[ORPHAN_SID])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, principals=[ORPHAN_SID], state='absent'), remote)
    assert result['removed'] == [{'sid': ORPHAN_SID, 'name': ORPHAN_SID}]
    assert remote.calls[1]['remove'] == [ORPHAN_SID]


@pytest.mark.parametrize('alias, sid', [
    ('event_log_readers', 'S-1-5-32-573'),
    ('remote_management_users', 'S-1-5-32-580'),
    ('administrators', 'S-1-5-32-544'),
    ('s-1-5-32-580', 'S-1-5-32-580'),
    ('IPAM ASM Administrators', 'IPAM ASM Administrators'),
])
def test_group_is_sent_as_sid_or_name(alias, sid):
    remote = RemoteScript(read_reply(members=({'sid': IPAM_SID, 'name': 'x'},)))
    run_action(ActionModule, dict(ARGS, group=alias), remote)
    assert remote.calls[0]['group'] == sid


def test_domain_controller_result_is_domain_wide():
    read = read_reply(domain_role=5)
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, ARGS, remote, hostname='dc01')
    assert result['group']['scope'] == 'domain'
    assert result['domain_wide'] is True
    assert 'every domain' in result['note'] and 'dc01' in result['note']


def test_administrators_warns():
    group = {'name': 'Administratoren', 'sid': 'S-1-5-32-544', 'scope': 'local'}
    remote = RemoteScript(read_reply(group=group, members=({'sid': IPAM_SID, 'name': 'x'},)))
    result = run_action(ActionModule, dict(ARGS, group='administrators'), remote)
    assert any('not recommended' in w for w in result['warnings'])
    remote = RemoteScript(read_reply(members=({'sid': IPAM_SID, 'name': 'x'},)))
    assert 'warnings' not in run_action(ActionModule, ARGS, remote)
    remote = RemoteScript(read_reply(group=group))
    assert 'warnings' not in run_action(ActionModule, dict(ARGS, group='administrators', state='absent'), remote)


def test_missing_group_fails_after_read_naming_it():
    remote = RemoteScript(dict(read_reply(), group=None, members=[], token=None))
    with pytest.raises(AnsibleActionFail, match=r"group 'IPAM Nonexistent' was not found.*nothing was changed"):
        run_action(ActionModule, dict(ARGS, group='IPAM Nonexistent'), remote)
    assert remote.modes == ['read']


def test_unresolved_principal_fails_after_one_read():
    bad = [{'input': 'CORP\\nosuch$', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"nosuch\$' could not be resolved"):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\nosuch$']), remote)
    assert remote.modes == ['read']


def test_broad_principal_refused_for_present_allowed_for_absent():
    everyone = [{'input': 'Everyone', 'sid': 'S-1-1-0', 'name': 'Everyone', 'error': None}]
    remote = RemoteScript(read_reply(principals=everyone))
    with pytest.raises(AnsibleActionFail, match='allow_broad_principals'):
        run_action(ActionModule, dict(ARGS, principals=['Everyone']), remote)
    assert run_action(ActionModule, dict(ARGS, principals=['Everyone'], state='absent'), remote)['changed'] is False


def test_group_as_its_own_member_is_refused():
    itself = [{'input': 'S-1-5-32-573', 'sid': 'S-1-5-32-573', 'name': 'BUILTIN\\Event Log Readers', 'error': None}]
    remote = RemoteScript(read_reply(principals=itself))
    with pytest.raises(AnsibleActionFail, match='is the group'):
        run_action(ActionModule, dict(ARGS, principals=['S-1-5-32-573']), remote)


@pytest.mark.parametrize('args, message', [
    ({'principals': ['CORP\\IPAM01$']}, 'group'),
    (dict(ARGS, principals='CORP\\a$,CORP\\b$'), 'comma-separated'),
    (dict(ARGS, group=''), 'group'),
    (dict(ARGS, group='Event Log Readers,user'), 'not a group SID, alias'),
    (dict(ARGS, group='HOST/Event Log Readers'), 'not a group SID, alias'),
    (dict(ARGS, group='S-1-5-32-x'), 'not a valid SID'),
    (dict(ARGS, state='gone'), 'state'),
    (dict(ARGS, add=['S-1-5-20']), 'add'),  # the remote protocol is not a user option
    (dict(ARGS, token='x'), 'token'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The members of group 'Event Log Readers' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'


def test_host_disagreeing_after_apply_is_reported():
    read = read_reply()
    remote = RemoteScript(read, {'changed': True, 'members': read['members'], 'token': read['token']})
    with pytest.raises(AnsibleActionFail, match=r'still lacks CORP\\IPAM01\$'):
        run_action(ActionModule, ARGS, remote)


def test_apply_reports_the_hosts_final_members():
    read = read_reply()
    other = {'sid': DOMAIN + '-1106', 'name': 'CORP\\svc-vmm'}

    def apply(args):
        members = read['members'] + [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, other]
        return {'changed': True, 'members': members, 'token': token(members)}
    result = run_action(ActionModule, ARGS, RemoteScript(read, apply))
    assert other in result['members']


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.group_membership'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.group_membership']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert sorted(doc.get('choices') or []) == sorted(spec.get('choices') or []), name
