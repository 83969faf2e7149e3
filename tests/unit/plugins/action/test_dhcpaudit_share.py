# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.dhcpaudit_share import ActionModule
from harness import RemoteScript, run_action

IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1105'
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
EVERYONE = 'S-1-1-0'
FOLDER = 'C:\\Windows\\system32\\dhcp'
ARGS = {'principals': ['CORP\\IPAM01$']}
EVERYONE_READ = {'sid': EVERYONE, 'name': 'Everyone', 'type': 'Allow', 'right': 'Read'}
IPAM_READ = {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'type': 'Allow', 'right': 'Read'}
NEW_SHARE = ['New-SmbShare -Name dhcpaudit -Path C:\\Windows\\system32\\dhcp']
GRANT_IPAM = ['Grant-SmbShareAccess -Name dhcpaudit -AccountName CORP\\IPAM01$ -AccessRight Read -Force']


# The access mask the module reads for each right, as Grant-SmbShareAccess writes it; a Custom entry names its own.
MASKS = {'Read': 0x1200A9, 'Change': 0x1301BF, 'Full': 0x1F01FF}


def share(*access, path=FOLDER):
    return {'exists': True, 'path': path, 'access': [dict(a, mask=a.get('mask', MASKS.get(a['right']))) for a in access]}


def read_reply(share_state=None, *, folder=FOLDER, folder_exists=True, source='registry', created=False,
               principals=None, recorded=()):
    return {
        'changed': False, 'token': 'opaque-token', 'recorded': list(recorded),
        'host': {'name': 'DHCP01', 'domain_role': 3},
        'path': {'value': folder, 'source': source, 'exists': folder_exists},
        'share': share_state, 'created_by_collection': created,
        'principals': principals if principals is not None else [dict(IPAM)],
    }


def apply_reply(share_state, created=False):
    return {'changed': True, 'token': 'new', 'share': share_state, 'created_by_collection': created}


def test_check_mode_on_missing_share_reports_the_full_planned_access():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True, diff=True)
    assert remote.modes == ['read']
    assert result['changed'] is True
    assert result['created'] is True
    assert result['actions'] == NEW_SHARE + GRANT_IPAM
    # Windows' implicit Everyone Read is part of the plan, named by SID until the host names it.
    assert result['access'] == [{'sid': EVERYONE, 'name': None, 'type': 'Allow', 'right': 'Read'}, IPAM_READ]
    assert result['added'] == [IPAM_READ]
    assert result['diff'] == {
        'before': {'exists': False, 'path': None, 'access': []},
        'after': {'exists': True, 'path': FOLDER, 'access': ['S-1-1-0: Allow Read', 'CORP\\IPAM01$: Allow Read']},
    }


def test_create_sends_exact_plan_with_token_and_record():
    remote = RemoteScript(read_reply(), apply_reply(share(EVERYONE_READ, IPAM_READ), created=True))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read', 'apply']
    apply = remote.calls[1]
    assert apply['token'] == 'opaque-token'
    assert apply['create'] is True and apply['record_created'] is True
    assert apply['path'] == FOLDER  # the planned folder, not a second registry read
    assert apply['grant'] == [IPAM_SID]
    assert 'revoke' not in apply and 'delete' not in apply
    assert result['access'] == [EVERYONE_READ, IPAM_READ]  # as the host reports it after the change
    assert result['created_by_collection'] is True


def test_remove_everyone_on_creation_revokes_it():
    remote = RemoteScript(read_reply(), apply_reply(share(IPAM_READ), created=True))
    result = run_action(ActionModule, dict(ARGS, remove_everyone=True), remote, check_mode=True, diff=True)
    assert result['access'] == [IPAM_READ]
    assert result['actions'][-1] == 'Revoke-SmbShareAccess -Name dhcpaudit -AccountName S-1-1-0 -Force'
    assert result['diff']['after']['access'] == ['CORP\\IPAM01$: Allow Read']
    result = run_action(ActionModule, dict(ARGS, remove_everyone=True), remote)
    assert remote.calls[-1]['revoke'] == [EVERYONE]


