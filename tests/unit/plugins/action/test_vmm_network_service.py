# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.vmm_network_service import IPAM_MODEL, ActionModule
from harness import RemoteScript, run_action

PASSWORD = 'Vmm-Secret-7q!x'
SVC_SID = 'S-1-5-21-1004336348-1177238915-682003330-1106'
ARGS = {'ipam_server_fqdn': 'ipam01.corp.example.com', 'run_as_account': 'IPAM Run As',
        'run_as_username': 'CORP\\svc-vmm', 'run_as_password': PASSWORD}
ROOT = {'id': 'g-root', 'name': 'All Hosts', 'path': 'All Hosts'}
PROD = {'id': 'g-prod', 'name': 'Production', 'path': 'All Hosts\\Production'}
LAB = {'id': 'g-lab', 'name': 'Lab', 'path': 'All Hosts\\Lab'}
KNOWN = ['All Hosts', 'All Hosts\\Lab', 'All Hosts\\Production']
RUN_AS = {'id': 'ra-1', 'name': 'IPAM Run As', 'username': 'CORP\\svc-vmm', 'sid': SVC_SID, 'used_by': ['IPAM']}
SERVICE = {'id': 'ns-1', 'name': 'IPAM', 'manufacturer': 'Microsoft', 'model': IPAM_MODEL,
           'connection_string': 'ipam01.corp.example.com', 'run_as_account': {'id': 'ra-1', 'name': 'IPAM Run As'},
           'host_groups': [ROOT]}


def resolved(*groups):
    return [dict(g, input=g['name'], error=None, candidates=[]) for g in groups]


def read_reply(service=None, run_as=None, *, ours=False, groups=None, user=True):
    return {
        'changed': False, 'token': 'opaque-token', 'host': {'name': 'VMM01', 'domain_role': 3},
        'vmm': {'server': 'vmm01.corp.example.com'}, 'service': service, 'run_as': run_as,
        'run_as_created_by_collection': ours, 'host_groups': resolved(ROOT) if groups is None else groups,
        'known_host_groups': KNOWN,
        'run_as_user': {'input': 'CORP\\svc-vmm', 'sid': SVC_SID, 'name': 'CORP\\svc-vmm', 'error': None} if user else None,
    }


def apply_reply(service, run_as, ours=True):
    return {'changed': True, 'token': 'new', 'service': service, 'run_as': run_as, 'run_as_created_by_collection': ours}


def no_password(result):
    text = json.dumps(result)
    assert PASSWORD not in text
    return result


