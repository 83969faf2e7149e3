# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.firewall_rules import ActionModule
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import FIREWALL_RULES_BY_TYPE
from harness import RemoteScript, run_action

RPC = 'RemoteEventLogSvc-In-TCP'
EPMAP = 'RemoteEventLogSvc-RPCSS-In-TCP'
SMB = 'FPS-SMB-In-TCP'
GROUP = '@FirewallAPI.dll,-29252'
# de-DE display names (windows-defaults.md 4b): results must carry them, Names stay invariant.
GERMAN = {RPC: 'Remote-Ereignisprotokollverwaltung (RPC)', EPMAP: 'Remote-Ereignisprotokollverwaltung (RPC-EPMAP)',
          SMB: 'Datei- und Druckerfreigabe (SMB eingehend)'}


def rule(name, enabled, exists=True, source='Local'):
    """A rule as the remote half reads it from the effective policy; source 'GroupPolicy' when a GPO delivers it."""
    if not exists:
        return {'name': name, 'exists': False, 'enabled': False, 'display_name': None, 'group': None, 'display_group': None,
                'source': None}
    return {'name': name, 'exists': True, 'enabled': enabled, 'display_name': GERMAN.get(name, name),
            'group': GROUP, 'display_group': 'Remote-Ereignisprotokollverwaltung', 'source': source}


def read_reply(*rules, recorded=()):
    return {'changed': False, 'token': 'opaque-token', 'host': {'name': 'DNS01', 'domain_role': 3},
            'rules': [dict(r) for r in rules], 'recorded': list(recorded)}


def apply_echo(current, recorded=()):
    """An apply reply that does what was asked to the rules in current."""
    def reply(args):
        state = {r['name']: dict(r) for r in current}
        for name in args.get('enable') or []:
            state[name]['enabled'] = True
        for name in args.get('disable') or []:
            state[name]['enabled'] = False
        record = [n for n in recorded if n not in (args.get('record_remove') or [])] + list(args.get('record_add') or [])
        return {'changed': True, 'token': 'new', 'rules': [state[n] for n in args['names']], 'recorded': record}
    return reply


ARGS = {'names': [RPC, EPMAP]}


def test_present_enables_disabled_rules_and_records_only_those():
    current = [rule(RPC, False), rule(EPMAP, True)]
    remote = RemoteScript(read_reply(*current), apply_echo(current))
    result = run_action(ActionModule, ARGS, remote, diff=True)
    assert remote.modes == ['read', 'apply']
    apply = remote.calls[1]
    assert apply['token'] == 'opaque-token'
    assert apply['names'] == [RPC, EPMAP]
    assert apply['enable'] == [RPC] and apply['record_add'] == [RPC]
    assert 'disable' not in apply and 'record_remove' not in apply
    assert result['enabled'] == [RPC] and result['disabled'] == [] and result['kept'] == []
    assert result['recorded'] == [RPC]
    assert [r['display_name'] for r in result['rules']] == [GERMAN[RPC], GERMAN[EPMAP]]
    assert all(r['enabled'] for r in result['rules'])
    assert result['diff'] == {'before': {'rules': {RPC: False, EPMAP: True}}, 'after': {'rules': {RPC: True, EPMAP: True}}}


def test_compliant_host_costs_one_round_trip():
    remote = RemoteScript(read_reply(rule(RPC, True), rule(EPMAP, True)))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read'] and result['changed'] is False


def test_check_mode_plans_but_never_applies():
    remote = RemoteScript(read_reply(rule(RPC, False), rule(EPMAP, False)))
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert remote.modes == ['read']
    assert result['changed'] is True
    assert result['enabled'] == [RPC, EPMAP] and result['recorded'] == [RPC, EPMAP]
    assert all(r['enabled'] for r in result['rules'])


