# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.dhcpaudit_share, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.dhcpaudit_share'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
IPAM = 'CORP\\IPAM01$'
KEY_RECORD = 'HKLM\\SOFTWARE\\ipam.provisioning'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('dhcp01', {'kind': 'member', 'roles': ['DHCP']}, DOMAIN)
    simulator.seed_host('dhcp02', {'kind': 'member', 'roles': ['DHCP'], 'language': 'de-DE'}, DOMAIN,
                        {'empty_dhcp_log_path': True})
    return simulator


def read(sim, host='dhcp01', **args):
    return sim.run_module(host, MODULE, dict({'mode': 'read', 'name': 'dhcpaudit', 'principals': [IPAM]}, **args))


def ipam_sid(sim):
    return read(sim)['principals'][0]['sid']


def run(sim, args, host='dhcp01', check_mode=False):
    """The real action plugin with the simulator as its remote half."""
    return run_action(sim, host, 'dhcpaudit_share', args, check_mode=check_mode, diff=True)


def test_read_reports_folder_from_registry_and_no_share(sim):
    result = read(sim)
    assert result.get('failed') is None
    assert result['path'] == {'value': d.DHCP_LOG_PATH, 'source': 'registry', 'exists': True}
    assert result['share'] is None and result['token'] == 'absent'
    assert result['created_by_collection'] is False
    assert (result['host']['name'], result['host']['domain_role']) == ('DHCP01', 3)


def test_read_of_empty_registry_value_and_of_path_option(sim):
    assert read(sim, 'dhcp02')['path'] == {'value': '', 'source': 'registry', 'exists': False}
    assert read(sim, path='C:\\Windows')['path'] == {'value': 'C:\\Windows', 'source': 'option', 'exists': True}
    assert read(sim, path='D:\\Nope')['path']['exists'] is False
    assert read(sim, path='c:/windows/')['path'] == {'value': 'c:/windows/', 'source': 'option', 'exists': True}


def test_create_gives_everyone_read_then_grants_and_records(sim):
    sid = ipam_sid(sim)
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', 'create': True,
                                               'path': d.DHCP_LOG_PATH, 'grant': [sid], 'record_created': True})
    assert result['changed'] is True
    assert result['share']['access'] == [
        {'sid': d.EVERYONE, 'name': 'Everyone', 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9},
        {'sid': sid, 'name': IPAM, 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9}]
    assert result['created_by_collection'] is True
    assert sim.host_state('dhcp01')['registry'][KEY_RECORD]['SharesCreated'] == ['dhcpaudit']
    # share, grant, and the record: its key (created on first use) and its value, two registry writes.
    assert sim.counters('dhcp01')['writes'] == 4
    assert result['token'] == read(sim)['token'] != 'absent'


def test_grant_replaces_the_right_of_an_existing_allow_ace(sim):
    sid = ipam_sid(sim)
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH,
                                           'access': [{'sid': sid, 'type': 'Allow', 'right': 'Full'}]}
    token = read(sim)['token']
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token, 'grant': [sid]})
    assert result['share']['access'] == [{'sid': sid, 'name': IPAM, 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9}]


def test_stale_token_fails_without_writing(sim):
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'present|x|', 'create': True})
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    assert 'dhcpaudit' not in sim.host_state('dhcp01')['shares']
    assert sim.counters('dhcp01')['writes'] == 0


def test_check_mode_apply_never_writes(sim):
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', 'create': True,
                                               'path': d.DHCP_LOG_PATH, 'record_created': True}, check_mode=True)
    assert result['changed'] is True and result['share'] is None
    assert sim.counters('dhcp01')['writes'] == 0


def test_access_denied_fault_fails_the_first_write(sim):
    sim.set_faults('dhcp01', {'access_denied': 'write'})
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', 'create': True,
                                               'path': d.DHCP_LOG_PATH})
    assert result['failed'] is True and result['error'] == 'access_denied'