def test_check_mode_plans_account_and_service_without_the_password():
    remote = RemoteScript(read_reply())
    result = no_password(run_action(ActionModule, ARGS, remote, check_mode=True, diff=True))
    assert remote.modes == ['read']
    assert PASSWORD not in json.dumps(remote.calls)          # a read never carries it
    assert result['changed'] and result['created'] and result['run_as_created']
    assert result['added'] == ["Run As account 'IPAM Run As'", "network service 'IPAM'"]
    assert result['network_service'] == {
        'exists': True, 'name': 'IPAM', 'manufacturer': 'Microsoft', 'model': IPAM_MODEL,
        'connection_string': 'ipam01.corp.example.com', 'run_as_account': 'IPAM Run As', 'host_groups': ['All Hosts']}
    assert result['diff']['before'] == {'network_service': {'exists': False}, 'run_as': {'exists': False}}
    assert result['diff']['after']['run_as'] == {'exists': True, 'name': 'IPAM Run As', 'username': 'CORP\\svc-vmm'}
    assert result['invocation']['module_args']['run_as_password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_create_sends_the_password_only_with_the_apply():
    remote = RemoteScript(read_reply(), apply_reply(SERVICE, RUN_AS))
    result = no_password(run_action(ActionModule, ARGS, remote, diff=True))
    assert remote.modes == ['read', 'apply']
    read, apply = remote.calls
    assert read == {'_module': 'ipam.provisioning.vmm_network_service', 'mode': 'read', 'name': 'IPAM',
                    'run_as_account': 'IPAM Run As', 'host_groups': ['All Hosts'], 'run_as_username': 'CORP\\svc-vmm'}
    assert apply == {'_module': 'ipam.provisioning.vmm_network_service', 'mode': 'apply', 'token': 'opaque-token',
                     'name': 'IPAM', 'run_as_account': 'IPAM Run As', 'run_as_action': 'create',
                     'run_as_username': 'CORP\\svc-vmm', 'run_as_password': PASSWORD, 'record_run_as': True,
                     'service_action': 'add', 'connection_string': 'ipam01.corp.example.com',
                     'manufacturer': 'Microsoft', 'model': IPAM_MODEL, 'add_host_groups': ['g-root']}
    assert result['run_as'] == {'exists': True, 'name': 'IPAM Run As', 'username': 'CORP\\svc-vmm',
                                'created_by_collection': True}


def test_compliant_service_is_one_round_trip():
    remote = RemoteScript(read_reply(SERVICE, RUN_AS, ours=True))
    result = no_password(run_action(ActionModule, ARGS, remote))
    assert remote.modes == ['read']
    assert result['changed'] is False and result['actions'] == [] and result['added'] == [] and result['removed'] == []
    assert result['credential_updated'] is False


def test_connection_string_compares_without_case():
    service = dict(SERVICE, connection_string='IPAM01.Corp.Example.com')
    remote = RemoteScript(read_reply(service, RUN_AS, ours=True))
    assert run_action(ActionModule, ARGS, remote)['changed'] is False


def test_update_password_always_sets_the_credential_every_run_and_warns_about_other_users():
    run_as = dict(RUN_AS, used_by=['IPAM', 'Other'])
    remote = RemoteScript(read_reply(SERVICE, run_as, ours=True), apply_reply(SERVICE, run_as))
    result = no_password(run_action(ActionModule, dict(ARGS, update_password='always'), remote, diff=True))
    assert remote.calls[1]['run_as_action'] == 'update' and remote.calls[1]['run_as_password'] == PASSWORD
    assert 'service_action' not in remote.calls[1]
    assert result['changed'] is True and result['credential_updated'] is True
    assert result['actions'] == ["Set-SCRunAsAccount -Name 'IPAM Run As' -Credential CORP\\svc-vmm"]
    assert 'also used by Other' in result['warnings'][0]
    assert result['diff']['before'] == result['diff']['after']   # a password change shows no difference


def test_port_and_host_groups_are_updated_in_one_set():
    groups = resolved(PROD, LAB)
    remote = RemoteScript(read_reply(SERVICE, RUN_AS, ours=True, groups=groups),
                          apply_reply(dict(SERVICE, connection_string='ipam01.corp.example.com:48886',
                                           host_groups=[PROD, LAB]), RUN_AS))
    args = dict(ARGS, port=48886, host_groups=['Production', 'All Hosts\\Lab'])
    result = run_action(ActionModule, args, remote)
    apply = remote.calls[1]
    assert apply['service_action'] == 'update' and apply['connection_string'] == 'ipam01.corp.example.com:48886'
    assert apply['add_host_groups'] == ['g-prod', 'g-lab'] and apply['remove_host_groups'] == ['g-root']
    assert 'set_run_as' not in apply and 'run_as_action' not in apply and 'run_as_password' not in apply
    assert result['added'] == ["host group 'All Hosts\\Production'", "host group 'All Hosts\\Lab'"]
    assert result['removed'] == ["host group 'All Hosts'"]
    assert result['host_groups'] == ['All Hosts\\Lab', 'All Hosts\\Production']


def test_other_run_as_account_is_switched():
    other = dict(RUN_AS, id='ra-2', name='Other Run As', used_by=[])
    service = dict(SERVICE, run_as_account={'id': 'ra-1', 'name': 'IPAM Run As'})
    remote = RemoteScript(read_reply(service, other), apply_reply(dict(service, run_as_account={'id': 'ra-2', 'name': 'Other Run As'}), other))
    run_action(ActionModule, dict(ARGS, run_as_account='Other Run As'), remote)
    assert remote.calls[1]['set_run_as'] is True and remote.calls[1]['run_as_account'] == 'Other Run As'


def test_existing_account_for_another_user_fails_without_update_password():
    remote = RemoteScript(read_reply(SERVICE, dict(RUN_AS, username='CORP\\Administrator', sid='S-1-5-21-1-2-3-500')))
    with pytest.raises(AnsibleActionFail, match="exists for user 'CORP\\\\Administrator', not 'CORP\\\\svc-vmm'.*update_password"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_same_user_in_another_spelling_is_the_same_account():
    remote = RemoteScript(read_reply(SERVICE, dict(RUN_AS, username='svc-vmm@corp.example.com'), ours=True))
    assert run_action(ActionModule, ARGS, remote)['changed'] is False


@pytest.mark.parametrize('missing', ['run_as_username', 'run_as_password'])
def test_missing_account_needs_a_credential(missing):
    args = dict(ARGS)
    del args[missing]
    remote = RemoteScript(read_reply(user=missing != 'run_as_username'))
    with pytest.raises(AnsibleActionFail, match="Run As account 'IPAM Run As' does not exist.*run_as_username and run_as_password"):
        run_action(ActionModule, args, remote)
    assert remote.modes == ['read']


def test_unresolvable_user_fails_after_one_read():
    reply = read_reply()
    reply['run_as_user'] = {'input': 'CORP\\nosuch', 'sid': None, 'name': None,
                            'error': 'No mapping between account names and security IDs was done.'}
    remote = RemoteScript(reply)
    with pytest.raises(AnsibleActionFail, match="does not resolve.*No mapping"):
        run_action(ActionModule, dict(ARGS, run_as_username='CORP\\nosuch'), remote)
    assert remote.modes == ['read']


def test_unknown_host_group_fails_naming_the_known_ones():
    groups = [{'input': 'Nope', 'id': None, 'name': None, 'path': None, 'error': 'not_found', 'candidates': []}]
    remote = RemoteScript(read_reply(groups=groups))
    with pytest.raises(AnsibleActionFail, match=r"host group 'Nope' does not exist.*All Hosts\\Production.*nothing was changed"):
        run_action(ActionModule, dict(ARGS, host_groups=['Nope']), remote)
    assert remote.modes == ['read']


def test_ambiguous_host_group_asks_for_its_path():
    groups = [{'input': 'Hyper-V', 'id': None, 'name': None, 'path': None, 'error': 'ambiguous',
               'candidates': ['All Hosts\\Lab\\Hyper-V', 'All Hosts\\Production\\Hyper-V']}]
    remote = RemoteScript(read_reply(groups=groups))
    with pytest.raises(AnsibleActionFail, match='matches several host groups.*give its path'):
        run_action(ActionModule, dict(ARGS, host_groups=['Hyper-V']), remote)


def test_service_of_another_model_is_never_taken_over():
    remote = RemoteScript(read_reply(dict(SERVICE, model='Microsoft Network Controller'), RUN_AS))
    with pytest.raises(AnsibleActionFail, match="is a Microsoft 'Microsoft Network Controller' service, not IPAM"):
        run_action(ActionModule, ARGS, remote)
    remote = RemoteScript(read_reply(dict(SERVICE, model='Microsoft Network Controller'), RUN_AS))
    result = run_action(ActionModule, {'state': 'absent'}, remote)
    assert result['changed'] is False and 'left in place' in result['warnings'][0]


def test_absent_removes_the_service_and_the_account_it_created():
    remote = RemoteScript(read_reply(SERVICE, RUN_AS, ours=True), apply_reply(None, None, ours=False))
    result = run_action(ActionModule, {'state': 'absent'}, remote, diff=True)
    assert remote.calls[0] == {'_module': 'ipam.provisioning.vmm_network_service', 'mode': 'read', 'name': 'IPAM'}
    assert remote.calls[1] == {'_module': 'ipam.provisioning.vmm_network_service', 'mode': 'apply', 'token': 'opaque-token',
                               'name': 'IPAM', 'run_as_account': 'IPAM Run As', 'service_action': 'remove',
                               'run_as_action': 'remove', 'record_run_as': False}
    assert result['deleted'] and result['run_as_removed']
    assert result['removed'] == ["network service 'IPAM'", "Run As account 'IPAM Run As'"]
    assert result['diff']['after'] == {'network_service': {'exists': False}, 'run_as': {'exists': False}}


@pytest.mark.parametrize('ours, used_by, warning', [
    (False, ['IPAM'], 'not created by ipam.provisioning'),
    (True, ['IPAM', 'Other'], 'still used by Other'),
])
def test_absent_keeps_an_account_it_must_not_remove(ours, used_by, warning):
    remote = RemoteScript(read_reply(SERVICE, dict(RUN_AS, used_by=used_by), ours=ours),
                          apply_reply(None, dict(RUN_AS, used_by=used_by[1:]), ours=ours))
    result = run_action(ActionModule, {'state': 'absent'}, remote)
    assert remote.calls[1]['service_action'] == 'remove' and 'run_as_action' not in remote.calls[1]
    assert result['run_as_removed'] is False and warning in ' '.join(result['warnings'])


def test_absent_with_nothing_left_is_one_round_trip():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'state': 'absent', 'run_as_account': 'IPAM Run As'}, remote)
    assert remote.modes == ['read'] and result['changed'] is False


