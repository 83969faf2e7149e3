# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.firewall_rules, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import firewall_rules_for
from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.firewall_rules'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
RPC = 'RemoteEventLogSvc-In-TCP'
EPMAP = 'RemoteEventLogSvc-RPCSS-In-TCP'
SMB = 'FPS-SMB-In-TCP'
KEY_RECORD = 'HKLM\\SOFTWARE\\ipam.provisioning'
GPO = 'Server firewall baseline'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('dc01', {'kind': 'dc', 'roles': ['AD-Domain-Services', 'DNS', 'DHCP']}, DOMAIN)
    simulator.seed_host('dns01', {'kind': 'member', 'roles': ['DNS'], 'language': 'de-DE'}, DOMAIN)
    return simulator


def read(sim, names, host='dc01'):
    return sim.run_module(host, MODULE, {'mode': 'read', 'names': names})


def run(sim, args, host='dc01', check_mode=False):
    """The real action plugin with the simulator as its remote half."""
    return run_action(sim, host, 'firewall_rules', args, check_mode=check_mode, diff=True)


def deliver_by_group_policy(sim, name, enabled, host='dc01'):
    """A GPO carries the predefined rule of that Name, Enabled as given; in the host's active policy it
    replaces the local rule of the same Name, which stays as it is in the local store."""
    with sim.edit(host) as ctx:
        local = ctx.host['firewall_rules'][name]
        ctx.host.setdefault('firewall_policy_rules', {})[name] = dict(local, enabled=enabled, gpo=GPO)


def test_read_reports_rules_by_name_with_localized_display_names(sim):
    result = read(sim, [RPC, 'no-such-rule', SMB.lower()], host='dns01')
    assert result.get('failed') is None
    rpc, missing, smb = result['rules']
    assert rpc == {'name': RPC, 'exists': True, 'enabled': False, 'display_name': 'Remote-Ereignisprotokollverwaltung (RPC)',
                   'group': '@FirewallAPI.dll,-29252', 'display_group': 'Remote-Ereignisprotokollverwaltung',
                   'source': 'Local'}  # read from the effective policy: a local rule, no GPO delivers it
    assert missing['exists'] is False and missing['name'] == 'no-such-rule' and missing['source'] is None
    assert smb['name'] == SMB  # matched case-insensitively, reported with its real Name
    assert result['recorded'] == []
    assert result['token'] == '%s=0;%s=0;no-such-rule=missing#' % (SMB, RPC)  # ordinal sort, as the .ps1


def test_token_is_sorted_and_includes_the_record(sim):
    with sim.edit('dc01') as ctx:
        ctx.host['registry'][KEY_RECORD] = {'FirewallRulesEnabled': ['b', 'a']}
    assert read(sim, [SMB, RPC])['token'] == '%s=1;%s=0#a;b' % (SMB, RPC)


def test_apply_enables_records_and_counts_only_real_changes(sim):
    token = read(sim, [RPC, SMB])['token']
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'names': [RPC, SMB], 'token': token,
                                             'enable': [RPC, SMB], 'record_add': [RPC]})
    assert result['changed'] is True
    assert [r['enabled'] for r in result['rules']] == [True, True]
    assert result['recorded'] == [RPC]
    # RPC, then the record: its key (absent until something records, so created first) and its value.
    # SMB was already enabled on the DC and costs nothing.
    assert sim.counters('dc01')['writes'] == 3


def test_stale_token_fails_without_writing(sim):
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'names': [RPC], 'token': 'x', 'enable': [RPC]})
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    assert sim.host_state('dc01')['firewall_rules'][RPC]['enabled'] is False


def test_enable_of_a_missing_rule_fails_like_the_cim_cmdlet(sim):
    token = read(sim, ['Nope'])['token']
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'names': ['Nope'], 'token': token, 'enable': ['Nope']})
    # The CDXML maps -Name to the InstanceID property, and the engine's message names that property.
    assert result['failed'] is True and result['error'] == 'invalid_state'
    assert "No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'Nope'" in result['msg']


def test_access_denied_on_enable_fails_as_access_denied_and_writes_nothing(sim):
    # Not elevated: reading the rules works, Enable-NetFirewallRule fails with 'Windows System Error 5'.
    sim.set_faults('dc01', {'access_denied': 'write'})
    token = read(sim, [RPC])['token']
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'names': [RPC], 'token': token, 'enable': [RPC],
                                             'record_add': [RPC]})
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert result['msg'].startswith('Access is denied')
    assert sim.host_state('dc01')['firewall_rules'][RPC]['enabled'] is False
    assert sim.counters('dc01')['writes'] == 0


def test_check_mode_apply_never_writes(sim):
    token = read(sim, [RPC])['token']
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'names': [RPC], 'token': token, 'enable': [RPC],
                                             'record_add': [RPC]}, check_mode=True)
    assert result['changed'] is True and result['rules'][0]['enabled'] is False
    assert sim.counters('dc01')['writes'] == 0


