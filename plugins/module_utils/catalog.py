# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IPAM access settings per managed-server type, as data.

This mirrors Microsoft's table of access settings ("Getting Started with IPAM" / "IPAM
Provisioning", and the per-role manual pages for WS2012 R2). Modules, roles and the audit report
read it instead of repeating it. Source tags refer to ``../shared/reference/ipam-facts.md``
in the project's development notes:

- M-GS / M-PROV: summary tables; M-DHCP, M-DNS, M-DCNPS: manual procedures;
- PROVPS1: the GPO startup script ``ipamprovisioning.ps1``; PSM1: ``IpamGpo.psm1``;
- KB914392: service DACL rights.

Everything here is pure data plus small accessors; no host access.
"""
from __future__ import annotations

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SERVER_TYPES

# Well-known SIDs of the builtin groups IPAM needs (ADGRP). Names are localized; SIDs are not.
EVENT_LOG_READERS_SID = 'S-1-5-32-573'
REMOTE_MANAGEMENT_USERS_SID = 'S-1-5-32-580'
ADMINISTRATORS_SID = 'S-1-5-32-544'
EVERYONE_SID = 'S-1-1-0'

# Exact ACE rights (see ipam-facts.md sections 4-6).
SERVICE_READ_RIGHTS = 'CCLCSWLOCRRC'  # QueryConf, QueryStat, EnumDeps, Interrogate, UserDefined, ReadControl (KB914392, PROVPS1)
EVENTLOG_READ_RIGHTS = '0x1'          # CustomSD "Read" (ELKEY, M-DNS, PROVPS1)
# ActiveDirectoryRights ReadProperty (RP) | GenericExecute (= ReadControl RC + ListChildren LC),
# ActiveDirectorySecurityInheritance.All = container inherit (PSM1).
DNS_OBJECT_READ_RIGHTS = 'RPLCRC'
DNS_OBJECT_READ_FLAGS = 'CI'

DHCP_LOG_PATH_KEY = r'HKLM\SYSTEM\CurrentControlSet\Services\DHCPServer\Parameters'
DHCP_LOG_PATH_VALUE = 'DhcpLogFilePath'
DHCP_AUDIT_SHARE = 'dhcpaudit'        # M-DHCP step 5, PROVPS1
DHCP_SERVICE = 'DHCPServer'
DNS_SERVICE = 'DNS'
DNS_EVENT_LOG = 'DNS Server'
SHARE_READ_MASK = 0x1200A9            # 1179817, "Read" (PROVPS1)


def microsoft_dns_dn(domain_dn: str) -> str:
    """The object whose DACL is IPAM's domain-wide "DNS DACL" (PSM1)."""
    return 'CN=MicrosoftDNS,CN=System,%s' % domain_dn


def ace(rights: str, sid: str, flags: str = '') -> str:
    """An allow ACE in SDDL form."""
    return '(A;%s;%s;;;%s)' % (flags, rights, sid)


# DHCP groups have no well-known SID and a localized name (PROVPS1 loads it from dhcpssvc.dll);
# names from windows-defaults.md section 4a. The first entry is the English name.
# The languages of DHCP_GROUP_NAMES, in the order of their names there (for messages).
DHCP_GROUP_LANGUAGES = ('English', 'German', 'French', 'Spanish', 'Swedish', 'Polish', 'Dutch', 'Hungarian')
DHCP_GROUP_NAMES = {
    'users': (
        'DHCP Users', 'DHCP-Benutzer', 'Utilisateurs DHCP', 'Usuarios de DHCP', 'DHCP-användare',
        'Użytkownicy DHCP', 'DHCP-gebruikers', 'DHCP-felhasználók',
    ),
    'administrators': (
        'DHCP Administrators', 'DHCP-Administratoren', 'Administrateurs DHCP', 'Administradores de DHCP',
        'DHCP-administratörer', 'Administratorzy DHCP', 'DHCP-administrators', 'DHCP-rendszergazdák',
    ),
}

