# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property: from any pre-existing state, provision then deprovision leaves the host as it was (issue #11).

Random pre-existing states (group members, ACEs of every strength for IPAM and for others, share rights,
firewall rule states) are generated from fixed seeds: 170 cases for each of 7 settings, 1,190 in all. Each case runs the real
action plugins against the simulator's model of the module (the handler tests run every model against
the module's own PowerShell on the same states, so the model stands in for it), and checks:
- provisioning leaves IPAM with the access (the apply verifies it), and
- deprovisioning returns the host (and the domain) to the generated state exactly.
The real modules run the same scenarios, fewer of them, in test_ownership.py and test_crash_points.py.
"""
from __future__ import annotations

import copy
import random
import typing as t

import pytest

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from test_crash_points import windows_state
from winsim import Simulator
from winsim import defaults as d
from winsim.handlers.service_acl import insert_first_ace
from winsim.model import create_share, share_entry

IPAM = 'CORP\\IPAM01$'
CASES_PER_SETTING = 170
DOMAIN = 'corp.example.com'


def directory_state(sim: Simulator) -> dict[str, t.Any]:
    """The domain without uSNChanged: Windows moves it on every write, also one that is undone later."""
    domain = copy.deepcopy(sim.domain_state(DOMAIN))
    domain.pop('highest_usn', None)
    for entry in domain.get('ad_objects', {}).values():
        entry.pop('usn', None)
    return domain


def _ipam_sid(sim: Simulator) -> str:
    with sim.edit('nps01') as ctx:
        return ctx.directory.lookup(IPAM)


def _other_sids(domain_sid: str) -> list[str]:
    """Accounts that are not IPAM's: an orphaned domain SID, two well-known groups, a service account."""
    return ['%s-1150' % domain_sid, 'S-1-5-32-545', 'S-1-5-19', '%s-%d' % (domain_sid, d.RID_SVC_MONITOR)]


def _members(rng: random.Random, ipam: str, others: list[str]) -> list[str]:
    members = rng.sample(others, rng.randint(0, len(others)))
    if rng.random() < 0.5:
        members.insert(rng.randint(0, len(members)), ipam)
    return members


def _aces(rng: random.Random, ipam: str, others: list[str], ours: str, stronger: str, weaker: str,
          flags: str) -> list[str]:
    """Explicit Allow ACEs to put in front of a DACL: IPAM's own (exactly ours, stronger, weaker or none) and others'."""
    aces = ['(A;%s;%s;;;%s)' % (flags, rng.choice([ours, weaker]), sid)
            for sid in rng.sample(others, rng.randint(0, 2))]
    choice = rng.choice(['none', 'exact', 'stronger', 'weaker'])
    if choice != 'none':
        rights = {'exact': ours, 'stronger': stronger, 'weaker': weaker}[choice]
        aces.insert(rng.randint(0, len(aces)), '(A;%s;%s;;;%s)' % (flags, rights, ipam))
    return aces


def _with_aces(sddl: str, aces: list[str]) -> str:
    for ace in reversed(aces):
        sddl = insert_first_ace(sddl, ace)
    return sddl


def seed_group(ctx: t.Any, rng: random.Random, ipam: str, group_sid: str) -> None:
    ctx.group_store()[0][group_sid]['members'] = _members(rng, ipam, _other_sids(ctx.domain['sid']))


