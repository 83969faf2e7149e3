# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_server_inventory import ActionModule
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_server_vocabulary import (
    check_fqdn,
    roles_from_types,
    status_name,
    types_from_roles,
)
from harness import RemoteScript, run_action

DC01 = 'dc01.corp.example.com'
DHCP01 = 'dhcp01.corp.example.com'
NPS01 = 'nps01.corp.example.com'


def server(name, roles, manageability='Unspecified'):
    return {'name': name, 'exists': True, 'server_types': roles, 'manageability': manageability,
            'overall': 'Blocked', 'dhcp_rpc': 'Blocked', 'dns_rpc': 'Not applicable', 'dhcp_audit_share': 'Blocked',
            'event_log': 'Blocked', 'recommended_action': 'Set Manageability Status', 'domain': 'corp.example.com'}


def read_reply(*servers, missing=()):
    entries = list(servers) + [{'name': n, 'exists': False} for n in missing]
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'servers': entries, 'token': 'tok'}


def apply_echo(read):
    """The host after applying: the read entries with add/set/remove done."""
    def apply(args):
        entries = {e['name'].lower(): dict(e) for e in read['servers']}
        for entry in args.get('add') or []:
            entries[entry['name'].lower()] = server(entry['name'], entry['server_types'],
                                                    entry.get('manageability') or 'Unspecified')
        for entry in args.get('set') or []:
            current = entries[entry['name'].lower()]
            if entry.get('server_types') is not None:
                current['server_types'] = entry['server_types']
            if entry.get('manageability') is not None:
                current['manageability'] = entry['manageability']
        for name in args.get('remove') or []:
            entries[name.lower()] = {'name': name, 'exists': False}
        return {'changed': True, 'servers': list(entries.values())}
    return apply


def test_marks_a_discovered_server_managed_with_its_types():
    read = read_reply(server(DC01, ['DC', 'DNS']))
    remote = RemoteScript(read, apply_echo(read))
    args = {'servers': [{'name': DC01, 'server_types': ['dhcp', 'dc', 'dns'], 'manageability': 'managed'}]}
    result = run_action(ActionModule, args, remote, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0]['names'] == [DC01]
    assert remote.calls[1]['set'] == [{'name': DC01, 'server_types': ['DC', 'DNS', 'DHCP'], 'manageability': 'Managed'}]
    assert 'add' not in remote.calls[1] and remote.calls[1]['token'] == 'tok'
    entry = result['servers'][0]
    assert entry['before'] == {'server_types': ['dns', 'dc'], 'manageability': 'unspecified'}
    assert entry['after'] == {'server_types': ['dhcp', 'dns', 'dc'], 'manageability': 'managed'}
    assert entry['added'] is False and entry['changed'] is True and entry['removed'] is False
    assert result['updated'] == [DC01] and result['added'] == [] and result['removed'] == []
    assert result['diff']['before'] == {'servers': {DC01: {'server_types': ['dns', 'dc'], 'manageability': 'unspecified'}}}


def test_compliant_inventory_costs_one_round_trip():
    remote = RemoteScript(read_reply(server(DC01, ['DNS', 'DC'], 'Managed'), server(DHCP01, ['DHCP'], 'Managed')))
    args = {'servers': [{'name': DC01.upper(), 'server_types': ['dc', 'dns'], 'manageability': 'managed'},
                        {'name': DHCP01, 'manageability': 'managed'}]}
    result = run_action(ActionModule, args, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert [s['changed'] for s in result['servers']] == [False, False]


def test_omitted_fields_are_kept():
    read = read_reply(server(DHCP01, ['DHCP'], 'Managed'))
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, {'servers': [{'name': DHCP01, 'manageability': 'unmanaged'}]}, remote)
    assert remote.calls[1]['set'] == [{'name': DHCP01, 'manageability': 'Unmanaged'}]
    assert result['servers'][0]['after'] == {'server_types': ['dhcp'], 'manageability': 'unmanaged'}


def test_nps_server_is_added_because_ipam_never_discovers_it():
    read = read_reply(missing=[NPS01])
    remote = RemoteScript(read, apply_echo(read))
    result = run_action(ActionModule, {'servers': [{'name': NPS01, 'server_types': ['nps'], 'manageability': 'managed'}]},
                        remote)
    assert result['changed'] is True
    assert remote.calls[1]['add'] == [{'name': NPS01, 'server_types': ['NPS'], 'manageability': 'Managed'}]
    assert result['added'] == [NPS01]
    assert result['servers'][0] == {'name': NPS01, 'before': None, 'after': {'server_types': ['nps'], 'manageability': 'managed'},
                                    'added': True, 'changed': True, 'removed': False}


def test_undiscovered_servers_fail_naming_each_with_the_hint_and_nothing_is_written():
    read = read_reply(server(DC01, ['DC']), missing=[DHCP01, 'web01.corp.example.com'])
    remote = RemoteScript(read)
    args = {'servers': [{'name': DC01, 'manageability': 'managed'},
                        {'name': DHCP01, 'server_types': ['dhcp'], 'manageability': 'managed'},
                        {'name': 'web01.corp.example.com'}]}
    with pytest.raises(AnsibleActionFail) as info:
        run_action(ActionModule, args, remote)
    message = str(info.value)
    assert 'dhcp01.corp.example.com (dhcp)' in message
    assert 'run ipam.provisioning.ipam_server_task ServerDiscovery first or check discovery domains' in message
    assert 'no server_types given to add: web01.corp.example.com' in message
    assert 'nothing was changed' in message
    assert remote.modes == ['read']


