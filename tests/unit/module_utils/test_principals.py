# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of principal syntax, well-known SIDs and the broad-principal policy."""
from __future__ import annotations

import pytest

from ansible_collections.ipam.provisioning.plugins.module_utils import principals
from ansible_collections.ipam.provisioning.plugins.module_utils.principals import Principal, parse_principal


@pytest.mark.parametrize('text, expected', [
    ('S-1-5-21-319372935-2150250437-1932643794-1106', Principal('sid', 'S-1-5-21-319372935-2150250437-1932643794-1106')),
    ('s-1-5-32-573', Principal('sid', 's-1-5-32-573')),
    ('CORP\\IPAM01$', Principal('down_level', 'CORP\\IPAM01$', 'CORP', 'IPAM01$')),
    ('CORP\\IPAMUG', Principal('down_level', 'CORP\\IPAMUG', 'CORP', 'IPAMUG')),
    ('BUILTIN\\Event Log Readers', Principal('down_level', 'BUILTIN\\Event Log Readers', 'BUILTIN', 'Event Log Readers')),
    ('NT AUTHORITY\\NETWORK SERVICE', Principal('down_level', 'NT AUTHORITY\\NETWORK SERVICE', 'NT AUTHORITY', 'NETWORK SERVICE')),
    ('NT-AUTORITÄT\\SYSTEM', Principal('down_level', 'NT-AUTORITÄT\\SYSTEM', 'NT-AUTORITÄT', 'SYSTEM')),
    ('BUILTIN\\Lecteurs des journaux d\u2019événements',
     Principal('down_level', 'BUILTIN\\Lecteurs des journaux d\u2019événements', 'BUILTIN', 'Lecteurs des journaux d\u2019événements')),
    ('corp.example.com\\ipam01$', Principal('down_level', 'corp.example.com\\ipam01$', 'corp.example.com', 'ipam01$')),
    ('ipam-svc@corp.example.com', Principal('upn', 'ipam-svc@corp.example.com', 'corp.example.com', 'ipam-svc')),
    ('.\\LocalIpam', Principal('local', '.\\LocalIpam', '.', 'LocalIpam')),
    ('IPAMUG', Principal('name', 'IPAMUG', None, 'IPAMUG')),
    ('Usuarios de DHCP', Principal('name', 'Usuarios de DHCP', None, 'Usuarios de DHCP')),
    ('  CORP\\IPAM01$ ', Principal('down_level', 'CORP\\IPAM01$', 'CORP', 'IPAM01$')),
])
def test_valid_principals(text, expected):
    assert parse_principal(text) == expected


def test_bare_name_is_ambiguous_and_others_not():
    assert parse_principal('IPAMUG').ambiguous
    assert not parse_principal('CORP\\IPAMUG').ambiguous
    assert not parse_principal('S-1-5-32-544').ambiguous


def test_sid_principal_normalised():
    assert parse_principal('s-1-5-32-0544').sid == 'S-1-5-32-544'
    assert parse_principal('CORP\\x').sid is None


@pytest.mark.parametrize('text, words', [
    ('', 'empty'),
    ('   ', 'empty'),
    ('\t', 'empty'),
    ('CORP\\IPAM01$,CORP\\IPAM02$', 'give a list, not a comma-separated string'),
    ('IPAM01, IPAM02', 'comma'),
    ('CORP\\\\IPAM01$', 'more than one backslash'),
    ('CORP\\sub\\IPAM01$', 'more than one backslash'),
    ('ipam@', '"@" without a domain'),
    ('@corp.example.com', 'empty name'),
    ('a@b@c', 'more than one "@"'),
    ('ipam@corp..example.com', 'not a DNS domain name'),
    ('ipam@corp example.com', 'not a DNS domain name'),
    ('S-1-5', 'not a valid one'),
    ('S-1-5-21-x', 'not a valid one'),
    ('S-2-5-32-544', 'not a valid one'),
    ('S-1-5-21-1-2-3-99999999999', 'not a valid one'),
    ('S-1-5-21-1-2-3 -1105', 'not a valid one'),
    ('CORP\\IPAM\n01', 'control'),
    ('CORP\\IPAM\x0001', 'control'),
    ('IPAM\u200b01', 'invisible'),
    ('CORP\\', 'empty name'),
    ('\\IPAM01$', 'no domain'),
    ('CORP\\ IPAM01$', 'blank'),
    ('CORP \\IPAM01$', 'blank'),
    ('CORP/IPAM01$', "'/'"),
    ('CORP\\IPAM*', "'*'"),
    ('CORP\\ipam@corp.example.com', "'@'"),
])
def test_invalid_principals(text, words):
    with pytest.raises(ValueError) as err:
        parse_principal(text)
    assert words in str(err.value)
    if text.strip():
        assert repr(text) in str(err.value)


