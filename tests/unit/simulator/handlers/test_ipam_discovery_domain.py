# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_discovery_domain, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_discovery_domain'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
NAME = 'corp.example.com'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('dc01', {'kind': 'dc', 'roles': ['AD-Domain-Services', 'DNS']}, DOMAIN)
    return simulator


def call(sim, args, host='ipam01', check_mode=False):
    return sim.run_module(host, MODULE, args, check_mode=check_mode)


def run(sim, args, check_mode=False):
    return run_action(sim, 'ipam01', 'ipam_discovery_domain', args, check_mode=check_mode, diff=True)


def test_read_reports_the_domain_and_whether_ad_knows_it(sim):
    result = call(sim, {'mode': 'read', 'name': 'CORP.example.com'})
    assert result.get('failed') is None
    assert result['domain'] is None and result['domains'] == [] and result['token'] == 'absent'
    assert result['ad_domain'] == {'name': 'CORP.example.com', 'reachable': True, 'error': None}
    assert result['computer_domain'] == NAME
    other = call(sim, {'mode': 'read', 'name': 'nosuch.example.invalid'})
    assert other['ad_domain']['reachable'] is False
    assert other['ad_domain']['error'] == 'The specified domain either does not exist or could not be contacted.'


def test_add_set_remove_with_tokens(sim):
    added = call(sim, {'mode': 'apply', 'name': NAME, 'change': 'add', 'token': 'absent', 'discover_dhcp': False})
    assert added['changed'] is True
    assert added['domain'] == {'name': NAME, 'discover_dc': True, 'discover_dns': True, 'discover_dhcp': False}
    assert added['token'] == 'corp.example.com|1|1|0'
    stale = call(sim, {'mode': 'apply', 'name': NAME, 'change': 'set', 'token': 'absent', 'discover_dhcp': True})
    assert stale['failed'] and stale['error'] == 'changed_since_read'
    assert call(sim, {'mode': 'apply', 'name': NAME, 'change': 'set', 'token': added['token'],
                      'discover_dhcp': True})['token'] == 'corp.example.com|1|1|1'
    removed = call(sim, {'mode': 'apply', 'name': NAME, 'change': 'remove', 'token': 'corp.example.com|1|1|1'})
    assert removed['domain'] is None and removed['token'] == 'absent'
    assert sim.counters('ipam01')['writes'] == 3


# A refused cmdlet is invalid_state, as Invoke-IpamCmdlet (_IpamAccess.psm1) reports every cmdlet failure
# that is not access denied.
@pytest.mark.parametrize('args, message, error', [
    ({'change': 'add', 'name': 'nosuch.example.invalid', 'token': 'absent'}, 'Add-IpamDiscoveryDomain -Name '
     'nosuch.example.invalid failed: The specified domain either does not exist or could not be contacted.', 'invalid_state'),
    ({'change': 'set', 'name': NAME, 'token': 'absent'}, 'Set-IpamDiscoveryDomain -Name corp.example.com failed: the '
                                                         'domain corp.example.com is not configured', 'invalid_state'),
    ({'change': 'remove', 'name': NAME, 'token': 'absent'}, 'Remove-IpamDiscoveryDomain', 'invalid_state'),
    ({'change': 'move', 'name': NAME, 'token': 'absent'}, 'value of change must be one of: add, set, remove', None),
    ({'name': NAME, 'token': 'absent'}, 'mode is apply but all of the following are missing: change', None),
])
def test_apply_failures_write_nothing(sim, args, message, error):
    result = call(sim, dict(args, mode='apply'))
    assert result['failed'] and message in result['msg'] and result.get('error') == error
    assert sim.counters('ipam01')['writes'] == 0


def test_check_mode_apply_writes_nothing(sim):
    result = call(sim, {'mode': 'apply', 'name': NAME, 'change': 'add', 'token': 'absent'}, check_mode=True)
    assert result['changed'] is True and result['domain'] is None
    assert sim.counters('ipam01')['writes'] == 0


def test_a_host_without_the_ipam_feature_says_so(sim):
    result = call(sim, {'mode': 'read', 'name': NAME}, host='dc01')
    assert result['failed'] and result['error'] == 'not_found'
    assert result['msg'].startswith('the IPAM Server feature is not installed on this host: Import-Module IpamServer failed')


def test_unknown_option_is_refused_like_ansible_basic(sim):
    result = call(sim, {'mode': 'read', 'name': NAME, 'discover_nps': True})
    assert result['failed'] and 'Unsupported parameters' in result['msg'] and 'discover_nps' in result['msg']


def test_through_the_action_plugin_check_run_repeat_remove(sim):
    check = run(sim, {'name': NAME}, check_mode=True)
    assert check['changed'] is True and sim.counters('ipam01')['writes'] == 0
    first = run(sim, {'name': NAME, 'discover_dc': False})
    assert first['changed'] is True and first['domain']['discover_dc'] is False
    before = sim.counters('ipam01')
    again = run(sim, {'name': NAME, 'discover_dc': False})
    assert again['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    assert run(sim, {'name': NAME, 'state': 'absent'})['removed'] == [NAME]
    assert run(sim, {'name': NAME, 'state': 'absent'})['changed'] is False


def test_unknown_domain_fails_through_the_plugin_with_one_read(sim):
    with pytest.raises(AnsibleActionFail, match='does not exist or cannot be contacted'):
        run(sim, {'name': 'nosuch.example.invalid'})
    assert sim.counters('ipam01') == {'round_trips': 1, 'writes': 0}


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_discovery_domain']})
    before = sim.counters('ipam01')
    result = run(sim, {'name': NAME})
    after = sim.counters('ipam01')
    # The apply was refused and wrote nothing; the action read again and applied the new plan, if any.
    assert result['retried_after_concurrent_change'] is True
    # Someone else added the domain, every discovery switch on: the new plan has nothing left to do.
    assert result['changed'] is False
    assert after['round_trips'] - before['round_trips'] == 3
    assert after['writes'] == before['writes']
