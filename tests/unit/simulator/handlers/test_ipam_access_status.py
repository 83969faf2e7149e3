# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_access_status, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import ipam_server as model

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_access_status'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
NPS01 = 'nps01.corp.example.com'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('nps01', {'kind': 'member', 'roles': ['NPS']}, DOMAIN)
    with simulator.edit('ipam01') as ctx:
        ipam = model.ipam_state(ctx)
        ipam['servers'][NPS01] = model.new_server(['NPS'], 'corp.example.com', 'Managed')
    return simulator


def start_discovery(sim, delay):
    with sim.edit('ipam01') as ctx:
        ipam = model.ipam_state(ctx)
        ipam['refresh_delay_polls'] = delay
        model.start_task(ctx, ipam, 'ServerDiscovery')


def run(sim, args):
    return run_action(sim, 'ipam01', 'ipam_access_status', args, diff=False)


def test_read_reports_every_server_and_the_discovery_task(sim):
    result = sim.run_module('ipam01', MODULE, {'mode': 'read'})
    assert result.get('failed') is None and result['changed'] is False
    assert [s['name'] for s in result['servers']] == [NPS01]
    assert result['servers'][0]['recommended_action'] == model.ACTION_REFRESH
    assert result['discovery_task']['name'] == 'ServerDiscovery' and result['discovery_task']['state'] == 'Ready'
    assert sim.counters('ipam01')['writes'] == 0


def test_read_only_module_refuses_apply(sim):
    result = sim.run_module('ipam01', MODULE, {'mode': 'apply'})
    assert result['failed'] and 'value of mode must be one of: read' in result['msg']


def test_plugin_polls_through_the_refresh_delay(sim):
    start_discovery(sim, delay=3)
    result = run(sim, {'delay': 0, 'retries': 5})
    assert result['polls'] == 4
    assert result['servers'][0]['overall'] == 'Blocked' and result['servers'][0]['event_log'] == 'Blocked'
    assert result['blocked'] == [{'server': NPS01, 'access_type': 'event_log'}]
    assert result['discovery_task']['state'] == 'Ready'
    assert sim.counters('ipam01') == {'round_trips': 4, 'writes': 0}   # reading is all it does


def test_plugin_gives_up_after_its_retries(sim):
    start_discovery(sim, delay=5)
    with pytest.raises(AnsibleActionFail, match=r'after 3 read\(s\).*ServerDiscovery task is still running'):
        run(sim, {'delay': 0, 'retries': 2})


def test_fail_on_blocked(sim):
    start_discovery(sim, delay=0)
    with pytest.raises(AnsibleActionFail, match=r'Blocked for nps01.corp.example.com \(event_log\)'):
        run(sim, {'delay': 0, 'fail_on_blocked': True})
