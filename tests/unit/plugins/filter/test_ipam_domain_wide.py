# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_domain_wide: one leader per domain and setting; removal keeps shared settings while other DCs stay."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter.ipam_domain_wide import domain_from_name, ipam_domain_wide
from ansible_collections.ipam.provisioning.plugins.filter.ipam_settings import ipam_settings

DOMAIN = 'corp.example.com'
TYPES = {'dc01': ['dhcp', 'dns', 'dc'], 'dc02': ['dns', 'dc'], 'dc03': ['dc'], 'dhcp01': ['dhcp']}


def plan(host, state='present', domain=DOMAIN, remove=False, types=None):
    types = types if types is not None else TYPES[host]
    role = 5 if 'dc' in types else 3
    return {'host': host, 'domain': domain, 'state': state, 'remove_domain_wide': remove, 'server_types': types,
            'domain_role': role, 'settings': ipam_settings(types, role)}


def decide(host, plans, active=None, dcs=('dc01', 'dc02')):
    hostvars = {h: {'ipam_domain': DOMAIN} for h in dcs}       # the inventory sets it (the lab does)
    for host_name, host_plan in plans.items():
        hostvars.setdefault(host_name, {})['ipam_host_plan'] = host_plan
    play = list(plans)
    decided = ipam_domain_wide(plans[host], hostvars, active if active is not None else play, play, list(dcs))
    return {d['id']: (d['action'], d['leader']) for d in decided}, decided


def test_first_dc_of_the_domain_leads_and_the_others_follow():
    plans = {'dc01': plan('dc01'), 'dc02': plan('dc02'), 'dhcp01': plan('dhcp01')}
    assert decide('dc01', plans)[0] == {'event_log_readers': ('apply', 'dc01'), 'dhcp_users': ('apply', 'dc01'),
                                        'dns_domain_acl': ('apply', 'dc01')}
    assert decide('dc02', plans)[0] == {'event_log_readers': ('follow', 'dc01'), 'dns_domain_acl': ('follow', 'dc01')}
    assert decide('dhcp01', plans)[0] == {}                       # members have no domain-wide settings


def test_the_leader_is_the_first_dc_that_has_the_setting():
    # dc02 comes first but runs no DHCP: dc01 still leads DHCP Users, dc02 leads the others.
    plans = {'dc02': plan('dc02'), 'dc01': plan('dc01')}
    assert decide('dc01', plans)[0] == {'event_log_readers': ('follow', 'dc02'), 'dhcp_users': ('apply', 'dc01'),
                                        'dns_domain_acl': ('follow', 'dc02')}


def test_a_writable_dc_leads_before_a_read_only_one():
    # dc02 is a read-only DC listed first: it refers writes, so dc01 leads; with dc01 gone, dc02 leads anyway
    # (dns_domain_acl then writes through a writable DC, group changes refuse before writing).
    plans = {'dc02': dict(plan('dc02'), read_only_dc=True), 'dc01': plan('dc01')}
    assert decide('dc02', plans)[0] == {'event_log_readers': ('follow', 'dc01'), 'dns_domain_acl': ('follow', 'dc01')}
    assert decide('dc01', plans)[0]['event_log_readers'] == ('apply', 'dc01')
    assert decide('dc02', plans, active=['dc02'])[0] == {'event_log_readers': ('apply', 'dc02'),
                                                         'dns_domain_acl': ('apply', 'dc02')}


def test_a_host_without_domain_wide_settings_does_not_read_the_others():
    # Every member server calls the filter: reading the whole batch from each would be quadratic in the fleet.
    class Untouchable(dict):
        def __getitem__(self, key):
            raise AssertionError('hostvars read for %s' % key)

    assert ipam_domain_wide(plan('dhcp01'), Untouchable(), ['dc01', 'dhcp01'], ['dc01', 'dhcp01'], ['dc01']) == []


def test_an_unreachable_dc_does_not_lead():
    plans = {'dc01': plan('dc01'), 'dc02': plan('dc02')}
    assert decide('dc02', plans, active=['dc02'])[0] == {'event_log_readers': ('apply', 'dc02'), 'dns_domain_acl': ('apply', 'dc02')}


