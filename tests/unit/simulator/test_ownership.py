# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Removal takes away only what the ownership record says this collection granted (issue #11, item 1).

Access that was there before the collection ran stays, byte for byte: provision reports it compliant
and pre-existing, deprovision leaves the host exactly as it was. The real modules run, in pwsh.
"""
from __future__ import annotations

import typing as t

import pytest

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from test_crash_points import windows_state
from winsim import Simulator
from winsim import defaults as d
from winsim.model import create_share, share_entry

IPAM = 'CORP\\IPAM01$'


def _lookup(sim: Simulator) -> str:
    """The IPAM server's SID as the domain knows it."""
    with sim.edit('nps01') as ctx:
        return ctx.directory.lookup(IPAM)


def _dhcp_users(groups: dict[str, t.Any]) -> dict[str, t.Any]:
    return next(g for g in groups.values() if g['name'] in ('DHCP Users', 'DHCP-Benutzer'))


# (module, host, task arguments, where the pre-existing membership is seeded)
MEMBERSHIPS = {
    'group_membership': ('nps01', {'group': 'event_log_readers', 'principals': [IPAM]},
                         lambda groups: groups[d.EVENT_LOG_READERS]),
    'dhcp_users_membership': ('dhcp01', {'principals': [IPAM]}, _dhcp_users),
}


@pytest.mark.parametrize('module', sorted(MEMBERSHIPS))
def test_a_member_that_was_there_before_stays(module, fresh):
    host, args, group_of = MEMBERSHIPS[module]
    sim = fresh(module)
    sid = _lookup(sim)
    with sim.edit(host) as ctx:
        group_of(ctx.group_store()[0])['members'].append(sid)
    original = windows_state(sim, host)

    provisioned = run_action(sim, host, module, args)
    assert provisioned['changed'] is False
    assert [m['sid'] for m in provisioned['pre_existing']] == [sid]

    removed = run_action(sim, host, module, dict(args, state='absent'))
    assert removed['changed'] is False and removed['removed'] == []
    assert [m['sid'] for m in removed['kept']] == [sid]
    assert windows_state(sim, host) == original

    # Told to, removal takes it whoever added it.
    forced = run_action(sim, host, module, dict(args, state='absent', remove_unrecorded=True))
    assert [m['sid'] for m in forced['removed']] == [sid]


@pytest.mark.parametrize('module', sorted(MEMBERSHIPS))
def test_a_member_the_collection_added_is_recorded_and_removed(module, fresh):
    host, args, group_of = MEMBERSHIPS[module]
    sim = fresh(module)
    sid = _lookup(sim)
    original = windows_state(sim, host)

    added = run_action(sim, host, module, args)
    assert [m['sid'] for m in added['added']] == [sid] and added['pre_existing'] == []
    with sim.edit(host) as ctx:
        group_sid = next(k for k, g in ctx.group_store()[0].items() if g is group_of(ctx.group_store()[0]))
        record = ctx.host['registry'][d.KEY_RECORD]['GroupMembersAdded']
    assert record == ['%s|%s' % (group_sid.upper(), sid)]
    assert run_action(sim, host, module, args)['changed'] is False

    removed = run_action(sim, host, module, dict(args, state='absent'))
    assert [m['sid'] for m in removed['removed']] == [sid]
    assert windows_state(sim, host) == original


# (module, host, task arguments): each adds one ACE per principal to a descriptor someone else owns.
ACES = {
    'service_acl': ('dns01', {'name': 'DNS', 'principals': [IPAM]}),
    'eventlog_customsd': ('dns01', {'principals': [IPAM]}),
    'dns_domain_acl': ('dc01', {'principals': [IPAM]}),
}


@pytest.mark.parametrize('module', sorted(ACES))
def test_an_ace_that_was_there_before_stays(module, fresh):
    host, args = ACES[module]
    sim = fresh(module)
    # Let the collection add the ACE, then forget that it did: the ACE is now one it did not grant.
    added = run_action(sim, host, module, args)
    assert added['changed'] is True and len(added['added']) == 1
    with sim.edit(host) as ctx:
        assert len(ctx.host['registry'][d.KEY_RECORD]['AcesAdded']) == 1
        del ctx.host['registry'][d.KEY_RECORD]['AcesAdded']
    original = windows_state(sim, host)
    domain_before = sim.domain_state('corp.example.com')

    provisioned = run_action(sim, host, module, args)
    assert provisioned['changed'] is False and len(provisioned['pre_existing']) == 1

    removed = run_action(sim, host, module, dict(args, state='absent'))
    assert removed['changed'] is False and removed['removed'] == [] and len(removed['kept']) == 1
    assert windows_state(sim, host) == original
    assert sim.domain_state('corp.example.com') == domain_before

    forced = run_action(sim, host, module, dict(args, state='absent', remove_unrecorded=True))
    assert forced['removed'] == added['added']


def _audit_folder(ctx: t.Any) -> str:
    key = next(v for k, v in ctx.host['registry'].items() if k.endswith('\\DHCPServer\\Parameters'))
    return key['DhcpLogFilePath']


def test_a_share_right_that_was_there_before_stays(fresh):
    sim = fresh('share')
    sid = _lookup(sim)
    with sim.edit('dhcp01') as ctx:
        share = create_share(ctx.host, 'dhcpaudit', _audit_folder(ctx))
        share['access'].append(share_entry(sid, d.SHARE_READ))
    original = windows_state(sim, 'dhcp01')

    provisioned = run_action(sim, 'dhcp01', 'dhcpaudit_share', {'principals': [IPAM]})
    assert provisioned['changed'] is False and [p['sid'] for p in provisioned['pre_existing']] == [sid]
    removed = run_action(sim, 'dhcp01', 'dhcpaudit_share', {'principals': [IPAM], 'state': 'absent'})
    assert removed['changed'] is False and [k['sid'] for k in removed['kept']] == [sid]
    assert windows_state(sim, 'dhcp01') == original


def test_a_created_share_that_others_were_given_rights_on_is_kept(fresh):
    sim = fresh('share-used')
    sid = _lookup(sim)
    created = run_action(sim, 'dhcp01', 'dhcpaudit_share', {'principals': [IPAM]})
    assert created['created'] is True
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit']['access'].append(share_entry(d.BUILTIN_USERS, d.SHARE_CHANGE))
    removed = run_action(sim, 'dhcp01', 'dhcpaudit_share', {'principals': [IPAM], 'state': 'absent'})
    assert removed['deleted'] is False and any('kept' in w for w in removed['warnings'])
    access = sim.host_state('dhcp01')['shares']['dhcpaudit']['access']
    assert sid not in [e['sid'] for e in access] and share_entry(d.BUILTIN_USERS, d.SHARE_CHANGE) in access
    forced = run_action(sim, 'dhcp01', 'dhcpaudit_share', {'principals': [IPAM], 'state': 'absent',
                                                           'remove_unrecorded': True})
    assert forced['deleted'] is True and 'dhcpaudit' not in sim.host_state('dhcp01')['shares']
