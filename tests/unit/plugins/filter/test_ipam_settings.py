# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter.ipam_settings import FilterModule, ipam_settings
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS_BY_ID, settings_for


def ids(settings, action='apply'):
    return [s['id'] for s in settings if s['action'] == action]


def test_registered_under_its_name():
    assert FilterModule().filters() == {'ipam_settings': ipam_settings}


def test_dc_with_dhcp_and_dns_gets_each_setting_once_with_domain_scope_for_shared_objects():
    settings = ipam_settings(['dhcp', 'dns', 'dc'], domain_role=5)
    assert ids(settings) == [s['id'] for s in settings_for(['dhcp', 'dns', 'dc'], 5)]
    assert len(ids(settings)) == len(set(ids(settings)))
    scopes = {s['id']: s['scope'] for s in settings}
    assert scopes['event_log_readers'] == scopes['dhcp_users'] == scopes['dns_domain_acl'] == 'domain'
    assert scopes['dhcp_service_acl'] == scopes['dns_firewall'] == 'host'
    assert 'dns_local_administrators' not in scopes          # a DC never needs local Administrators
    readers = next(s for s in settings if s['id'] == 'event_log_readers')
    assert readers['server_types'] == ['dhcp', 'dns', 'dc']
    assert readers['module'] == 'group_membership'
    assert readers['title'] == SETTINGS_BY_ID['event_log_readers']['title']


def test_member_dhcp_server_groups_are_local():
    settings = ipam_settings(['dhcp'], domain_role=3)
    assert {s['scope'] for s in settings} == {'host'}
    assert 'dns_domain_acl' not in ids(settings)


def test_standalone_dns_lists_local_administrators_as_not_applicable_unless_asked():
    settings = ipam_settings(['dns'], domain_role=3)
    skipped = [s for s in settings if s['action'] == 'not_applicable']
    assert [s['id'] for s in skipped] == ['dns_local_administrators']
    assert 'ipam_dns_standalone_admin: true' in skipped[0]['reason']
    assert skipped[0]['opt_in'] == 'ipam_dns_standalone_admin'
    asked = ipam_settings(['dns'], domain_role=3, opt_ins={'ipam_dns_standalone_admin': True})
    assert 'dns_local_administrators' in ids(asked)
    assert ids(ipam_settings(['dns'], None, ['ipam_dns_standalone_admin'])) == ids(asked)
    assert ids(ipam_settings(['dns'], None, {'ipam_dns_standalone_admin': False}), 'not_applicable') == ['dns_local_administrators']


def test_no_types_no_settings():
    assert ipam_settings([]) == []


@pytest.mark.parametrize('types, role, message', [
    ('dhcp', None, 'expected a list'),
    (['dhcp', 'wins'], None, 'unknown server type.*wins'),
    (['dhcp'], 'dc', 'domain_role'),
])
def test_bad_input_is_refused(types, role, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ipam_settings(types, domain_role=role)
