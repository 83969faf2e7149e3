# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.dhcp_users_membership import ActionModule
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import DHCP_GROUP_NAMES
from harness import RemoteScript, run_action

DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330'
MACHINE = 'S-1-5-21-1-2-3'
GROUP_SID = MACHINE + '-1003'
IPAM_SID = DOMAIN + '-1205'
HELPDESK = {'sid': DOMAIN + '-1108', 'name': 'CORP\\Helpdesk'}
ORPHAN = {'sid': DOMAIN + '-1150', 'name': None}
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
RUNNING = {'exists': True, 'status': 'Running'}


def token(members):
    return ','.join(sorted(m['sid'] for m in members))


def read_reply(members=(HELPDESK, ORPHAN), group=None, service=None, domain_role=3, recorded=()):
    members = [dict(m) for m in members]
    return {
        'recorded': list(recorded),
        'changed': False,
        'group': group if group is not None else {'name': 'DHCP Users', 'sid': GROUP_SID, 'scope': 'local',
                                                  'matched_by': 'name'},
        'members': members, 'token': token(members), 'service': dict(service or RUNNING),
        'host': {'name': 'DHCP01', 'domain_role': domain_role},
        'principals': [dict(IPAM)],
    }


def apply_echo(read, restart_error=None):
    def apply(args):
        assert args['token'] == read['token']
        members = [m for m in read['members'] if m['sid'] not in args['remove']]
        members += [{'sid': s, 'name': 'CORP\\IPAM01$'} for s in args['add']]
        reply = {'changed': True, 'group': read['group'], 'members': members, 'token': token(members),
                 'service': read['service'], 'restarted': bool(args.get('restart_service')) and not restart_error}
        if args.get('restart_service') and restart_error:
            reply['restart_error'] = restart_error
        return reply
    return apply


ARGS = {'principals': ['CORP\\IPAM01$']}


def test_default_group_sends_the_candidate_names_of_dhcp_users():
    read = read_reply()
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.calls[0]['group_names'] == list(DHCP_GROUP_NAMES['users'])
    assert 'group_sid' not in remote.calls[0]
    assert remote.modes == ['read', 'apply']
    assert remote.calls[1]['add'] == [IPAM_SID] and remote.calls[1]['restart_service'] is False
    assert result['changed'] is True
    assert result['group'] == {'name': 'DHCP Users', 'sid': GROUP_SID, 'scope': 'local', 'matched_by': 'name'}
    assert {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'} in result['members']
    assert {'sid': ORPHAN['sid'], 'name': ORPHAN['sid']} in result['members']
    assert result['restarted'] is False and result['restart_required'] is True
    assert any('restart' in w for w in result['warnings'])
    assert result['diff']['after'] == {'members': ['CORP\\Helpdesk', 'CORP\\IPAM01$', ORPHAN['sid']]}


def test_check_mode_says_a_restart_would_be_needed_without_a_warning():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert result['changed'] is True and result['restart_required'] is True
    assert 'warnings' not in result
    live = run_action(ActionModule, ARGS, RemoteScript(read_reply(), apply_echo(read_reply())))
    assert any('ipam_dhcp_restart: true for the roles' in w for w in live['warnings']), live['warnings']


def test_administrators_group_and_overrides():
    read = read_reply(members=({'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'},))
    remote = RemoteScript(read)
    run_action(ActionModule, dict(ARGS, group='administrators'), remote)
    assert remote.calls[-1]['group_names'][0] == 'DHCP Administrators'
    run_action(ActionModule, dict(ARGS, group_sid=GROUP_SID.lower()), remote)
    assert remote.calls[-1]['group_sid'] == GROUP_SID and 'group_names' not in remote.calls[-1]
    run_action(ActionModule, dict(ARGS, group_name='DHCP-Benutzer'), remote)
    assert remote.calls[-1]['group_names'] == ['DHCP-Benutzer'] and 'group_sid' not in remote.calls[-1]


def test_restart_service_restarts_in_the_same_apply():
    read = read_reply()
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, restart_service=True), remote)
    assert remote.modes == ['read', 'apply']
    assert remote.calls[1]['restart_service'] is True
    assert result['restarted'] is True and result['restart_required'] is False
    assert 'warnings' not in result


def test_compliant_host_never_restarts():
    read = read_reply(members=(HELPDESK, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}))
    remote = RemoteScript(read)
    result = run_action(ActionModule, dict(ARGS, restart_service=True), remote)
    assert result['changed'] is False and remote.modes == ['read']
    assert result['restarted'] is False and result['restart_required'] is False