def test_present_reenables_a_recorded_rule_without_recording_it_twice():
    current = [rule(RPC, False), rule(EPMAP, True)]
    remote = RemoteScript(read_reply(*current, recorded=[RPC]), apply_echo(current, [RPC]))
    run_action(ActionModule, ARGS, remote)
    assert remote.calls[1]['enable'] == [RPC] and 'record_add' not in remote.calls[1]


def test_absent_disables_only_recorded_rules_and_keeps_the_others():
    current = [rule(RPC, True), rule(EPMAP, True), rule(SMB, True)]
    remote = RemoteScript(read_reply(*current, recorded=[RPC, EPMAP, 'Other-Rule']), apply_echo(current, [RPC, EPMAP, 'Other-Rule']))
    result = run_action(ActionModule, {'names': [RPC, EPMAP, SMB], 'state': 'absent'}, remote, diff=True)
    apply = remote.calls[1]
    assert apply['disable'] == [RPC, EPMAP] and apply['record_remove'] == [RPC, EPMAP]
    assert 'enable' not in apply and 'record_add' not in apply
    assert result['disabled'] == [RPC, EPMAP]
    assert [k['name'] for k in result['kept']] == [SMB]
    assert 'not in HKLM:\\SOFTWARE\\ipam.provisioning FirewallRulesEnabled' in result['kept'][0]['reason']
    assert result['kept'][0]['display_name'] == GERMAN[SMB]
    assert result['recorded'] == ['Other-Rule']  # entries of other tasks stay
    assert result['diff']['after'] == {'rules': {RPC: False, EPMAP: False, SMB: True}}


def test_absent_forgets_a_recorded_rule_someone_already_disabled():
    current = [rule(RPC, False)]
    remote = RemoteScript(read_reply(*current, recorded=[RPC]), apply_echo(current, [RPC]))
    result = run_action(ActionModule, {'names': [RPC], 'state': 'absent'}, remote)
    assert 'disable' not in remote.calls[1] and remote.calls[1]['record_remove'] == [RPC]
    assert result['changed'] is True and result['disabled'] == []


def test_absent_with_nothing_recorded_changes_nothing():
    remote = RemoteScript(read_reply(rule(SMB, True), rule(RPC, False)))
    result = run_action(ActionModule, {'names': [SMB, RPC], 'state': 'absent'}, remote)
    assert remote.modes == ['read'] and result['changed'] is False
    assert [k['name'] for k in result['kept']] == [SMB]  # a disabled, unrecorded rule is not "kept"


def test_record_matching_is_case_insensitive():
    current = [rule(RPC, True)]
    remote = RemoteScript(read_reply(*current, recorded=[RPC.lower()]), apply_echo(current, [RPC.lower()]))
    run_action(ActionModule, {'names': [RPC], 'state': 'absent'}, remote)
    assert remote.calls[1]['disable'] == [RPC]


def test_missing_rule_fails_naming_it_after_one_read():
    remote = RemoteScript(read_reply(rule(RPC, False), rule('No-Such-Rule', False, exists=False)))
    with pytest.raises(AnsibleActionFail, match="no firewall rule with Name 'No-Such-Rule' exists; nothing was changed"):
        run_action(ActionModule, {'names': [RPC, 'No-Such-Rule']}, remote)
    assert remote.modes == ['read']


def test_server_types_expand_to_catalog_names_once_each():
    names = list(dict.fromkeys(FIREWALL_RULES_BY_TYPE['dhcp'] + FIREWALL_RULES_BY_TYPE['dc']))
    remote = RemoteScript(read_reply(*[rule(n, True) for n in names]))
    result = run_action(ActionModule, {'server_types': ['dc', 'dhcp']}, remote)
    assert remote.calls[0]['names'] == names
    assert result['changed'] is False
    assert result['invocation']['module_args']['server_types'] == ['dc', 'dhcp']


