# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed values of a simulated Windows Server, each with the place it comes from.

WD = /work/shared/reference/windows-defaults.md (real values from real machines),
IF = /work/shared/reference/ipam-facts.md. [I] marks a value the references do not give; the
comment then says why the chosen value is reasonable. English display strings only: the
localized forms are in localization.py.
"""
from __future__ import annotations

from typing import NamedTuple

# --- Win32_ComputerSystem.DomainRole (WD 7) -------------------------------------------------
ROLE_STANDALONE_SERVER = 2
ROLE_MEMBER_SERVER = 3
ROLE_BACKUP_DC = 4
ROLE_PRIMARY_DC = 5
DC_ROLES = (ROLE_BACKUP_DC, ROLE_PRIMARY_DC)

KINDS = {'standalone': ROLE_STANDALONE_SERVER, 'member': ROLE_MEMBER_SERVER, 'dc': ROLE_PRIMARY_DC}

# Install-WindowsFeature names; IPAM marks the IPAM server (IF 8), AD-Domain-Services every DC.
ROLE_DHCP = 'DHCP'
ROLE_DNS = 'DNS'
ROLE_NPS = 'NPS'
ROLE_ADDS = 'AD-Domain-Services'
ROLE_IPAM = 'IPAM'
KNOWN_ROLES = frozenset({ROLE_DHCP, ROLE_DNS, ROLE_NPS, ROLE_ADDS, ROLE_IPAM})

# --- Well-known SIDs (IF 5, 8: ADGRP tables; WD 4) -----------------------------------------
EVERYONE = 'S-1-1-0'
CREATOR_OWNER = 'S-1-3-0'
NETWORK = 'S-1-5-2'
INTERACTIVE = 'S-1-5-4'
SERVICE = 'S-1-5-6'
ANONYMOUS = 'S-1-5-7'
ENTERPRISE_DCS = 'S-1-5-9'
AUTHENTICATED_USERS = 'S-1-5-11'
LOCAL_SYSTEM = 'S-1-5-18'
LOCAL_SERVICE = 'S-1-5-19'
NETWORK_SERVICE = 'S-1-5-20'
# Names under NT AUTHORITY; Everyone and CREATOR OWNER have no domain part.
NT_AUTHORITY_SIDS = (NETWORK, INTERACTIVE, SERVICE, ANONYMOUS, ENTERPRISE_DCS, AUTHENTICATED_USERS,
                     LOCAL_SYSTEM, LOCAL_SERVICE, NETWORK_SERVICE)
UNPREFIXED_SIDS = (EVERYONE, CREATOR_OWNER)

BUILTIN_ADMINISTRATORS = 'S-1-5-32-544'
BUILTIN_USERS = 'S-1-5-32-545'
BUILTIN_GUESTS = 'S-1-5-32-546'
BUILTIN_SERVER_OPERATORS = 'S-1-5-32-549'   # exists on DCs only; the DNS service SDDL names it (SO)
EVENT_LOG_READERS = 'S-1-5-32-573'          # IF 5
REMOTE_MANAGEMENT_USERS = 'S-1-5-32-580'    # IF 8
BUILTIN_GROUPS_MEMBER = (BUILTIN_ADMINISTRATORS, BUILTIN_USERS, BUILTIN_GUESTS, EVENT_LOG_READERS,
                         REMOTE_MANAGEMENT_USERS)
BUILTIN_GROUPS_DC = BUILTIN_GROUPS_MEMBER + (BUILTIN_SERVER_OPERATORS,)

# --- Relative IDs ---------------------------------------------------------------------------
# Fixed well-known RIDs (ADGRP): the same on every domain and machine.
RID_ADMINISTRATOR = 500
RID_GUEST = 501
RID_KRBTGT = 502
RID_DEFAULT_ACCOUNT = 503
RID_DOMAIN_ADMINS = 512
RID_DOMAIN_USERS = 513
RID_DOMAIN_GUESTS = 514
RID_DOMAIN_COMPUTERS = 515
RID_DOMAIN_CONTROLLERS = 516
# Read-only domain controllers are members (primary group) of this group, not of Domain Controllers
# (learn.microsoft.com windows-server/identity/ad-ds/manage/understand-security-groups#read-only-domain-controllers).
RID_READ_ONLY_DOMAIN_CONTROLLERS = 521
RID_SCHEMA_ADMINS = 518
RID_ENTERPRISE_ADMINS = 519
# [I] Fixed here (not by creation order) so that a domain looks the same whichever lab host is
# seeded first. 1103/1104 for the DHCP groups match a real Spanish DC seen by RID brute force
# (WD 4a, source id 33121523668); the DNS groups come before them as on a DC promoted with DNS.
RID_DNS_ADMINS = 1101
RID_DNS_UPDATE_PROXY = 1102
RID_DHCP_USERS = 1103
RID_DHCP_ADMINISTRATORS = 1104
RID_IPAMUG = 1105
RID_SVC_VMM = 1106
RID_SVC_MONITOR = 1107
RID_HELPDESK = 1108
# A RID that is never allocated: a member left behind by a deleted account (orphaned SID).
RID_ORPHANED = 1150
# Computer accounts are numbered from here in the order of winsim_domain.computers.
RID_FIRST_COMPUTER = 1200
# Local (SAM) accounts and groups created after setup start at 1000 on a real machine.
RID_FIRST_LOCAL = 1000

# --- Domain accounts (type, name, upn?) keyed by RID ------------------------------------
# Names are the en-US ones: the simulated domain is an English domain (IF 2: group names of a
# domain follow the language of its DCs). DnsAdmins is not localized anyway (IF 5, PROVPS1).
DOMAIN_ACCOUNTS: dict[int, tuple[str, str]] = {
    RID_ADMINISTRATOR: ('user', 'Administrator'),
    RID_GUEST: ('user', 'Guest'),
    RID_KRBTGT: ('user', 'krbtgt'),
    RID_DOMAIN_ADMINS: ('group', 'Domain Admins'),
    RID_DOMAIN_USERS: ('group', 'Domain Users'),
    RID_DOMAIN_GUESTS: ('group', 'Domain Guests'),
    RID_DOMAIN_COMPUTERS: ('group', 'Domain Computers'),
    RID_DOMAIN_CONTROLLERS: ('group', 'Domain Controllers'),
    RID_SCHEMA_ADMINS: ('group', 'Schema Admins'),
    RID_ENTERPRISE_ADMINS: ('group', 'Enterprise Admins'),
    RID_IPAMUG: ('group', 'IPAMUG'),            # IF 7: universal group holding the IPAM computer
    RID_SVC_VMM: ('user', 'svc-vmm'),           # IF 8: the VMM run-as account
    RID_SVC_MONITOR: ('user', 'svc-monitor'),   # [I] a monitoring account already in Event Log Readers
    RID_HELPDESK: ('group', 'Helpdesk'),        # [I] a helpdesk group already in DHCP Users
}
# Users get an explicit UPN; computers and groups are reachable by implicit UPN / name only.
USERS_WITH_UPN = (RID_ADMINISTRATOR, RID_SVC_VMM, RID_SVC_MONITOR)

# Local accounts on members and standalone servers (localization keys, see localization.py).
LOCAL_ACCOUNTS: tuple[tuple[int, str], ...] = (
    (RID_ADMINISTRATOR, 'account.administrator'),
    (RID_GUEST, 'account.guest'),
    (RID_DEFAULT_ACCOUNT, 'account.default'),
)

# IPAM server local groups created at install (IF 8, M-ARCH). Not well-known SIDs.
IPAM_LOCAL_GROUPS = ('IPAM Users', 'IPAM MSM Administrators', 'IPAM ASM Administrators',
                     'IPAM IP Audit Administrators', 'IPAM Administrators')

# --- Service security descriptors (WD 1, 3) ---------------------------------------------
# WD 1a (observed on a DC) with the lab-added (A;;RPWP;;;S-1-5-21-...-1109) ACE removed and the
# S: SACL kept. Only the DC value is published; member DNS servers get the same string.
SDDL_DNS = ('D:(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)(A;;CCLCSWRPWPDTLOCRRC;;;SY)'
            '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SO)'
            'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
# WD 1b: no published DHCPServer value, so the generic default service SD with SACL (WD 3,
# "Administrators, Interactive Users, and Service accounts", source id 62366264193).
SDDL_GENERIC_SERVICE = ('D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'
                        '(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)'
                        'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
SDDL_DHCPSERVER = SDDL_GENERIC_SERVICE
# WD 3, observed (woshub).
SDDL_SPOOLER = ('D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'
                '(A;;CCLCSWRPWPDTLOCRRC;;;SY)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
# WD 3, observed; note the SACL mask without CR.
SDDL_WUAUSERV = ('D:(A;;CCLCSWRPLORC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'
                 '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)S:(AU;FA;CCDCLCSWRPWPDTLOSDRCWDWO;;;WD)')
# WD 3, observed: the DHCP *client* service, a name that is easy to confuse with DHCPServer.
SDDL_DHCP_CLIENT = ('D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCLCSWRPWPDTLOCRRC;;;NO)'
                    '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWRPLOCRRC;;;S-1-2-1)'
                    '(A;;CCLCSWRPWPDTLOCRRC;;;SY)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')


class ServiceSeed(NamedTuple):
    name: str
    display_name: str
    status: str
    sddl: str
    role: str | None      # installed only with this role; None = every host


# Service short and display names: IF 6.
SERVICES: tuple[ServiceSeed, ...] = (
    ServiceSeed('Dhcp', 'DHCP Client', 'Running', SDDL_DHCP_CLIENT, None),
    ServiceSeed('Spooler', 'Print Spooler', 'Running', SDDL_SPOOLER, None),
    ServiceSeed('wuauserv', 'Windows Update', 'Stopped', SDDL_WUAUSERV, None),
    ServiceSeed('DHCPServer', 'DHCP Server', 'Running', SDDL_DHCPSERVER, ROLE_DHCP),
    ServiceSeed('DNS', 'DNS Server', 'Running', SDDL_DNS, ROLE_DNS),
    # [I] NPS runs as service IAS; its SD is not published, so the generic default.
    ServiceSeed('IAS', 'Network Policy Server', 'Running', SDDL_GENERIC_SERVICE, ROLE_NPS),
)

# --- Registry (IF 3, 5) -------------------------------------------------------------------
KEY_EVENTLOG = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog'
KEY_DNS_SERVER_LOG = KEY_EVENTLOG + '\\DNS Server'
KEY_DHCP_PARAMETERS = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters'
KEY_RECORD = 'HKLM\\SOFTWARE\\ipam.provisioning'   # docs/design.md 3: absent until something records
# IF 5: the DNS Server log's default CustomSD is not published; this is the documented default
# for System-isolation logs, which the DNS Server log is.
CUSTOMSD_DNS_SERVER = ('O:BAG:SYD:(A;;0xf0007;;;SY)(A;;0x7;;;BA)(A;;0x3;;;BO)(A;;0x5;;;SO)'
                       '(A;;0x1;;;IU)(A;;0x3;;;SU)(A;;0x1;;;S-1-5-3)(A;;0x2;;;S-1-5-33)'
                       '(A;;0x1;;;S-1-5-32-573)')
# Seed-time fault corrupt_customsd: the end of a real value with the closing paren missing.
CUSTOMSD_CORRUPT = 'O:BAG:SYD:(A;;0x1;;;S-1-5-32-573'
# IF 3: default audit log folder (%windir%\system32\dhcp).
DHCP_LOG_PATH = 'C:\\Windows\\system32\\dhcp'
DHCP_BACKUP_PATH = 'C:\\Windows\\system32\\dhcp\\backup'

BASE_PATHS = ('C:\\', 'C:\\Windows', 'C:\\Windows\\system32')
SYSVOL_PATH = 'C:\\Windows\\SYSVOL\\sysvol'

# --- Shares (WD 6) ------------------------------------------------------------------------
SHARE_ALLOW, SHARE_DENY = 'Allow', 'Deny'          # MSFT_SmbShareAccessControlEntry
SHARE_FULL, SHARE_CHANGE, SHARE_READ = 'Full', 'Change', 'Read'
# Share-level masks of the SMB rights (ipam-facts.md 3, windows-defaults.md 6, windows-api.md 9): 0x1200A9 is
# what New-SmbShare gives Everyone, 0x1F01FF is full control (SDDL 'FA'); Change adds write and delete to Read.
SHARE_RIGHT_MASKS = {SHARE_FULL: 0x1F01FF, SHARE_CHANGE: 0x1301BF, SHARE_READ: 0x1200A9}

# --- Firewall rules (WD 5, IF 1.2) --------------------------------------------------------
GROUP_REMOTE_EVENT_LOG = '@FirewallAPI.dll,-29252'
GROUP_REMOTE_SERVICE = '@FirewallAPI.dll,-29502'
GROUP_FPS = '@FirewallAPI.dll,-28502'
GROUP_DNS = '@firewallapi.dll,-53012'    # IF 1.2: older GRAF-style scripts only, spelled as there
# IF 1.2: the DHCP groups' resource strings were not found. The English DisplayGroup stands in;
# do not rely on it being language independent.
GROUP_DHCP = 'DHCP Server'
GROUP_DHCP_MANAGEMENT = 'DHCP Server Management'


class RuleSeed(NamedTuple):
    name: str
    display_name: str     # en-US
    group: str
    display_group: str    # en-US
    role: str | None      # present only with this role; None = every host


FIREWALL_RULES: tuple[RuleSeed, ...] = (
    RuleSeed('RemoteEventLogSvc-In-TCP', 'Remote Event Log Management (RPC)', GROUP_REMOTE_EVENT_LOG,
             'Remote Event Log Management', None),
    RuleSeed('RemoteEventLogSvc-NP-In-TCP', 'Remote Event Log Management (NP-In)', GROUP_REMOTE_EVENT_LOG,
             'Remote Event Log Management', None),
    RuleSeed('RemoteEventLogSvc-RPCSS-In-TCP', 'Remote Event Log Management (RPC-EPMAP)', GROUP_REMOTE_EVENT_LOG,
             'Remote Event Log Management', None),
    RuleSeed('RemoteSvcAdmin-In-TCP', 'Remote Service Management (RPC)', GROUP_REMOTE_SERVICE,
             'Remote Service Management', None),
    RuleSeed('RemoteSvcAdmin-NP-In-TCP', 'Remote Service Management (NP-In)', GROUP_REMOTE_SERVICE,
             'Remote Service Management', None),
    RuleSeed('RemoteSvcAdmin-RPCSS-In-TCP', 'Remote Service Management (RPC-EPMAP)', GROUP_REMOTE_SERVICE,
             'Remote Service Management', None),
    # WD 5: stock FPS Names from a real environment; display names for SMB-In and NB-Session-In
    # are published, the others are the usual English ones [I].
    RuleSeed('FPS-SMB-In-TCP', 'File and Printer Sharing (SMB-In)', GROUP_FPS, 'File and Printer Sharing', None),
    RuleSeed('FPS-NB_Session-In-TCP', 'File and Printer Sharing (NB-Session-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-NB_Name-In-UDP', 'File and Printer Sharing (NB-Name-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-NB_Datagram-In-UDP', 'File and Printer Sharing (NB-Datagram-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-SpoolSvc-In-TCP', 'File and Printer Sharing (Spooler Service - RPC)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-RPCSS-In-TCP', 'File and Printer Sharing (Spooler Service - RPC-EPMAP)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-ICMP4-ERQ-In', 'File and Printer Sharing (Echo Request - ICMPv4-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-ICMP6-ERQ-In', 'File and Printer Sharing (Echo Request - ICMPv6-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    RuleSeed('FPS-LLMNR-In-UDP', 'File and Printer Sharing (LLMNR-UDP-In)', GROUP_FPS,
             'File and Printer Sharing', None),
    # WD 5 table. Yes, the DHCP *server* rules are named ...-ClientSvc-... (two sources).
    RuleSeed('Microsoft-Windows-DHCP-ClientSvc-DHCPv4-In', 'DHCP Server v4 (UDP-In)', GROUP_DHCP,
             'DHCP Server', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-ClientSvc-DHCPv6-In', 'DHCP Server v6 (UDP-In)', GROUP_DHCP,
             'DHCP Server', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-SrvSvc-DHCPv4-In', 'DHCP Server v4 (UDP-In)', GROUP_DHCP,
             'DHCP Server', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-SrvSvc-DHCPv6-In', 'DHCP Server v6 (UDP-In)', GROUP_DHCP,
             'DHCP Server', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In', 'DHCP Server (RPC-In)', GROUP_DHCP_MANAGEMENT,
             'DHCP Server Management', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-ClientSvc-RPCSS-TCP-In', 'DHCP Server (RPCSS-In)', GROUP_DHCP_MANAGEMENT,
             'DHCP Server Management', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-SrvSvc-Services-TCP-In',
             'DHCP Server - Remote Service Management using SCM (RPC-in)', GROUP_DHCP_MANAGEMENT,
             'DHCP Server Management', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-Failover-TCP-In', 'DHCP Server Failover (TCP-In)', GROUP_DHCP_MANAGEMENT,
             'DHCP Server Management', ROLE_DHCP),
    RuleSeed('Microsoft-Windows-DHCP-SMB-TCP-In', 'DHCP Server (SMB-In)', GROUP_DHCP_MANAGEMENT,
             'DHCP Server Management', ROLE_DHCP),
    RuleSeed('DNSSrv-RPCEPMAP-TCP-In', 'RPC Endpoint Mapper (TCP, Incoming)', GROUP_DNS, 'DNS Service', ROLE_DNS),
    RuleSeed('DNSSrv-DNS-TCP-In', 'DNS (TCP, Incoming)', GROUP_DNS, 'DNS Service', ROLE_DNS),
    RuleSeed('DNSSrv-DNS-UDP-In', 'DNS (UDP, Incoming)', GROUP_DNS, 'DNS Service', ROLE_DNS),
    RuleSeed('DNSSrv-RPC-TCP-In', 'RPC (TCP, Incoming)', GROUP_DNS, 'DNS Service', ROLE_DNS),
)


def rule_enabled_by_default(rule: RuleSeed, is_dc: bool) -> bool:
    """Default Enabled. The real defaults on Server are NOT confirmed (WD 5, IF 10 [I]): the DNS
    Service rules come enabled with the DNS role, FPS SMB-In is on for DCs (SYSVOL), the rest off."""
    if rule.role == ROLE_DNS:
        return True
    return is_dc and rule.name == 'FPS-SMB-In-TCP'


# --- AD objects (IF 4, WD 3) --------------------------------------------------------------
# CN=MicrosoftDNS,CN=System,<domain DN>: no published value. DACL built from the only real AD
# object SD in WD 3 (Centrify example: SY, DA, an object ACE for AO, an inherited object ACE for RU),
# DACL part only as GetSecurityDescriptorSddlForm('Access') returns it (docs/design.md 3), plus
# [I] a full-control ACE for DnsAdmins, which administers AD-integrated DNS.
def microsoft_dns_dacl(dns_admins_sid: str) -> str:
    return ('D:AI(A;;SDRCWDWOCCDCLCSWRPWPDTLOCR;;;SY)(A;;RCWDWOCCDCLCSWRPWPLOCR;;;DA)'
            '(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;' + dns_admins_sid + ')'
            '(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)'
            '(OA;CIIOID;RP;4c164200-20c0-11d0-a768-00aa006e0529;4828cc14-1437-45bc-9b07-ad6f015e5f28;RU)')


def microsoft_dns_dn(domain_dn: str) -> str:
    return 'CN=MicrosoftDNS,CN=System,' + domain_dn


# --- Operating system ---------------------------------------------------------------------
# [I] Win32_OperatingSystem.Caption and .Version of a current Windows Server (Server 2022 Datacenter,
# build 20348): every simulated host runs it unless its state carries an 'os' dict with other values.
DEFAULT_OS = {'caption': 'Microsoft Windows Server 2022 Datacenter', 'version': '10.0.20348'}