def test_compliant_share_costs_one_round_trip():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ)))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']
    assert result['changed'] is False
    assert result['actions'] == [] and result['added'] == [] and result['removed'] == []


@pytest.mark.parametrize('right', ['Change', 'Full'])
def test_more_than_read_is_enough_and_never_downgraded(right):
    remote = RemoteScript(read_reply(share(dict(IPAM_READ, right=right))))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False


def test_a_custom_right_that_holds_read_is_kept():
    """Grant-SmbShareAccess would replace it with plain Read: the mask's bits decide, not its name."""
    remote = RemoteScript(read_reply(share(EVERYONE_READ, dict(IPAM_READ, right='Custom', mask=0x1201BF))))
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.modes == ['read']
    assert result['changed'] is False and result['added'] == []
    assert result['access'][1] == dict(IPAM_READ, right='Custom')   # the mask only serves the decision


def test_a_custom_right_without_read_is_refused_before_any_write():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, dict(IPAM_READ, right='Custom', mask=0x100001))))
    with pytest.raises(AnsibleActionFail) as failure:
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']
    assert "gives 'CORP\\IPAM01$' (%s) Custom without every right of Read (mask 0x100001 lacks some of 0x1200A9)" % IPAM_SID \
        in str(failure.value)


def test_existing_share_with_everyone_and_remove_everyone():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ)), apply_reply(share(IPAM_READ)))
    result = run_action(ActionModule, dict(ARGS, remove_everyone=True), remote)
    assert remote.calls[1]['revoke'] == [EVERYONE]
    assert 'create' not in remote.calls[1] and 'record_created' not in remote.calls[1]
    assert result['removed'] == [EVERYONE_READ]
    assert result['actions'] == ['Revoke-SmbShareAccess -Name dhcpaudit -AccountName Everyone -Force']


def test_share_for_another_folder_is_never_repointed():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, path='D:\\Other')))
    with pytest.raises(AnsibleActionFail, match=r"already exists for folder 'D:\\Other'.*never repoints.*nothing was changed"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_path_comparison_ignores_case_and_trailing_separator():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ, path='c:\\windows\\System32\\DHCP\\')))
    assert run_action(ActionModule, ARGS, remote)['changed'] is False


def test_deny_ace_for_our_principal_fails():
    deny = dict(IPAM_READ, type='Deny', right='Full')
    remote = RemoteScript(read_reply(share(EVERYONE_READ, deny)))
    with pytest.raises(AnsibleActionFail, match='Deny ACE.*IPAM01'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('sid', ['S-1-1-0', 'S-1-5-11'])
def test_deny_for_everyone_blocks_every_principal(sid):
    deny = {'sid': sid, 'name': None, 'type': 'Deny', 'right': 'Full'}
    remote = RemoteScript(read_reply(share(IPAM_READ, deny)))
    with pytest.raises(AnsibleActionFail, match='Deny ACE for .*%s.*denies every principal' % sid):
        run_action(ActionModule, ARGS, remote)


@pytest.mark.parametrize('folder', [None, ''])
def test_missing_dhcp_log_path_fails_naming_the_registry_value(folder):
    remote = RemoteScript(read_reply(folder=folder, folder_exists=False))
    with pytest.raises(AnsibleActionFail, match=r'DHCPServer\\Parameters\\DhcpLogFilePath is missing or empty'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_folder_that_does_not_exist_fails():
    remote = RemoteScript(read_reply(folder='D:\\Audit', folder_exists=False, source='option'))
    with pytest.raises(AnsibleActionFail, match=r"folder 'D:\\Audit' \(from option path\) does not exist"):
        run_action(ActionModule, dict(ARGS, path='D:\\Audit'), remote)
    assert remote.calls[0]['path'] == 'D:\\Audit'


def test_absent_deletes_a_share_this_collection_created():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ), created=True), apply_reply(None))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote, diff=True)
    assert remote.calls[1]['delete'] is True and remote.calls[1]['record_created'] is False
    assert result['deleted'] is True and result['access'] == []
    assert result['actions'] == ['Remove-SmbShare -Name dhcpaudit -Force']
    assert result['diff']['after'] == {'exists': False, 'path': None, 'access': []}
    assert 'warnings' not in result


