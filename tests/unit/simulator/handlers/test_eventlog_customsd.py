# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.eventlog_customsd (tests/simulator/winsim/handlers/eventlog_customsd.py)."""
from __future__ import annotations

import pytest

from winsim import Simulator
from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.eventlog_customsd'
ACE = '(A;;0x1;;;S-1-5-21-1004336348-1177238915-682003330-1205)'


def read(lab, host='dns01', log='DNS Server', principals=('CORP\\IPAM01$',)):
    return lab.run_module(host, MODULE, {'mode': 'read', 'log': log, 'principals': list(principals)})


def customsd(lab, host='dns01'):
    return lab.host_state(host)['registry'][d.KEY_DNS_SERVER_LOG].get('CustomSD')


def test_read_reports_the_value_as_token(lab):
    result = read(lab, log='dns server')  # registry names match without regard to case
    assert result.get('failed') is None
    assert result['exists'] is True
    assert result['sddl'] == result['token'] == d.CUSTOMSD_DNS_SERVER
    assert result['host'] == {'name': 'DNS01', 'domain_role': 3, 'domain_sid': 'S-1-5-21-1004336348-1177238915-682003330',
                              'read_only_dc': False}
    assert result['principals'][0]['sid'] == 'S-1-5-21-1004336348-1177238915-682003330-1205'


def test_missing_log_key_reads_as_absent(lab):
    result = read(lab, log='No Such Log')
    assert result['exists'] is False and result['sddl'] is None


def test_dns_server_log_exists_only_with_the_dns_role(lab):
    assert read(lab, host='dhcp01')['exists'] is False
    assert read(lab, host='dc02')['exists'] is True


def test_log_without_customsd_reads_null_sddl(lab):
    result = read(lab, log='Application')
    assert result['exists'] is True and result['sddl'] is None and result['token'] is None


def test_apply_writes_the_exact_string_once(lab):
    new = d.CUSTOMSD_DNS_SERVER + ACE
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'DNS Server', 'token': d.CUSTOMSD_DNS_SERVER,
                                              'sddl': new})
    assert result['changed'] is True and result['sddl'] == new
    assert customsd(lab) == new
    assert lab.counters('dns01')['writes'] == 1


def test_stale_token_fails_without_writing(lab):
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'DNS Server', 'token': 'O:BAG:SYD:', 'sddl': 'x'})
    assert result['error'] == 'changed_since_read'
    assert customsd(lab) == d.CUSTOMSD_DNS_SERVER and lab.counters('dns01')['writes'] == 0


def test_apply_never_creates_a_missing_value_or_key(lab):
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'Application', 'token': '', 'sddl': 'O:BAG:SYD:'})
    assert result['error'] == 'not_found' and 'has no CustomSD value' in result['msg']
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'No Such Log', 'token': '', 'sddl': 'O:BAG:SYD:'})
    assert result['error'] == 'not_found' and "'No Such Log' was not found" in result['msg']
    assert lab.counters('dns01')['writes'] == 0
    assert 'CustomSD' not in lab.host_state('dns01')['registry'][d.KEY_EVENTLOG + '\\Application']


def test_check_mode_apply_never_writes(lab):
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'DNS Server', 'token': d.CUSTOMSD_DNS_SERVER,
                                              'sddl': d.CUSTOMSD_DNS_SERVER + ACE}, check_mode=True)
    assert result['changed'] is True and customsd(lab) == d.CUSTOMSD_DNS_SERVER


def test_concurrent_change_appends_an_unrelated_ace(lab):
    lab.set_faults('dns01', {'concurrent_change': ['eventlog_customsd']})
    token = read(lab)['token']
    assert customsd(lab) == token + '(A;;0x1;;;S-1-5-32-559)'
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'log': 'DNS Server', 'token': token, 'sddl': token + ACE})
    assert result['error'] == 'changed_since_read'


def test_a_value_that_is_not_a_string_fails_clearly(lab):
    with lab.edit('dns01') as ctx:
        ctx.host['registry'][d.KEY_DNS_SERVER_LOG]['CustomSD'] = 1
    result = read(lab)
    assert result['failed'] is True and result['error'] == 'invalid_state'
    assert 'is not a string value (it is DWord)' in result['msg'] and 'REG_SZ' in result['msg']


def test_corrupt_customsd_is_read_back_as_it_is(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dns09', {'kind': 'standalone', 'roles': ['DNS']}, faults={'corrupt_customsd': True})
    assert read(sim, host='dns09', principals=())['sddl'] == d.CUSTOMSD_CORRUPT


@pytest.mark.parametrize('args, message', [
    ({'mode': 'read'}, 'missing required arguments: log'),
    ({'mode': 'apply', 'log': 'DNS Server', 'token': 'x'}, 'mode is apply but all of the following are missing: sddl'),
    ({'mode': 'read', 'log': 'DNS Server', 'name': 'x'}, 'Unsupported parameters'),
])
def test_spec_checks_like_ansible_basic(lab, args, message):
    result = lab.run_module('dns01', MODULE, args)
    assert result['failed'] is True and message in result['msg']