# ---------------------------------------------------------------- action plugin + model
def test_provision_and_remove_keeps_rules_enabled_before_on_a_dc(sim):
    names = firewall_rules_for(['dhcp', 'dns', 'dc'])
    check = run(sim, {'server_types': ['dhcp', 'dns', 'dc']}, check_mode=True)
    assert check['changed'] is True and sim.counters('dc01')['writes'] == 0
    assert SMB not in check['enabled']  # enabled on DCs before provisioning
    result = run(sim, {'server_types': ['dhcp', 'dns', 'dc']})
    assert result['enabled'] == check['enabled']
    assert all(r['enabled'] for r in result['rules']) and [r['name'] for r in result['rules']] == names
    assert run(sim, {'server_types': ['dhcp', 'dns', 'dc']})['changed'] is False
    removed = run(sim, {'server_types': ['dhcp', 'dns', 'dc'], 'state': 'absent'})
    assert sorted(removed['disabled']) == sorted(check['enabled'])
    assert SMB in [k['name'] for k in removed['kept']]
    assert sim.host_state('dc01')['firewall_rules'][SMB]['enabled'] is True
    assert removed['recorded'] == []
    assert run(sim, {'server_types': ['dhcp', 'dns', 'dc'], 'state': 'absent'})['changed'] is False


def test_german_host_shows_german_names_with_the_same_rule_names(sim):
    result = run(sim, {'names': [RPC, EPMAP]}, host='dns01')
    assert [r['name'] for r in result['rules']] == [RPC, EPMAP]
    assert result['rules'][0]['display_name'] == 'Remote-Ereignisprotokollverwaltung (RPC)'


def test_unknown_name_fails_and_changes_nothing(sim):
    with pytest.raises(AnsibleActionFail, match="'No-Such-Rule'"):
        run(sim, {'names': [RPC, 'No-Such-Rule']})
    assert sim.counters('dc01') == {'round_trips': 1, 'writes': 0}
    assert sim.host_state('dc01')['firewall_rules'][RPC]['enabled'] is False


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('dc01', {'concurrent_change': ['firewall_rules']})
    before = sim.counters('dc01')
    # Someone enables RPC between read and apply: the apply is refused, and the plan from the second read
    # enables (and records as ours) only EPMAP.
    result = run(sim, {'names': [RPC, EPMAP]})
    assert result['retried_after_concurrent_change'] is True
    assert result['enabled'] == [EPMAP] and result['recorded'] == [EPMAP]
    state = sim.host_state('dc01')
    assert state['firewall_rules'][RPC]['enabled'] is True  # flipped by "someone else"
    assert state['counters']['round_trips'] - before['round_trips'] == 4
    # EPMAP, and the record of what this collection enabled: its key (created on first use) and its value.
    assert state['counters']['writes'] - before['writes'] == 3


# ---------------------------------------------------------------- Group Policy: read the effective policy
def test_rule_enabled_by_group_policy_reads_enabled_and_the_local_rule_is_left_alone(sim):
    deliver_by_group_policy(sim, RPC, True)
    result = run(sim, {'names': [RPC, EPMAP]})
    assert result['enabled'] == [EPMAP] and result['recorded'] == [EPMAP]
    assert [r['enabled'] for r in result['rules']] == [True, True]
    assert sim.host_state('dc01')['firewall_rules'][RPC]['enabled'] is False  # the local copy, never needed
    assert run(sim, {'names': [RPC, EPMAP]}, check_mode=True)['changed'] is False


def test_rule_disabled_by_group_policy_fails_before_any_change(sim):
    # Locally enabled, but a GPO disables it: the rule is not in force, and no local change can put it
    # in force. Reading the local store said "enabled" and reported a compliant host.
    with sim.edit('dc01') as ctx:
        ctx.host['firewall_rules'][RPC]['enabled'] = True
    deliver_by_group_policy(sim, RPC, False)
    before = sim.counters('dc01')['writes']
    with pytest.raises(AnsibleActionFail, match="Group Policy disables .*'%s'" % RPC):
        run(sim, {'names': [RPC, EPMAP]})
    assert sim.counters('dc01')['writes'] == before
    assert sim.host_state('dc01')['firewall_rules'][EPMAP]['enabled'] is False


def test_absent_undoes_the_local_enable_of_a_rule_group_policy_enables_since(sim):
    assert run(sim, {'names': [RPC]})['recorded'] == [RPC]
    deliver_by_group_policy(sim, RPC, True)
    removed = run(sim, {'names': [RPC], 'state': 'absent'})
    assert removed['disabled'] == [RPC] and removed['recorded'] == []
    assert removed['rules'][0]['enabled'] is True  # in force through Group Policy, not through this collection
    assert [k['name'] for k in removed['kept']] == [RPC] and 'Group Policy' in removed['kept'][0]['reason']
    assert sim.host_state('dc01')['firewall_rules'][RPC]['enabled'] is False
    assert run(sim, {'names': [RPC], 'state': 'absent'})['changed'] is False