def test_check_mode_never_restarts():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, dict(ARGS, restart_service=True), remote, check_mode=True)
    assert result['changed'] is True and remote.modes == ['read']
    assert result['restarted'] is False and result['restart_required'] is True


def test_stopped_service_is_not_restarted():
    read = read_reply(service={'exists': True, 'status': 'Stopped'})
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, restart_service=True), remote)
    assert remote.calls[1]['restart_service'] is False
    assert result['restart_required'] is False
    assert any('Stopped' in w for w in result['warnings'])


def test_absent_removes_exactly_the_principal():
    read = read_reply(members=(HELPDESK, {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}, ORPHAN), recorded=[IPAM_SID])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, state='absent', restart_service=True), remote)
    assert remote.calls[1]['remove'] == [IPAM_SID] and remote.calls[1]['add'] == []
    assert result['removed'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]
    assert [m['sid'] for m in result['members']] == [HELPDESK['sid'], ORPHAN['sid']]
    assert result['restarted'] is True


def test_forgetting_a_stale_record_does_not_restart_the_service():
    read = read_reply(recorded=[IPAM_SID])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, dict(ARGS, state='absent', restart_service=True), remote)
    assert remote.calls[1]['record_remove'] == [IPAM_SID] and remote.calls[1]['remove'] == []
    assert 'restart_service' not in remote.calls[1]
    assert result['restart_required'] is False and result['forgotten'] == [IPAM_SID]


def test_domain_controller_scope_is_domain():
    group = {'name': 'DHCP Users', 'sid': DOMAIN + '-1103', 'scope': 'domain', 'matched_by': 'name'}
    read = read_reply(group=group, domain_role=5)
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, ARGS, remote, hostname='dc01')
    assert result['group']['scope'] == 'domain' and result['domain_wide'] is True
    assert 'DHCPServer' in result['note']


def test_missing_group_fails_after_read_with_the_role_hint():
    remote = RemoteScript(dict(read_reply(service={'exists': False, 'status': None}), group=None, members=[], token=None))
    with pytest.raises(AnsibleActionFail, match=r'DHCP Users group not found.*DHCP Server role installed.*'
                                                r'Add-DhcpServerSecurityGroup.*nothing was changed'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_a_host_in_another_language_is_told_which_languages_were_tried_and_which_option_names_the_group():
    remote = RemoteScript(dict(read_reply(), group=None, members=[], token=None))
    with pytest.raises(AnsibleActionFail) as info:
        run_action(ActionModule, ARGS, remote)
    msg = str(info.value)
    assert 'English, German, French, Spanish, Swedish, Polish, Dutch, Hungarian' in msg and "'DHCP-Benutzer'" in msg
    assert 'group_name (role variable ipam_dhcp_group_name)' in msg and 'group_sid (ipam_dhcp_group_sid)' in msg


def test_failed_restart_is_a_failure_that_says_members_changed():
    read = read_reply()
    remote = RemoteScript(read, apply_echo(read, restart_error='Service cannot be started.'))
    with pytest.raises(AnsibleActionFail, match='were changed, but restarting the DHCPServer service failed') as info:
        run_action(ActionModule, dict(ARGS, restart_service=True), remote)
    assert info.value.result['changed'] is True
    assert info.value.result['added'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The members of group 'DHCP Users' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'


@pytest.mark.parametrize('args, message', [
    ({}, 'principals'),
    (dict(ARGS, principals='CORP\\a$,CORP\\b$'), 'comma-separated'),
    (dict(ARGS, group='readers'), 'group'),
    (dict(ARGS, group='users', group_sid=GROUP_SID), 'mutually exclusive'),
    (dict(ARGS, group_sid='DHCP Users'), 'not a SID'),
    (dict(ARGS, group_name='CORP\\DHCP Users'), 'group_name'),
    (dict(ARGS, group_name='DHCP Users,user'), 'not a group name'),
    (dict(ARGS, group_name='DHCP01/DHCP Users'), 'not a group name'),
    (dict(ARGS, group_names=['x']), 'group_names'),
    (dict(ARGS, restart_service='maybe'), 'restart_service'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.dhcp_users_membership'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.dhcp_users_membership']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert sorted(doc.get('choices') or []) == sorted(spec.get('choices') or []), name