def test_each_domain_has_its_own_leader():
    plans = {'dc01': plan('dc01'), 'dc02': plan('dc02', domain='EMEA.corp.example.com')}
    assert decide('dc02', plans, dcs=('dc01', 'dc02'))[0] == {'event_log_readers': ('apply', 'dc02'),
                                                              'dns_domain_acl': ('apply', 'dc02')}


def test_removing_one_dc_keeps_domain_wide_settings_while_another_stays_managed():
    # deprovision.yml --limit dc02: dc01 is in the group but not in the play.
    plans = {'dc02': plan('dc02', state='absent')}
    summary, decided = decide('dc02', plans)
    assert summary == {'event_log_readers': ('not_applicable', None), 'dns_domain_acl': ('not_applicable', None)}
    assert 'dc01' in decided[0]['reason'] and 'ipam_remove_domain_wide: true' in decided[0]['reason']


def test_remove_domain_wide_removes_them_anyway():
    plans = {'dc02': plan('dc02', state='absent', remove=True)}
    assert decide('dc02', plans)[0] == {'event_log_readers': ('apply', 'dc02'), 'dns_domain_acl': ('apply', 'dc02')}


def test_removing_every_dc_of_the_domain_removes_them_once():
    plans = {'dc01': plan('dc01', state='absent'), 'dc02': plan('dc02', state='absent')}
    assert decide('dc01', plans)[0] == {'event_log_readers': ('apply', 'dc01'), 'dhcp_users': ('apply', 'dc01'),
                                        'dns_domain_acl': ('apply', 'dc01')}
    assert decide('dc02', plans)[0] == {'event_log_readers': ('follow', 'dc01'), 'dns_domain_acl': ('follow', 'dc01')}


def test_a_dc_outside_the_play_with_a_stale_plan_still_counts_as_managed():
    stale = plan('dc01', state='absent')                          # left by an earlier play of the run
    hostvars = {'dc01': {'ipam_host_plan': stale, 'ipam_domain': DOMAIN}, 'dc02': {'ipam_host_plan': plan('dc02', state='absent')}}
    decided = ipam_domain_wide(hostvars['dc02']['ipam_host_plan'], hostvars, ['dc02'], ['dc02'], ['dc01', 'dc02'])
    assert {d['action'] for d in decided} == {'not_applicable'}


def test_other_domains_dcs_do_not_keep_the_settings():
    hostvars = {'dc09': {'ipam_domain': 'other.example.com'}}
    mine = plan('dc02', state='absent')
    decided = ipam_domain_wide(mine, dict(hostvars, dc02={'ipam_host_plan': mine}), ['dc02'], ['dc02'], ['dc09', 'dc02'])
    assert {d['action'] for d in decided} == {'apply'}
    # ...and a DC known only by its FQDN inventory name counts for its domain.
    decided = ipam_domain_wide(mine, {'dc02': {'ipam_host_plan': mine}}, ['dc02'], ['dc02'], ['dc05.corp.example.com', 'dc02'])
    assert {d['action'] for d in decided} == {'not_applicable'}


def listing(host, *controllers, error=None):
    """The directory part of a removing DC's plan: what its own AD lists (None: unreadable)."""
    names = None if error else ['%s.%s' % (c, DOMAIN) for c in controllers]
    return {'controllers': names, 'self': None if error else '%s.%s' % (host, DOMAIN), 'error': error}


def with_directory(host, *controllers, error=None, **kwargs):
    return dict(plan(host, **kwargs), directory=listing(host, *controllers, error=error))


def test_a_slice_holding_one_dc_keeps_the_settings_the_other_dc_needs():
    # An AWX slice with only dc02, run with --limit dc02: groups['domain_controllers'] is ['dc02'].
    plans = {'dc02': with_directory('dc02', 'dc01', 'dc02', state='absent')}
    summary, decided = decide('dc02', plans, dcs=('dc02',))
    assert summary == {'event_log_readers': ('not_applicable', None), 'dns_domain_acl': ('not_applicable', None)}
    assert 'dc01.corp.example.com' in decided[0]['reason'] and 'dc02.' not in decided[0]['reason']
    # Without the listing the slice could not know: that was the bug.
    assert decide('dc02', {'dc02': plan('dc02', state='absent')}, dcs=('dc02',))[0]['event_log_readers'][0] == 'apply'


