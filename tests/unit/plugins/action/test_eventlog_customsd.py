# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.eventlog_customsd import ActionModule
from harness import RemoteScript, run_action

# Documented default of System-isolation logs (ipam-facts.md section 5), what the lab seeds for 'DNS Server'.
CUSTOMSD = ('O:BAG:SYD:(A;;0xf0007;;;SY)(A;;0x7;;;BA)(A;;0x3;;;BO)(A;;0x5;;;SO)(A;;0x1;;;IU)(A;;0x3;;;SU)'
            '(A;;0x1;;;S-1-5-3)(A;;0x2;;;S-1-5-33)(A;;0x1;;;S-1-5-32-573)')
IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1105'
OUR_ACE = '(A;;0x1;;;%s)' % IPAM_SID
KEY = r'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\DNS Server'


def read_reply(sddl=CUSTOMSD, exists=True, principals=None, recorded=()):
    return {
        'recorded': list(recorded),
        'changed': False, 'exists': exists, 'sddl': sddl, 'token': sddl,
        'host': {'name': 'DNS01', 'domain_role': 3},
        'principals': principals if principals is not None else [
            {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}],
    }


def apply_echo(args):
    return {'changed': True, 'exists': True, 'sddl': args['sddl'], 'token': args['sddl']}


ARGS = {'principals': ['CORP\\IPAM01$']}


def test_defaults_address_the_dns_server_log_and_append_the_read_ace():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0]['log'] == 'DNS Server'
    assert set(remote.calls[0]) - {'_module'} == {'mode', 'log', 'principals'}
    assert remote.calls[0]['_module'] == 'ipam.provisioning.eventlog_customsd'
    expected = CUSTOMSD + OUR_ACE  # every other character kept, owner and group included
    assert remote.calls[1]['sddl'] == expected
    assert remote.calls[1]['token'] == CUSTOMSD
    assert remote.calls[1]['log'] == 'DNS Server'
    assert result['changed'] is True
    assert result['sddl'] == expected
    assert result['added'] == [OUR_ACE]
    assert result['removed'] == []
    assert result['log'] == 'DNS Server'
    assert result['key'] == KEY
    assert result['principals'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]
    assert result['diff'] == {'before': {'sddl': CUSTOMSD}, 'after': {'sddl': expected}}


def test_compliant_log_costs_one_round_trip():
    remote = RemoteScript(read_reply(CUSTOMSD + OUR_ACE))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert result['added'] == []


def test_an_ace_with_more_rights_already_covers_read():
    remote = RemoteScript(read_reply(CUSTOMSD + '(A;;0x3;;;%s)' % IPAM_SID))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']


def test_check_mode_plans_but_never_applies():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, ARGS, remote, check_mode=True, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert result['sddl'] == CUSTOMSD + OUR_ACE
    assert result['diff']['after'] == {'sddl': CUSTOMSD + OUR_ACE}


def test_absent_removes_only_our_ace():
    with_ours = CUSTOMSD.replace('(A;;0x1;;;IU)', '(A;;0x1;;;IU)' + OUR_ACE)
    remote = RemoteScript(read_reply(with_ours, recorded=[OUR_ACE]), apply_echo)
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is True
    assert result['sddl'] == CUSTOMSD
    assert result['removed'] == [OUR_ACE]
    assert result['added'] == []


def test_absent_when_not_there_is_one_round_trip():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert result['changed'] is False
    assert remote.modes == ['read']


def test_other_log_and_rights_are_sent_and_used():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, dict(ARGS, log='Directory Service', rights='0x3'), remote)
    assert remote.calls[0]['log'] == 'Directory Service'
    assert result['added'] == ['(A;;0x3;;;%s)' % IPAM_SID]
    assert result['key'] == r'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Directory Service'


def test_missing_log_fails_after_read_naming_log_and_host():
    remote = RemoteScript(read_reply(sddl=None, exists=False))
    with pytest.raises(AnsibleActionFail) as info:
        run_action(ActionModule, ARGS, remote, hostname='dns01')
    message = str(info.value)
    assert "on dns01" in message and "event log 'DNS Server' does not exist" in message
    assert 'DNS Server role may not be installed' in message and 'nothing was changed' in message
    assert remote.modes == ['read']


def test_missing_other_log_does_not_blame_the_dns_role():
    remote = RemoteScript(read_reply(sddl=None, exists=False))
    with pytest.raises(AnsibleActionFail, match="event log 'No Such Log' does not exist") as info:
        run_action(ActionModule, dict(ARGS, log='No Such Log'), remote)
    assert 'DNS Server role' not in str(info.value)


def test_missing_customsd_value_fails_and_invents_nothing():
    remote = RemoteScript(read_reply(sddl=None, exists=True))
    with pytest.raises(AnsibleActionFail, match="has no CustomSD value.*never writes a whole descriptor"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_corrupt_customsd_fails_and_is_not_rewritten():
    corrupt = 'O:BAG:SYD:(A;;0x1;;;S-1-5-32-573'
    remote = RemoteScript(read_reply(sddl=corrupt))
    with pytest.raises(AnsibleActionFail, match='not valid SDDL') as info:
        run_action(ActionModule, ARGS, remote)
    assert corrupt in str(info.value)
    assert remote.modes == ['read']


def test_unresolved_principal_fails_with_its_name():
    bad = [{'input': 'CORP\\nosuch$', 'sid': None, 'name': None,
            'error': 'No mapping between account names and security IDs was done.'}]
    remote = RemoteScript(read_reply(principals=bad))
    with pytest.raises(AnsibleActionFail, match=r"nosuch\$' could not be resolved.*No mapping"):
        run_action(ActionModule, dict(ARGS, principals=['CORP\\nosuch$']), remote)
    assert remote.modes == ['read']


def test_broad_principal_refused_unless_allowed():
    everyone = [{'input': 'Everyone', 'sid': 'S-1-1-0', 'name': 'Everyone', 'error': None}]
    remote = RemoteScript(read_reply(principals=everyone), apply_echo)
    with pytest.raises(AnsibleActionFail, match='allow_broad_principals'):
        run_action(ActionModule, dict(ARGS, principals=['Everyone']), remote)
    assert remote.modes == ['read']
    result = run_action(ActionModule, dict(ARGS, principals=['Everyone'], allow_broad_principals=True), remote)
    assert '(A;;0x1;;;S-1-1-0)' in result['sddl']


@pytest.mark.parametrize('args, message', [
    ({}, 'principals'),
    (dict(ARGS, state='gone'), 'state'),
    (dict(ARGS, rights='QQ'), 'rights'),
    (dict(ARGS, log=''), 'log'),
    (dict(ARGS, log='DNS Server\\..\\Security'), 'log'),
    (dict(ARGS, log=' DNS Server'), 'log'),
    (dict(ARGS, principals=['CORP\\a,CORP\\b']), 'comma'),
    (dict(ARGS, mode='apply'), 'mode'),
    (dict(ARGS, sddl='O:BAG:SYD:'), 'sddl'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'sddl': CUSTOMSD})
    with pytest.raises(AnsibleActionFail, match='still lacks'):
        run_action(ActionModule, ARGS, remote)


def test_remote_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "CustomSD of event log 'DNS Server' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote, hostname='dns01')
    assert info.value.code == 'changed_since_read'
    assert 'on dns01' in str(info.value)
    # A host that refuses every apply: read and planned again once, then the task fails saying so.
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    assert 'retried once' in str(info.value)


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.eventlog_customsd'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.eventlog_customsd']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
