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
# (module, host, the task's arguments): settings whose writes include an ownership record.
CASES = {
    'firewall_rules': ('dc01', {'server_types': ['dhcp', 'dns', 'dc']}),
    'dhcpaudit_share': ('dhcp01', {'principals': [IPAM]}),
    'group_membership': ('nps01', {'group': 'event_log_readers', 'principals': [IPAM]}),
    'dhcp_users_membership': ('dhcp01', {'principals': [IPAM]}),
    'service_acl': ('dns01', {'name': 'DNS', 'principals': [IPAM]}),
    'eventlog_customsd': ('dns01', {'principals': [IPAM]}),
    'dns_domain_acl': ('dc01', {'principals': [IPAM]}),
    'local_group': ('ipam01', {'name': 'VMM Users', 'description': 'System Center VMM'}),
}


def windows_state(sim: Simulator, host: str) -> dict[str, t.Any]:
    """What Windows holds, without the simulator's bookkeeping (counters, faults)."""
    state = copy.deepcopy(sim.host_state(host))
    state.pop('counters', None)
    state.pop('faults', None)
    # The collection's own record key stays once created, empty when it records nothing: not Windows' state.
    if state.get('registry', {}).get(RECORD_KEY) == {}:
        del state['registry'][RECORD_KEY]
    return state


@pytest.mark.parametrize('module', sorted(CASES))
def test_every_crash_point_is_finished_by_provision_and_undone_by_deprovision(module, fresh):
    host, args = CASES[module]
    absent = dict(args, state='absent')

    clean = fresh('clean')
    original = windows_state(clean, host)
    before = clean.counters(host)['writes']
    assert run_action(clean, host, module, args)['changed'] is True
    writes = clean.counters(host)['writes'] - before
    provisioned = windows_state(clean, host)
    run_action(clean, host, module, absent)
    deprovisioned = windows_state(clean, host)
    assert deprovisioned == original, 'without a crash, deprovision undoes provision'
    assert writes >= 2, 'the apply writes the object and its record'

    for n in range(writes):
        for then, expected in (('provision', provisioned), ('deprovision', deprovisioned)):
            sim = fresh('crash-%d-%s' % (n, then))
            sim.set_faults(host, {'crash_after_writes': n})
            with pytest.raises(HostUnreachable, match='crashed after %d write' % n):
                run_action(sim, host, module, args)
            assert 'crash_after_writes' not in sim.host_state(host)['faults'], 'the fault is used up'
            run_action(sim, host, module, args if then == 'provision' else absent)
            assert windows_state(sim, host) == expected, 'crash after write %d, then %s' % (n, then)
