# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_server_inventory, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import ipam_server as model

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_server_inventory'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
DHCP01 = 'dhcp01.corp.example.com'
NPS01 = 'nps01.corp.example.com'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('dhcp01', {'kind': 'member', 'roles': ['DHCP']}, DOMAIN)
    simulator.seed_host('nps01', {'kind': 'member', 'roles': ['NPS']}, DOMAIN)
    with simulator.edit('ipam01') as ctx:
        ipam = model.ipam_state(ctx)
        ipam['discovery_domains']['corp.example.com'] = {'discover_dc': True, 'discover_dns': True, 'discover_dhcp': True}
        ipam['refresh_delay_polls'] = 0
        model.start_task(ctx, ipam, 'ServerDiscovery')
    return simulator


def call(sim, args, check_mode=False):
    return sim.run_module('ipam01', MODULE, args, check_mode=check_mode)


def run(sim, args, check_mode=False):
    return run_action(sim, 'ipam01', 'ipam_server_inventory', args, check_mode=check_mode, diff=True)


def test_read_reports_requested_servers_and_token(sim):
    result = call(sim, {'mode': 'read', 'names': [NPS01, DHCP01.upper()]})
    nps, dhcp = result['servers']
    assert nps == {'name': NPS01, 'exists': False}
    assert dhcp['name'] == DHCP01 and dhcp['server_types'] == ['DHCP'] and dhcp['manageability'] == 'Unspecified'
    assert dhcp['overall'] == 'Blocked' and dhcp['dns_rpc'] == 'Not applicable'
    assert result['token'] == 'dhcp01.corp.example.com=DHCP/Unspecified;nps01.corp.example.com=absent'


def test_add_set_remove(sim):
    token = call(sim, {'mode': 'read', 'names': [NPS01, DHCP01]})['token']
    result = call(sim, {'mode': 'apply', 'names': [NPS01, DHCP01], 'token': token,
                        'add': [{'name': NPS01, 'server_types': ['NPS'], 'manageability': 'Managed'}],
                        'set': [{'name': DHCP01, 'server_types': ['DHCP', 'DC'], 'manageability': 'Managed'}]})
    nps, dhcp = result['servers']
    assert nps['server_types'] == ['NPS'] and nps['manageability'] == 'Managed' and nps['overall'] == 'Not checked'
    assert dhcp['server_types'] == ['DC', 'DHCP'] and dhcp['overall'] == 'Not checked'   # types changed: not checked
    assert result['token'] == 'dhcp01.corp.example.com=DC,DHCP/Managed;nps01.corp.example.com=NPS/Managed'
    removed = call(sim, {'mode': 'apply', 'names': [NPS01], 'remove': [NPS01], 'token': 'nps01.corp.example.com=NPS/Managed'})
    assert removed['servers'] == [{'name': NPS01, 'exists': False}]
    assert sim.counters('ipam01')['writes'] == 3


@pytest.mark.parametrize('args, message', [
    ({'add': [{'name': DHCP01, 'server_types': ['DHCP']}]}, 'is already in the IPAM server inventory'),
    # PowerShell's parameter binding refuses a name outside the cmdlet's enum before the cmdlet runs.
    ({'add': [{'name': NPS01, 'server_types': ['Web']}]}, 'Cannot convert value "Web" to type "ServerRole"'),
    ({'add': [{'name': NPS01}]}, "Cannot bind argument to parameter 'ServerType'"),
    ({'set': [{'name': NPS01, 'manageability': 'Managed'}]}, 'is not in the IPAM server inventory'),
    ({'set': [{'name': DHCP01, 'manageability': 'Sometimes'}]}, 'Cannot convert value "Sometimes" to type "ManageabilityStatus"'),
    ({'remove': [NPS01]}, 'Remove-IpamServerInventory -Name nps01.corp.example.com failed'),
])
def test_cmdlet_failures_write_nothing(sim, args, message):
    token = call(sim, {'mode': 'read', 'names': [NPS01, DHCP01]})['token']
    result = call(sim, dict(args, mode='apply', names=[NPS01, DHCP01], token=token))
    assert result['failed'] and message in result['msg']
    assert sim.counters('ipam01')['writes'] == 0


def test_a_read_is_a_poll_of_a_running_discovery(sim):
    with sim.edit('ipam01') as ctx:
        ipam = model.ipam_state(ctx)
        ipam['refresh_delay_polls'] = 1
        model.start_task(ctx, ipam, 'ServerDiscovery')
    assert sim.host_state('ipam01')['ipam']['pending_refresh_polls'] == 1
    call(sim, {'mode': 'read', 'names': [DHCP01]})
    call(sim, {'mode': 'read', 'names': [DHCP01]})
    assert sim.host_state('ipam01')['ipam']['pending_refresh_polls'] is None


def test_through_the_action_plugin_check_run_repeat_remove(sim):
    args = {'servers': [{'name': DHCP01, 'server_types': ['dhcp'], 'manageability': 'managed'},
                        {'name': NPS01, 'server_types': ['nps'], 'manageability': 'managed'}]}
    check = run(sim, args, check_mode=True)
    assert check['changed'] is True and check['added'] == [NPS01] and check['updated'] == [DHCP01]
    assert sim.counters('ipam01')['writes'] == 0
    result = run(sim, args)
    assert result['changed'] is True and result['diff']['after']['servers'][NPS01]['manageability'] == 'managed'
    before = sim.counters('ipam01')
    assert run(sim, args)['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    gone = run(sim, {'servers': [{'name': NPS01, 'state': 'absent'}, {'name': DHCP01, 'manageability': 'unmanaged'}]})
    assert gone['removed'] == [NPS01] and gone['updated'] == [DHCP01]
    assert run(sim, {'servers': [{'name': NPS01, 'state': 'absent'}]})['changed'] is False


def test_undiscovered_server_fails_through_the_plugin_with_one_read(sim):
    with pytest.raises(AnsibleActionFail, match='dc09.corp.example.com.*ServerDiscovery first'):
        run(sim, {'servers': [{'name': 'dc09.corp.example.com', 'server_types': ['dc']}]})
    assert sim.counters('ipam01')['writes'] == 0


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_server_inventory']})
    before = sim.counters('ipam01')
    result = run(sim, {'servers': [{'name': DHCP01, 'manageability': 'unmanaged'}]})
    after = sim.counters('ipam01')
    # The apply was refused and wrote nothing; the action read again and applied the new plan, if any.
    assert result['retried_after_concurrent_change'] is True
    assert result['changed'] is True
    assert after['round_trips'] - before['round_trips'] == 4
    assert after['writes'] - before['writes'] == 1
