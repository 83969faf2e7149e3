# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.local_group import ActionModule
from harness import RemoteScript, run_action

MSID = 'S-1-5-21-11-22-33'
GROUP = {'name': 'VMM Users', 'sid': MSID + '-1005', 'description': 'VMM account'}
ARGS = {'name': 'VMM Users', 'description': 'VMM account'}


def read_reply(group=None, *, created=False, domain_role=3, conflict=None):
    return {'changed': False, 'token': 'opaque-token', 'host': {'name': 'IPAM01', 'domain_role': domain_role},
            'group': dict(group) if group else None, 'name_conflict': conflict, 'created_by_collection': created}


def apply_reply(group, created=False):
    return {'changed': True, 'token': 'new', 'group': dict(group) if group else None, 'created_by_collection': created}


def test_check_mode_plans_the_group_in_one_round_trip():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True, diff=True)
    assert remote.modes == ['read']
    assert result['changed'] is True and result['created'] is True
    assert result['added'] == ['VMM Users'] and result['removed'] == []
    assert result['actions'] == ["create local group 'VMM Users'",
                                 "set the description of local group 'VMM Users' to 'VMM account'"]
    assert result['group'] == {'exists': True, 'name': 'VMM Users', 'sid': None, 'description': 'VMM account'}
    assert result['diff'] == {'before': {'exists': False}, 'after': result['group']}


def test_create_sends_the_exact_plan_and_records_it():
    remote = RemoteScript(read_reply(), apply_reply(GROUP, created=True))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read', 'apply']
    assert remote.calls[1] == {'_module': 'ipam.provisioning.local_group', 'mode': 'apply', 'name': 'VMM Users',
                               'create': True, 'description': 'VMM account', 'record_created': True,
                               'token': 'opaque-token'}
    assert result['group'] == dict(GROUP, exists=True)   # as the host reports it, SID included
    assert result['created_by_collection'] is True


def test_read_sends_only_the_name():
    remote = RemoteScript(read_reply(GROUP))
    run_action(ActionModule, ARGS, remote)
    assert remote.calls == [{'_module': 'ipam.provisioning.local_group', 'mode': 'read', 'name': 'VMM Users'}]


@pytest.mark.parametrize('args', [ARGS, {'name': 'vmm users'}])
def test_existing_group_is_one_round_trip(args):
    remote = RemoteScript(read_reply(GROUP, created=True))
    result = run_action(ActionModule, args, remote)
    assert remote.modes == ['read']
    assert result['changed'] is False and result['actions'] == [] and result['added'] == []


def test_description_is_set_when_it_differs():
    remote = RemoteScript(read_reply(dict(GROUP, description='old')), apply_reply(GROUP))
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.calls[1]['description'] == 'VMM account'
    assert 'create' not in remote.calls[1] and 'record_created' not in remote.calls[1]
    assert result['actions'] == ["set the description of local group 'VMM Users' to 'VMM account'"]
    assert result['diff']['before']['description'] == 'old' and result['diff']['after']['description'] == 'VMM account'
    assert result['added'] == [] and result['created'] is False


def test_absent_deletes_a_group_this_collection_created():
    remote = RemoteScript(read_reply(GROUP, created=True), apply_reply(None))
    result = run_action(ActionModule, {'name': 'VMM Users', 'state': 'absent'}, remote, diff=True)
    assert remote.calls[1]['delete'] is True and remote.calls[1]['record_created'] is False
    assert result['deleted'] is True and result['removed'] == ['VMM Users']
    assert result['actions'] == ["delete local group 'VMM Users' (%s)" % GROUP['sid']]
    assert result['group'] == {'exists': False}
    assert result['diff']['after'] == {'exists': False}


@pytest.mark.parametrize('name', ['IPAM ASM Administrators', 'VMM Users'])
def test_absent_keeps_a_group_it_did_not_create_and_says_so(name):
    remote = RemoteScript(read_reply(dict(GROUP, name=name), created=False))
    result = run_action(ActionModule, {'name': name, 'state': 'absent'}, remote)
    assert remote.modes == ['read']
    assert result['changed'] is False and result['kept'] is True and result['deleted'] is False
    assert 'not created by ipam.provisioning' in result['warnings'][0] and name in result['warnings'][0]


def test_absent_without_the_group_is_one_round_trip():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'name': 'VMM Users', 'state': 'absent'}, remote)
    assert remote.modes == ['read'] and result['changed'] is False and result['kept'] is False


@pytest.mark.parametrize('role', [4, 5])
def test_domain_controller_fails_after_one_read(role):
    remote = RemoteScript(read_reply(domain_role=role))
    with pytest.raises(AnsibleActionFail, match='domain controller, which has no local groups.*microsoft.ad.group'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_a_user_of_that_name_fails_after_one_read():
    remote = RemoteScript(read_reply(conflict='user'))
    with pytest.raises(AnsibleActionFail, match="local user is already named 'VMM Users'.*nothing was changed"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({'name': 'CORP\\VMM Users'}, r"give the group name only"),
    ({'name': 'a,b'}, 'does not allow'),
    ({'name': 'VMM*'}, 'does not allow'),
    ({'name': ' . '}, 'spaces and dots'),
    ({'name': 'Users.'}, 'ends with a dot'),
    ({'name': 'x' * 257}, 'longer than 256'),
    ({'name': 'VMM Users', 'description': 'd' * 257}, 'at most 256'),
    ({'name': 'VMM Users', 'members': ['CORP\\svc-vmm']}, 'members'),
    ({'description': 'no name'}, 'name'),
    ({'name': 'VMM Users', 'state': 'pure'}, 'state'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_remote_compare_and_swap_failure_is_surfaced():
    failed = {'failed': True, 'error': 'changed_since_read',
              'msg': "Local group 'VMM Users' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failed)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'
    # A host that refuses every apply: read and planned again once, then the task fails saying so.
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    assert 'retried once' in str(info.value)


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), apply_reply(None))
    with pytest.raises(AnsibleActionFail, match='does not exist after the change'):
        run_action(ActionModule, ARGS, remote)
    remote = RemoteScript(read_reply(GROUP, created=True), apply_reply(GROUP))
    with pytest.raises(AnsibleActionFail, match='still exists after it was deleted'):
        run_action(ActionModule, {'name': 'VMM Users', 'state': 'absent'}, remote)


def test_argument_spec_matches_the_documentation():
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.local_group'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.local_group']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name


def test_a_group_a_stopped_run_created_gets_its_sid_recorded():
    # The record holds only 'pending:VMM Users': the run stopped between creating the group and recording its SID.
    read = dict(read_reply(GROUP, created=True), record_pending=True)
    remote = RemoteScript(read, apply_reply(GROUP, created=True))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is True
    assert remote.calls[1]['record_created'] is True and 'create' not in remote.calls[1]


def test_a_pending_record_without_a_group_is_forgotten_on_removal():
    read = dict(read_reply(None), record_pending=True)
    remote = RemoteScript(read, apply_reply(None))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True
    assert remote.calls[1]['record_created'] is False and 'delete' not in remote.calls[1]