def test_grant_to_an_orphaned_sid_fails_before_creating_anything(sim):
    orphan = DOMAIN['sid'] + '-1150'
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', 'create': True,
                                               'path': d.DHCP_LOG_PATH, 'grant': [orphan]})
    assert result['failed'] is True and result['error'] == 'unresolved_principal'
    assert 'dhcpaudit' not in sim.host_state('dhcp01')['shares']


def test_read_reports_deny_custom_and_orphaned_entries_by_sid(sim):
    orphan = DOMAIN['sid'] + '-1150'
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['DhcpAudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': d.BUILTIN_GUESTS, 'type': 'Deny', 'right': 'Full'},
            {'sid': d.BUILTIN_USERS, 'type': 'Allow', 'right': 'Custom', 'mask': 0x120089},   # FILE_GENERIC_READ
            {'sid': orphan, 'type': 'Allow', 'right': 'Read'},
            {'sid': d.BUILTIN_ADMINISTRATORS, 'type': 'Allow', 'right': 'Full'}]}
    result = read(sim)   # share names match without regard to case
    assert result['share'] == {'exists': True, 'path': d.DHCP_LOG_PATH, 'access': [
        {'sid': d.BUILTIN_GUESTS, 'name': 'BUILTIN\\Guests', 'type': 'Deny', 'right': 'Full', 'mask': 0x1F01FF},
        {'sid': d.BUILTIN_USERS, 'name': 'BUILTIN\\Users', 'type': 'Allow', 'right': 'Custom', 'mask': 0x120089},
        {'sid': orphan, 'name': None, 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9},
        {'sid': d.BUILTIN_ADMINISTRATORS, 'name': 'BUILTIN\\Administrators', 'type': 'Allow', 'right': 'Full', 'mask': 0x1F01FF}]}
    assert result['token'] == 'present|%s|%s' % (d.DHCP_LOG_PATH, ','.join(sorted(
        '%s:%s:%X' % (e['sid'], e['type'], e['mask']) for e in result['share']['access'])))


def test_the_token_sees_one_custom_right_turned_into_another(sim):
    """Both are called Custom: only the mask in the token shows the change between read and apply."""
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': d.BUILTIN_USERS, 'type': 'Allow', 'right': 'Custom', 'mask': 0x120089}]}
    token = read(sim)['token']
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit']['access'][0]['mask'] = 0x100001
    assert read(sim)['share']['access'][0]['right'] == 'Custom'
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token,
                                               'revoke': [d.BUILTIN_USERS]})
    assert result['failed'] is True and result['error'] == 'changed_since_read', result
    assert sim.counters('dhcp01')['writes'] == 0


def test_revoke_removes_allow_aces_only_and_takes_an_orphaned_sid(sim):
    orphan = DOMAIN['sid'] + '-1150'
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': d.BUILTIN_USERS, 'type': 'Deny', 'right': 'Full'},
            {'sid': d.BUILTIN_USERS, 'type': 'Allow', 'right': 'Read'},
            {'sid': orphan, 'type': 'Allow', 'right': 'Read'}]}
    token = read(sim)['token']
    before = sim.counters('dhcp01')['writes']
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token,
                                               'revoke': [d.BUILTIN_USERS, orphan]})
    assert result['changed'] is True
    assert result['share']['access'] == [{'sid': d.BUILTIN_USERS, 'name': 'BUILTIN\\Users', 'type': 'Deny', 'right': 'Full',
                                         'mask': 0x1F01FF}]
    assert sim.counters('dhcp01')['writes'] - before == 2


def test_grant_or_revoke_on_a_missing_share_fails_without_writing(sim):
    sid = ipam_sid(sim)
    for option in ('grant', 'revoke'):
        result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', option: [sid]})
        assert result['failed'] is True and result['error'] == 'not_found'
        assert result['msg'] == "Share 'dhcpaudit' does not exist."
    assert sim.counters('dhcp01')['writes'] == 0


