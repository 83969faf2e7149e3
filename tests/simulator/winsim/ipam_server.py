# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated IPAM server: discovery domains, server inventory, scheduled tasks, custom fields,
utilization thresholds, and the access status IPAM computes for each server it manages.

State lives in the IPAM host's state under ``ipam`` (created on first use by ``ipam_state``):

- ``discovery_domains`` {name: {discover_dc, discover_dns, discover_dhcp}};
- ``servers`` {fqdn: {server_types: [DC, DNS, DHCP, NPS], manageability, access: {ipam, dhcp_rpc,
  dns_rpc, dhcp_audit_share, event_log}, recommended_action, domain}};
- ``tasks`` {name: {enabled, state, last_run, last_result, runs}} under ``\\Microsoft\\Windows\\IPAM\\``;
- ``custom_fields`` {name: {category, multivalue, values, builtin_values}};
- ``utilization_threshold`` {under, over};
- ``pending_refresh_polls`` (None, or reads left before a running ServerDiscovery finishes) and
  ``refresh_delay_polls`` (how many reads a ServerDiscovery run takes; tests change it).

How IPAM works, as modelled (IF = ipam-facts.md; [S] stated by a source, [I] inferred):

- Starting ServerDiscovery [S, IF 9] reads AD for the servers of each discovery domain (DCs, DNS
  and DHCP servers, per the domain's switches) and adds new ones as Unspecified with every access
  status Not checked. NPS servers are never discovered [S, IF 9]. [I] Discovery only adds: servers
  already in the inventory keep their types and status. [I] Servers are added when the task
  starts (the real task takes minutes; the modules that follow need them), while the access
  status refresh finishes later: the task stays Running for ``refresh_delay_polls`` reads of the
  inventory (each read is one poll of ipam_access_status or ipam_server_inventory), then every
  server that is not Unmanaged gets its status computed from the servers' settings at that moment.
  Until the next ServerDiscovery run the status stays as computed, like IPAM's database.
- Manageability [S, IF 7 M-INV]: Unmanaged stops collection and purges the server's data, here
  every status becomes Not checked. [I] Unspecified servers are checked too (IF 10: right after
  discovery every server shows Blocked and Unspecified). [I] Changing a server's types resets
  its statuses to Not checked until the next refresh.
- Only servers of the IPAM server's own domain are reachable in the lab; a server not in the lab,
  in another domain, or with the ``unreachable`` fault is Blocked for every type it has.

How each access type is checked ([I] each, from IF 1-6 and IF 10; the IPAM principal is the IPAM
server's computer account, CORP\\IPAM01$ in the lab, with every group that contains it, nested:
IPAMUG, Domain Computers, Authenticated Users, Everyone, NETWORK, and the target's local or
domain-local groups containing any of those, because that is the token the IPAM tasks present
when they connect as Network Service (IF core model)):

- dhcp_rpc (DHCP servers): the principal is in DHCP Users or DHCP Administrators of that server
  (local groups on a member, the domain's groups on a DC, IF 2) AND both DHCP Server Management
  RPC rules are enabled (``Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In`` and ``-RPCSS-TCP-In``, IF 1).
- dhcp_audit_share (DHCP servers): a ``dhcpaudit`` share exists whose permissions allow Read,
  Change or Full to the principal and deny it nothing (IF 3), AND ``FPS-SMB-In-TCP`` is enabled.
  Note: New-SmbShare grants Everyone Read, so a share with Everyone Read is readable by IPAM.
- dns_rpc (DNS servers): on a DC an allow ACE with ReadProperty (or generic read/all) for the
  principal on ``CN=MicrosoftDNS,CN=System,<domain>``, or DnsAdmins membership; on any other server
  membership of the local Administrators (IF 4, M-GS/M-BP); AND ``DNSSrv-RPC-TCP-In`` and
  ``DNSSrv-RPCEPMAP-TCP-In`` enabled (IF 1).
- event_log (every type): the principal is in Event Log Readers (S-1-5-32-573, the domain's builtin
  group on a DC) AND ``RemoteEventLogSvc-In-TCP`` and ``RemoteEventLogSvc-RPCSS-In-TCP`` are enabled
  (IF 1, 5); for a DNS server also a read (0x1) ACE for the principal in the DNS Server log's
  CustomSD (IF 5). The default CustomSD grants Event Log Readers (S-1-5-32-573) read.
- An access type the server does not have is Not applicable; a type the server has but whose role
  is not installed there is Blocked (nothing answers). Overall IPAM access is Blocked if any
  applicable type is Blocked [S, IF 10 M-GS], else Unblocked.
- recommended_action [I]: Unspecified -> "Set Manageability Status"; Managed and Blocked ->
  "Unblock IPAM Access"; Managed and Not checked -> "Refresh IPAM Access Status"; otherwise empty.

A deny ACE for the principal with the needed right wins over allow ACEs; inherit-only ACEs are
ignored. Service ACLs (IF 6) belong to service monitoring, not to these access statuses.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

from . import defaults as d
from . import localization as l10n
from .context import Context
from .errors import SimulatorBug

# --- names IPAM uses -------------------------------------------------------------------------------
TASK_PATH = '\\Microsoft\\Windows\\IPAM\\'                       # IF 9 (PR0MPT)
SERVER_DISCOVERY = 'ServerDiscovery'
TASK_NAMES = (SERVER_DISCOVERY, 'ServerConfiguration', 'AddressUtilization', 'AddressExpiry', 'Audit',
              'ServerAvailability', 'ServiceMonitoring')        # IF 9 (M-GS, M-ARCH)
SERVER_ROLES = ('DC', 'DNS', 'DHCP', 'NPS')                       # ServerRole enum order (IF 9)
MANAGEABILITY = ('Unspecified', 'Managed', 'Unmanaged')           # ManageabilityStatus (IF 9)
UNBLOCKED, BLOCKED, NOT_APPLICABLE, NOT_CHECKED = 'Unblocked', 'Blocked', 'Not applicable', 'Not checked'
ACCESS_TYPES = ('dhcp_rpc', 'dns_rpc', 'dhcp_audit_share', 'event_log')
# Access type -> the server roles it applies to (IF 9: the WMI class's per-type statuses).
ACCESS_TYPE_ROLES = {'dhcp_rpc': ('DHCP',), 'dns_rpc': ('DNS',), 'dhcp_audit_share': ('DHCP',),
                     'event_log': SERVER_ROLES}
ACTION_SET_MANAGEABILITY = 'Set Manageability Status'
ACTION_UNBLOCK = 'Unblock IPAM Access'
ACTION_REFRESH = 'Refresh IPAM Access Status'

# Task Scheduler LastTaskResult values: 0 done, 0x41301 running, 0x41303 never run.
TASK_RESULT_OK = 0
TASK_RESULT_RUNNING = 267009
TASK_RESULT_NEVER_RUN = 267011
DEFAULT_REFRESH_DELAY_POLLS = 1
# Get-IpamAddressUtilizationThreshold on a new IPAM server (its help's example output).
DEFAULT_THRESHOLDS = {'under': 20, 'over': 80}
# Built-in custom fields named in the IpamServer help (Get-IpamCustomField, Add-IpamCustomValue);
# [I] their built-in values beyond the ones the help shows are not published: a short list.
BUILTIN_CUSTOM_FIELDS: dict[str, dict[str, Any]] = {
    'AdSite': {'multivalue': False, 'values': []},
    'CountryOrRegion': {'multivalue': True, 'values': ['Afghanistan', 'Albania', 'Algeria']},
    'ManagedByService': {'multivalue': True, 'values': ['IPAM', 'MS DHCP', 'Non-MS DHCP', 'VMM']},
    'ServiceInstance': {'multivalue': True, 'values': ['Localhost']},
}

# Import-Module IpamServer on a host without the IPAM Server feature, and the module's message for it.
IMPORT_ERROR = ("The specified module 'IpamServer' was not loaded because no valid module file was found in any "
                'module directory.')
FEATURE_MISSING = ('the IPAM Server feature is not installed on this host: Import-Module IpamServer failed (%s). '
                   'Install it with Install-WindowsFeature IPAM -IncludeManagementTools and provision it with '
                   'Invoke-IpamServerProvisioning.' % IMPORT_ERROR)
DOMAIN_NOT_FOUND = 'The specified domain either does not exist or could not be contacted.'

# Firewall rule Names per check (IF 1.2).
DHCP_RPC_RULES = ('Microsoft-Windows-DHCP-ClientSvc-RPC-TCP-In', 'Microsoft-Windows-DHCP-ClientSvc-RPCSS-TCP-In')
DNS_RPC_RULES = ('DNSSrv-RPC-TCP-In', 'DNSSrv-RPCEPMAP-TCP-In')
EVENT_LOG_RULES = ('RemoteEventLogSvc-In-TCP', 'RemoteEventLogSvc-RPCSS-In-TCP')
SMB_RULE = 'FPS-SMB-In-TCP'
AUDIT_SHARE = 'dhcpaudit'

# --- SDDL, just enough to answer "does this descriptor let these SIDs read" -------------------------
_ACE = re.compile(r'\(([A-Z]+);([^;()]*);([^;()]*);([^;()]*);([^;()]*);([^;()]*)\)')
_RIGHTS = {
    'GA': 0x10000000, 'GR': 0x80000000, 'GW': 0x40000000, 'GX': 0x20000000, 'RC': 0x20000, 'SD': 0x10000,
    'WD': 0x40000, 'WO': 0x80000, 'RP': 0x10, 'WP': 0x20, 'CC': 0x1, 'DC': 0x2, 'LC': 0x4, 'SW': 0x8,
    'LO': 0x80, 'DT': 0x40, 'CR': 0x100, 'FA': 0x1F01FF, 'FR': 0x120089, 'FW': 0x120116, 'FX': 0x1200A0,
    'KA': 0xF003F, 'KR': 0x20019, 'KW': 0x20006, 'KX': 0x20019,
}
_GENERIC_READ = 0x10000000 | 0x80000000
_ALIASES = {'WD': d.EVERYONE, 'AU': d.AUTHENTICATED_USERS, 'NU': d.NETWORK, 'BA': d.BUILTIN_ADMINISTRATORS,
            'BU': d.BUILTIN_USERS, 'ER': d.EVENT_LOG_READERS, 'RM': d.REMOTE_MANAGEMENT_USERS}
_DOMAIN_ALIASES = {'DA': d.RID_DOMAIN_ADMINS, 'DU': d.RID_DOMAIN_USERS, 'DC': d.RID_DOMAIN_COMPUTERS,
                   'DD': d.RID_DOMAIN_CONTROLLERS}
READ_PROPERTY = 0x10     # ActiveDirectoryRights.ReadProperty
EVENTLOG_READ = 0x1      # CustomSD "Read" (IF 5)


def _mask(text: str) -> int:
    if text.lower().startswith('0x'):
        try:
            return int(text, 16)
        except ValueError:
            return 0
    return sum(_RIGHTS.get(text[i:i + 2], 0) for i in range(0, len(text) - 1, 2))


def _trustee(text: str, domain_sid: str | None) -> str:
    text = text.strip()
    if text.upper() in _ALIASES:
        return _ALIASES[text.upper()]
    if text.upper() in _DOMAIN_ALIASES and domain_sid:
        return '%s-%d' % (domain_sid, _DOMAIN_ALIASES[text.upper()])
    return text.upper()


def sddl_grants(sddl: str | None, sids: set[str], right: int, domain_sid: str | None) -> bool:
    """True when the DACL of sddl allows right to one of sids and denies it to none of them."""
    if not sddl:
        return False
    dacl = sddl.split('D:', 1)[1] if 'D:' in sddl else ''
    dacl = dacl.split('S:', 1)[0]
    allowed = False
    for ace_type, flags, rights, object_guid, _inherit_guid, trustee in _ACE.findall(dacl):
        if 'IO' in flags or object_guid:
            continue    # inherit-only, or limited to one object type / property set
        if _trustee(trustee, domain_sid) not in sids:
            continue
        mask = _mask(rights)
        if not mask & (right | _GENERIC_READ):
            continue
        if ace_type in ('D', 'OD'):
            return False
        if ace_type in ('A', 'OA'):
            allowed = True
    return allowed


# --- state -------------------------------------------------------------------------------------------
def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def new_state() -> dict[str, Any]:
    """A freshly provisioned IPAM server: no discovery domains, no servers, tasks never run."""
    return {
        'discovery_domains': {},
        'servers': {},
        'tasks': {name: {'enabled': True, 'state': 'Ready', 'last_run': None, 'last_result': TASK_RESULT_NEVER_RUN,
                         'runs': 0} for name in TASK_NAMES},
        'custom_fields': {name: {'category': 'BuiltIn', 'multivalue': spec['multivalue'],
                                 'values': list(spec['values']), 'builtin_values': list(spec['values'])}
                          for name, spec in BUILTIN_CUSTOM_FIELDS.items()},
        'utilization_threshold': dict(DEFAULT_THRESHOLDS),
        'pending_refresh_polls': None,
        'refresh_delay_polls': DEFAULT_REFRESH_DELAY_POLLS,
    }


def has_ipam(host: dict[str, Any]) -> bool:
    return d.ROLE_IPAM in (host.get('roles') or [])


def ipam_state(ctx: Context) -> dict[str, Any]:
    """The IPAM state of ctx.host; fails as Import-Module IpamServer does where the feature is missing."""
    if not has_ipam(ctx.host):
        ctx.fail(FEATURE_MISSING, error='not_found')
    state = ctx.host.setdefault('ipam', new_state())
    for key, value in new_state().items():   # state written by an older simulator: add what is missing
        state.setdefault(key, value)
    return state


def find_key(mapping: dict[str, Any], name: str) -> str | None:
    """The stored key equal to name ignoring case (IPAM names are case-insensitive)."""
    wanted = (name or '').casefold()
    return next((k for k in mapping if k.casefold() == wanted), None)


# --- the lab as the IPAM server sees it -------------------------------------------------------------
def lab_hosts(ctx: Context) -> list[dict[str, Any]]:
    """Every host of the lab, this one included (its own copy is the live one)."""
    return [ctx.host] + [h for n, h in sorted(ctx.peers().items()) if n != ctx.host.get('name')]


def host_by_fqdn(hosts: list[dict[str, Any]], fqdn: str) -> dict[str, Any] | None:
    """The host of hosts (lab_hosts) with this FQDN, compared without regard to case."""
    wanted = (fqdn or '').lower().rstrip('.')
    return next((h for h in hosts if (h.get('fqdn') or '').lower() == wanted), None)


def server_domain(ctx: Context, fqdn: str) -> str | None:
    """The AD domain of a server added by hand: its lab host's, else the FQDN's DNS suffix."""
    host = host_by_fqdn(lab_hosts(ctx), fqdn)
    if host is not None:
        return host.get('domain')
    return fqdn.partition('.')[2].lower() or None


def discovered_roles(host: dict[str, Any], switches: dict[str, Any]) -> list[str]:
    """Server roles AD shows for a host, filtered by the discovery domain's switches (never NPS)."""
    roles: list[str] = []
    if switches.get('discover_dc') and host.get('domain_role') in d.DC_ROLES:
        roles.append('DC')
    if switches.get('discover_dns') and d.ROLE_DNS in (host.get('roles') or []):
        roles.append('DNS')
    if switches.get('discover_dhcp') and d.ROLE_DHCP in (host.get('roles') or []):
        roles.append('DHCP')
    return roles


def order_roles(roles: Any) -> list[str]:
    return [r for r in SERVER_ROLES if r in set(roles or [])]


def recommended_action(server: dict[str, Any]) -> str:
    manageability = server['manageability']
    overall = server['access']['ipam']
    if manageability == 'Unspecified':
        return ACTION_SET_MANAGEABILITY
    if manageability == 'Managed' and overall == BLOCKED:
        return ACTION_UNBLOCK
    if manageability == 'Managed' and overall == NOT_CHECKED:
        return ACTION_REFRESH
    return ''


def not_checked() -> dict[str, str]:
    return {key: NOT_CHECKED for key in ('ipam',) + ACCESS_TYPES}


def new_server(roles: list[str], domain: str | None, manageability: str = 'Unspecified') -> dict[str, Any]:
    server = {'server_types': order_roles(roles), 'manageability': manageability, 'access': not_checked(),
              'recommended_action': '', 'domain': domain}
    server['recommended_action'] = recommended_action(server)
    return server


def set_manageability(server: dict[str, Any], manageability: str) -> None:
    server['manageability'] = manageability
    if manageability == 'Unmanaged':
        server['access'] = not_checked()    # collection stops and the server's data is purged (M-INV)
    server['recommended_action'] = recommended_action(server)


def set_server_types(server: dict[str, Any], roles: list[str]) -> None:
    server['server_types'] = order_roles(roles)
    server['access'] = not_checked()
    server['recommended_action'] = recommended_action(server)


def task_view(ipam: dict[str, Any], name: str) -> dict[str, Any]:
    """Get-ScheduledTask + Get-ScheduledTaskInfo for one IPAM task, as the module reports it."""
    key = find_key(ipam['tasks'], name)
    if key is None:
        return {'name': name, 'path': TASK_PATH, 'exists': False, 'enabled': False, 'state': None,
                'last_run_time': None, 'last_task_result': None}
    task = ipam['tasks'][key]
    state = 'Disabled' if not task['enabled'] else task['state']
    return {'name': key, 'path': TASK_PATH, 'exists': True, 'enabled': bool(task['enabled']), 'state': state,
            'last_run_time': task['last_run'], 'last_task_result': task['last_result']}


# --- the IPAM principal and the access checks --------------------------------------------------------
def _closure(seed: set[str], groups: dict[str, Any]) -> set[str]:
    """seed plus every group of groups (sid -> {members}) that contains one of them, nested."""
    found = set(seed)
    while True:
        added = {sid.upper() for sid, group in groups.items()
                 if sid.upper() not in found and found.intersection(m.upper() for m in group.get('members') or [])}
        if not added:
            return found
        found |= added


def ipam_principal(ipam_host: dict[str, Any], domain: dict[str, Any] | None) -> set[str]:
    """The SIDs in the token the IPAM server presents on the network (its computer account's)."""
    if domain is None:
        return set()
    sam = ipam_host['hostname'].upper() + '$'
    computer = next((sid for sid, a in domain['accounts'].items()
                     if a.get('type') == 'computer' and a['name'].upper() == sam), None)
    if computer is None:
        return set()
    seed = {computer.upper(), d.EVERYONE, d.AUTHENTICATED_USERS, d.NETWORK,
            '%s-%d' % (domain['sid'], d.RID_DOMAIN_COMPUTERS)}
    # Global and universal groups (accounts) and domain-local groups apply on every server of the
    # domain; the domain's builtin groups (S-1-5-32-*) only on its DCs, handled per target.
    groups = {sid: a for sid, a in domain['accounts'].items() if a.get('type') == 'group'}
    groups.update({sid: g for sid, g in domain['groups'].items() if not sid.startswith('S-1-5-32-')})
    return _closure(seed, groups)


def _on_target(principal: set[str], target: dict[str, Any], domain: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    """The principal's SIDs on target (with its local or the domain's builtin groups) and that group store."""
    store = domain['groups'] if target.get('domain_role') in d.DC_ROLES else target.get('groups') or {}
    return _closure(principal, store), store


def _rules_enabled(target: dict[str, Any], names: tuple[str, ...]) -> bool:
    rules = target.get('firewall_rules') or {}
    return all((rules.get(n) or {}).get('enabled') for n in names)


def _dhcp_group_sids(target: dict[str, Any], domain: dict[str, Any], store: dict[str, Any]) -> set[str]:
    if target.get('domain_role') in d.DC_ROLES:
        return {'%s-%d' % (domain['sid'], rid) for rid in (d.RID_DHCP_USERS, d.RID_DHCP_ADMINISTRATORS)}
    names = {(l10n.text(target['language'], key) or '').casefold()
             for key in ('group.dhcp_users', 'group.dhcp_administrators')}
    return {sid.upper() for sid, g in store.items() if g['name'].casefold() in names}


def _share_readable(target: dict[str, Any], sids: set[str]) -> bool:
    share = next((s for n, s in (target.get('shares') or {}).items() if n.casefold() == AUDIT_SHARE), None)
    if share is None:
        return False
    entries = [e for e in share.get('access') or [] if e['sid'].upper() in sids]
    if any(e['type'] == d.SHARE_DENY for e in entries):
        return False
    return any(e['type'] == d.SHARE_ALLOW and e['right'] in (d.SHARE_READ, d.SHARE_CHANGE, d.SHARE_FULL) for e in entries)


def _dns_rpc(target: dict[str, Any], domain: dict[str, Any], sids: set[str]) -> bool:
    if not _rules_enabled(target, DNS_RPC_RULES):
        return False
    if target.get('domain_role') in d.DC_ROLES:
        if '%s-%d' % (domain['sid'], d.RID_DNS_ADMINS) in sids:
            return True
        obj = domain['ad_objects'].get(d.microsoft_dns_dn(domain['dn'])) or {}
        return sddl_grants(obj.get('sddl'), sids, READ_PROPERTY, domain['sid'])
    return d.BUILTIN_ADMINISTRATORS in sids


def _event_log(target: dict[str, Any], domain: dict[str, Any], sids: set[str], roles: list[str]) -> bool:
    if d.EVENT_LOG_READERS not in sids or not _rules_enabled(target, EVENT_LOG_RULES):
        return False
    if 'DNS' in roles:
        custom_sd = ((target.get('registry') or {}).get(d.KEY_DNS_SERVER_LOG) or {}).get('CustomSD')
        return sddl_grants(custom_sd, sids, EVENTLOG_READ, domain['sid'])
    return True


def compute_access(ipam_host: dict[str, Any], domain: dict[str, Any] | None, roles: list[str],
                   target: dict[str, Any] | None) -> dict[str, str]:
    """{ipam, dhcp_rpc, dns_rpc, dhcp_audit_share, event_log} for a server of these roles (docstring rules)."""
    applicable = {t: any(r in roles for r in ACCESS_TYPE_ROLES[t]) for t in ACCESS_TYPES}
    reachable = (target is not None and domain is not None and target.get('domain') == domain['dns_name']
                 and not (target.get('faults') or {}).get('unreachable'))
    granted: dict[str, bool] = dict.fromkeys(ACCESS_TYPES, False)
    if reachable:
        sids, store = _on_target(ipam_principal(ipam_host, domain), target, domain)
        installed = set(target.get('roles') or [])
        if sids:
            dhcp = d.ROLE_DHCP in installed
            granted['dhcp_rpc'] = (dhcp and bool(sids & _dhcp_group_sids(target, domain, store))
                                   and _rules_enabled(target, DHCP_RPC_RULES))
            granted['dhcp_audit_share'] = dhcp and _share_readable(target, sids) and _rules_enabled(target, (SMB_RULE,))
            granted['dns_rpc'] = d.ROLE_DNS in installed and _dns_rpc(target, domain, sids)
            granted['event_log'] = _event_log(target, domain, sids, roles)
    access = {t: (UNBLOCKED if granted[t] else BLOCKED) if applicable[t] else NOT_APPLICABLE for t in ACCESS_TYPES}
    access['ipam'] = BLOCKED if BLOCKED in access.values() else UNBLOCKED
    return access


# --- what the scheduled tasks do -------------------------------------------------------------------
def discover(ctx: Context, ipam: dict[str, Any]) -> list[str]:
    """ServerDiscovery's inventory part: add the servers AD shows in the discovery domains; their names."""
    added = []
    hosts = lab_hosts(ctx)
    for domain_name, switches in sorted(ipam['discovery_domains'].items()):
        for host in hosts:
            if (host.get('domain') or '').lower() != domain_name.lower() or not host.get('fqdn'):
                continue
            roles = discovered_roles(host, switches)
            if roles and find_key(ipam['servers'], host['fqdn']) is None:
                ipam['servers'][host['fqdn'].lower()] = new_server(roles, host['domain'])
                added.append(host['fqdn'].lower())
    return added


def finish_refresh(ctx: Context, ipam: dict[str, Any]) -> None:
    """ServerDiscovery's access check: every server that is not Unmanaged gets its status now."""
    hosts = lab_hosts(ctx)
    for name, server in ipam['servers'].items():
        if server['manageability'] == 'Unmanaged':
            continue
        server['access'] = compute_access(ctx.host, ctx.domain, server['server_types'], host_by_fqdn(hosts, name))
        server['recommended_action'] = recommended_action(server)
    task = ipam['tasks'][SERVER_DISCOVERY]
    task['state'] = 'Ready'
    task['last_result'] = TASK_RESULT_OK
    ipam['pending_refresh_polls'] = None


def observe(ctx: Context, ipam: dict[str, Any]) -> None:
    """One read of the inventory: time passes for a running ServerDiscovery."""
    pending = ipam.get('pending_refresh_polls')
    if pending is None:
        return
    if pending > 0:
        ipam['pending_refresh_polls'] = pending - 1
        return
    finish_refresh(ctx, ipam)


def task_running(ipam: dict[str, Any], name: str) -> bool:
    return ipam['tasks'][name]['state'] == 'Running'


def start_task(ctx: Context, ipam: dict[str, Any], name: str) -> None:
    """Start-ScheduledTask on an enabled IPAM task (a running one is left alone, as IgnoreNew does)."""
    if task_running(ipam, name):
        return
    ctx.write('scheduled task %s%s' % (TASK_PATH, name))
    run_task(ctx, ipam, name)


def run_task(ctx: Context, ipam: dict[str, Any], name: str) -> None:
    """What one run of an IPAM task does (the caller has counted the write): ServerDiscovery
    discovers now and refreshes access status later; the other tasks only record the run."""
    task = ipam['tasks'][name]
    task['last_run'] = _now()
    task['runs'] = task.get('runs', 0) + 1
    if name != SERVER_DISCOVERY:
        task['last_result'] = TASK_RESULT_OK
        return
    discover(ctx, ipam)
    task['state'] = 'Running'
    task['last_result'] = TASK_RESULT_RUNNING
    delay = int(ipam.get('refresh_delay_polls') or 0)
    ipam['pending_refresh_polls'] = delay
    if delay <= 0:
        finish_refresh(ctx, ipam)


# --- the modules' cmdlet calls ---------------------------------------------------------------------
def cmdlet(ctx: Context, description: str, operation: str, args: dict[str, Any] | None = None) -> Any:
    """One cmdlet call of an IPAM server module as its Invoke-IpamCmdlet (_IpamAccess.psm1) makes it:
    the operation the fake cmdlet runs (winsim/winapi), so the Python models and the real modules
    meet the same IPAM. A refusal fails the module: 'Access is denied: <description>.' (access_denied)
    or '<description> failed: <message>' (invalid_state)."""
    # Imported here because winapi's areas import this module.
    from . import winapi  # pylint: disable=import-outside-toplevel
    try:
        return winapi.dispatch(ctx, operation, dict(args or {}))
    except winapi.ApiError as exc:
        if exc.kind == 'winsim':
            raise SimulatorBug(exc.message) from None
        if exc.kind == 'access_denied':
            ctx.fail('Access is denied: %s.' % description, error='access_denied')
        ctx.fail('%s failed: %s' % (description, exc.message), error='invalid_state')


def server_state(record: dict[str, Any]) -> dict[str, Any]:
    """One Get-IpamServerInventory object as the modules report it (ConvertTo-IpamServerState)."""
    return {
        'name': record.get('Name') or record.get('ServerName'), 'exists': True,
        'server_types': [str(t) for t in record.get('ServerType') or []],
        'manageability': record.get('ManageabilityStatus'), 'overall': record.get('IPAMAccessStatus'),
        'dhcp_rpc': record.get('DhcpRpcAccessStatus'), 'dns_rpc': record.get('DnsRpcAccessStatus'),
        'dhcp_audit_share': record.get('DhcpAuditShareAccessStatus'), 'event_log': record.get('EventLogAccessStatus'),
        'recommended_action': record.get('RecommendedAction'), 'domain': record.get('DomainName'),
    }


# --- what Ansible.Basic checks before a module body runs ---------------------------------------------
def check_spec(ctx: Context, args: dict[str, Any], required: tuple[str, ...] = ('mode',),
               apply_required: tuple[str, ...] = ('token',), modes: tuple[str, ...] = ('read', 'apply'),
               choices: dict[str, tuple[str, ...]] | None = None) -> None:
    """Required options, mode's choices and required_if (mode apply), with Ansible.Basic's messages."""
    missing = [o for o in required if args.get(o) is None]
    if missing:
        ctx.fail('missing required arguments: %s' % ', '.join(missing))
    for option, allowed in dict(choices or {}, mode=modes).items():
        if args.get(option) is not None and args[option] not in allowed:
            ctx.fail('value of %s must be one of: %s. Got no match for: %s' % (option, ', '.join(allowed), args[option]))
    if args['mode'] == 'apply':
        absent = [o for o in apply_required if args.get(o) is None]
        if absent:
            ctx.fail('mode is apply but all of the following are missing: %s' % ', '.join(absent))


def changed_since_read(ctx: Context, what: str) -> None:
    ctx.fail('%s changed between read and apply; nothing was written. Run the task again to plan against the '
             'new state.' % what, error='changed_since_read')