def seed_dhcp_users(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    groups = ctx.group_store()[0]
    key = next(k for k, g in groups.items() if g['name'] in ('DHCP Users', 'DHCP-Benutzer', 'Utilisateurs DHCP'))
    groups[key]['members'] = _members(rng, ipam, _other_sids(ctx.domain['sid']))


def seed_service(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    service = ctx.host['services']['DNS']
    aces = _aces(rng, ipam, _other_sids(ctx.domain['sid']), 'CCLCSWLOCRRC', 'GA', 'CCLC', '')
    service['sddl'] = _with_aces(service['sddl'], aces)


def seed_customsd(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    values = ctx.host['registry'][d.KEY_DNS_SERVER_LOG]
    aces = _aces(rng, ipam, _other_sids(ctx.domain['sid']), '0x1', '0x7', '0x1', '')
    if not any(ace.endswith(';;;%s)' % ipam) and ';0x1;' in ace for ace in aces) and rng.random() < 0.5:
        aces.append('(A;;0x3;;;%s)' % ipam)   # read and write: covers the 0x1 read IPAM needs
    values['CustomSD'] = _with_aces(values['CustomSD'], aces)


def seed_directory(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    obj = ctx.domain['ad_objects'][d.microsoft_dns_dn(ctx.domain['dn'])]
    aces = _aces(rng, ipam, _other_sids(ctx.domain['sid']), 'RPLCRC', 'GA', 'RP', 'CI')
    obj['sddl'] = _with_aces(obj['sddl'], aces)


def seed_share(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    if rng.random() < 0.3:
        return   # no share: provisioning creates it, deprovisioning deletes it
    path = ctx.host['registry'][d.KEY_DHCP_PARAMETERS]['DhcpLogFilePath']
    share = create_share(ctx.host, 'dhcpaudit', path)
    if rng.random() < 0.3:
        share['access'] = []
    for sid in rng.sample(_other_sids(ctx.domain['sid']), rng.randint(0, 2)):
        share['access'].append(share_entry(sid, rng.choice([d.SHARE_READ, d.SHARE_CHANGE])))
    if rng.random() < 0.5:
        share['access'].insert(rng.randint(0, len(share['access'])),
                               share_entry(ipam, rng.choice([d.SHARE_READ, d.SHARE_CHANGE, d.SHARE_FULL])))


def seed_firewall(ctx: t.Any, rng: random.Random, ipam: str) -> None:
    del ipam
    everything = rng.random() < 0.3   # sometimes an administrator enabled them all already
    for rule in ctx.host['firewall_rules'].values():
        rule['enabled'] = everything or rng.random() < 0.4


# setting: (host, module, task arguments, seed function, whether the object is the domain's)
SETTINGS: dict[str, tuple[str, str, dict[str, t.Any], t.Callable[..., None], bool]] = {
    'event_log_readers': ('nps01', 'group_membership', {'group': 'event_log_readers', 'principals': [IPAM]},
                          lambda ctx, rng, ipam: seed_group(ctx, rng, ipam, d.EVENT_LOG_READERS), False),
    'dhcp_users': ('dhcp01', 'dhcp_users_membership', {'principals': [IPAM]}, seed_dhcp_users, False),
    'dns_service': ('dns01', 'service_acl', {'name': 'DNS', 'principals': [IPAM]}, seed_service, False),
    'dns_eventlog': ('dns01', 'eventlog_customsd', {'principals': [IPAM]}, seed_customsd, False),
    'dns_directory': ('dc01', 'dns_domain_acl', {'principals': [IPAM]}, seed_directory, True),
    'dhcpaudit': ('dhcp01', 'dhcpaudit_share', {'principals': [IPAM]}, seed_share, False),
    'firewall': ('dhcp01', 'firewall_rules', {'server_types': ['dhcp']}, seed_firewall, False),
}


@pytest.mark.parametrize('setting', sorted(SETTINGS))
def test_provision_then_deprovision_returns_any_generated_state(setting: str, lab: Simulator) -> None:
    host, module, args, seed, domain_wide = SETTINGS[setting]
    ipam = _ipam_sid(lab)
    with lab.edit(host) as ctx:
        pristine_host = copy.deepcopy(ctx.host)
        pristine_domain = copy.deepcopy(ctx.domain)
    outcomes: dict[str, int] = {}
    for case in range(CASES_PER_SETTING):
        rng = random.Random('%s-%d' % (setting, case))
        with lab.edit(host) as ctx:
            ctx.host.clear()
            ctx.host.update(copy.deepcopy(pristine_host))
            ctx.domain.clear()
            ctx.domain.update(copy.deepcopy(pristine_domain))
            seed(ctx, rng, ipam)
        generated = windows_state(lab, host)
        generated_domain = directory_state(lab)

        provisioned = run_action(lab, host, module, args)
        assert not provisioned.get('failed'), (setting, case, provisioned)
        again = run_action(lab, host, module, args)
        assert again['changed'] is False, ('provision is not idempotent', setting, case, again)
        removed = run_action(lab, host, module, dict(args, state='absent'))
        assert not removed.get('failed'), (setting, case, removed)

        assert windows_state(lab, host) == generated, ('deprovision did not restore the state', setting, case)
        if domain_wide:
            assert directory_state(lab) == generated_domain, ('the domain object differs', setting, case)
        outcome = 'changed' if provisioned['changed'] else 'compliant'
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # The generator must reach both kinds of start: access to grant, and access already there.
    assert set(outcomes) == {'changed', 'compliant'}, outcomes