def test_missing_vmm_module_fails_clearly():
    failed = {'failed': True, 'error': 'not_found',
              'msg': "The System Center VMM PowerShell module 'virtualmachinemanager' is not available on IPAM01: ..."}
    remote = RemoteScript(failed)
    with pytest.raises(AnsibleActionFail, match="virtualmachinemanager' is not available") as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'not_found' and remote.modes == ['read']


def test_remote_compare_and_swap_failure_is_surfaced_without_the_password():
    failed = {'failed': True, 'error': 'changed_since_read',
              'msg': "Network service 'IPAM' or its Run As account changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failed)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'
    assert PASSWORD not in str(info.value) and PASSWORD not in json.dumps(info.value.result)


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), apply_reply(dict(SERVICE, host_groups=[]), RUN_AS))
    with pytest.raises(AnsibleActionFail, match='is available to no host group'):
        run_action(ActionModule, ARGS, remote)


@pytest.mark.parametrize('args, message', [
    ({'run_as_account': 'IPAM Run As'}, 'ipam_server_fqdn'),
    ({'ipam_server_fqdn': 'ipam01.corp.example.com'}, 'run_as_account'),
    (dict(ARGS, ipam_server_fqdn='ipam01'), 'short name'),
    (dict(ARGS, ipam_server_fqdn='ipam01.corp.example.com:48885'), 'give the port in option port'),
    (dict(ARGS, ipam_server_fqdn='ipam_01.corp.example.com'), 'not a DNS host name'),
    (dict(ARGS, port=0), 'not a TCP port'),
    (dict(ARGS, port=70000), 'not a TCP port'),
    (dict(ARGS, host_groups=[]), 'at least one host group'),
    (dict(ARGS, host_groups=['']), 'at least one host group'),
    ({k: v for k, v in ARGS.items() if k != 'run_as_password'} | {'update_password': 'always'}, 'needs run_as_password'),
    (dict(ARGS, run_as_username='CORP\\'), 'run_as_username'),
    (dict(ARGS, update_password='sometimes'), 'update_password'),
    (dict(ARGS, name=' '), 'name must not be empty'),
    (dict(ARGS, connection_string='x'), 'connection_string'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message) as info:
        run_action(ActionModule, args, remote)
    assert remote.calls == []
    assert PASSWORD not in str(info.value)


def test_argument_spec_matches_the_documentation():
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.vmm_network_service'], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.vmm_network_service']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
