# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_utilization_threshold, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_utilization_threshold'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    return simulator


def run(sim, args, check_mode=False):
    return run_action(sim, 'ipam01', 'ipam_utilization_threshold', args, check_mode=check_mode, diff=False)


def test_read_and_set(sim):
    read = sim.run_module('ipam01', MODULE, {'mode': 'read'})
    assert (read['under_utilization'], read['over_utilization'], read['token']) == (20, 80, '20/80')
    result = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'token': '20/80', 'over_utilization': 90})
    assert result['token'] == '20/90' and sim.counters('ipam01')['writes'] == 1
    refused = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'token': '20/90', 'under_utilization': 95})
    assert refused['failed'] and 'must not be lower' in refused['msg']
    stale = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'token': '20/80', 'under_utilization': 10})
    assert stale['failed'] and stale['error'] == 'changed_since_read'
    assert sim.counters('ipam01')['writes'] == 1


def test_through_the_action_plugin_check_run_repeat_restore(sim):
    args = {'under_utilization': 10, 'over_utilization': 90}
    assert run(sim, args, check_mode=True)['changed'] is True and sim.counters('ipam01')['writes'] == 0
    assert run(sim, args)['changes'] == args
    before = sim.counters('ipam01')
    assert run(sim, args)['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    assert run(sim, {'under_utilization': 20, 'over_utilization': 80})['changed'] is True


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_utilization_threshold']})
    before = sim.counters('ipam01')
    result = run(sim, {'over_utilization': 95})
    after = sim.counters('ipam01')
    # The apply was refused and wrote nothing; the action read again and applied the new plan, if any.
    assert result['retried_after_concurrent_change'] is True
    assert result['changed'] is True
    assert after['round_trips'] - before['round_trips'] == 4
    assert after['writes'] - before['writes'] == 1


def test_a_refused_write_is_access_denied_and_changes_nothing(sim):
    sim.set_faults('ipam01', {'access_denied': 'write'})
    result = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'token': '20/80', 'over_utilization': 90})
    assert result['failed'] and result['error'] == 'access_denied'
    assert result['msg'] == 'Access is denied: Set-IpamAddressUtilizationThreshold.'
    assert sim.host_state('ipam01')['ipam']['utilization_threshold'] == {'under': 20, 'over': 80}
