# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.dns_domain_acl import ActionModule
from harness import RemoteScript, run_action

DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
DN = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'
# What the lab seeds (winsim defaults.microsoft_dns_dacl): explicit ACEs, then an inherited object ACE.
DACL = ('D:AI(A;;SDRCWDWOCCDCLCSWRPWPDTLOCR;;;SY)(A;;RCWDWOCCDCLCSWRPWPLOCR;;;DA)'
        '(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;%s-1101)'
        '(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)'
        '(OA;CIIOID;RP;4c164200-20c0-11d0-a768-00aa006e0529;4828cc14-1437-45bc-9b07-ad6f015e5f28;RU)' % DOMAIN_SID)
INHERITED = '(OA;CIIOID;RP;'
IPAM_SID = DOMAIN_SID + '-1105'
OUR_ACE = '(A;CI;RPLCRC;;;%s)' % IPAM_SID


def read_reply(sddl=DACL, exists=True, dn=DN, principals=None, domain_role=5, recorded=()):
    host = {'name': 'DC01', 'domain_role': domain_role}
    if dn:
        host.update(domain_dn='DC=corp,DC=example,DC=com', domain_sid=DOMAIN_SID)
    return {
        'changed': False, 'distinguished_name': dn, 'exists': exists, 'sddl': sddl, 'token': sddl, 'host': host,
        'recorded': list(recorded),
        'principals': principals if principals is not None else [
            {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}],
    }


def apply_echo(args):
    return {'changed': True, 'distinguished_name': args['distinguished_name'], 'exists': True,
            'sddl': args['sddl'], 'token': args['sddl']}


ARGS = {'principals': ['CORP\\IPAM01$']}


def with_ours(ace=OUR_ACE):
    return DACL.replace(INHERITED, ace + INHERITED)


def test_adds_ci_ace_before_inherited_aces_and_reports_domain_scope():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.modes == ['read', 'apply']
    assert set(remote.calls[0]) - {'_module'} == {'mode', 'principals'}  # the host resolves the default DN
    assert remote.calls[0]['_module'] == 'ipam.provisioning.dns_domain_acl'
    expected = with_ours()
    assert remote.calls[1]['sddl'] == expected
    assert remote.calls[1]['token'] == DACL
    assert remote.calls[1]['distinguished_name'] == DN  # apply names the object that was read
    assert result['changed'] is True
    assert result['added'] == [OUR_ACE]
    assert result['sddl'] == expected
    assert result['scope'] == 'domain'
    assert result['distinguished_name'] == DN
    assert result['diff'] == {'before': {'sddl': DACL}, 'after': {'sddl': expected}}


def test_the_apply_goes_to_the_domain_controller_the_read_used():
    read = dict(read_reply(domain_role=3), server='dc02.corp.example.com')
    remote = RemoteScript(read, apply_echo)
    run_action(ActionModule, ARGS, remote)
    assert remote.calls[1]['server'] == 'dc02.corp.example.com'


def test_given_distinguished_name_is_sent_on_read():
    remote = RemoteScript(read_reply(with_ours()))
    result = run_action(ActionModule, dict(ARGS, distinguished_name=DN), remote)
    assert remote.calls[0]['distinguished_name'] == DN
    assert result['changed'] is False
    assert remote.modes == ['read']


def test_ad_normalized_rights_letters_count_as_compliant():
    # Active Directory prints the mask in its own letter order; the meaning is what counts.
    remote = RemoteScript(read_reply(with_ours('(A;CI;LCRPRC;;;%s)' % IPAM_SID)))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']


def test_apply_reply_in_ad_letter_order_passes_verification():
    normalized = with_ours('(A;CI;LCRPRC;;;%s)' % IPAM_SID)
    remote = RemoteScript(read_reply(), {'changed': True, 'sddl': normalized, 'distinguished_name': DN})
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is True
    assert result['sddl'] == normalized  # the value the host reports after writing