def test_absent_keeps_a_share_it_created_when_others_were_granted_rights_since():
    other = {'sid': 'S-1-5-32-545', 'name': 'BUILTIN\\Users', 'type': 'Allow', 'right': 'Change'}
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ, other), created=True, recorded=[IPAM_SID]),
                          apply_reply(share(EVERYONE_READ, other), created=True))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    apply = remote.calls[1]
    assert 'delete' not in apply and 'record_created' not in apply
    assert apply['revoke'] == [IPAM_SID] and apply['record_remove'] == [IPAM_SID]
    assert result['deleted'] is False and 'BUILTIN\\Users: Allow Change' in result['warnings'][0]
    assert 'kept' in result['warnings'][0]


def test_absent_deletes_such_a_share_with_remove_unrecorded():
    other = {'sid': 'S-1-5-32-545', 'name': 'BUILTIN\\Users', 'type': 'Allow', 'right': 'Change'}
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ, other), created=True), apply_reply(None))
    result = run_action(ActionModule, dict(ARGS, state='absent', remove_unrecorded=True), remote)
    assert remote.calls[1]['delete'] is True and result['deleted'] is True
    assert 'BUILTIN\\Users: Allow Change' in result['warnings'][0]


def test_absent_on_a_foreign_share_revokes_only_our_access():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ), recorded=[IPAM_SID]), apply_reply(share(EVERYONE_READ)))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    apply = remote.calls[1]
    assert apply['revoke'] == [IPAM_SID] and apply['record_remove'] == [IPAM_SID]
    assert 'delete' not in apply and 'record_created' not in apply
    assert result['deleted'] is False and result['removed'] == [IPAM_READ]
    assert result['access'] == [EVERYONE_READ]


def test_absent_keeps_a_right_the_record_does_not_name():
    # IPAM had Read on an admin's share before the collection ran: removal leaves it, in one round trip.
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ)))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False and remote.modes == ['read']
    assert [k['sid'] for k in result['kept']] == [IPAM_SID] and [p['sid'] for p in result['pre_existing']] == [IPAM_SID]


def test_present_records_the_right_it_grants():
    remote = RemoteScript(read_reply(share(EVERYONE_READ)), apply_reply(share(EVERYONE_READ, IPAM_READ)))
    run_action(ActionModule, ARGS, remote)
    assert remote.calls[1]['grant'] == [IPAM_SID] and remote.calls[1]['record_add'] == [IPAM_SID]


def test_absent_forgets_a_stale_record_when_the_share_is_gone():
    remote = RemoteScript(read_reply(None, created=True), apply_reply(None))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert remote.calls[1] == {'_module': 'ipam.provisioning.dhcpaudit_share', 'mode': 'apply', 'name': 'dhcpaudit',
                               'record_created': False, 'token': 'opaque-token'}
    assert result['changed'] is True and result['deleted'] is False


@pytest.mark.parametrize('reply', [read_reply(None), read_reply(share(EVERYONE_READ))])
def test_absent_with_nothing_to_remove_is_one_round_trip(reply):
    remote = RemoteScript(reply)
    assert run_action(ActionModule, dict(ARGS, state='absent'), remote)['changed'] is False
    assert remote.modes == ['read']


def test_absent_works_without_a_configured_folder():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ), folder='', folder_exists=False, recorded=[IPAM_SID]),
                          apply_reply(share(EVERYONE_READ)))
    assert run_action(ActionModule, dict(ARGS, state='absent'), remote)['changed'] is True


