# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeding: realistic defaults per role, kind and language; determinism; idempotence; seed-time faults."""
from __future__ import annotations

import pytest

from winsim import Simulator
from winsim import defaults as d
from winsim.model import create_share, record_values, set_record_values
from winsim.seed import machine_sid_for

D = 'S-1-5-21-1004336348-1177238915-682003330'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': D,
          'computers': ['DC01', 'DC02', 'DHCP01', 'DNS01', 'NPS01', 'IPAM01'], 'ipam_servers': ['IPAM01']}
DHCP_RULES = {'Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In', 'Microsoft-Windows-DHCP-ClientSvc-RPCSS-TCP-In'}
DNS_RULES = {'DNSSrv-RPCEPMAP-TCP-In', 'DNSSrv-DNS-TCP-In', 'DNSSrv-DNS-UDP-In', 'DNSSrv-RPC-TCP-In'}
COMMON_RULES = {'RemoteEventLogSvc-In-TCP', 'RemoteEventLogSvc-RPCSS-In-TCP', 'RemoteSvcAdmin-In-TCP',
                'RemoteSvcAdmin-RPCSS-In-TCP', 'RemoteSvcAdmin-NP-In-TCP', 'FPS-SMB-In-TCP', 'FPS-NB_Session-In-TCP'}


def member(language='en-US', roles=('DHCP',), address='127.0.0.30'):
    return {'kind': 'member', 'language': language, 'roles': list(roles), 'address': address}


def test_identity(lab):
    dc01, dc02, dhcp01 = (lab.host_state(h) for h in ('dc01', 'dc02', 'dhcp01'))
    assert (dc01['hostname'], dc01['fqdn'], dc01['domain'], dc01['domain_role']) == \
        ('DC01', 'dc01.corp.example.com', 'corp.example.com', 5)
    assert dc02['domain_role'] == 4
    assert dc01['machine_sid'] == D                      # a DC's account domain is the domain
    assert dhcp01['domain_role'] == 3 and dhcp01['machine_sid'] == machine_sid_for('DHCP01') != D
    assert dhcp01['address'] == '127.0.0.13'             # from ansible_host
    assert set(dc01['roles']) == {'AD-Domain-Services', 'DNS', 'DHCP'}
    std = lab.host_state('std01')
    assert (std['domain'], std['domain_role'], std['fqdn']) == (None, 2, 'std01')
    dom = lab.domain_state('corp.example.com')
    assert (dom['netbios'], dom['sid'], dom['dn']) == ('CORP', D, 'DC=corp,DC=example,DC=com')


