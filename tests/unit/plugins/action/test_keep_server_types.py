# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""keep_server_types: a server type whose inventory group is missing, empty or misspelled is never
taken away, neither in IPAM's server inventory nor in the GPO security filtering (issue #10, item 7:
with ``dhcp_server`` instead of ``dhcp_servers``, dc01's record went from DNS+DHCP to DNS only)."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_gpo_provisioning import ActionModule as GpoAction
from ansible_collections.ipam.provisioning.plugins.action.ipam_server_inventory import ActionModule as InventoryAction
from harness import RemoteScript, run_action

DC01 = 'dc01.corp.example.com'
DNS01 = 'dns01.corp.example.com'


def server(name, roles, manageability='Managed'):
    return {'name': name, 'exists': True, 'server_types': roles, 'manageability': manageability,
            'overall': 'Unblocked', 'domain': 'corp.example.com'}


def inventory_read(*servers):
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'servers': list(servers), 'token': 'tok'}


def test_without_keep_a_missing_type_is_removed_as_before():
    """What happened in the issue: the request leaves DHCP out and IPAM loses it."""
    read = inventory_read(server(DC01, ['DC', 'DNS', 'DHCP']))
    remote = RemoteScript(read)
    result = run_action(InventoryAction, {'servers': [{'name': DC01, 'server_types': ['dc', 'dns'],
                                                       'manageability': 'managed'}]}, remote, check_mode=True)
    assert result['changed'] is True
    assert result['servers'][0]['after']['server_types'] == ['dns', 'dc']


def test_a_kept_type_is_not_removed_and_the_task_says_so():
    read = inventory_read(server(DC01, ['DC', 'DNS', 'DHCP']))
    remote = RemoteScript(read)
    args = {'servers': [{'name': DC01, 'server_types': ['dc', 'dns'], 'keep_server_types': ['dhcp'],
                         'manageability': 'managed'}]}
    result = run_action(InventoryAction, args, remote)
    assert remote.modes == ['read']                      # nothing to write: IPAM stays as it is
    assert result['changed'] is False
    assert result['servers'][0]['after'] == {'server_types': ['dhcp', 'dns', 'dc'], 'manageability': 'managed'}
    assert result['warnings'] == ['ipam.provisioning.ipam_server_inventory on host1: IPAM keeps server types that '
                                  'server_types leaves out, because keep_server_types names them: %s (DHCP)' % DC01]


def test_a_kept_type_is_kept_while_another_change_is_applied():
    read = inventory_read(server(DC01, ['DC', 'DNS', 'DHCP'], 'Unspecified'))

    def apply(args):
        assert args['set'] == [{'name': DC01, 'manageability': 'Managed'}]     # no server_types: they stay
        return {'changed': True, 'servers': [server(DC01, ['DC', 'DNS', 'DHCP'], 'Managed')]}
    result = run_action(InventoryAction, {'servers': [{'name': DC01, 'server_types': ['dc', 'dns'], 'keep_server_types': ['dhcp'],
                                                       'manageability': 'managed'}]}, RemoteScript(read, apply))
    assert result['changed'] is True


def test_keep_never_adds_a_type_and_never_blocks_one_the_request_gives():
    read = inventory_read(server(DNS01, ['DNS']))
    result = run_action(InventoryAction, {'servers': [{'name': DNS01, 'server_types': ['dns'], 'keep_server_types': ['dhcp', 'nps'],
                                                       'manageability': 'managed'}]}, RemoteScript(read))
    assert result['changed'] is False and 'warnings' not in result
    read = inventory_read(server(DNS01, ['DNS']))
    result = run_action(InventoryAction, {'servers': [{'name': DNS01, 'server_types': ['dns', 'dhcp'], 'keep_server_types': ['dhcp'],
                                                       'manageability': 'managed'}]}, RemoteScript(read), check_mode=True)
    assert result['servers'][0]['after']['server_types'] == ['dhcp', 'dns']


def test_keep_does_not_change_manageability():
    """Only the request's manageability (the host's own ipam_state) decides Managed or Unmanaged."""
    read = inventory_read(server(DC01, ['DC', 'DNS', 'DHCP']))
    result = run_action(InventoryAction, {'servers': [{'name': DC01, 'server_types': ['dc'], 'keep_server_types': ['dhcp', 'dns']}]},
                        RemoteScript(read))
    assert result['changed'] is False
    assert result['servers'][0]['after']['manageability'] == 'managed'


def test_keep_with_state_absent_is_refused():
    with pytest.raises(AnsibleActionFail, match='keep_server_types does not apply'):
        run_action(InventoryAction, {'servers': [{'name': DC01, 'state': 'absent', 'keep_server_types': ['dhcp']}]},
                   RemoteScript(inventory_read()))


# ---------------------------------------------------------------------------- the GPO method
D = 'S-1-5-21-1004336348-1177238915-682003330'
DC01_ACCOUNT = {'input': DC01, 'sid': D + '-1200', 'name': 'CORP\\DC01$', 'sam': 'DC01$', 'error': None}
IPAMUG = {'sid': D + '-1105', 'name': 'CORP\\IPAMUG', 'type': 'Group', 'level': 'GpoEditDeleteModifySecurity'}
DC01_APPLY = {'sid': DC01_ACCOUNT['sid'], 'name': 'CORP\\DC01$', 'type': 'Computer', 'level': 'GpoApply'}


def gpo_read():
    gpos = [{'name': 'IPAM_%s' % s, 'suffix': s, 'exists': True, 'id': '{%s}' % s, 'created_by_collection': True,
             'permissions': [IPAMUG, DC01_APPLY]} for s in ('DHCP', 'DNS', 'DC_NPS')]
    return {'changed': False, 'token': 't', 'host': {'name': 'IPAM01', 'domain_role': 3},
            'ipam': {'installed': True, 'provisioning_method': 'Manual', 'gpo_prefix': None, 'error': None},
            'domain': {'name': 'corp.example.com', 'exists': True, 'dn': 'DC=corp,DC=example,DC=com', 'error': None},
            'gpos': gpos, 'servers': [dict(DC01_ACCOUNT)], 'principals': [], 'ipam_like_gpos': []}


def test_gpo_without_keep_takes_the_server_out_of_the_dhcp_gpo_as_before():
    result = run_action(GpoAction, {'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
                                    'managed_servers': [{'name': DC01, 'server_types': ['dc', 'dns']}]},
                        RemoteScript(gpo_read()), check_mode=True)
    assert [r['gpo'] for r in result['removed']] == ['IPAM_DHCP']


def test_gpo_keeps_the_server_in_the_gpo_of_a_kept_type():
    remote = RemoteScript(gpo_read())
    result = run_action(GpoAction, {'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
                                    'managed_servers': [{'name': DC01, 'server_types': ['dc', 'dns'],
                                                         'keep_server_types': ['dhcp']}]}, remote)
    assert result['changed'] is False and result['removed'] == []
    assert remote.modes == ['read']