def test_check_mode_plans_and_writes_nothing():
    remote = RemoteScript(read_reply(server(DC01, ['DC']), missing=[NPS01]))
    args = {'servers': [{'name': DC01, 'manageability': 'managed'}, {'name': NPS01, 'server_types': ['nps']}]}
    result = run_action(ActionModule, args, remote, check_mode=True)
    assert result['changed'] is True and remote.modes == ['read']
    assert result['added'] == [NPS01] and result['updated'] == [DC01]
    assert result['servers'][1]['after'] == {'server_types': ['nps'], 'manageability': 'unspecified'}


def test_absent_removes_only_servers_that_are_there():
    read = read_reply(server(NPS01, ['NPS'], 'Managed'), missing=[DHCP01])
    remote = RemoteScript(read, apply_echo(read))
    args = {'servers': [{'name': NPS01, 'state': 'absent'}, {'name': DHCP01, 'state': 'absent'}]}
    result = run_action(ActionModule, args, remote)
    assert remote.calls[1]['remove'] == [NPS01]
    assert result['removed'] == [NPS01]
    assert [s['changed'] for s in result['servers']] == [True, False]
    again = RemoteScript(read_reply(missing=[NPS01, DHCP01]))
    assert run_action(ActionModule, args, again)['changed'] is False


@pytest.mark.parametrize('args, message', [
    ({'servers': []}, 'at least one server'),
    ({'servers': [{'name': 'dhcp01'}]}, "fully qualified DNS name.*not 'dhcp01'"),
    ({'servers': [{'name': 'bad name.corp'}]}, 'not a fully qualified DNS name'),
    ({'servers': [{'name': DHCP01}, {'name': DHCP01.upper()}]}, 'given twice'),
    ({'servers': [{'name': DHCP01, 'server_types': []}]}, 'at least one of'),
    ({'servers': [{'name': DHCP01, 'server_types': ['web']}]}, 'server_types'),
    ({'servers': [{'name': DHCP01, 'manageability': 'sometimes'}]}, 'manageability'),
    ({'servers': [{'name': DHCP01, 'manageability': 'managed', 'state': 'absent'}]}, 'do not apply'),
    ({'servers': [{'name': DHCP01, 'owner': 'me'}]}, 'owner'),
    ({'servers': [{'name': DHCP01}], 'names': [DHCP01]}, 'names'),   # internal protocol option
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read', 'msg': 'The IPAM server inventory entries changed between '
                                                                     'read and apply; nothing was written.'}
    remote = RemoteScript(read_reply(server(DC01, ['DC'])), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'servers': [{'name': DC01, 'manageability': 'managed'}]}, remote)
    assert info.value.code == 'changed_since_read'


def test_host_disagreeing_after_apply_is_reported():
    read = read_reply(server(DC01, ['DC']))
    remote = RemoteScript(read, {'changed': True, 'servers': read['servers']})
    with pytest.raises(AnsibleActionFail, match='differently from the plan'):
        run_action(ActionModule, {'servers': [{'name': DC01, 'manageability': 'managed'}]}, remote)


def test_helpers_map_types_and_statuses():
    assert roles_from_types(['nps', 'dhcp', 'dc']) == ['DC', 'DHCP', 'NPS']
    assert types_from_roles(['dhcp', 'DC', 'Dns']) == ['dhcp', 'dns', 'dc']
    assert status_name('NotChecked') == status_name('Not checked') == 'Not checked'
    assert status_name('notapplicable') == 'Not applicable'
    assert status_name(None) == 'Not checked'
    assert status_name('Weird') == 'Weird'
    assert check_fqdn('m', 'o', ' dc01.corp.example.com. ') == 'dc01.corp.example.com'


# --- documentation of every IPAM server module, in one ansible-doc call (it is slow to start) -------
IPAM_MODULES = ('ipam_discovery_domain', 'ipam_server_inventory', 'ipam_server_task', 'ipam_access_status',
                'ipam_custom_field', 'ipam_utilization_threshold')


def _compare(spec_options, doc_options, where):
    assert set(doc_options) == set(spec_options), where
    for name, spec in spec_options.items():
        doc = doc_options[name]
        label = '%s.%s' % (where, name)
        assert doc.get('type', 'str') == spec.get('type', 'str'), label
        assert doc.get('elements') == spec.get('elements'), label
        assert bool(doc.get('required')) == bool(spec.get('required')), label
        assert doc.get('default') == spec.get('default'), label
        assert doc.get('choices') == spec.get('choices'), label
        if spec.get('options') or doc.get('suboptions'):
            _compare(spec.get('options') or {}, doc.get('suboptions') or {}, label)


def test_argument_specs_match_the_documentation():
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    names = ['ipam.provisioning.%s' % m for m in IPAM_MODULES]
    proc = subprocess.run([exe, '--json'] + names, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)
    for module in IPAM_MODULES:
        action = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % module).ActionModule
        _compare(action.ARGUMENT_SPEC, docs['ipam.provisioning.%s' % module]['doc']['options'], module)
