# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_server_groups: a missing, empty or misspelled server-type group never costs a server its type."""
from __future__ import annotations

from unittest import mock

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter import ipam_server_groups as plugin
from ansible_collections.ipam.provisioning.plugins.filter.ipam_server_groups import (
    FilterModule,
    ipam_server_groups,
    looks_like,
)

TYPE_GROUPS = {'dhcp': 'dhcp_servers', 'dns': 'dns_servers', 'dc': 'domain_controllers', 'nps': 'nps_servers'}
LAB = {
    'all': ['dc01', 'dc02', 'dhcp01', 'dns01', 'nps01', 'ipam01'], 'ungrouped': [], 'windows': ['dc01', 'dc02'],
    'domain_controllers': ['dc01', 'dc02'], 'dhcp_servers': ['dc01', 'dhcp01'], 'dns_servers': ['dc01', 'dc02', 'dns01'],
    'nps_servers': ['nps01'], 'ipam_servers': ['ipam01'], 'vmm_servers': [],
}


def with_typo(**groups):
    found = {k: v for k, v in LAB.items() if k != 'dhcp_servers'}
    found.update(groups)
    return found


def test_registered_under_its_name():
    assert FilterModule().filters() == {'ipam_server_groups': ipam_server_groups}


def test_a_correct_inventory_keeps_nothing_and_warns_about_nothing():
    assert ipam_server_groups(LAB, TYPE_GROUPS) == {'missing': [], 'lookalikes': [], 'keep_all': [], 'keep_by_host': {},
                                                    'warnings': []}


def test_the_issue_typo_dhcp_server_keeps_dhcp_and_names_the_group_it_means():
    """The inventory of issue #10, item 7: dhcp_server instead of dhcp_servers."""
    found = ipam_server_groups(with_typo(dhcp_server=['dc01', 'dhcp01']), TYPE_GROUPS)
    assert found['missing'] == [{'server_type': 'dhcp', 'group': 'dhcp_servers'}]
    assert found['keep_all'] == ['dhcp']           # dc01 keeps DHCP in IPAM: dhcp_servers says nothing
    assert found['lookalikes'] == [{'group': 'dhcp_server', 'meant': ['dhcp_servers'], 'hosts': ['dc01', 'dhcp01']}]
    assert found['keep_by_host'] == {'dc01': ['dhcp'], 'dhcp01': ['dhcp']}
    [warning] = found['warnings']
    assert "inventory group 'dhcp_server' (hosts: dc01, dhcp01)" in warning
    assert "did you mean 'dhcp_servers'?" in warning
    assert 'DHCP' in warning


@pytest.mark.parametrize('name, meant', [
    ('dhcp_server', 'dhcp_servers'),          # singular
    ('dns_server', 'dns_servers'),
    ('domain_controller', 'domain_controllers'),
    ('nps_server', 'nps_servers'),
    ('ipam_server', 'ipam_servers'),
    ('DHCP_Servers', 'dhcp_servers'),         # case
    ('dhcp-servers', 'dhcp_servers'),         # separator
    ('dhcpservers', 'dhcp_servers'),
    ('dhpc_servers', 'dhcp_servers'),         # transposition
    ('dns_sevrers', 'dns_servers'),
    ('domain_controler', 'domain_controllers'),   # distance 2, first word intact
    ('domain_controler_', 'domain_controllers'),
    ('dhcp_sever', 'dhcp_servers'),
    ('dsn_server', 'dns_servers'),            # distance 2, first word one transposition away
])
def test_look_alikes_are_reported(name, meant):
    groups = dict(LAB, **{name: ['dhcp01']})
    found = ipam_server_groups(groups, TYPE_GROUPS)
    assert [(entry['group'], entry['meant']) for entry in found['lookalikes']] == [(name, [meant])]
    assert "'%s'" % meant in found['warnings'][0]


@pytest.mark.parametrize('name', [
    'ntp_servers', 'web_servers', 'sql_servers', 'file_servers', 'vmm_servers', 'windows', 'dhcp_servers_old',
    'site_a', 'dhcp', 'servers', 'dcs',
])
def test_other_groups_are_not_taken_for_ours(name):
    groups = dict(LAB, **{name: ['dhcp01']})
    assert ipam_server_groups(groups, TYPE_GROUPS)['lookalikes'] == []


def test_our_own_names_are_never_look_alikes():
    assert looks_like('dhcp_servers', 'dhcp_servers') is None
    assert looks_like('dns_servers', 'nps_servers') is None    # two edits apart, both in the first word
    assert ipam_server_groups(LAB, TYPE_GROUPS)['lookalikes'] == []


def test_an_empty_or_missing_group_keeps_its_type_for_everyone_without_a_warning():
    groups = dict(LAB, nps_servers=[])
    del groups['domain_controllers']
    found = ipam_server_groups(groups, TYPE_GROUPS)
    assert found['missing'] == [{'server_type': 'dc', 'group': 'domain_controllers'},
                                {'server_type': 'nps', 'group': 'nps_servers'}]
    assert found['keep_all'] == ['dc', 'nps']
    assert found['warnings'] == [] and found['keep_by_host'] == {}


def test_a_partial_typo_keeps_the_type_of_its_hosts_only():
    """dhcp_servers exists (dc01) but dhcp01 was put in dhcp_server: only dhcp01 keeps DHCP."""
    found = ipam_server_groups(dict(LAB, dhcp_servers=['dc01'], dhcp_server=['dhcp01']), TYPE_GROUPS)
    assert found['keep_all'] == []
    assert found['keep_by_host'] == {'dhcp01': ['dhcp']}


def test_a_look_alike_of_ipam_servers_keeps_no_server_type():
    found = ipam_server_groups(dict(LAB, ipam_server=['ipam02']), TYPE_GROUPS)
    assert found['lookalikes'] == [{'group': 'ipam_server', 'meant': ['ipam_servers'], 'hosts': ['ipam02']}]
    assert found['keep_by_host'] == {}
    assert 'not treated as members of ipam_servers' in found['warnings'][0]


def test_custom_group_names_are_ours():
    custom = dict(TYPE_GROUPS, dhcp='dhcp_hosts')
    groups = dict(LAB, dhcp_hosts=LAB['dhcp_servers'])
    del groups['dhcp_servers']
    assert ipam_server_groups(groups, custom)['lookalikes'] == []
    found = ipam_server_groups(dict(groups, dhcp_host=['dhcp02']), custom)
    assert found['lookalikes'][0]['meant'] == ['dhcp_hosts']


def test_warn_prints_each_warning_and_returns_the_same():
    with mock.patch.object(plugin.display, 'warning') as warning:
        found = ipam_server_groups(with_typo(dhcp_server=['dhcp01']), TYPE_GROUPS, warn=True)
    assert [c.args[0] for c in warning.call_args_list] == found['warnings']
    with mock.patch.object(plugin.display, 'warning') as warning:
        ipam_server_groups(with_typo(dhcp_server=['dhcp01']), TYPE_GROUPS)
    warning.assert_not_called()


@pytest.mark.parametrize('groups, type_groups', [
    (['dc01'], TYPE_GROUPS),
    (LAB, {'dhcp': 'dhcp_servers', 'web': 'web_servers'}),
    (LAB, 'dhcp_servers'),
])
def test_bad_input_is_refused(groups, type_groups):
    with pytest.raises(AnsibleFilterError):
        ipam_server_groups(groups, type_groups)
