# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.dns_domain_acl (tests/simulator/winsim/handlers/dns_domain_acl.py)."""
from __future__ import annotations

import re

import pytest

from winsim import defaults as d
from winsim.winapi.directory import bump_usn

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.dns_domain_acl'
DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
DN = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'
ACE = '(A;CI;RPLCRC;;;%s-1205)' % DOMAIN_SID


def read(lab, host='dc01', dn=None, principals=('CORP\\IPAM01$',)):
    return lab.run_module(host, MODULE, {'mode': 'read', 'distinguished_name': dn, 'principals': list(principals)})


def apply(lab, host, token, sddl, dn=DN, check_mode=False):
    return lab.run_module(host, MODULE, {'mode': 'apply', 'distinguished_name': dn, 'token': token, 'sddl': sddl},
                          check_mode=check_mode)


def stored(lab):
    return lab.domain_state('corp.example.com')['ad_objects'][DN]['sddl']


def test_read_resolves_the_default_object_of_the_hosts_domain(lab):
    result = read(lab)
    assert result.get('failed') is None
    assert result['distinguished_name'] == DN
    assert result['exists'] is True
    assert result['sddl'] == d.microsoft_dns_dacl(DOMAIN_SID + '-1101')
    # The token is the object's uSNChanged on the DC read from, and its DACL.
    assert re.match(r'^[0-9]+\|', result['token']) and result['token'].endswith('|' + result['sddl'])
    assert result['server'] == 'DC01'
    assert result['host'] == {'name': 'DC01', 'domain_role': 5, 'domain_dn': 'DC=corp,DC=example,DC=com',
                              'domain_sid': DOMAIN_SID, 'read_only_dc': False}


def test_dns_matches_without_regard_to_case_or_blanks(lab):
    result = read(lab, dn='cn=microsoftdns, cn=system, dc=corp, dc=example, dc=com')
    assert result['exists'] is True


def test_missing_object_reads_as_absent(lab):
    result = read(lab, dn='CN=MicrosoftDNS,CN=System,DC=other,DC=example')
    assert result.get('failed') is None and result['exists'] is False and result['sddl'] is None


def test_change_through_one_dc_is_seen_through_the_other_and_counted_where_made(lab):
    first = read(lab, 'dc01')
    token, sddl = first['token'], first['sddl']
    result = apply(lab, 'dc01', token, sddl + ACE)
    assert result['changed'] is True and result['sddl'] == sddl + ACE
    assert read(lab, 'dc02')['sddl'] == sddl + ACE
    assert read(lab, 'dns01')['sddl'] == sddl + ACE  # any domain member reaches the object
    assert lab.counters('dc01')['writes'] == 1 and lab.counters('dc02')['writes'] == 0


def test_a_write_that_puts_the_same_dacl_back_is_a_change(lab):
    # Someone writes between our read and apply and leaves the text as it was (A, B, A): uSNChanged moved.
    first = read(lab)
    with lab.edit('dc01') as ctx:
        obj = next(o for k, o in ctx.domain['ad_objects'].items() if k.upper() == DN.upper())
        bump_usn(ctx.domain, obj)
    result = apply(lab, 'dc01', first['token'], first['sddl'] + ACE)
    assert result['error'] == 'changed_since_read' and stored(lab) == first['sddl']


def test_a_member_pins_the_dc_it_read_from(lab):
    first = read(lab, 'dns01')
    assert first['server'] == 'dc01.corp.example.com'
    # The apply binds to the DC named, not to whichever one a new serverless bind would find.
    lab.set_faults('dc01', {'directory_unreadable': True})
    result = lab.run_module('dns01', MODULE, {'mode': 'apply', 'distinguished_name': DN, 'token': first['token'],
                                              'sddl': first['sddl'] + ACE, 'server': first['server']})
    assert result['failed'] is True and 'not operational' in result['msg']
    assert stored(lab) == first['sddl']


def test_stale_token_fails_without_writing(lab):
    result = apply(lab, 'dc02', 'D:', 'D:' + ACE)
    assert result['error'] == 'changed_since_read' and DN in result['msg']
    assert ACE not in stored(lab)


def test_check_mode_apply_never_writes(lab):
    first = read(lab)
    token, sddl = first['token'], first['sddl']
    result = apply(lab, 'dc01', token, sddl + ACE, check_mode=True)
    assert result['changed'] is True and stored(lab) == sddl


def test_apply_to_a_missing_object_is_not_found(lab):
    result = apply(lab, 'dc01', 'D:', 'D:' + ACE, dn='CN=Nothing,DC=corp,DC=example,DC=com')
    assert result['error'] == 'not_found'


def test_standalone_host_has_no_default_object(lab):
    result = read(lab, 'std01')
    assert result.get('failed') is None
    assert result['distinguished_name'] is None and result['exists'] is False
    named = read(lab, 'std01', dn=DN)
    assert named['failed'] is True and 'could not be contacted' in named['msg']


