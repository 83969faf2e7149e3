# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated IPAM server: discovery, asynchronous refresh, and access status computed from the
managed servers' settings - provisioned with the collection's own modules, the way the roles do."""
from __future__ import annotations

import importlib
import os
import shutil
import typing as t

import pytest

from ansible_collections.ipam.provisioning.plugins.action.access_info import ActionModule as AccessInfo
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import settings_for
from winsim import Simulator
from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import ipam_server as model

# The tests that use a simulator run twice: every module answered by its Python model, and the
# modules of winsim/pwsh/runtime.py REAL_MODULES (the IPAM server's among them) run in pwsh (conftest.py).
RUN_IN_PWSH = True
IPAM = 'CORP\\IPAM01$'
DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': DOMAIN_SID,
          'computers': ['DC01', 'DC02', 'DHCP01', 'DNS01', 'NPS01', 'IPAM01'], 'ipam_servers': ['IPAM01'],
          'ad_integrated_dns': True, 'dhcp_on_dcs': True}
# The lab fleet (inventory/lab/hosts.yml), seeded directly: no ansible-inventory run needed.
PROFILES = {
    'dc01': {'kind': 'dc', 'roles': ['AD-Domain-Services', 'DNS', 'DHCP']},
    'dc02': {'kind': 'dc', 'roles': ['AD-Domain-Services', 'DNS'], 'domain_role': 4},
    'dhcp01': {'kind': 'member', 'roles': ['DHCP']},
    'dns01': {'kind': 'member', 'language': 'de-DE', 'roles': ['DNS']},
    'nps01': {'kind': 'member', 'roles': ['NPS']},
    'ipam01': {'kind': 'member', 'roles': ['IPAM']},
}
FQDN = {name: '%s.corp.example.com' % name for name in PROFILES}
NA, OK, NO, NC = model.NOT_APPLICABLE, model.UNBLOCKED, model.BLOCKED, model.NOT_CHECKED


@pytest.fixture(scope='module')
def template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp('ipam-lab'))
    sim = Simulator(path)
    for name, profile in PROFILES.items():
        sim.seed_host(name, profile, DOMAIN)
    return path


@pytest.fixture
def sim(template: str, tmp_path: t.Any, make_simulator: t.Callable[[t.Any], Simulator]) -> Simulator:
    state = os.path.join(str(tmp_path), 'state')
    shutil.copytree(template, state)
    return make_simulator(state)


# ---------------------------------------------------------------------------- helpers
def run(sim: Simulator, host: str, module: str, args: dict[str, t.Any], check_mode: bool = False) -> dict[str, t.Any]:
    """The real action plugin of a module, its PowerShell half answered by the simulator."""
    return run_action(sim, host, module, args, check_mode=check_mode)


def provision(sim: Simulator, host: str, server_types: list[str], opt_ins: tuple[str, ...] = ()) -> None:
    """Every catalog setting of these types, each with its own module (what the roles do)."""
    domain_role = sim.host_state(host)['domain_role']
    for setting in settings_for(server_types, domain_role, opt_ins):
        cls = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % setting['module']).ActionModule
        run(sim, host, setting['module'], AccessInfo.setting_arguments(setting, [IPAM], {}, frozenset(cls.ARGUMENT_SPEC)))


def configure(sim: Simulator, delay: int = 0, domains: tuple[str, ...] = ('corp.example.com',)) -> None:
    with sim.edit('ipam01') as ctx:
        ipam = model.ipam_state(ctx)
        ipam['refresh_delay_polls'] = delay
        for name in domains:
            ipam['discovery_domains'][name] = {'discover_dc': True, 'discover_dns': True, 'discover_dhcp': True}


def discover(sim: Simulator) -> None:
    token = sim.run_module('ipam01', 'ipam.provisioning.ipam_server_task', {'mode': 'read', 'names': ['ServerDiscovery']})['token']
    result = sim.run_module('ipam01', 'ipam.provisioning.ipam_server_task',
                            {'mode': 'apply', 'names': ['ServerDiscovery'], 'start': ['ServerDiscovery'], 'token': token})
    assert result.get('failed') is None, result


def statuses(sim: Simulator) -> dict[str, dict[str, t.Any]]:
    """Short host name -> its inventory entry, as one ipam_access_status read shows it."""
    result = sim.run_module('ipam01', 'ipam.provisioning.ipam_access_status', {'mode': 'read'})
    assert result.get('failed') is None, result
    return {s['name'].split('.')[0]: s for s in result['servers']}


def access(entry: dict[str, t.Any]) -> tuple[str, str, str, str, str]:
    return entry['overall'], entry['dhcp_rpc'], entry['dns_rpc'], entry['dhcp_audit_share'], entry['event_log']


def manage(sim: Simulator, *names: str, server_types: dict[str, list[str]] | None = None) -> None:
    servers = [dict({'name': FQDN[n], 'manageability': 'managed'},
                    **({'server_types': server_types[n]} if server_types and n in server_types else {})) for n in names]
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': servers})


# ---------------------------------------------------------------------------- discovery and refresh
def test_discovery_adds_dcs_dns_and_dhcp_servers_but_never_nps(sim):
    configure(sim)
    discover(sim)
    found = statuses(sim)
    assert sorted(found) == ['dc01', 'dc02', 'dhcp01', 'dns01']
    assert found['dc01']['server_types'] == ['DC', 'DNS', 'DHCP']
    assert found['dc02']['server_types'] == ['DC', 'DNS']
    assert found['dhcp01']['server_types'] == ['DHCP'] and found['dns01']['server_types'] == ['DNS']
    assert {e['manageability'] for e in found.values()} == {'Unspecified'}
    assert {e['recommended_action'] for e in found.values()} == {model.ACTION_SET_MANAGEABILITY}


def test_discovery_switches_filter_the_roles(sim):
    configure(sim, domains=())
    run(sim, 'ipam01', 'ipam_discovery_domain', {'name': 'corp.example.com', 'discover_dhcp': False, 'discover_dc': False})
    discover(sim)
    found = statuses(sim)
    assert sorted(found) == ['dc01', 'dc02', 'dns01']
    assert found['dc01']['server_types'] == ['DNS']


def test_no_discovery_domain_discovers_nothing(sim):
    configure(sim, domains=())
    discover(sim)
    assert statuses(sim) == {}


def test_access_status_shows_only_after_the_refresh_delay(sim):
    configure(sim, delay=2)
    discover(sim)
    for _poll in range(2):
        result = sim.run_module('ipam01', 'ipam.provisioning.ipam_access_status', {'mode': 'read'})
        assert result['discovery_task']['state'] == 'Running'
        assert result['discovery_task']['last_task_result'] == model.TASK_RESULT_RUNNING
        assert {s['overall'] for s in result['servers']} == {NC}
    result = sim.run_module('ipam01', 'ipam.provisioning.ipam_access_status', {'mode': 'read'})
    assert result['discovery_task']['state'] == 'Ready' and result['discovery_task']['last_task_result'] == 0
    assert {s['overall'] for s in result['servers']} == {NO}


def test_fresh_lab_is_blocked_with_not_applicable_types(sim):
    configure(sim)
    discover(sim)
    found = statuses(sim)
    assert access(found['dc01']) == (NO, NO, NO, NO, NO)
    assert access(found['dc02']) == (NO, NA, NO, NA, NO)
    assert access(found['dhcp01']) == (NO, NO, NA, NO, NO)
    assert access(found['dns01']) == (NO, NA, NO, NA, NO)


# ---------------------------------------------------------------------------- honest access checks
def test_provisioned_member_dhcp_server_is_unblocked_and_one_missing_setting_blocks_one_type(sim):
    configure(sim)
    provision(sim, 'dhcp01', ['dhcp'])
    discover(sim)
    manage(sim, 'dhcp01')
    discover(sim)   # Managed does not refresh by itself; ServerDiscovery does
    entry = statuses(sim)['dhcp01']
    assert access(entry) == (OK, OK, NA, OK, OK)
    assert entry['recommended_action'] == ''

    with sim.edit('dhcp01') as ctx:
        ctx.host['firewall_rules']['FPS-SMB-In-TCP']['enabled'] = False
    assert access(statuses(sim)['dhcp01']) == (OK, OK, NA, OK, OK)   # IPAM does not know until it refreshes
    discover(sim)
    entry = statuses(sim)['dhcp01']
    assert access(entry) == (NO, OK, NA, NO, OK)
    assert entry['recommended_action'] == model.ACTION_UNBLOCK


def test_domain_controller_with_dns_and_dhcp(sim):
    configure(sim)
    provision(sim, 'dc01', ['dc', 'dns', 'dhcp'])
    provision(sim, 'dc02', ['dc', 'dns'])
    discover(sim)
    manage(sim, 'dc01', 'dc02')
    discover(sim)
    found = statuses(sim)
    assert access(found['dc01']) == (OK, OK, OK, OK, OK)
    assert access(found['dc02']) == (OK, NA, OK, NA, OK)

    # The MicrosoftDNS ACE is domain-wide: removing it blocks DNS RPC on every DC at once (M-BP).
    run(sim, 'dc01', 'dns_domain_acl', {'principals': [IPAM], 'state': 'absent'})
    discover(sim)
    found = statuses(sim)
    assert access(found['dc01']) == (NO, OK, NO, OK, OK)
    assert access(found['dc02']) == (NO, NA, NO, NA, OK)


def test_member_dns_server_needs_local_administrators_for_dns_rpc(sim):
    configure(sim)
    provision(sim, 'dns01', ['dns'])   # without the opt-in: no local Administrators membership
    discover(sim)
    manage(sim, 'dns01')
    discover(sim)
    assert access(statuses(sim)['dns01']) == (NO, NA, NO, NA, OK)
    provision(sim, 'dns01', ['dns'], opt_ins=('ipam_dns_standalone_admin',))
    discover(sim)
    assert access(statuses(sim)['dns01']) == (OK, NA, OK, NA, OK)


def test_nps_server_added_by_hand_and_provisioned(sim):
    configure(sim)
    provision(sim, 'nps01', ['nps'])
    run(sim, 'ipam01', 'ipam_server_inventory',
        {'servers': [{'name': FQDN['nps01'], 'server_types': ['nps'], 'manageability': 'managed'}]})
    assert access(statuses(sim)['nps01']) == (NC, NC, NC, NC, NC)
    discover(sim)
    assert access(statuses(sim)['nps01']) == (OK, NA, NA, NA, OK)


def test_ipamug_membership_counts_like_the_computer_account(sim):
    configure(sim)
    ipamug = '%s-%d' % (DOMAIN_SID, 1105)
    run(sim, 'nps01', 'group_membership', {'group': 'S-1-5-32-573', 'principals': ['CORP\\IPAMUG']})
    run(sim, 'nps01', 'firewall_rules', {'server_types': ['nps']})
    assert ipamug in sim.host_state('nps01')['groups']['S-1-5-32-573']['members']
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': [{'name': FQDN['nps01'], 'server_types': ['nps']}]})
    discover(sim)
    assert statuses(sim)['nps01']['event_log'] == OK


def test_event_log_on_a_dns_server_needs_the_customsd_read(sim):
    configure(sim)
    provision(sim, 'dns01', ['dns'], opt_ins=('ipam_dns_standalone_admin',))
    discover(sim)
    manage(sim, 'dns01')
    # The default CustomSD grants Event Log Readers (S-1-5-32-573) and Administrators (BA, which the
    # opt-in made IPAM a member of) read: take those away, and our ACE.
    with sim.edit('dns01') as ctx:
        ctx.host['registry'][model.d.KEY_DNS_SERVER_LOG]['CustomSD'] = 'O:BAG:SYD:(A;;0xf0007;;;SY)(A;;0x7;;;BA)'
    discover(sim)
    assert access(statuses(sim)['dns01']) == (OK, NA, OK, NA, OK)
    with sim.edit('dns01') as ctx:
        ctx.host['registry'][model.d.KEY_DNS_SERVER_LOG]['CustomSD'] = 'O:BAG:SYD:(A;;0xf0007;;;SY)'
    discover(sim)
    assert access(statuses(sim)['dns01']) == (NO, NA, OK, NA, NO)


def test_deny_on_the_audit_share_blocks(sim):
    configure(sim)
    provision(sim, 'dhcp01', ['dhcp'])
    discover(sim)
    assert statuses(sim)['dhcp01']['dhcp_audit_share'] == OK
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit']['access'].append({'sid': 'S-1-5-11', 'type': 'Deny', 'right': 'Read'})
    discover(sim)
    assert statuses(sim)['dhcp01']['dhcp_audit_share'] == NO


def test_unreachable_and_unknown_servers_are_blocked(sim):
    configure(sim)
    provision(sim, 'nps01', ['nps'])
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': [
        {'name': FQDN['nps01'], 'server_types': ['nps'], 'manageability': 'managed'},
        {'name': 'nps99.corp.example.com', 'server_types': ['nps'], 'manageability': 'managed'}]})
    sim.set_faults('nps01', {'unreachable': True})
    discover(sim)
    found = statuses(sim)
    assert access(found['nps01']) == (NO, NA, NA, NA, NO)
    assert access(found['nps99']) == (NO, NA, NA, NA, NO)


def test_a_type_whose_role_is_not_installed_is_blocked(sim):
    configure(sim)
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': [{'name': FQDN['nps01'], 'server_types': ['nps', 'dhcp']}]})
    discover(sim)
    assert statuses(sim)['nps01']['dhcp_rpc'] == NO


def test_unmanaged_purges_status_and_is_not_checked_again(sim):
    configure(sim)
    discover(sim)
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': [{'name': FQDN['dc02'], 'manageability': 'unmanaged'}]})
    entry = statuses(sim)['dc02']
    assert access(entry) == (NC, NC, NC, NC, NC) and entry['recommended_action'] == ''
    discover(sim)
    assert access(statuses(sim)['dc02']) == (NC, NC, NC, NC, NC)
    run(sim, 'ipam01', 'ipam_server_inventory', {'servers': [{'name': FQDN['dc02'], 'manageability': 'managed'}]})
    assert statuses(sim)['dc02']['recommended_action'] == model.ACTION_REFRESH
    discover(sim)
    assert statuses(sim)['dc02']['overall'] == NO


# ---------------------------------------------------------------------------- pieces
@pytest.mark.parametrize('sddl, sids, right, expected', [
    ('D:(A;;0x1;;;S-1-5-32-573)', {'S-1-5-32-573'}, 0x1, True),
    ('D:(A;;0x1;;;ER)', {'S-1-5-32-573'}, 0x1, True),                        # alias
    ('D:(A;;0x2;;;ER)', {'S-1-5-32-573'}, 0x1, False),                       # write only
    ('D:(A;;GR;;;AU)', {'S-1-5-11'}, 0x1, True),                             # generic read
    ('D:(D;;0x1;;;AU)(A;;0x1;;;ER)', {'S-1-5-11', 'S-1-5-32-573'}, 0x1, False),   # deny wins
    ('D:AI(A;CIIO;RP;;;S-1-5-21-1-2-3-1105)', {'S-1-5-21-1-2-3-1105'}, 0x10, False),   # inherit-only
    ('D:(A;CI;RPLCRC;;;S-1-5-21-1-2-3-1105)', {'S-1-5-21-1-2-3-1105'}, 0x10, True),
    ('D:(OA;;RP;4c164200-20c0-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1105)', {'S-1-5-21-1-2-3-1105'}, 0x10, False),
    ('D:(A;;RP;;;DC)', {'S-1-5-21-1-2-3-515'}, 0x10, True),                  # domain-relative alias
    ('O:BAG:SYD:(A;;0x1;;;SY)S:(AU;FA;0x1;;;WD)', {'S-1-1-0'}, 0x1, False),   # SACL is not the DACL
    (None, {'S-1-1-0'}, 0x1, False),
])
def test_sddl_grants(sddl, sids, right, expected):
    assert model.sddl_grants(sddl, sids, right, 'S-1-5-21-1-2-3') is expected


def test_ipam_principal_is_the_computer_account_with_its_groups(sim):
    principal = model.ipam_principal(sim.host_state('ipam01'), sim.domain_state('corp.example.com'))
    computer = next(s for s, a in sim.domain_state('corp.example.com')['accounts'].items() if a['name'] == 'IPAM01$')
    assert {computer, '%s-1105' % DOMAIN_SID, '%s-515' % DOMAIN_SID, 'S-1-1-0', 'S-1-5-11', 'S-1-5-2'} <= principal
    assert 'S-1-5-32-573' not in principal   # builtin groups only on the target


def test_peers_are_read_only_copies_of_the_other_hosts(sim):
    with sim.edit('ipam01') as ctx:
        peers = ctx.peers()
        assert 'ipam01' not in peers and set(peers) == set(PROFILES) - {'ipam01'}
        peers['dc01']['roles'] = []
    assert 'DNS' in sim.host_state('dc01')['roles']


def test_ipam_state_is_created_on_first_use_and_missing_keys_are_added(sim):
    with sim.edit('ipam01') as ctx:
        ctx.host['ipam'] = {'servers': {}}
        ipam = model.ipam_state(ctx)
    assert set(ipam['tasks']) == set(model.TASK_NAMES)
    assert ipam['utilization_threshold'] == {'under': 20, 'over': 80}
    assert ipam['custom_fields']['ManagedByService']['category'] == 'BuiltIn'