# Predefined firewall rules by invariant Name (never by localized DisplayName), with the English
# display name for reports (ipam-facts.md 1.2, windows-defaults.md section 5).
FIREWALL_RULES = {
    'Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In': 'DHCP Server (RPC-In)',
    'Microsoft-Windows-DHCP-ClientSvc-RPCSS-TCP-In': 'DHCP Server (RPCSS-In)',
    'FPS-NB_Session-In-TCP': 'File and Printer Sharing (NB-Session-In)',
    'FPS-SMB-In-TCP': 'File and Printer Sharing (SMB-In)',
    'RemoteEventLogSvc-In-TCP': 'Remote Event Log Management (RPC)',
    'RemoteEventLogSvc-RPCSS-In-TCP': 'Remote Event Log Management (RPC-EPMAP)',
    'RemoteSvcAdmin-In-TCP': 'Remote Service Management (RPC)',
    'RemoteSvcAdmin-RPCSS-In-TCP': 'Remote Service Management (RPC-EPMAP)',
    'RemoteSvcAdmin-NP-In-TCP': 'Remote Service Management (NP-In)',
    'DNSSrv-RPC-TCP-In': 'RPC (TCP, Incoming)',
    'DNSSrv-RPCEPMAP-TCP-In': 'RPC Endpoint Mapper (TCP, Incoming)',
}

_EVENTLOG_RULES = ('RemoteEventLogSvc-In-TCP', 'RemoteEventLogSvc-RPCSS-In-TCP')
_SERVICE_MGMT_RULES = ('RemoteSvcAdmin-In-TCP', 'RemoteSvcAdmin-RPCSS-In-TCP')

FIREWALL_RULES_BY_TYPE = {
    # M-DHCP: DHCP Server Management, File and Printer Sharing, Remote Event Log, Remote Service Management.
    'dhcp': ('Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In', 'Microsoft-Windows-DHCP-ClientSvc-RPCSS-TCP-In',
             'FPS-NB_Session-In-TCP', 'FPS-SMB-In-TCP') + _EVENTLOG_RULES + _SERVICE_MGMT_RULES,
    # M-DNS: DNS Service RPC and endpoint mapper (not DNS TCP/UDP: those serve DNS clients, not IPAM),
    # Remote Service Management incl. NP-In, Remote Event Log.
    'dns': ('DNSSrv-RPC-TCP-In', 'DNSSrv-RPCEPMAP-TCP-In') + _SERVICE_MGMT_RULES + ('RemoteSvcAdmin-NP-In-TCP',)
    + _EVENTLOG_RULES,
    # M-DCNPS: Remote Event Log Management only.
    'dc': _EVENTLOG_RULES,
    'nps': _EVENTLOG_RULES,
}