def test_everyone_as_principal_with_remove_everyone_is_a_contradiction():
    everyone = [{'input': 'Everyone', 'sid': EVERYONE, 'name': 'Everyone', 'error': None}]
    remote = RemoteScript(read_reply(principals=everyone))
    with pytest.raises(AnsibleActionFail, match='remove_everyone'):
        run_action(ActionModule, dict(principals=['Everyone'], allow_broad_principals=True, remove_everyone=True), remote)


def test_broad_principal_refused_unless_allowed():
    everyone = [{'input': 'Everyone', 'sid': EVERYONE, 'name': 'Everyone', 'error': None}]
    remote = RemoteScript(read_reply(share(EVERYONE_READ), principals=everyone))
    with pytest.raises(AnsibleActionFail, match='allow_broad_principals'):
        run_action(ActionModule, dict(principals=['Everyone']), remote)
    assert run_action(ActionModule, dict(principals=['Everyone'], allow_broad_principals=True), remote)['changed'] is False


def test_orphaned_sid_cannot_be_granted_but_can_be_revoked():
    orphan_sid = 'S-1-5-21-1004336348-1177238915-682003330-1150'
    orphan = [{'input': orphan_sid, 'sid': orphan_sid, 'name': None, 'error': None}]
    remote = RemoteScript(read_reply(share(EVERYONE_READ), principals=orphan))
    with pytest.raises(AnsibleActionFail, match='maps to no account.*account name'):
        run_action(ActionModule, dict(principals=[orphan_sid]), remote)
    assert remote.modes == ['read']
    orphan_ace = {'sid': orphan_sid, 'name': None, 'type': 'Allow', 'right': 'Read'}
    remote = RemoteScript(read_reply(share(EVERYONE_READ, orphan_ace), principals=orphan, recorded=[orphan_sid]),
                          apply_reply(share(EVERYONE_READ)))
    result = run_action(ActionModule, dict(principals=[orphan_sid], state='absent'), remote)
    assert remote.calls[1]['revoke'] == [orphan_sid]
    assert result['actions'] == ['Revoke-SmbShareAccess -Name dhcpaudit -AccountName %s -Force' % orphan_sid]


def test_unresolved_principal_fails_after_one_read():
    bad = [{'input': 'CORP\\nosuch$', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"nosuch\$' could not be resolved"):
        run_action(ActionModule, dict(principals=['CORP\\nosuch$']), remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({}, 'principals'),
    (dict(ARGS, state='gone'), 'state'),
    (dict(ARGS, name='dhcp\\audit'), 'not a valid SMB share name'),
    (dict(ARGS, name='dhcp*'), 'not a valid SMB share name'),
    (dict(ARGS, path='  '), 'path must not be empty'),
    (dict(ARGS, principals=['CORP\\a,CORP\\b']), 'comma'),
    (dict(ARGS, create=True), 'create'),  # the internal protocol is not a user option
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), apply_reply(share(EVERYONE_READ)))
    with pytest.raises(AnsibleActionFail, match='still gives .* no Read'):
        run_action(ActionModule, ARGS, remote)


def test_share_surviving_delete_is_reported():
    remote = RemoteScript(read_reply(share(IPAM_READ), created=True), apply_reply(share(IPAM_READ)))
    with pytest.raises(AnsibleActionFail, match='still exists'):
        run_action(ActionModule, dict(ARGS, state='absent'), remote)


def test_remote_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "Share 'dhcpaudit' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'


def test_read_sends_name_path_and_principals_only():
    remote = RemoteScript(read_reply(share(EVERYONE_READ, IPAM_READ)))
    run_action(ActionModule, dict(ARGS, name='dhcpaudit2'), remote)
    read = copy.deepcopy(remote.calls[0])
    assert read == {'_module': 'ipam.provisioning.dhcpaudit_share', 'mode': 'read', 'name': 'dhcpaudit2',
                    'principals': ['CORP\\IPAM01$']}


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.dhcpaudit_share'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.dhcpaudit_share']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