def test_removing_every_dc_the_directory_lists_removes_the_settings_once():
    plans = {'dc01': with_directory('dc01', 'dc01', 'dc02', state='absent'),
             'dc02': with_directory('dc02', 'dc01', 'dc02', state='absent')}
    assert decide('dc01', plans)[0]['event_log_readers'] == ('apply', 'dc01')
    assert decide('dc02', plans)[0]['event_log_readers'] == ('follow', 'dc01')


def test_a_dc_only_the_directory_knows_counts_as_managed():
    # dc03 is in AD but in no inventory of this run: nothing says IPAM stopped needing it.
    plans = {'dc01': with_directory('dc01', 'dc01', 'dc02', 'dc03', state='absent'),
             'dc02': with_directory('dc02', 'dc01', 'dc02', 'dc03', state='absent')}
    summary, decided = decide('dc01', plans)
    assert {decision[0] for decision in summary.values()} == {'not_applicable'}
    assert '(dc03.corp.example.com)' in decided[0]['reason']
    # ...unless the user says the domain-wide settings go.
    plans = {h: dict(p, remove_domain_wide=True) for h, p in plans.items()}
    assert decide('dc01', plans)[0]['event_log_readers'] == ('apply', 'dc01')


def test_an_inventory_dc_and_its_directory_entry_are_named_once():
    plans = {'dc02': with_directory('dc02', 'dc01', 'dc02', state='absent')}
    decided = decide('dc02', plans, dcs=('dc01', 'dc02'))[1]
    assert '(dc01)' in decided[0]['reason']


def test_a_dc_listed_under_another_dns_name_recognises_itself():
    listed = ['dc01.corp.example.com', 'dc02.ad.example.net']
    mine = dict(plan('dc02', state='absent'), directory={'controllers': listed, 'self': 'DC02.ad.example.net', 'error': None})
    theirs = dict(plan('dc01', state='absent'), directory={'controllers': listed, 'self': 'dc01.corp.example.com', 'error': None})
    assert decide('dc02', {'dc01': theirs, 'dc02': mine})[0]['event_log_readers'] == ('follow', 'dc01')


def test_an_unreadable_directory_keeps_the_settings_and_says_why():
    plans = {'dc02': with_directory('dc02', error='The server is not operational.', state='absent')}
    summary, decided = decide('dc02', plans, dcs=('dc02',))
    assert {decision[0] for decision in summary.values()} == {'not_applicable'}
    assert 'could not be listed' in decided[0]['reason'] and 'The server is not operational.' in decided[0]['reason']
    assert 'ipam_remove_domain_wide: true' in decided[0]['reason']
    # Another DC of the play that could read it does not lead through this one.
    plans['dc01'] = with_directory('dc01', 'dc01', 'dc02', state='absent')
    assert decide('dc01', plans, dcs=('dc01', 'dc02'))[0]['event_log_readers'] == ('apply', 'dc01')


def test_mixed_states_in_one_play():
    plans = {'dc01': plan('dc01'), 'dc02': plan('dc02', state='absent')}
    assert decide('dc01', plans)[0]['event_log_readers'] == ('apply', 'dc01')
    assert decide('dc02', plans)[0]['event_log_readers'] == ('not_applicable', None)


@pytest.mark.parametrize('name, domain', [
    ('dc01.corp.example.com', 'corp.example.com'), ('DC01.Corp.Example.com', 'corp.example.com'),
    ('dc01', ''), ('10.0.0.5', ''), ('fe80::1', ''),
])
def test_domain_from_name(name, domain):
    assert domain_from_name(name) == domain


def test_needs_a_plan():
    with pytest.raises(AnsibleFilterError, match='ipam_host_plan'):
        ipam_domain_wide(None, {}, [], [])