# Scope of a setting: 'host' (this server only) or 'domain' (shared by every DC of the domain:
# groups on a DC live in AD, and the MicrosoftDNS object is one per domain).
# 'on_dc' gives the scope when the server is a domain controller.
SETTINGS = (
    {
        'id': 'event_log_readers', 'server_types': ('dhcp', 'dns', 'dc', 'nps'),
        'module': 'group_membership', 'params': {'group': EVENT_LOG_READERS_SID},
        'scope': 'host', 'on_dc': 'domain', 'access_type': 'event_log',
        'title': 'Member of Event Log Readers', 'source': 'M-GS, M-DHCP, M-DNS, M-DCNPS, PROVPS1',
    },
    {
        'id': 'dhcp_users', 'server_types': ('dhcp',),
        'module': 'dhcp_users_membership', 'params': {'group': 'users'},
        'scope': 'host', 'on_dc': 'domain', 'access_type': 'dhcp_rpc',
        'title': 'Member of DHCP Users (or DHCP Administrators)', 'source': 'M-GS, M-DHCP (PROVPS1 grants DHCP Administrators)',
    },
    {
        'id': 'dhcp_service_acl', 'server_types': ('dhcp',),
        'module': 'service_acl', 'params': {'name': DHCP_SERVICE, 'rights': SERVICE_READ_RIGHTS},
        'scope': 'host', 'access_type': 'service',
        'title': 'Read access on the DHCP Server service', 'source': 'M-PROV, M-TS, PROVPS1',
    },
    {
        'id': 'dhcpaudit_share', 'server_types': ('dhcp',),
        'module': 'dhcpaudit_share', 'params': {'name': DHCP_AUDIT_SHARE},
        'scope': 'host', 'access_type': 'dhcp_audit_share',
        'title': 'dhcpaudit share with Read', 'source': 'M-GS, M-DHCP, PROVPS1',
    },
    {
        'id': 'dhcp_firewall', 'server_types': ('dhcp',),
        'module': 'firewall_rules', 'params': {'names': FIREWALL_RULES_BY_TYPE['dhcp']},
        'scope': 'host', 'access_type': 'dhcp_rpc',
        'title': 'DHCP management firewall rules', 'source': 'M-DHCP, M-GS',
    },
    {
        'id': 'dns_eventlog_customsd', 'server_types': ('dns',),
        'module': 'eventlog_customsd', 'params': {'log': DNS_EVENT_LOG},
        'scope': 'host', 'access_type': 'event_log',
        'title': 'Read ACE in the DNS Server event log CustomSD', 'source': 'M-DNS, M-PROV, PROVPS1',
    },
    {
        'id': 'dns_service_acl', 'server_types': ('dns',),
        'module': 'service_acl', 'params': {'name': DNS_SERVICE, 'rights': SERVICE_READ_RIGHTS},
        'scope': 'host', 'access_type': 'service',
        'title': 'Read access on the DNS Server service', 'source': 'M-PROV, PROVPS1',
    },
    {
        'id': 'dns_domain_acl', 'server_types': ('dns',), 'requires': 'domain_controller',
        'module': 'dns_domain_acl', 'params': {},
        'scope': 'domain', 'access_type': 'dns_rpc',
        'title': 'Read ACE on CN=MicrosoftDNS (domain-wide DNS DACL)', 'source': 'M-PROV, M-DNS, PSM1',
    },
    {
        'id': 'dns_local_administrators', 'server_types': ('dns',), 'requires': 'not_domain_controller',
        'opt_in': 'ipam_dns_standalone_admin',
        'module': 'group_membership', 'params': {'group': ADMINISTRATORS_SID},
        'scope': 'host', 'access_type': 'dns_rpc',
        'title': 'Member of local Administrators (DNS server that is not a DC; Microsoft: not recommended)',
        'source': 'M-GS, M-BP, M-DNS, PROVPS1',
    },
    {
        'id': 'dns_firewall', 'server_types': ('dns',),
        'module': 'firewall_rules', 'params': {'names': FIREWALL_RULES_BY_TYPE['dns']},
        'scope': 'host', 'access_type': 'dns_rpc',
        'title': 'DNS management firewall rules', 'source': 'M-DNS, M-GS',
    },
    {
        'id': 'eventlog_firewall', 'server_types': ('dc', 'nps'),
        'module': 'firewall_rules', 'params': {'names': FIREWALL_RULES_BY_TYPE['dc']},
        'scope': 'host', 'access_type': 'event_log',
        'title': 'Remote Event Log Management firewall rules', 'source': 'M-DCNPS',
    },
)

SETTINGS_BY_ID = {s['id']: s for s in SETTINGS}


def is_domain_controller(domain_role: int | None) -> bool:
    """Win32_ComputerSystem.DomainRole 4 and 5 are domain controllers."""
    return domain_role in (4, 5)


def settings_for(server_types, domain_role: int | None = None, opt_ins=()) -> list[dict]:
    """The settings that apply to a server of these types, in catalog order, each once."""
    wanted = set(server_types)
    unknown = wanted - set(SERVER_TYPES)
    if unknown:
        raise ValueError('unknown server type(s) %s; expected some of %s' % (sorted(unknown), ', '.join(SERVER_TYPES)))
    is_dc = is_domain_controller(domain_role)
    chosen = []
    for setting in SETTINGS:
        if not wanted.intersection(setting['server_types']):
            continue
        requires = setting.get('requires')
        if requires == 'domain_controller' and not is_dc:
            continue
        if requires == 'not_domain_controller' and is_dc:
            continue
        if setting.get('opt_in') and setting['opt_in'] not in opt_ins:
            continue
        chosen.append(setting)
    return chosen


def firewall_rules_for(server_types) -> list[str]:
    """Union of the rule Names the server types need, in catalog order."""
    names: list[str] = []
    for server_type in SERVER_TYPES:
        if server_type in server_types:
            names.extend(n for n in FIREWALL_RULES_BY_TYPE[server_type] if n not in names)
    return names


def scope_of(setting: dict, domain_role: int | None) -> str:
    """'domain' when the setting is shared by every DC of the domain, else 'host'."""
    if is_domain_controller(domain_role):
        return setting.get('on_dc', setting['scope'])
    return setting['scope']
