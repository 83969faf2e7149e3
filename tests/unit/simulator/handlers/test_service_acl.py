# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.service_acl (tests/simulator/winsim/handlers/service_acl.py)."""
from __future__ import annotations

import pytest

from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.service_acl'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
IPAM = 'CORP\\IPAM01$'
ACE = '(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1200)'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('dc01', {'kind': 'dc', 'roles': ['DNS', 'DHCP']}, DOMAIN)
    simulator.seed_host('dns01', {'kind': 'member', 'roles': ['DNS'], 'language': 'de-DE'}, DOMAIN)
    return simulator


def read(sim, host='dc01', name='DNS', principals=(IPAM,)):
    return sim.run_module(host, MODULE, {'mode': 'read', 'name': name, 'principals': list(principals)})


def test_read_reports_descriptor_token_host_and_principals(sim):
    result = read(sim, name='dns')  # service names match without regard to case
    assert result.get('failed') is None
    assert result['exists'] is True
    assert result['display_name'] == 'DNS Server'
    assert result['sddl'] == d.SDDL_DNS
    assert result['token'] == d.SDDL_DNS
    assert result['host'] == {'name': 'DC01', 'domain_role': 5, 'domain_sid': DOMAIN['sid'],
                              'read_only_dc': False}
    assert result['principals'][0]['input'] == IPAM
    assert result['principals'][0]['sid'].startswith(DOMAIN['sid'] + '-')
    assert result['changed'] is False


def test_missing_service_reads_as_absent(sim):
    result = read(sim, name='NoSuchService')
    assert result.get('failed') is None
    assert result['exists'] is False and result['sddl'] is None and result['display_name'] is None


def test_apply_writes_once_and_returns_what_is_stored(sim):
    before = sim.counters('dc01')['writes']
    new = d.SDDL_DNS.replace('S:', ACE + 'S:')
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': d.SDDL_DNS, 'sddl': new})
    assert result['changed'] is True and result['sddl'] == new
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == new
    assert sim.counters('dc01')['writes'] == before + 1


def test_apply_of_the_same_descriptor_writes_nothing(sim):
    before = sim.counters('dc01')['writes']
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': d.SDDL_DNS, 'sddl': d.SDDL_DNS})
    assert result['changed'] is False and result['sddl'] == d.SDDL_DNS
    assert sim.counters('dc01')['writes'] == before


def test_stale_token_fails_without_writing(sim):
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': 'D:', 'sddl': 'D:' + ACE})
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    assert "service 'DNS' changed between read and apply" in result['msg']
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == d.SDDL_DNS
    assert sim.counters('dc01')['writes'] == 0


def test_a_refused_sdset_is_access_denied_and_changes_nothing(sim):
    # sc.exe sdset exits 5 (ERROR_ACCESS_DENIED) when the caller may not write the descriptor.
    sim.set_faults('dc01', {'access_denied': 'write'})
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': d.SDDL_DNS, 'sddl': d.SDDL_DNS + ACE})
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert "Access is denied writing the security descriptor of service 'DNS'" in result['msg']
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == d.SDDL_DNS
    assert sim.counters('dc01')['writes'] == 0


def test_check_mode_apply_never_writes(sim):
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': d.SDDL_DNS, 'sddl': 'D:' + ACE},
                            check_mode=True)
    assert result['changed'] is True
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == d.SDDL_DNS


def test_sdset_refuses_text_that_is_not_sddl(sim):
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': d.SDDL_DNS, 'sddl': 'D:(A;;CC'})
    assert result['failed'] is True and '1336' in result['msg']
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == d.SDDL_DNS


def test_apply_to_a_missing_service_is_not_found(sim):
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'NoSuchService', 'token': 'D:', 'sddl': 'D:'})
    assert result['error'] == 'not_found' and "'NoSuchService' was not found" in result['msg']


def test_concurrent_change_adds_an_unrelated_ace_after_the_read(sim):
    sim.set_faults('dc01', {'concurrent_change': ['service_acl']})
    token = read(sim)['token']
    changed = sim.host_state('dc01')['services']['DNS']['sddl']
    assert changed != token and changed.startswith('D:(A;;CCLCSWLOCRRC;;;%s-1234)' % DOMAIN['sid'])
    result = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'DNS', 'token': token, 'sddl': token + ACE})
    assert result['error'] == 'changed_since_read'
    assert sim.host_state('dc01')['services']['DNS']['sddl'] == changed
    assert 'concurrent_change' not in sim.host_state('dc01')['faults']  # fires once


@pytest.mark.parametrize('args, message', [
    ({'mode': 'read'}, 'missing required arguments: name'),
    ({'mode': 'write', 'name': 'DNS'}, 'value of mode must be one of'),
    ({'mode': 'apply', 'name': 'DNS'}, 'mode is apply but all of the following are missing: token, sddl'),
    ({'mode': 'read', 'name': 'DNS', 'log': 'x'}, 'Unsupported parameters'),
])
def test_spec_checks_like_ansible_basic(sim, args, message):
    result = sim.run_module('dc01', MODULE, args)
    assert result['failed'] is True and message in result['msg']


def test_principals_resolve_in_the_hosts_language(sim):
    result = read(sim, host='dns01', principals=('VORDEFINIERT\\Administratoren', 'BUILTIN\\Administrators'))
    german, english = result['principals']
    assert german['sid'] == 'S-1-5-32-544'
    assert english['sid'] is None and 'could not be translated' in english['error']