def test_duplicate_names_are_sent_once():
    remote = RemoteScript(read_reply(rule(RPC, True)))
    run_action(ActionModule, {'names': [RPC, RPC.upper()]}, remote)
    assert remote.calls[0]['names'] == [RPC]


def test_host_disagreeing_after_apply_is_reported():
    current = [rule(RPC, False)]
    remote = RemoteScript(read_reply(*current), {'changed': True, 'rules': current, 'recorded': [RPC]})
    with pytest.raises(AnsibleActionFail, match='do not have the planned Enabled state'):
        run_action(ActionModule, {'names': [RPC]}, remote)


def test_rule_group_policy_enables_is_compliant():
    remote = RemoteScript(read_reply(rule(RPC, True, source='GroupPolicy'), rule(EPMAP, True)))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read'] and result['changed'] is False and result['enabled'] == []


def test_rule_group_policy_disables_fails_after_one_read():
    remote = RemoteScript(read_reply(rule(RPC, False, source='GroupPolicy'), rule(EPMAP, False)))
    with pytest.raises(AnsibleActionFail, match="Group Policy disables firewall rule.s. '%s'.*nothing was changed" % RPC):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_absent_disables_the_local_rule_of_a_recorded_rule_group_policy_keeps_in_force():
    current = [rule(RPC, True, source='GroupPolicy'), rule(EPMAP, False, source='GroupPolicy')]

    def reply(args):
        # The local rules are disabled; the effective policy still shows the GPO's rules.
        return {'changed': True, 'token': 'new', 'rules': [dict(r) for r in current],
                'recorded': [n for n in [RPC, EPMAP] if n not in args['record_remove']]}
    remote = RemoteScript(read_reply(*current, recorded=[RPC, EPMAP]), reply)
    result = run_action(ActionModule, {'names': [RPC, EPMAP], 'state': 'absent'}, remote, diff=True)
    apply = remote.calls[1]
    # Both local rules this collection enabled are disabled, whatever the GPO shows for them.
    assert apply['disable'] == [RPC, EPMAP] and apply['record_remove'] == [RPC, EPMAP]
    assert [k['name'] for k in result['kept']] == [RPC] and 'Group Policy' in result['kept'][0]['reason']
    assert result['diff']['after'] == {'rules': {RPC: True, EPMAP: False}}
    assert [r['enabled'] for r in result['rules']] == [True, False] and result['recorded'] == []


def test_absent_keeps_an_unrecorded_rule_group_policy_enables_and_says_why():
    remote = RemoteScript(read_reply(rule(RPC, True, source='GroupPolicy')))
    result = run_action(ActionModule, {'names': [RPC], 'state': 'absent'}, remote)
    assert remote.modes == ['read'] and result['changed'] is False
    assert 'enabled by Group Policy' in result['kept'][0]['reason']


def test_remote_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': 'The firewall rules RemoteEventLogSvc-In-TCP changed between read and apply; nothing was written.'}
    remote = RemoteScript(read_reply(rule(RPC, False)), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'names': [RPC]}, remote)
    assert info.value.code == 'changed_since_read'


@pytest.mark.parametrize('args, message', [
    ({}, 'one of the following is required: names, server_types'),
    ({'names': []}, 'must not be empty'),
    ({'names': ['  ']}, 'must not be empty'),
    ({'server_types': []}, 'server_types must not be empty'),
    ({'names': [RPC], 'server_types': ['dc']}, 'mutually exclusive'),
    ({'server_types': ['web']}, 'server_types'),
    ({'names': ['RemoteEventLog*']}, 'wildcard'),
    ({'names': [RPC], 'state': 'enabled'}, 'state'),
    ({'names': [RPC], 'principals': ['CORP\\IPAM01$']}, 'principals'),
    ({'names': [RPC], 'enable': [RPC]}, 'enable'),  # the internal protocol is not a user option
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply(rule(RPC, True)))
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION (with its fragments) must describe the same options."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.firewall_rules'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.firewall_rules']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
