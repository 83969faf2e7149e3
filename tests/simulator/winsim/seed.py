# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the state of a new simulated host (and of its domain) from an inventory profile.

Pure functions on dicts: the engine takes the lock, loads, calls these, saves.
Everything is deterministic (SIDs from names, fixed RIDs) so two fresh labs look the same
whichever host is contacted first.
"""
from __future__ import annotations

import hashlib
from typing import Any, Mapping

from . import defaults as d
from . import faults as f
from . import localization as l10n
from .accounts import normalize_sid
from .model import admin_share_access, share_entry
from .vmm_server import new_vmm_server

# vmm: true makes the host a System Center VMM server (vmm_server.py).
# read_only: true makes a dc a read-only domain controller (DomainRole 4, in Read-only Domain Controllers).
PROFILE_KEYS = frozenset({'kind', 'language', 'roles', 'address', 'hostname', 'domain_role', 'machine_sid', 'vmm',
                          'read_only'})
DOMAIN_KEYS = frozenset({'dns_name', 'netbios', 'sid', 'language', 'computers', 'domain_controllers', 'ipam_servers',
                         'ad_integrated_dns', 'dhcp_on_dcs'})


# --- validation -------------------------------------------------------------------------------
def check_profile(profile: Mapping[str, Any], inventory_hostname: str) -> dict[str, Any]:
    """Normalized copy of winsim_profile; ValueError naming the host on anything unexpected."""
    if not isinstance(profile, Mapping):
        raise ValueError('winsim: %s: winsim_profile must be a dict' % inventory_hostname)
    unknown = set(profile) - PROFILE_KEYS
    if unknown:
        raise ValueError('winsim: %s: unknown winsim_profile keys: %s' % (inventory_hostname, ', '.join(sorted(unknown))))
    kind = profile.get('kind')
    if kind not in d.KINDS:
        raise ValueError('winsim: %s: winsim_profile.kind must be one of %s' % (inventory_hostname, ', '.join(d.KINDS)))
    roles = set(profile.get('roles') or [])
    bad = roles - d.KNOWN_ROLES
    if bad:
        raise ValueError('winsim: %s: unknown roles %s (known: %s)'
                         % (inventory_hostname, ', '.join(sorted(bad)), ', '.join(sorted(d.KNOWN_ROLES))))
    if kind == 'dc':
        roles.add(d.ROLE_ADDS)
    elif d.ROLE_ADDS in roles:
        raise ValueError('winsim: %s: role AD-Domain-Services needs kind: dc' % inventory_hostname)
    hostname = str(profile.get('hostname') or inventory_hostname.split('.')[0]).upper()
    if len(hostname) > 15:
        raise ValueError('winsim: %s: NetBIOS host name %r is longer than 15 characters' % (inventory_hostname, hostname))
    read_only = bool(profile.get('read_only'))
    if read_only and kind != 'dc':
        raise ValueError('winsim: %s: read_only (a read-only domain controller) needs kind: dc' % inventory_hostname)
    # An RODC cannot hold the PDC emulator role, so Win32_ComputerSystem reports it as a backup DC (4).
    domain_role = int(profile.get('domain_role') or (d.ROLE_BACKUP_DC if read_only else d.KINDS[kind]))
    if (kind == 'dc') != (domain_role in d.DC_ROLES):
        raise ValueError('winsim: %s: domain_role %s does not fit kind %s' % (inventory_hostname, domain_role, kind))
    if read_only and domain_role != d.ROLE_BACKUP_DC:
        raise ValueError('winsim: %s: a read-only domain controller has domain_role %d, not %d'
                         % (inventory_hostname, d.ROLE_BACKUP_DC, domain_role))
    return {
        'kind': kind,
        'language': l10n.check_language(profile.get('language') or 'en-US'),
        'roles': roles,
        'address': profile.get('address'),
        'hostname': hostname,
        'domain_role': domain_role,
        'machine_sid': profile.get('machine_sid'),
        'vmm': bool(profile.get('vmm')),
        'read_only': read_only,
    }


def check_domain(spec: Mapping[str, Any] | None, inventory_hostname: str) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise ValueError('winsim: %s: a dc or member needs winsim_domain (dns_name, netbios, sid)' % inventory_hostname)
    unknown = set(spec) - DOMAIN_KEYS
    missing = {'dns_name', 'netbios', 'sid'} - set(spec)
    if unknown or missing:
        raise ValueError('winsim: %s: winsim_domain: unknown keys %s, missing keys %s'
                         % (inventory_hostname, sorted(unknown), sorted(missing)))
    sid = normalize_sid(str(spec['sid']))
    if not sid.startswith('S-1-5-21-') or len(sid.split('-')) != 7:
        raise ValueError('winsim: %s: winsim_domain.sid must look like S-1-5-21-a-b-c' % inventory_hostname)
    return {
        'dns_name': str(spec['dns_name']).lower(),
        'netbios': str(spec['netbios']).upper(),
        'sid': sid,
        'language': l10n.check_language(spec.get('language') or 'en-US'),
        'computers': [str(c).upper() for c in spec.get('computers') or []],
        # The domain's DCs exist in AD whichever host a play reaches first (and whether or not a
        # run's inventory holds them): a DC lists them all from its own directory.
        'domain_controllers': [str(c).upper() for c in spec.get('domain_controllers') or []],
        'ipam_servers': [str(c).upper() for c in spec.get('ipam_servers') or []],
        # Declaring what the DCs run makes the domain complete whichever host is contacted first
        # (else the DNS/DHCP domain objects appear only when such a DC is seeded).
        'ad_integrated_dns': bool(spec.get('ad_integrated_dns')),
        'dhcp_on_dcs': bool(spec.get('dhcp_on_dcs')),
    }


def machine_sid_for(hostname: str) -> str:
    """A stable, plausible machine SID (S-1-5-21-x-y-z) derived from the host name."""
    digest = hashlib.sha256(('winsim-machine:' + hostname.upper()).encode()).digest()
    parts = [int.from_bytes(digest[i:i + 4], 'big') for i in (0, 4, 8)]
    return 'S-1-5-21-%d-%d-%d' % tuple(parts)


def _rid_sid(authority_sid: str, rid: int) -> str:
    return '%s-%d' % (authority_sid, rid)


def _next_rid(authority_sid: str, used: Any, floor: int) -> int:
    rids = [int(s.rsplit('-', 1)[1]) for s in used if s.startswith(authority_sid + '-')]
    return max([floor - 1] + [r for r in rids if r >= floor]) + 1


# --- domain ----------------------------------------------------------------------------------
def new_domain(spec: dict[str, Any]) -> dict[str, Any]:
    """Domain state with the accounts of section 2 of the brief; DCs add their role groups on join."""
    sid = spec['sid']
    lang = spec['language']
    accounts: dict[str, Any] = {}
    for rid, (kind, name) in d.DOMAIN_ACCOUNTS.items():
        entry: dict[str, Any] = {'name': name, 'type': kind, 'upn': None}
        if rid in d.USERS_WITH_UPN:
            entry['upn'] = '%s@%s' % (name, spec['dns_name'])
        if kind == 'group':
            entry['members'] = []
        accounts[_rid_sid(sid, rid)] = entry
    admin = _rid_sid(sid, d.RID_ADMINISTRATOR)
    for rid in (d.RID_DOMAIN_ADMINS, d.RID_SCHEMA_ADMINS, d.RID_ENTERPRISE_ADMINS):
        accounts[_rid_sid(sid, rid)]['members'] = [admin]

    def builtin(bsid: str, members: list[str]) -> dict[str, Any]:
        return {'name': l10n.well_known_name(lang, bsid), 'members': members}

    # Builtin groups of a domain live in CN=Builtin and are shared by all its DCs (IF 5).
    groups = {
        d.BUILTIN_ADMINISTRATORS: builtin(d.BUILTIN_ADMINISTRATORS, [
            admin, _rid_sid(sid, d.RID_DOMAIN_ADMINS), _rid_sid(sid, d.RID_ENTERPRISE_ADMINS)]),
        d.BUILTIN_USERS: builtin(d.BUILTIN_USERS, [
            d.INTERACTIVE, d.AUTHENTICATED_USERS, _rid_sid(sid, d.RID_DOMAIN_USERS)]),
        d.BUILTIN_GUESTS: builtin(d.BUILTIN_GUESTS, [
            _rid_sid(sid, d.RID_GUEST), _rid_sid(sid, d.RID_DOMAIN_GUESTS)]),
        d.BUILTIN_SERVER_OPERATORS: builtin(d.BUILTIN_SERVER_OPERATORS, []),
        # A monitoring account already reads event logs: removal must keep it.
        d.EVENT_LOG_READERS: builtin(d.EVENT_LOG_READERS, [_rid_sid(sid, d.RID_SVC_MONITOR)]),
        d.REMOTE_MANAGEMENT_USERS: builtin(d.REMOTE_MANAGEMENT_USERS, []),
    }
    domain = {
        'dns_name': spec['dns_name'],
        'netbios': spec['netbios'],
        'sid': sid,
        'dn': ','.join('DC=' + part for part in spec['dns_name'].split('.')),
        'language': lang,
        'accounts': accounts,
        'groups': groups,
        'ad_objects': {},
    }
    for name in dict.fromkeys(spec['computers'] + spec['ipam_servers']):
        ensure_computer(domain, name)
    for name in spec['ipam_servers']:
        _add_member(accounts[_rid_sid(sid, d.RID_IPAMUG)], ensure_computer(domain, name))
    for name in spec['domain_controllers']:
        add_domain_controller(domain, ensure_computer(domain, name))
    if spec['ad_integrated_dns']:
        ensure_dns_objects(domain)
    if spec['dhcp_on_dcs']:
        ensure_dhcp_groups(domain)
    return domain


def _add_member(group: dict[str, Any], sid: str) -> None:
    if sid not in group['members']:
        group['members'].append(sid)


def ensure_computer(domain: dict[str, Any], hostname: str) -> str:
    """SID of the computer account HOSTNAME$, created with the next free RID if missing."""
    sam = hostname.upper() + '$'
    for sid, account in domain['accounts'].items():
        if account['type'] == 'computer' and account['name'].upper() == sam:
            return sid
    rid = _next_rid(domain['sid'], domain['accounts'], d.RID_FIRST_COMPUTER)
    sid = _rid_sid(domain['sid'], rid)
    domain['accounts'][sid] = {'name': sam, 'type': 'computer', 'upn': None}
    return sid


def join_domain(domain: dict[str, Any], hostname: str, roles: set[str], is_dc: bool, read_only: bool = False) -> None:
    """What joining (and, for a DC, installing its roles) adds to the shared domain state."""
    sid = domain['sid']
    computer = ensure_computer(domain, hostname)
    if d.ROLE_IPAM in roles:
        _add_member(domain['accounts'][_rid_sid(sid, d.RID_IPAMUG)], computer)
    if not is_dc:
        return
    add_domain_controller(domain, computer, read_only)
    if d.ROLE_DHCP in roles:
        ensure_dhcp_groups(domain)
    if d.ROLE_DNS in roles:
        ensure_dns_objects(domain)


def add_domain_controller(domain: dict[str, Any], computer: str, read_only: bool = False) -> None:
    """The computer account becomes a DC: its primary group is Domain Controllers, or Read-only Domain
    Controllers for an RODC (a group created with the first RODC here, so domains without one look as before)."""
    if read_only:
        dcs = domain['accounts'].setdefault(_rid_sid(domain['sid'], d.RID_READ_ONLY_DOMAIN_CONTROLLERS), {
            'name': 'Read-only Domain Controllers', 'type': 'group', 'upn': None, 'members': []})
    else:
        dcs = domain['accounts'][_rid_sid(domain['sid'], d.RID_DOMAIN_CONTROLLERS)]
    _add_member(dcs, computer)
    dcs['members'].sort()    # the same list whichever DC is seeded first


def ensure_dhcp_groups(domain: dict[str, Any]) -> None:
    """DHCP on a DC: the DHCP groups are domain local groups in AD (IF 2), names localized."""
    sid, lang = domain['sid'], domain['language']
    domain['groups'].setdefault(_rid_sid(sid, d.RID_DHCP_USERS), {
        'name': l10n.text(lang, 'group.dhcp_users'),
        'members': [_rid_sid(sid, d.RID_HELPDESK)]})     # pre-existing member removal must keep
    domain['groups'].setdefault(_rid_sid(sid, d.RID_DHCP_ADMINISTRATORS), {
        'name': l10n.text(lang, 'group.dhcp_administrators'), 'members': []})


def ensure_dns_objects(domain: dict[str, Any]) -> None:
    """AD-integrated DNS (some DC runs DNS): DnsAdmins, DnsUpdateProxy, CN=MicrosoftDNS (IF 4)."""
    sid = domain['sid']
    dns_admins = _rid_sid(sid, d.RID_DNS_ADMINS)
    domain['groups'].setdefault(dns_admins, {'name': 'DnsAdmins', 'members': []})
    domain['accounts'].setdefault(_rid_sid(sid, d.RID_DNS_UPDATE_PROXY),
                                  {'name': 'DnsUpdateProxy', 'type': 'group', 'upn': None, 'members': []})
    domain['ad_objects'].setdefault(d.microsoft_dns_dn(domain['dn']),
                                    {'sddl': d.microsoft_dns_dacl(dns_admins)})


# --- host ------------------------------------------------------------------------------------
def _local_accounts(machine_sid: str, lang: str, standalone: bool) -> dict[str, Any]:
    accounts = {_rid_sid(machine_sid, rid): {'name': l10n.text(lang, key), 'type': 'user'}
                for rid, key in d.LOCAL_ACCOUNTS}
    if standalone:
        # No domain to hold the monitoring account: it is local on a standalone server.
        accounts[_rid_sid(machine_sid, d.RID_FIRST_LOCAL)] = {'name': 'svc-monitor', 'type': 'user'}
    return accounts


def _local_groups(host: dict[str, Any], domain: dict[str, Any] | None, roles: set[str]) -> dict[str, Any]:
    lang, msid = host['language'], host['machine_sid']
    dsid = domain['sid'] if domain else None

    def builtin(bsid: str, members: list[str]) -> dict[str, Any]:
        return {'name': l10n.well_known_name(lang, bsid), 'members': members}

    admins = [_rid_sid(msid, d.RID_ADMINISTRATOR)] + ([_rid_sid(dsid, d.RID_DOMAIN_ADMINS)] if dsid else [])
    users = [d.INTERACTIVE, d.AUTHENTICATED_USERS] + ([_rid_sid(dsid, d.RID_DOMAIN_USERS)] if dsid else [])
    monitor = (_rid_sid(dsid, d.RID_SVC_MONITOR) if dsid else
               next(s for s, a in host['accounts'].items() if a['name'] == 'svc-monitor'))
    groups: dict[str, Any] = {
        d.BUILTIN_ADMINISTRATORS: builtin(d.BUILTIN_ADMINISTRATORS, admins),
        d.BUILTIN_USERS: builtin(d.BUILTIN_USERS, users),
        d.BUILTIN_GUESTS: builtin(d.BUILTIN_GUESTS, [_rid_sid(msid, d.RID_GUEST)]),
        d.EVENT_LOG_READERS: builtin(d.EVENT_LOG_READERS, [monitor]),
        d.REMOTE_MANAGEMENT_USERS: builtin(d.REMOTE_MANAGEMENT_USERS, []),
    }

    def add_local(name: str, members: list[str]) -> None:
        rid = _next_rid(msid, list(host['accounts']) + list(groups), d.RID_FIRST_LOCAL)
        groups[_rid_sid(msid, rid)] = {'name': name, 'members': members}

    if d.ROLE_DHCP in roles:
        # Local groups on a member DHCP server (IF 2), machine SID + RID >= 1000, names localized.
        # Pre-existing members: a helpdesk group, and an orphaned SID of a deleted domain account.
        dhcp_users = [_rid_sid(dsid, d.RID_HELPDESK), _rid_sid(dsid, d.RID_ORPHANED)] if dsid else []
        add_local(l10n.text(lang, 'group.dhcp_users'), dhcp_users)
        add_local(l10n.text(lang, 'group.dhcp_administrators'), [])
    if d.ROLE_IPAM in roles:
        for name in d.IPAM_LOCAL_GROUPS:
            add_local(name, [])
    return groups


def _registry(roles: set[str], faults: Mapping[str, Any]) -> dict[str, Any]:
    registry: dict[str, Any] = {
        d.KEY_EVENTLOG + '\\Application': {},
        d.KEY_EVENTLOG + '\\System': {},
    }
    if d.ROLE_DNS in roles:
        corrupt = faults.get('corrupt_customsd')
        value = corrupt if isinstance(corrupt, str) else d.CUSTOMSD_CORRUPT if corrupt else d.CUSTOMSD_DNS_SERVER
        registry[d.KEY_DNS_SERVER_LOG] = {'CustomSD': value}
    if d.ROLE_DHCP in roles:
        registry[d.KEY_DHCP_PARAMETERS] = {
            'DhcpLogFilePath': '' if faults.get('empty_dhcp_log_path') else d.DHCP_LOG_PATH,
            'DatabasePath': d.DHCP_LOG_PATH,
            'BackupDatabasePath': d.DHCP_BACKUP_PATH,
        }
    return registry


def _shares(is_dc: bool, dns_name: str | None) -> tuple[dict[str, Any], list[str]]:
    # [I] The default ACLs of the admin shares are not in the references: Administrators Full.
    shares = {
        'ADMIN$': {'path': 'C:\\Windows', 'access': admin_share_access()},
        'C$': {'path': 'C:\\', 'access': admin_share_access()},
        'IPC$': {'path': '', 'access': []},
    }
    paths: list[str] = []
    if is_dc and dns_name:
        sysvol = d.SYSVOL_PATH
        scripts = '%s\\%s\\SCRIPTS' % (sysvol, dns_name)
        # [I] Everyone Read + Administrators Full, the usual DC share permissions.
        dc_access = [share_entry(d.EVERYONE, d.SHARE_READ)] + admin_share_access()
        shares['NETLOGON'] = {'path': scripts, 'access': [dict(a) for a in dc_access]}
        shares['SYSVOL'] = {'path': sysvol, 'access': [dict(a) for a in dc_access]}
        paths += ['C:\\Windows\\SYSVOL', sysvol, '%s\\%s' % (sysvol, dns_name), scripts]
    return shares, paths


def build_host(inventory_hostname: str, profile: dict[str, Any], domain: dict[str, Any] | None,
               faults: Mapping[str, Any]) -> dict[str, Any]:
    """Host state from a checked profile; joins (mutates) domain when the host is not standalone."""
    roles = set(profile['roles'])
    if faults.get('dhcp_role_absent'):
        roles.discard(d.ROLE_DHCP)
    is_dc = profile['kind'] == 'dc'
    if profile['kind'] == 'standalone':
        domain = None
    hostname, lang = profile['hostname'], profile['language']
    # A DC has no SAM of its own: its account domain is the domain.
    machine_sid = domain['sid'] if is_dc and domain else normalize_sid(profile['machine_sid'] or machine_sid_for(hostname))
    host: dict[str, Any] = {
        'name': inventory_hostname,
        'hostname': hostname,
        'fqdn': hostname.lower() + ('.' + domain['dns_name'] if domain else ''),
        'address': profile['address'],
        'domain': domain['dns_name'] if domain else None,
        'domain_role': profile['domain_role'],
        'language': lang,
        'machine_sid': machine_sid,
        'roles': sorted(roles),
        'accounts': {} if is_dc else _local_accounts(machine_sid, lang, domain is None),
        'groups': {},
        'services': {s.name: {'display_name': s.display_name, 'status': s.status, 'sddl': s.sddl}
                     for s in d.SERVICES if s.role is None or s.role in roles},
        'registry': _registry(roles, faults),
        'paths': list(d.BASE_PATHS),
        'shares': {},
        'firewall_rules': {
            r.name: {
                'display_name': l10n.firewall_display_name(lang, r.name, r.display_name),
                'group': r.group,
                'display_group': l10n.firewall_display_group(lang, r.group, r.display_group),
                'enabled': d.rule_enabled_by_default(r, is_dc),
            } for r in d.FIREWALL_RULES if r.role is None or r.role in roles},
        'faults': f.merge({}, faults),
        'counters': {'round_trips': 0, 'writes': 0},
    }
    if not is_dc:
        host['groups'] = _local_groups(host, domain, roles)
    if d.ROLE_DHCP in roles:
        host['paths'] += [d.DHCP_LOG_PATH, d.DHCP_BACKUP_PATH]
    host['shares'], extra_paths = _shares(is_dc, host['domain'])
    host['paths'] += extra_paths
    if domain is not None:
        join_domain(domain, hostname, roles, is_dc, bool(profile.get('read_only')))
    if profile.get('vmm'):
        host['vmm'] = new_vmm_server(host['fqdn'], domain['netbios'] if domain else None)
    if profile.get('read_only'):
        host['read_only_dc'] = True   # set only for an RODC, so other hosts' states are as before
    return host