@pytest.mark.parametrize('value', [None, 5, ['CORP\\x']])
def test_non_string_principal(value):
    with pytest.raises(ValueError, match='must be a string'):
        parse_principal(value)


def test_is_sid_and_normalize_sid():
    assert principals.is_sid('S-1-5-18')
    assert principals.is_sid(' s-1-5-18 ')
    assert not principals.is_sid('S-1-5')
    assert not principals.is_sid('SY')
    assert not principals.is_sid(None)
    assert principals.normalize_sid(' s-1-5-21-01-2-3-1105 ') == 'S-1-5-21-1-2-3-1105'
    with pytest.raises(ValueError, match='not a valid SID'):
        principals.normalize_sid('CORP\\x')


@pytest.mark.parametrize('sid, name', [
    ('S-1-1-0', 'Everyone'), ('S-1-5-11', 'Authenticated Users'), ('S-1-5-18', 'SYSTEM'), ('S-1-5-20', 'NETWORK SERVICE'),
    ('S-1-5-19', 'LOCAL SERVICE'), ('S-1-5-32-544', 'Administrators'), ('S-1-5-32-545', 'Users'), ('S-1-5-32-546', 'Guests'),
    ('S-1-5-32-573', 'Event Log Readers'), ('S-1-5-32-580', 'Remote Management Users'), ('S-1-5-4', 'INTERACTIVE'),
    ('S-1-5-2', 'NETWORK'), ('S-1-5-7', 'ANONYMOUS LOGON'),
])
def test_well_known_sids(sid, name):
    assert principals.WELL_KNOWN_SIDS[sid] == name
    assert principals.well_known_name(sid.lower()) == name


def test_well_known_domain_rids():
    assert principals.well_known_name('S-1-5-21-1-2-3-512') == 'Domain Admins'
    assert principals.well_known_name('S-1-5-21-1-2-3-1105') is None


@pytest.mark.parametrize('sid', [
    'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545', 'S-1-5-32-546', 'S-1-5-7', 'S-1-5-4', 'S-1-5-2', 'S-1-2-0', 'S-1-5-32-554',
    'S-1-5-21-3081388108-1913582122-755921781-513', 'S-1-5-21-3081388108-1913582122-755921781-514',
    'S-1-5-21-3081388108-1913582122-755921781-515', 's-1-1-0',
])
def test_broad_principals(sid):
    reason = principals.broad_reason(sid)
    assert reason and principals.normalize_sid(sid) in reason


@pytest.mark.parametrize('sid', [
    'S-1-5-21-319372935-2150250437-1932643794-1106', 'S-1-5-32-544', 'S-1-5-32-573', 'S-1-5-18', 'S-1-5-20',
    'S-1-5-21-1-2-3-512', 'S-1-5-21-1-2-3-516',
])
def test_not_broad(sid):
    assert principals.broad_reason(sid) is None


def test_broad_reason_names_the_group():
    assert principals.broad_reason('S-1-1-0').startswith('Everyone (S-1-1-0) ')
    assert principals.broad_reason('S-1-5-21-1-2-3-513').startswith('Domain Users (S-1-5-21-1-2-3-513) ')


def test_dedupe_by_sid():
    resolved = [
        {'input': 'CORP\\IPAM01$', 'sid': 'S-1-5-21-1-2-3-1105', 'name': 'CORP\\IPAM01$', 'error': None},
        {'input': 'ipam01$@corp.example.com', 'sid': 's-1-5-21-1-2-3-1105', 'name': 'CORP\\IPAM01$', 'error': None},
        {'input': 'nobody', 'sid': None, 'name': None, 'error': 'No mapping between account names and security IDs was done.'},
        {'input': 'nobody2', 'sid': None, 'name': None, 'error': 'No mapping between account names and security IDs was done.'},
        {'input': 'S-1-5-21-1-2-3-1106', 'sid': 'S-1-5-21-1-2-3-1106', 'name': None, 'error': None},
    ]
    out = principals.dedupe_by_sid(resolved)
    assert [r['input'] for r in out] == ['CORP\\IPAM01$', 'nobody', 'nobody2', 'S-1-5-21-1-2-3-1106']
    assert out[0] is resolved[0]
