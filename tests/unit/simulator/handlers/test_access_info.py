# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.access_info, alone and driven by the real action plugins."""
from __future__ import annotations

import importlib
import typing as t

import pytest

from ansible_collections.ipam.provisioning.plugins.action.access_info import ActionModule
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import settings_for
from winsim import Simulator
from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.access_info'
IPAM = 'CORP\\IPAM01$'


def read(sim: Simulator, host: str, **args: t.Any) -> dict[str, t.Any]:
    return sim.run_module(host, MODULE, dict({'mode': 'read'}, **args))


def run(sim: Simulator, host: str, module: str, args: dict[str, t.Any], check_mode: bool = False) -> dict[str, t.Any]:
    return run_action(sim, host, module, args, check_mode=check_mode)


def grant_everything(sim: Simulator, host: str, server_types: list[str]) -> None:
    """Apply each catalog setting of the types with its own module (what the roles do)."""
    domain_role = sim.host_state(host)['domain_role']
    for setting in settings_for(server_types, domain_role):
        cls = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % setting['module']).ActionModule
        args = ActionModule.setting_arguments(setting, [IPAM], {}, frozenset(cls.ARGUMENT_SPEC))
        run(sim, host, setting['module'], args)


# ---------------------------------------------------------------------------- the handler alone
def test_domain_controller_with_dns_and_dhcp(lab):
    result = read(lab, 'dc01')
    assert result.get('failed') is None and result['changed'] is False
    assert result['host'] == {'name': 'DC01', 'domain_role': 5, 'domain_sid': lab.domain_state('corp.example.com')['sid'],
                              'read_only_dc': False}
    # Only a DC lists the domain's controllers: the lab's AD has both, whichever host was seeded.
    assert result['domain'] == {'dns_name': 'corp.example.com', 'netbios_name': 'CORP',
                                'distinguished_name': 'DC=corp,DC=example,DC=com',
                                'controllers': ['dc01.corp.example.com', 'dc02.corp.example.com'],
                                'this_controller': 'dc01.corp.example.com', 'controllers_error': None}
    assert result['installed_roles'] == ['DHCP', 'DNS', 'AD-Domain-Services']
    assert result['services'] == {'DHCPServer': {'exists': True, 'status': 'Running'},
                                  'DNS': {'exists': True, 'status': 'Running'},
                                  'IAS': {'exists': False, 'status': None}}
    assert result['dhcp_audit_path'] == {'value': 'C:\\Windows\\system32\\dhcp', 'exists': True}
    assert result['os']['ui_language'] == 'en-US'
    assert set(result['os']) == {'caption', 'version', 'ui_language'}


def test_german_member_dns_server(lab):
    result = read(lab, 'dns01')
    assert result['os']['ui_language'] == 'de-DE'
    assert result['installed_roles'] == ['DNS']
    assert result['host']['domain_role'] == 3
    assert result['dhcp_audit_path'] is None


def test_a_dc_whose_directory_cannot_be_read_lists_no_controllers(lab):
    lab.set_faults('dc02', {'directory_unreadable': True})
    domain = read(lab, 'dc02')['domain']
    assert domain['controllers'] is None and domain['this_controller'] is None
    assert domain['controllers_error'] == 'The server is not operational.'


def test_a_member_lists_no_controllers(lab):
    assert 'controllers' not in read(lab, 'dhcp01')['domain']


def test_nps_is_the_npas_feature_and_the_ias_service(lab):
    result = read(lab, 'nps01')
    assert result['installed_roles'] == ['NPAS']
    assert result['services']['IAS'] == {'exists': True, 'status': 'Running'}
    assert read(lab, 'ipam01')['installed_roles'] == ['IPAM']


def test_standalone_server_has_no_domain(lab):
    result = read(lab, 'std01')
    assert result['domain'] is None
    assert result['host'] == {'name': 'STD01', 'domain_role': 2, 'domain_sid': None, 'read_only_dc': False}
    assert result['os']['ui_language'] == 'fr-FR'