def test_services_and_registry_follow_roles(lab):
    dc01, dhcp01, dns01, nps01 = (lab.host_state(h) for h in ('dc01', 'dhcp01', 'dns01', 'nps01'))
    assert dc01['services']['DNS']['sddl'] == d.SDDL_DNS
    assert '-1109' not in d.SDDL_DNS and d.SDDL_DNS.endswith('S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
    assert dhcp01['services']['DHCPServer'] == {'display_name': 'DHCP Server', 'status': 'Running',
                                                'sddl': d.SDDL_GENERIC_SERVICE}
    assert 'DNS' not in dhcp01['services'] and 'DHCPServer' not in dns01['services']
    assert {'Spooler', 'Dhcp'} <= set(nps01['services']) and 'IAS' in nps01['services']
    assert dns01['registry'][d.KEY_DNS_SERVER_LOG] == {'CustomSD': d.CUSTOMSD_DNS_SERVER}
    assert d.KEY_DNS_SERVER_LOG not in dhcp01['registry']
    assert dhcp01['registry'][d.KEY_DHCP_PARAMETERS]['DhcpLogFilePath'] == 'C:\\Windows\\system32\\dhcp'
    assert 'C:\\Windows\\system32\\dhcp' in dhcp01['paths']
    for state in (dc01, dhcp01, dns01):
        assert d.KEY_RECORD not in state['registry'] and 'record' not in state
        assert state['counters'] == {'round_trips': 0, 'writes': 0}


def test_firewall_rules_follow_roles(lab):
    dc01, dhcp01, dns01, nps01 = (lab.host_state(h) for h in ('dc01', 'dhcp01', 'dns01', 'nps01'))
    assert COMMON_RULES | DHCP_RULES | DNS_RULES <= set(dc01['firewall_rules'])
    assert COMMON_RULES | DHCP_RULES <= set(dhcp01['firewall_rules']) and not DNS_RULES & set(dhcp01['firewall_rules'])
    assert not (DHCP_RULES | DNS_RULES) & set(nps01['firewall_rules'])
    rule = dhcp01['firewall_rules']['RemoteEventLogSvc-In-TCP']
    assert rule == {'display_name': 'Remote Event Log Management (RPC)', 'group': '@FirewallAPI.dll,-29252',
                    'display_group': 'Remote Event Log Management', 'enabled': False}
    assert all(dns01['firewall_rules'][n]['enabled'] for n in DNS_RULES)
    assert dc01['firewall_rules']['FPS-SMB-In-TCP']['enabled'] is True
    assert dhcp01['firewall_rules']['FPS-SMB-In-TCP']['enabled'] is False


def test_de_de_localizes_names_not_identities(lab):
    en, de = lab.host_state('nps01'), lab.host_state('dns01')
    # Same SIDs, same builtin group set, different names.
    builtin = [s for s in en['groups'] if s.startswith('S-1-5-32-')]
    assert builtin == [s for s in de['groups'] if s.startswith('S-1-5-32-')]
    assert de['groups']['S-1-5-32-544']['name'] == 'Administratoren'
    assert de['groups']['S-1-5-32-573']['name'] == 'Ereignisprotokollleser'
    assert de['groups']['S-1-5-32-580']['name'] == 'Remoteverwaltungsbenutzer'
    assert en['groups']['S-1-5-32-573']['name'] == 'Event Log Readers'
    # Same rule Names and Group strings, localized display strings.
    common = set(en['firewall_rules']) & set(de['firewall_rules'])
    assert COMMON_RULES <= common
    for name in common:
        assert de['firewall_rules'][name]['group'] == en['firewall_rules'][name]['group']
    assert de['firewall_rules']['RemoteEventLogSvc-In-TCP']['display_name'] == 'Remote-Ereignisprotokollverwaltung (RPC)'
    assert de['firewall_rules']['RemoteEventLogSvc-In-TCP']['display_group'] == 'Remote-Ereignisprotokollverwaltung'
    assert de['firewall_rules']['FPS-SMB-In-TCP']['display_name'] == 'Datei- und Druckerfreigabe (SMB eingehend)'


def test_de_de_dhcp_groups_are_local_and_localized(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp02', member('de-DE', ['DHCP']), DOMAIN)
    state = sim.host_state('dhcp02')
    msid = machine_sid_for('DHCP02')
    local = {sid: g['name'] for sid, g in state['groups'].items() if sid.startswith(msid)}
    assert local == {msid + '-1000': 'DHCP-Benutzer', msid + '-1001': 'DHCP-Administratoren'}


def test_member_groups_have_pre_existing_members(lab):
    dhcp01 = lab.host_state('dhcp01')
    msid = dhcp01['machine_sid']
    groups = dhcp01['groups']
    assert groups['S-1-5-32-544']['members'] == [msid + '-500', D + '-512']
    assert groups['S-1-5-32-573']['members'] == [D + '-1107']              # svc-monitor
    assert groups[msid + '-1000'] == {'name': 'DHCP Users', 'members': [D + '-1108', D + '-1150']}
    assert groups[msid + '-1001'] == {'name': 'DHCP Administrators', 'members': []}
    assert not any(s.startswith(msid + '-10') for s in lab.host_state('nps01')['groups'])  # no DHCP, no groups
    ipam = lab.host_state('ipam01')['groups']
    assert 'IPAM ASM Administrators' in {g['name'] for g in ipam.values()}


def test_domain_groups_come_from_dc_roles(lab):
    dom = lab.domain_state('corp.example.com')
    assert dom['groups'][D + '-1103'] == {'name': 'DHCP Users', 'members': [D + '-1108']}   # dc01 has DHCP
    assert dom['groups'][D + '-1104']['name'] == 'DHCP Administrators'
    assert dom['groups'][D + '-1101']['name'] == 'DnsAdmins'
    assert dom['groups']['S-1-5-32-573']['members'] == [D + '-1107']
    assert dom['accounts'][D + '-1105']['members'] == [D + '-1205']                  # IPAMUG: IPAM01$
    assert dom['accounts'][D + '-1205'] == {'name': 'IPAM01$', 'type': 'computer', 'upn': None}
    dn = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'
    assert dom['ad_objects'][dn]['sddl'].startswith('D:AI(A;;SDRCWDWOCCDCLCSWRPWPDTLOCR;;;SY)')
    assert D + '-1101' in dom['ad_objects'][dn]['sddl']


def test_domain_without_dns_or_dhcp_dc(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dc09', {'kind': 'dc', 'roles': [], 'address': '127.0.0.40'}, dict(DOMAIN, computers=[], ipam_servers=[]))
    dom = sim.domain_state('corp.example.com')
    assert dom['ad_objects'] == {}
    assert D + '-1103' not in dom['groups'] and D + '-1101' not in dom['groups']
    assert dom['accounts'][D + '-1200']['name'] == 'DC09$'


def test_domain_is_complete_from_the_first_member(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dns01', member('de-DE', ['DNS']), dict(DOMAIN, ad_integrated_dns=True, dhcp_on_dcs=True))
    dom = sim.domain_state('corp.example.com')
    assert dom['groups'][D + '-1101']['name'] == 'DnsAdmins'
    assert dom['groups'][D + '-1103']['name'] == 'DHCP Users'        # domain language, not the member's
    assert 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com' in dom['ad_objects']
    sim.seed_host('dhcp01', member(), DOMAIN)                          # the domain file already exists
    assert sim.domain_state('corp.example.com') == dom | {'accounts': sim.domain_state('corp.example.com')['accounts']}


def test_declared_domain_controllers_are_dcs_before_any_is_seeded(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp01', member(), dict(DOMAIN, domain_controllers=['DC01', 'DC02']))
    dom = sim.domain_state('corp.example.com')
    dcs = [dom['accounts'][sid]['name'] for sid in dom['accounts'][D + '-516']['members']]
    assert dcs == ['DC01$', 'DC02$']
    # Seeding one of them later adds nothing twice.
    sim.seed_host('dc02', {'kind': 'dc', 'roles': ['AD-Domain-Services'], 'address': '127.0.0.12', 'domain_role': 4},
                  dict(DOMAIN, domain_controllers=['DC01', 'DC02']))
    assert sim.domain_state('corp.example.com')['accounts'][D + '-516']['members'] == dom['accounts'][D + '-516']['members']


def test_dc_shares_and_member_shares(lab):
    dc01, dhcp01 = lab.host_state('dc01'), lab.host_state('dhcp01')
    assert {'ADMIN$', 'C$', 'IPC$', 'NETLOGON', 'SYSVOL'} == set(dc01['shares'])
    assert {'ADMIN$', 'C$', 'IPC$'} == set(dhcp01['shares'])
    assert dc01['shares']['NETLOGON']['path'] == 'C:\\Windows\\SYSVOL\\sysvol\\corp.example.com\\SCRIPTS'


def test_create_share_grants_everyone_read(lab):
    with lab.edit('dhcp01') as ctx:
        share = create_share(ctx.host, 'dhcpaudit', 'C:\\Windows\\system32\\dhcp')
        assert share == {'path': 'C:\\Windows\\system32\\dhcp',
                         'access': [{'sid': 'S-1-1-0', 'type': 'Allow', 'right': 'Read'}]}
        with pytest.raises(ValueError, match='already exists'):
            create_share(ctx.host, 'DHCPAUDIT', 'C:\\x')
        set_record_values(ctx.host, 'SharesCreated', ['dhcpaudit'])
    state = lab.host_state('dhcp01')
    assert state['shares']['dhcpaudit']['access'][0]['sid'] == 'S-1-1-0'
    assert record_values(state, 'SharesCreated') == ['dhcpaudit']
    assert state['registry'][d.KEY_RECORD] == {'SharesCreated': ['dhcpaudit']}


def test_seed_is_idempotent_and_existing_state_wins(lab):
    with lab.edit('dhcp01') as ctx:
        ctx.host['services']['DHCPServer']['status'] = 'Stopped'
    assert lab.seed_host('dhcp01', member(language='de-DE'), DOMAIN) is False
    state = lab.host_state('dhcp01')
    assert state['services']['DHCPServer']['status'] == 'Stopped' and state['language'] == 'en-US'


def test_seed_merges_faults_each_time(lab):
    lab.set_faults('dhcp01', {'delay': 0.1})
    lab.seed_host('dhcp01', member(), DOMAIN, faults={'access_denied': 'write'})
    assert lab.host_state('dhcp01')['faults'] == {'delay': 0.1, 'access_denied': 'write'}
    lab.seed_host('dhcp01', member(), DOMAIN, faults={'access_denied': None})
    assert lab.host_state('dhcp01')['faults'] == {'delay': 0.1}


def test_seeding_order_does_not_change_sids(tmp_path):
    a, b = Simulator(tmp_path / 'a'), Simulator(tmp_path / 'b')
    dc = {'kind': 'dc', 'roles': ['DNS', 'DHCP'], 'address': '127.0.0.11'}
    a.seed_host('dc01', dc, DOMAIN)
    a.seed_host('ipam01', member(roles=['IPAM']), DOMAIN)
    b.seed_host('ipam01', member(roles=['IPAM']), DOMAIN)
    b.seed_host('dc01', dc, DOMAIN)
    assert a.domain_state('corp.example.com') == b.domain_state('corp.example.com')


def test_dhcp_role_absent(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp03', member(), DOMAIN, faults={'dhcp_role_absent': True})
    state = sim.host_state('dhcp03')
    assert 'DHCP' not in state['roles'] and 'DHCPServer' not in state['services']
    assert not DHCP_RULES & set(state['firewall_rules'])
    assert d.KEY_DHCP_PARAMETERS not in state['registry']
    assert {g['name'] for g in state['groups'].values()}.isdisjoint({'DHCP Users', 'DHCP Administrators'})
    sim.seed_host('dc05', {'kind': 'dc', 'roles': ['DHCP'], 'address': '127.0.0.50'}, DOMAIN,
                  faults={'dhcp_role_absent': True})
    assert D + '-1103' not in sim.domain_state('corp.example.com')['groups']


def test_empty_dhcp_log_path(tmp_path):
    sim = Simulator(tmp_path)
    sim.seed_host('dhcp04', member(), DOMAIN, faults={'empty_dhcp_log_path': True})
    state = sim.host_state('dhcp04')
    assert state['registry'][d.KEY_DHCP_PARAMETERS]['DhcpLogFilePath'] == ''
    assert 'DHCPServer' in state['services']


@pytest.mark.parametrize('fault, value', [(True, d.CUSTOMSD_CORRUPT), ('garbage', 'garbage')])
def test_corrupt_customsd(tmp_path, fault, value):
    sim = Simulator(tmp_path)
    sim.seed_host('dns05', member(roles=['DNS']), DOMAIN, faults={'corrupt_customsd': fault})
    assert sim.host_state('dns05')['registry'][d.KEY_DNS_SERVER_LOG]['CustomSD'] == value
    assert value.count('(') != value.count(')') or '(' not in value


@pytest.mark.parametrize('profile, domain, message', [
    ({'kind': 'laptop'}, DOMAIN, 'kind must be one of'),
    ({'kind': 'member', 'roles': ['WSUS']}, DOMAIN, 'unknown roles WSUS'),
    ({'kind': 'member', 'language': 'ja-JP'}, DOMAIN, 'unsupported language'),
    ({'kind': 'member', 'colour': 'red'}, DOMAIN, 'unknown winsim_profile keys: colour'),
    ({'kind': 'member'}, None, 'needs winsim_domain'),
    ({'kind': 'member'}, {'dns_name': 'x.test', 'netbios': 'X', 'sid': 'S-1-5-32-544'}, 'S-1-5-21'),
    ({'kind': 'member', 'roles': ['AD-Domain-Services']}, DOMAIN, 'needs kind: dc'),
    ({'kind': 'dc', 'domain_role': 3}, DOMAIN, 'does not fit kind'),
])
def test_bad_profiles_are_refused(tmp_path, profile, domain, message):
    with pytest.raises(ValueError, match=message):
        Simulator(tmp_path).seed_host('bad01', profile, domain)
    assert Simulator(tmp_path).hosts() == []


def test_unknown_fault_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown fault 'explode'"):
        Simulator(tmp_path).seed_host('x01', member(), DOMAIN, faults={'explode': True})