def test_access_denied_on_grant_leaves_the_share_as_it_was(sim):
    sid = ipam_sid(sim)
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH,
                                           'access': [{'sid': d.EVERYONE, 'type': 'Allow', 'right': 'Read'}]}
    token = read(sim)['token']
    sim.set_faults('dhcp01', {'access_denied': 'write'})
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token, 'grant': [sid]})
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert sim.host_state('dhcp01')['shares']['dhcpaudit']['access'] == [{'sid': d.EVERYONE, 'type': 'Allow', 'right': 'Read'}]


def test_read_on_a_host_without_the_dhcp_server_reports_no_folder(sim):
    sim.seed_host('web01', {'kind': 'member', 'roles': []}, DOMAIN)
    result = read(sim, 'web01')
    assert result.get('failed') is None
    assert result['path'] == {'value': None, 'source': 'registry', 'exists': False}
    assert result['share'] is None and result['token'] == 'absent'


def test_missing_required_and_unknown_options_fail_like_ansible_basic(sim):
    assert 'missing required arguments: name' in sim.run_module('dhcp01', MODULE, {'mode': 'read'})['msg']
    assert 'Unsupported parameters' in sim.run_module('dhcp01', MODULE, {'mode': 'read', 'name': 'x', 'sddl': 'D:'})['msg']


# ---------------------------------------------------------------- action plugin + model
def test_check_mode_reports_full_drift_and_writes_nothing(sim):
    result = run(sim, {'principals': [IPAM]}, check_mode=True)
    assert result['changed'] is True and result['created'] is True
    assert result['diff']['after']['access'] == ['S-1-1-0: Allow Read', IPAM + ': Allow Read']
    assert sim.counters('dhcp01') == {'round_trips': 1, 'writes': 0}


# Masks that hold every right of Read, by whatever name: a Custom one (Read with write but without delete, as an
# administrator may set it), GENERIC_READ | GENERIC_EXECUTE and GENERIC_ALL (which the module calls Read and Full).
@pytest.mark.parametrize('mask', [0x1201BF, 0xA0000000, 0x10000000])
def test_an_existing_right_that_reads_is_kept_byte_for_byte(sim, mask):
    """Grant-SmbShareAccess would replace the account's ACE with plain Read (windows-api.md R7)."""
    sid = ipam_sid(sim)
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': sid, 'type': 'Allow', 'right': 'Custom', 'mask': mask},
            {'sid': d.BUILTIN_ADMINISTRATORS, 'type': 'Allow', 'right': 'Full'}]}
    before = sim.host_state('dhcp01')['shares']['dhcpaudit']
    result = run(sim, {'principals': [IPAM]})
    assert result['changed'] is False and result['added'] == [], result
    assert [e['sid'] for e in result['pre_existing']] == [sid]
    assert sim.host_state('dhcp01')['shares']['dhcpaudit'] == before
    assert sim.counters('dhcp01')['writes'] == 0


def test_an_existing_right_without_read_is_refused_not_replaced(sim):
    sid = ipam_sid(sim)
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': sid, 'type': 'Allow', 'right': 'Custom', 'mask': 0x100001}]}   # SYNCHRONIZE | FILE_READ_DATA
    before = sim.host_state('dhcp01')['shares']['dhcpaudit']
    for check_mode in (True, False):
        with pytest.raises(AnsibleActionFail) as failure:
            run(sim, {'principals': [IPAM]}, check_mode=check_mode)
        assert 'mask 0x100001 lacks some of 0x1200A9' in str(failure.value)
        assert 'granting Read would replace it' in str(failure.value)
    assert sim.host_state('dhcp01')['shares']['dhcpaudit'] == before
    assert sim.counters('dhcp01')['writes'] == 0


def test_present_then_repeat_then_absent_deletes_what_it_created(sim):
    result = run(sim, {'principals': [IPAM]})
    assert result['changed'] is True and result['created'] is True
    assert [e['name'] for e in result['access']] == ['Everyone', IPAM]
    assert run(sim, {'principals': [IPAM]})['changed'] is False
    result = run(sim, {'principals': [IPAM], 'state': 'absent'})
    assert result['deleted'] is True
    assert 'dhcpaudit' not in sim.host_state('dhcp01')['shares']
    # Set-IpamRecord removes the value when the record becomes empty.
    assert 'SharesCreated' not in sim.host_state('dhcp01')['registry'][KEY_RECORD]
    assert run(sim, {'principals': [IPAM], 'state': 'absent'})['changed'] is False