def test_empty_dhcp_log_path_reads_as_missing(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp02', {'kind': 'standalone', 'roles': ['DHCP']}, faults={'empty_dhcp_log_path': True})
    assert read(sim, 'dhcp02')['dhcp_audit_path'] == {'value': '', 'exists': False}


def test_dhcp_role_absent_has_no_audit_path(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp02', {'kind': 'standalone', 'roles': ['DHCP']}, faults={'dhcp_role_absent': True})
    result = read(sim, 'dhcp02')
    assert result['installed_roles'] == []
    assert result['dhcp_audit_path'] is None
    assert result['services']['DHCPServer'] == {'exists': False, 'status': None}


@pytest.mark.parametrize('args, message', [
    ({'mode': 'apply'}, 'value of mode must be one of: read. Got no match for: apply'),
    # Ansible.Basic lists the supported names in its hashtable's order, so only the start is compared.
    ({'mode': 'read', 'token': 'x'}, 'module: token. Supported parameters include: '),
    ({}, 'missing required arguments: mode'),
])
def test_spec_is_enforced_like_ansible_basic(lab, args, message):
    result = lab.run_module('dc01', MODULE, args)
    assert result['failed'] is True
    assert message in result['msg']


def test_principals_are_resolved_as_the_host_resolves_them(lab):
    # dns01 is German: Everyone is 'Jeder' there. 'CORP\\IPAM01' lacks the '$' of a computer account.
    result = read(lab, 'dns01', principals=['Jeder', IPAM, 'CORP\\IPAM01'])
    everyone, ipam, typo = result['principals']
    assert (everyone['input'], everyone['sid']) == ('Jeder', 'S-1-1-0')
    assert ipam['input'] == IPAM and ipam['sid'].startswith(lab.domain_state('corp.example.com')['sid'] + '-')
    assert typo['sid'] is None and typo['error']
    assert 'principals' not in read(lab, 'dns01')   # none given: none resolved


def test_read_never_writes_and_costs_one_round_trip(lab):
    before = lab.counters('dhcp01')
    read(lab, 'dhcp01')
    after = lab.counters('dhcp01')
    assert after == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}


def test_concurrent_change_stops_the_dhcp_server_service(lab):
    lab.set_faults('dhcp01', {'concurrent_change': ['access_info']})
    assert read(lab, 'dhcp01')['services']['DHCPServer']['status'] == 'Running'
    assert read(lab, 'dhcp01')['services']['DHCPServer']['status'] == 'Stopped'


# ---------------------------------------------------------------------------- the real plugins on the simulator
def test_fresh_dhcp_member_drifts_everywhere_and_nothing_is_written(lab):
    before = lab.counters('dhcp01')
    result = run(lab, 'dhcp01', 'access_info', {'principals': [IPAM]})
    expected = [s['id'] for s in settings_for(['dhcp'], 3)]
    assert result['detected_server_types'] == ['dhcp']
    assert [s['setting'] for s in result['settings']] == expected
    assert {s['setting']: s['status'] for s in result['settings']} == dict.fromkeys(expected, 'drift')
    after = lab.counters('dhcp01')
    assert after == {'round_trips': before['round_trips'] + 1 + len(expected), 'writes': before['writes']}


def test_after_granting_every_setting_the_audit_is_compliant(lab):
    grant_everything(lab, 'dhcp01', ['dhcp'])
    result = run(lab, 'dhcp01', 'access_info', {'principals': [IPAM]})
    assert {s['status'] for s in result['settings']} == {'compliant'}, result['settings']
    # Everyone still reads the share: compliant for IPAM, drift once removal of Everyone is asked for.
    result = run(lab, 'dhcp01', 'access_info', {'principals': [IPAM], 'options': {'remove_everyone': True}})
    share = next(s for s in result['settings'] if s['setting'] == 'dhcpaudit_share')
    assert share['status'] == 'drift'
    assert [e['sid'] for e in share['changes']['removed']] == ['S-1-1-0']


def test_domain_controller_audit_covers_domain_wide_settings(lab):
    result = run(lab, 'dc01', 'access_info', {'principals': [IPAM]}, check_mode=True)
    assert result['server_types'] == ['dhcp', 'dns', 'dc']
    settings = {s['setting']: s for s in result['settings']}
    assert settings['dns_domain_acl']['scope'] == 'domain'
    assert settings['event_log_readers']['scope'] == 'domain'
    assert 'dns_local_administrators' not in settings
    assert result['summary']['failed'] == 0, [s['msg'] for s in result['settings'] if s['status'] == 'failed']


def test_german_dns_member_audit_and_opt_in(lab):
    result = run(lab, 'dns01', 'access_info', {'principals': [IPAM]})
    settings = {s['setting']: s['status'] for s in result['settings']}
    assert settings == {'event_log_readers': 'drift', 'dns_eventlog_customsd': 'drift', 'dns_service_acl': 'drift',
                        'dns_local_administrators': 'not_applicable', 'dns_firewall': 'drift'}
    result = run(lab, 'dns01', 'access_info', {'principals': [IPAM], 'options': {'dns_standalone_admin': True}})
    assert {s['setting']: s['status'] for s in result['settings']}['dns_local_administrators'] == 'drift'


def test_claimed_server_type_without_the_role_fails_that_setting(lab):
    result = run(lab, 'nps01', 'access_info', {'principals': [IPAM], 'server_types': ['dhcp']})
    settings = {s['setting']: s for s in result['settings']}
    assert settings['dhcp_service_acl']['status'] == 'failed'
    assert "service 'DHCPServer' does not exist" in settings['dhcp_service_acl']['msg']
    assert result['changed'] is False


def test_operating_system_is_read_from_win32_operatingsystem(lab):
    assert read(lab, 'dhcp01')['os'] == {'caption': 'Microsoft Windows Server 2022 Datacenter',
                                         'version': '10.0.20348', 'ui_language': 'en-US'}
    with lab.edit('dhcp01') as ctx:
        ctx.host['os'] = {'caption': 'Microsoft Windows Server 2019 Standard', 'version': '10.0.17763'}
    assert read(lab, 'dhcp01')['os'] == {'caption': 'Microsoft Windows Server 2019 Standard',
                                         'version': '10.0.17763', 'ui_language': 'en-US'}


def test_a_dc_lists_the_controllers_while_another_dc_is_down(lab):
    lab.set_faults('dc01', {'directory_unreadable': True})
    domain = read(lab, 'dc02')['domain']
    # dc02 asks its own directory, which lists dc01 whether or not dc01 answers.
    assert domain['controllers'] == ['dc01.corp.example.com', 'dc02.corp.example.com']
    assert domain['this_controller'] == 'dc02.corp.example.com' and domain['netbios_name'] == 'CORP'


def test_the_domain_dn_is_escaped_in_the_crossref_filter(tmp_path, make_simulator):
    # The crossRef search puts the domain's DN into an LDAP filter; RFC 4515 wants '\', '*', '(', ')' and
    # NUL in a value escaped. Real domain names cannot hold these characters (the escape guards whatever
    # the rootDSE returns), so the domain here is made up to carry one: unescaped, its '(' ends the filter.
    sim = make_simulator(tmp_path)
    sim.seed_host('dc09', {'kind': 'dc', 'roles': ['DNS']},
                  {'dns_name': 'lab(1).example', 'netbios': 'LAB1', 'sid': 'S-1-5-21-1-2-9'})
    domain = read(sim, 'dc09')['domain']
    assert domain['distinguished_name'] == 'DC=lab(1),DC=example'
    assert domain['netbios_name'] == 'LAB1'
    assert domain['controllers'] == ['dc09.lab(1).example']
