# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Account resolution in every accepted form, both ways, per host kind and language."""
from __future__ import annotations

import pytest

from winsim.accounts import NO_MAPPING, AccountDirectory
from winsim.seed import machine_sid_for

D = 'S-1-5-21-1004336348-1177238915-682003330'   # CORP, inventory/lab/group_vars/windows.yml
DHCP01 = machine_sid_for('DHCP01')


def directory(sim, host):
    state = sim.host_state(host)
    domain = sim.domain_state(state['domain']) if state['domain'] else None
    return AccountDirectory(state, domain)


def resolved(directory, text):
    result = directory.resolve(text)
    assert result['input'] == text
    return result['sid'], result['name'], result['error']


@pytest.mark.parametrize('text, sid, name', [
    ('CORP\\IPAM01$', D + '-1205', 'CORP\\IPAM01$'),
    ('corp\\ipam01$', D + '-1205', 'CORP\\IPAM01$'),                  # case-insensitive, canonical name back
    ('corp.example.com\\svc-vmm', D + '-1106', 'CORP\\svc-vmm'),      # DNS domain name as authority
    ('svc-vmm@corp.example.com', D + '-1106', 'CORP\\svc-vmm'),       # UPN
    ('SVC-MONITOR@CORP.EXAMPLE.COM', D + '-1107', 'CORP\\svc-monitor'),
    ('IPAM01$@corp.example.com', D + '-1205', 'CORP\\IPAM01$'),       # implicit UPN of a computer
    ('IPAMUG', D + '-1105', 'CORP\\IPAMUG'),                          # bare name: primary domain
    ('CORP\\Domain Admins', D + '-512', 'CORP\\Domain Admins'),
    ('.\\Administrator', DHCP01 + '-500', 'DHCP01\\Administrator'),   # local SAM first
    ('Administrator', DHCP01 + '-500', 'DHCP01\\Administrator'),
    ('DHCP01\\DHCP Users', DHCP01 + '-1000', 'DHCP01\\DHCP Users'),
    ('dhcp01\\dhcp administrators', DHCP01 + '-1001', 'DHCP01\\DHCP Administrators'),
    ('.\\Administrators', 'S-1-5-32-544', 'BUILTIN\\Administrators'),
    ('BUILTIN\\Event Log Readers', 'S-1-5-32-573', 'BUILTIN\\Event Log Readers'),
    ('Remote Management Users', 'S-1-5-32-580', 'BUILTIN\\Remote Management Users'),
    ('NT AUTHORITY\\NETWORK SERVICE', 'S-1-5-20', 'NT AUTHORITY\\NETWORK SERVICE'),
    ('SYSTEM', 'S-1-5-18', 'NT AUTHORITY\\SYSTEM'),
    ('Authenticated Users', 'S-1-5-11', 'NT AUTHORITY\\Authenticated Users'),
    ('Everyone', 'S-1-1-0', 'Everyone'),
    ('S-1-5-32-544', 'S-1-5-32-544', 'BUILTIN\\Administrators'),
    ('s-1-5-32-544', 'S-1-5-32-544', 'BUILTIN\\Administrators'),
    (D + '-1105', D + '-1105', 'CORP\\IPAMUG'),
])
def test_member_resolves(lab, text, sid, name):
    assert resolved(directory(lab, 'dhcp01'), text) == (sid, name, None)


@pytest.mark.parametrize('text', [
    'CORP\\nobody', 'OTHER\\IPAMUG', 'IPAMUG@corp.example.com', 'svc-vmm@other.example', '', '   ',
    'S-1-5-xyz', 'BUILTIN\\', 'DHCP Users@corp.example.com', 'NT AUTHORITY\\Everyone',
])
def test_unresolvable_names(lab, text):
    assert resolved(directory(lab, 'dhcp01'), text) == (None, None, NO_MAPPING)


def test_orphaned_sid_keeps_sid_without_name(lab):
    d = directory(lab, 'dhcp01')
    orphan = D + '-1150'
    assert resolved(d, orphan) == (orphan, None, None)
    assert d.name_of(orphan) is None
    # and it really is a pre-existing member of DHCP Users on the member DHCP server
    groups, scope = d.group_store()
    assert scope == 'local'
    assert orphan in groups[DHCP01 + '-1000']['members']


