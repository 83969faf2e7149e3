# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A crash after any single write step leaves a state the next run finishes or undoes (issue #11, item 2).

For a module whose apply writes K times, the host is made to crash (fault crash_after_writes: n, the
host stops dead before its (n+1)-th write, answers nothing more, keeps what was written) at every
n in 0..K-1. Then provision runs again, or deprovision: the end state must equal the end state of the
same run without a crash. The real modules run, in pwsh: the order of their writes is what is tested.
"""
from __future__ import annotations

import copy
import typing as t

import pytest

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import HostUnreachable, Simulator

IPAM = 'CORP\\IPAM01$'
RECORD_KEY = 'HKLM\\SOFTWARE\\ipam.provisioning'
DOMAIN = 'corp.example.com'
# (module, host, the task's arguments): every module whose writes include an ownership record. The
# MicrosoftDNS ACE and the GPOs live in the domain, which is compared too.
CASES = {
    'firewall_rules': ('dc01', {'server_types': ['dhcp', 'dns', 'dc']}),
    'dhcpaudit_share': ('dhcp01', {'principals': [IPAM]}),
    'group_membership': ('nps01', {'group': 'event_log_readers', 'principals': [IPAM]}),
    'dhcp_users_membership': ('dhcp01', {'principals': [IPAM]}),
    'service_acl': ('dns01', {'name': 'DNS', 'principals': [IPAM]}),
    'eventlog_customsd': ('dns01', {'principals': [IPAM]}),
    'dns_domain_acl': ('dc01', {'principals': [IPAM]}),
    'local_group': ('ipam01', {'name': 'VMM Users', 'description': 'System Center VMM'}),
    'vmm_network_service': ('vmm01', {'ipam_server_fqdn': 'ipam01.corp.example.com', 'run_as_account': 'IPAM Run As',
                                      'run_as_username': 'CORP\\svc-vmm', 'run_as_password': 'Sim-Secret-4u!z'}),
    'ipam_gpo_provisioning': ('ipam01', {'domain': DOMAIN, 'gpo_prefix': 'IPAM', 'managed_servers': [
        {'name': 'dc01.corp.example.com', 'server_types': ['dc', 'dns', 'dhcp']},
        {'name': 'dhcp01.corp.example.com', 'server_types': ['dhcp']}]}),
}
DOMAIN_WIDE = frozenset({'dns_domain_acl', 'ipam_gpo_provisioning'})


def windows_state(sim: Simulator, host: str) -> dict[str, t.Any]:
    """What Windows holds, without the simulator's bookkeeping (counters, faults)."""
    state = copy.deepcopy(sim.host_state(host))
    state.pop('counters', None)
    state.pop('faults', None)
    # The collection's own record key stays once created, empty when it records nothing: not Windows' state.
    if state.get('registry', {}).get(RECORD_KEY) == {}:
        del state['registry'][RECORD_KEY]
    return state


def observed(sim: Simulator, host: str, module: str) -> dict[str, t.Any]:
    """What the module may change: the host's Windows state, and the domain's for a domain-wide one."""
    found = {'host': windows_state(sim, host)}
    # The fake VMM numbers its objects from a counter; VMM's IDs are GUIDs, and a deleted one leaves no trace.
    found['host'].get('vmm', {}).pop('next_id', None)
    if module in DOMAIN_WIDE:
        domain = copy.deepcopy(sim.domain_state(DOMAIN))
        # uSNChanged moves on every write, also on one that is undone later: not what is compared.
        domain.pop('highest_usn', None)
        for entry in domain.get('ad_objects', {}).values():
            entry.pop('usn', None)
        if domain.get('gpos') == {}:  # the fake's GPO store, made on first use: no GPOs either way
            del domain['gpos']
        found['domain'] = domain
    return found


def without_left_by_design(found: dict[str, t.Any], module: str) -> dict[str, t.Any]:
    """Leaves out what the module documents it does not undo: Invoke-IpamGpoProvisioning's read ACE on
    CN=MicrosoftDNS (ipam_gpo_provisioning's notes; dns_domain_acl removes it)."""
    if module != 'ipam_gpo_provisioning':
        return found
    found = copy.deepcopy(found)
    for key, entry in found['domain'].get('ad_objects', {}).items():
        if key.upper().startswith('CN=MICROSOFTDNS,'):
            entry.pop('sddl', None)
    return found


@pytest.mark.parametrize('module', sorted(CASES))
def test_every_crash_point_is_finished_by_provision_and_undone_by_deprovision(module, fresh):
    host, args = CASES[module]
    absent = dict(args, state='absent')

    clean = fresh('clean')
    original = observed(clean, host, module)
    before = clean.counters(host)['writes']
    assert run_action(clean, host, module, args)['changed'] is True
    writes = clean.counters(host)['writes'] - before
    provisioned = observed(clean, host, module)
    run_action(clean, host, module, absent)
    deprovisioned = observed(clean, host, module)
    assert without_left_by_design(deprovisioned, module) == without_left_by_design(original, module), \
        'without a crash, deprovision undoes provision'
    assert writes >= 2, 'the apply writes the object and its record'

    for n in range(writes):
        for then, expected in (('provision', provisioned), ('deprovision', deprovisioned)):
            sim = fresh('crash-%d-%s' % (n, then))
            sim.set_faults(host, {'crash_after_writes': n})
            with pytest.raises(HostUnreachable, match='crashed after %d write' % n):
                run_action(sim, host, module, args)
            assert 'crash_after_writes' not in sim.host_state(host)['faults'], 'the fault is used up'
            run_action(sim, host, module, args if then == 'provision' else absent)
            found = observed(sim, host, module)
            if then == 'deprovision':  # whether the run got to what removal leaves by design depends on the crash
                found, expected = without_left_by_design(found, module), without_left_by_design(expected, module)
            assert found == expected, 'crash after write %d, then %s' % (n, then)