def test_concurrent_change_adds_an_unrelated_ace_after_the_read(lab):
    lab.set_faults('dc01', {'concurrent_change': ['dns_domain_acl']})
    first = read(lab)
    token, sddl = first['token'], first['sddl']
    assert stored(lab).startswith('D:AI(A;;RPLCRC;;;%s-1234)' % DOMAIN_SID)
    assert apply(lab, 'dc01', token, sddl + ACE)['error'] == 'changed_since_read'


@pytest.mark.parametrize('args, message', [
    ({}, 'missing required arguments: mode'),
    ({'mode': 'apply', 'token': 'x', 'sddl': 'D:'}, 'following are missing: distinguished_name'),
    ({'mode': 'read', 'name': 'x'}, 'Unsupported parameters'),
])
def test_spec_checks_like_ansible_basic(lab, args, message):
    result = lab.run_module('dc01', MODULE, args)
    assert result['failed'] is True and message in result['msg']


def test_a_dc_whose_directory_cannot_be_read_fails_on_the_naming_context(lab):
    # A DC binds to itself (LDAP://DC02/RootDSE): with its LDAP down it cannot learn the domain's DN.
    lab.set_faults('dc02', {'directory_unreadable': True})
    result = read(lab, 'dc02')
    assert result['failed'] is True and result['error'] == 'invalid_state'
    assert result['msg'] == ('Cannot read the domain naming context from Active Directory: '
                             'The server is not operational.')
    assert read(lab, 'dns01')['exists'] is True   # a member's serverless bind finds the other DC


def test_refused_write_is_access_denied_and_changes_nothing(lab):
    lab.set_faults('dc01', {'access_denied': 'write'})
    first = read(lab)
    token, sddl = first['token'], first['sddl']
    result = apply(lab, 'dc01', token, sddl + ACE)
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert result['msg'] == "Cannot write the DACL of '%s': Access is denied." % DN
    assert stored(lab) == sddl


def test_an_apply_with_the_dacl_already_as_asked_writes_nothing(lab):
    # The planner sends the unchanged DACL when it only forgets a stale ownership record entry.
    first = read(lab)
    token, sddl = first['token'], first['sddl']
    result = apply(lab, 'dc01', token, sddl)
    assert result['changed'] is False and result['sddl'] == sddl
    assert lab.counters('dc01')['writes'] == 0


def test_a_descriptor_the_account_may_not_read_is_access_denied(lab):
    # Active Directory leaves nTSecurityDescriptor out, without an error, when the caller may not read it:
    # ObjectSecurity is then $null (windows-api.md 8 and R1). That is access denied, not a missing object.
    with lab.edit('dc01') as ctx:
        ctx.domain['ad_objects'][DN]['caller_read_control'] = False
    result = read(lab)
    assert result['failed'] is True and result['error'] == 'access_denied'
    assert result['msg'] == ("Cannot read the security descriptor of 'LDAP://DC01/%s': Active Directory returned "
                             "none, which it does when the account may not read the object's permissions." % DN)
    assert result['exists'] is False and result['sddl'] is None
    result = apply(lab, 'dc01', 'D:', 'D:' + ACE)
    assert result['error'] == 'access_denied'
    assert lab.counters('dc01')['writes'] == 0


# A read-only DC (#13 item 8): it reads like any DC, but refers every write to a writable one.
RODC_DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': DOMAIN_SID}


def seed_rodc(lab):
    lab.seed_host('rodc01', {'kind': 'dc', 'read_only': True, 'roles': ['DNS'], 'address': '127.0.0.30'}, RODC_DOMAIN)


def test_a_read_only_dc_says_so_and_writes_through_a_writable_dc(lab):
    seed_rodc(lab)
    first = read(lab, 'rodc01')
    assert first['host']['read_only_dc'] is True and first['host']['domain_role'] == 4
    # Pinned to a writable DC found by the locator, not to itself.
    assert first['server'] == 'dc01.corp.example.com'
    result = lab.run_module('rodc01', MODULE, {'mode': 'apply', 'distinguished_name': DN, 'token': first['token'],
                                               'sddl': first['sddl'] + ACE, 'server': first['server']})
    assert result.get('failed') is None and result['changed'] is True
    assert stored(lab) == first['sddl'] + ACE
    assert read(lab, 'dc02')['host']['read_only_dc'] is False


def test_a_write_bound_to_a_read_only_dc_is_referred(lab):
    seed_rodc(lab)
    first = read(lab, 'rodc01')
    result = lab.run_module('rodc01', MODULE, {'mode': 'apply', 'distinguished_name': DN, 'token': first['token'],
                                               'sddl': first['sddl'] + ACE, 'server': 'rodc01.corp.example.com'})
    assert result['failed'] is True and 'A referral was returned from the server' in result['msg']
    assert stored(lab) == first['sddl']


def test_a_read_only_dc_without_a_writable_dc_fails_naming_it(lab):
    seed_rodc(lab)
    for dc in ('dc01', 'dc02'):
        lab.set_faults(dc, {'unreachable': True})
    result = read(lab, 'rodc01')
    assert result['failed'] is True and result['msg'].startswith(
        "Cannot locate a writable domain controller of the computer's domain")
    assert stored(lab) == d.microsoft_dns_dacl(DOMAIN_SID + '-1101')