def test_unknown_sids_have_no_name(lab):
    d = directory(lab, 'dhcp01')
    assert d.name_of('S-1-5-21-1-2-3-500') is None
    assert d.name_of('S-1-5-32-549') is None          # Server Operators exists on DCs only
    assert d.name_of(machine_sid_for('NPS01') + '-500') is None   # another machine's local account


def test_dc_has_no_local_sam(lab):
    d = directory(lab, 'dc01')
    assert lab.host_state('dc01')['groups'] == {}
    groups, scope = d.group_store()
    assert scope == 'domain'
    assert groups is d.domain['groups']
    assert resolved(d, '.\\Administrator') == (D + '-500', 'CORP\\Administrator', None)
    assert resolved(d, 'DC01\\DnsAdmins') == (D + '-1101', 'CORP\\DnsAdmins', None)
    assert resolved(d, 'DHCP Users') == (D + '-1103', 'CORP\\DHCP Users', None)     # domain local
    assert resolved(d, 'BUILTIN\\Server Operators') == ('S-1-5-32-549', 'BUILTIN\\Server Operators', None)
    assert resolved(d, 'Administrators') == ('S-1-5-32-544', 'BUILTIN\\Administrators', None)


@pytest.mark.parametrize('text, sid, name', [
    ('VORDEFINIERT\\Administratoren', 'S-1-5-32-544', 'VORDEFINIERT\\Administratoren'),
    ('Ereignisprotokollleser', 'S-1-5-32-573', 'VORDEFINIERT\\Ereignisprotokollleser'),
    ('vordefiniert\\remoteverwaltungsbenutzer', 'S-1-5-32-580', 'VORDEFINIERT\\Remoteverwaltungsbenutzer'),
    ('Jeder', 'S-1-1-0', 'Jeder'),
    ('NT-AUTORITÄT\\SYSTEM', 'S-1-5-18', 'NT-AUTORITÄT\\SYSTEM'),
    ('nt-autorität\\netzwerkdienst', 'S-1-5-20', 'NT-AUTORITÄT\\NETZWERKDIENST'),
    ('S-1-5-32-573', 'S-1-5-32-573', 'VORDEFINIERT\\Ereignisprotokollleser'),
    ('CORP\\Domain Admins', D + '-512', 'CORP\\Domain Admins'),        # the domain stays English
    ('CORP\\IPAM01$', D + '-1205', 'CORP\\IPAM01$'),
    ('.\\Gast', machine_sid_for('DNS01') + '-501', 'DNS01\\Gast'),
])
def test_de_de_names(lab, text, sid, name):
    assert resolved(directory(lab, 'dns01'), text) == (sid, name, None)


@pytest.mark.parametrize('text', ['BUILTIN\\Administrators', 'Everyone', 'NT AUTHORITY\\SYSTEM',
                                  'Event Log Readers', 'VORDEFINIERT\\Administrators'])
def test_de_de_rejects_english_names(lab, text):
    # Windows resolves only the installed language's names: the trap SIDs avoid.
    assert resolved(directory(lab, 'dns01'), text) == (None, None, NO_MAPPING)


def test_fr_fr_standalone(lab):
    d = directory(lab, 'std01')
    msid = machine_sid_for('STD01')
    assert resolved(d, 'BUILTIN\\Administrateurs') == ('S-1-5-32-544', 'BUILTIN\\Administrateurs', None)
    assert resolved(d, 'AUTORITE NT\\Système') == ('S-1-5-18', 'AUTORITE NT\\Système', None)
    assert resolved(d, 'Tout le monde') == ('S-1-1-0', 'Tout le monde', None)
    assert resolved(d, 'Lecteurs des journaux d\u2019événements')[0] == 'S-1-5-32-573'
    assert resolved(d, 'STD01\\Utilisateurs DHCP')[0].startswith(msid + '-')
    assert resolved(d, '.\\svc-monitor') == (msid + '-1000', 'STD01\\svc-monitor', None)
    assert resolved(d, 'CORP\\IPAMUG') == (None, None, NO_MAPPING)   # no domain at all
    assert d.name_of(D + '-1105') is None