def test_a_record_of_several_shares_is_read_entry_by_entry(sim):
    with sim.edit('dhcp01') as ctx:
        ctx.host['registry'][KEY_RECORD] = {'SharesCreated': ['other', 'DHCPAUDIT']}
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH,
                                           'access': [{'sid': d.EVERYONE, 'type': 'Allow', 'right': 'Read'}]}
    assert read(sim)['created_by_collection'] is True   # entries compare without regard to case
    result = run(sim, {'principals': [IPAM], 'state': 'absent'})
    assert result['deleted'] is True
    assert sim.host_state('dhcp01')['registry'][KEY_RECORD] == {'SharesCreated': ['other']}


def test_absent_on_a_share_it_did_not_create_revokes_only_its_access(sim):
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH,
                                           'access': [{'sid': d.EVERYONE, 'type': 'Allow', 'right': 'Read'}]}
    result = run(sim, {'principals': [IPAM]})
    assert result['created'] is False and result['created_by_collection'] is False
    result = run(sim, {'principals': [IPAM], 'state': 'absent'})
    assert result['deleted'] is False
    assert sim.host_state('dhcp01')['shares']['dhcpaudit']['access'] == [{'sid': d.EVERYONE, 'type': 'Allow', 'right': 'Read'}]


def test_remove_everyone_on_a_german_host(sim):
    result = run(sim, {'principals': [IPAM], 'remove_everyone': True, 'path': 'C:\\Windows'}, host='dhcp02')
    assert [e['name'] for e in result['access']] == [IPAM]
    assert result['actions'][-1] == 'Revoke-SmbShareAccess -Name dhcpaudit -AccountName S-1-1-0 -Force'


def test_empty_dhcp_log_path_fails_clearly(sim):
    with pytest.raises(AnsibleActionFail, match='DhcpLogFilePath is missing or empty'):
        run(sim, {'principals': [IPAM]}, host='dhcp02')
    assert sim.counters('dhcp02') == {'round_trips': 1, 'writes': 0}


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('dhcp01', {'concurrent_change': ['dhcpaudit_share']})
    before = sim.counters('dhcp01')
    # Someone creates the share between read and apply: the creation is refused (nothing written), and the
    # plan from the second read grants on the existing share.
    result = run(sim, {'principals': [IPAM]})
    assert result['retried_after_concurrent_change'] is True
    assert result['created'] is False and result['changed'] is True
    after = sim.counters('dhcp01')
    # One grant, after its ownership record (the record key is created first, then the value).
    assert after['round_trips'] - before['round_trips'] == 4 and after['writes'] - before['writes'] == 3
    assert sim.host_state('dhcp01')['registry'][d.KEY_RECORD]['ShareRightsGranted'] == [
        'dhcpaudit|%s' % result['added'][0]['sid']]
    share = sim.host_state('dhcp01')['shares']['dhcpaudit']  # created by "someone else"
    assert {'sid': d.BUILTIN_USERS, 'type': 'Allow', 'right': 'Change'} in share['access']


def test_a_share_that_cannot_be_created_leaves_no_record(sim):
    """The record is written before the share (a crash in between is finished by the next run); when
    New-SmbShare itself fails, the record is taken back, so no share of that name is ever taken for ours."""
    with sim.edit('dhcp01') as ctx:
        ctx.host['faults'] = {'access_denied': 'write'}
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': 'absent', 'create': True,
                                               'path': d.DHCP_LOG_PATH, 'record_created': True})
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert 'SharesCreated' not in (sim.host_state('dhcp01')['registry'].get(KEY_RECORD) or {})
    assert 'dhcpaudit' not in sim.host_state('dhcp01')['shares']