def test_ace_without_container_inherit_does_not_count():
    remote = RemoteScript(read_reply(with_ours('(A;;RPLCRC;;;%s)' % IPAM_SID)), apply_echo)
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is True
    assert result['added'] == [OUR_ACE]


def test_check_mode_plans_but_never_applies():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert OUR_ACE in result['sddl']


def test_absent_removes_only_our_ace():
    remote = RemoteScript(read_reply(with_ours(), recorded=[OUR_ACE]), apply_echo)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True
    assert result['sddl'] == DACL
    assert result['removed'] == [OUR_ACE]
    assert result['scope'] == 'domain'


def test_domain_admins_alias_matches_its_sid():
    # DA in the DACL is Domain Admins of the host's domain: granting the same rights to the group by SID is a no-op.
    da = [{'input': 'CORP\\Domain Admins', 'sid': DOMAIN_SID + '-512', 'name': 'CORP\\Domain Admins', 'error': None}]
    dacl = DACL.replace('(A;;RCWDWOCCDCLCSWRPWPLOCR;;;DA)', '(A;CI;RCWDWOCCDCLCSWRPWPLOCR;;;DA)')
    remote = RemoteScript(read_reply(dacl, principals=da))
    result = run_action(ActionModule, dict(ARGS, principals=['CORP\\Domain Admins']), remote)
    assert result['changed'] is False


def test_missing_object_fails_with_microsofts_advice():
    remote = RemoteScript(read_reply(sddl=None, exists=False))
    with pytest.raises(AnsibleActionFail) as info:
        run_action(ActionModule, ARGS, remote, hostname='dc01')
    message = str(info.value)
    assert "on dc01" in message and "'%s' does not exist" % DN in message
    assert 'not domain controllers' in message and 'local Administrators' in message and 'S-1-5-32-544' in message
    assert 'nothing was changed' in message
    assert remote.modes == ['read']


def test_host_outside_a_domain_fails_clearly():
    remote = RemoteScript(read_reply(sddl=None, exists=False, dn=None, domain_role=2))
    with pytest.raises(AnsibleActionFail, match='not a member of an Active Directory domain.*local Administrators'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_corrupt_dacl_fails_and_is_not_rewritten():
    remote = RemoteScript(read_reply(sddl='D:AI(A;;RP;;;SY'))
    with pytest.raises(AnsibleActionFail, match='not valid SDDL'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_unresolved_principal_fails_with_its_name():
    bad = [{'input': 'CORP\\nosuch$', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"nosuch\$' could not be resolved"):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\nosuch$']), remote)
    assert remote.modes == ['read']


def test_broad_principal_refused_unless_allowed():
    users = [{'input': 'CORP\\Domain Users', 'sid': DOMAIN_SID + '-513', 'name': 'CORP\\Domain Users', 'error': None}]
    remote = RemoteScript(read_reply(principals=users), apply_echo)
    with pytest.raises(AnsibleActionFail, match='allow_broad_principals'):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\Domain Users']), remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({}, 'principals'),
    (dict(ARGS, state='gone'), 'state'),
    (dict(ARGS, rights='RP'), 'rights'),  # the ACE is fixed: no rights option
    (dict(ARGS, distinguished_name='corp.example.com'), 'distinguished_name'),
    (dict(ARGS, distinguished_name='CN=MicrosoftDNS,,DC=corp'), 'distinguished_name'),
    (dict(ARGS, principals=['CORP\\a,CORP\\b']), 'comma'),
    (dict(ARGS, token='x'), 'token'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'sddl': DACL, 'distinguished_name': DN})
    with pytest.raises(AnsibleActionFail, match='still lacks'):
        run_action(ActionModule, ARGS, remote)


def test_remote_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The DACL of '%s' changed between read and apply; nothing was written." % DN}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'
    # A host that refuses every apply: read and planned again once, then the task fails saying so.
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    assert 'retried once' in str(info.value)


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.dns_domain_acl'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.dns_domain_acl']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
