# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_gpo_provisioning: model of plugins/modules/ipam_gpo_provisioning.ps1.

GPOs live in the domain state under ``gpos`` ({GUID: {name, permissions: {SID: level}, created_by}}),
created on first use. What Windows does, as modelled here (IF = ipam-facts.md section 7):
- Invoke-IpamGpoProvisioning (IpamServer module, so only on a host with the IPAM feature) fails when
  any of <prefix>_DHCP, <prefix>_DNS, <prefix>_DC_NPS exists; otherwise it creates the three GPOs with
  GPMC's default permissions, sets Authenticated Users to None (the security filter list starts
  empty), gives IPAMUG and every delegated user or group GpoEditDeleteModifySecurity, makes sure the
  universal group IPAMUG exists and holds the IPAM server's computer account, and adds IPAMUG's
  ReadProperty|GenericExecute ACE (all inheritance) to CN=MicrosoftDNS,CN=System when that object
  exists. klist purge has nothing to model. [I] GPMC's defaults: SYSTEM and Domain/Enterprise Admins
  edit, delete and modify security (Get-GPPermission shows the admins as GpoCustom), Enterprise
  Domain Controllers read, Authenticated Users apply.
- Set-GPPermission -PermissionLevel <level> sets a trustee's entry; without -Replace it never lowers
  an existing higher level; None (with -Replace) removes the entry.
- Remove-GPO deletes the GPO; what its startup script already wrote on servers stays (tattooing).
- Only the domain of the IPAM server itself can be contacted ([I] the lab has one domain).
The record of GPOs this collection created is the REG_MULTI_SZ GposCreated (GPO IDs) on the IPAM server.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from .. import defaults as d
from .. import ipam_server as ipam
from ..context import Context
from ..model import record_values, set_record_entries
from . import handler

MODULE = 'ipam.provisioning.ipam_gpo_provisioning'
OPTIONS = frozenset({'mode', 'domain', 'gpo_prefix', 'token', 'principals', 'servers', 'provision', 'ipam_server_fqdn',
                     'delegated_gpo_users', 'delegated_gpo_groups', 'permissions', 'delete', 'record_created'})
SUFFIXES = ('DHCP', 'DNS', 'DC_NPS')
RECORD = 'GposCreated'
APPLY, EDIT_ALL, CUSTOM, READ, NONE = 'GpoApply', 'GpoEditDeleteModifySecurity', 'GpoCustom', 'GpoRead', 'None'
# Set-GPPermission's order of levels (a higher level is never lowered without -Replace).
LEVEL_ORDER = {READ: 1, APPLY: 2, 'GpoEdit': 3, EDIT_ALL: 4, CUSTOM: 4}
# The ACE Invoke-IpamGpoProvisioning adds for IPAMUG (IF 4: ReadProperty | GenericExecute, inheritance All).
DNS_ACE = '(A;CI;RPLCRC;;;%s)'
ALREADY_EXISTS = ('Invoke-IpamGpoProvisioning -Domain %s -GpoPrefixName %s failed: The GPO %s already exists in the '
                  'domain. Specify a different GPO prefix name.')
NOT_RECOGNIZED = ("The term 'Invoke-IpamGpoProvisioning' is not recognized as the name of a cmdlet, function, script "
                  'file, or operable program.')
# Domain.GetDomain's ActiveDirectoryObjectNotFoundException as PowerShell reports a failed .NET method call.
GET_DOMAIN_FAILED = 'Exception calling "GetDomain" with "1" argument(s): "%s"' % ipam.DOMAIN_NOT_FOUND
# What a concurrent administrator does (concurrent_change): creates <prefix>_DNS by hand, or edits filtering.
FOREIGN_TRUSTEE = d.AUTHENTICATED_USERS


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    for option in ('mode', 'domain', 'gpo_prefix'):
        if args[option] is None:
            ctx.fail('missing required arguments: %s' % option)
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')
    for entry in args['permissions'] or []:
        missing = [k for k in ('gpo', 'target', 'target_type', 'level') if not entry.get(k)]
        if missing:
            ctx.fail('missing required arguments: %s found in permissions' % ', '.join(missing))
        if entry['level'] not in (APPLY, EDIT_ALL, NONE):
            ctx.fail('value of level must be one of: GpoApply, GpoEditDeleteModifySecurity, None. Got no match for: %s '
                     'found in permissions' % entry['level'])


def gpo_store(ctx: Context) -> dict[str, Any]:
    return ctx.domain.setdefault('gpos', {})


def find_gpo(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    """Get-GPO -Name: display names compare case-insensitively."""
    for gpo_id, gpo in gpo_store(ctx).items():
        if gpo['name'].casefold() == name.casefold():
            return gpo_id, gpo
    return None


def new_gpo_id(ctx: Context, name: str) -> str:
    count = len(gpo_store(ctx)) + 1
    # As Get-GPO's Id (a System.Guid) prints: lowercase, no braces.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'winsim-gpo:%s:%s:%d' % (ctx.domain['dns_name'], name, count)))


def domain_sid(ctx: Context, rid: int) -> str:
    return '%s-%d' % (ctx.domain['sid'], rid)


def trustee_type(ctx: Context, sid: str) -> str:
    """Trustee.SidType as Get-GPPermission reports it."""
    if ctx.domain and sid.startswith(ctx.domain['sid'] + '-'):
        account = ctx.domain['accounts'].get(sid)
        if account:
            return {'computer': 'Computer', 'user': 'User'}.get(account['type'], 'Group')
        return 'Group'
    return 'WellKnownGroup'


def pending_entry(args: dict[str, Any]) -> str:
    """Recorded before Invoke-IpamGpoProvisioning, replaced by the GPOs' IDs after (the module's write-ahead)."""
    return 'pending:%s/%s' % (args['domain'].lower(), args['gpo_prefix'].lower())


def set_ids(ctx: Context, prefix: str) -> list[str]:
    """The module's Get-SetId: IDs of the prefix's GPOs that exist, in suffix order."""
    found = [find_gpo(ctx, '%s_%s' % (prefix, suffix)) for suffix in SUFFIXES]
    return [f[0] for f in found if f is not None]


def gpo_info(ctx: Context, name: str, suffix: str, pending: bool = False) -> dict[str, Any]:
    found = find_gpo(ctx, name)
    info: dict[str, Any] = {'name': name, 'suffix': suffix, 'exists': found is not None, 'id': None, 'permissions': [],
                            'created_by_collection': False}
    if found is None:
        return info
    gpo_id, gpo = found
    info.update(id=gpo_id, created_by_collection=pending or gpo_id in record_values(ctx.host, RECORD), permissions=[
        {'sid': sid, 'name': ctx.name_of(sid), 'type': trustee_type(ctx, sid), 'level': level}
        for sid, level in gpo['permissions'].items()])
    return info


def token_of(gpos: list[dict[str, Any]]) -> str:
    """Same string as Get-GpoToken in the .ps1."""
    parts = []
    for gpo in gpos:
        if not gpo['exists']:
            parts.append('%s=absent' % gpo['name'])
            continue
        entries = sorted('%s=%s' % (p['sid'], p['level']) for p in gpo['permissions'])
        parts.append('%s=%s:%s' % (gpo['name'], gpo['id'], ','.join(entries)))
    return ';'.join(parts)


def ipam_configuration(ctx: Context) -> dict[str, Any]:
    """Get-IpamConfiguration: {installed, provisioning_method, gpo_prefix, error}.

    [I] The IPAM server model keeps no provisioning method yet; a server provisioned for this
    collection's direct method reports Manual. Tests may set host['ipam']['configuration'].
    """
    if not ipam.has_ipam(ctx.host):
        return {'installed': False, 'provisioning_method': None, 'gpo_prefix': None, 'error': ipam.IMPORT_ERROR}
    configuration = (ctx.host.get('ipam') or {}).get('configuration') or {}
    return {'installed': True, 'provisioning_method': configuration.get('provisioning_method', 'Manual'),
            'gpo_prefix': configuration.get('gpo_prefix'), 'error': None}


def domain_info(ctx: Context, name: str) -> dict[str, Any]:
    if ctx.domain is not None and name.strip().rstrip('.').casefold() == ctx.domain['dns_name'].casefold():
        return {'name': ctx.domain['dns_name'], 'exists': True, 'dn': ctx.domain['dn'], 'error': None}
    return {'name': name, 'exists': False, 'dn': None, 'error': GET_DOMAIN_FAILED}


def computer_by_fqdn(ctx: Context, fqdn: str) -> tuple[str, dict[str, Any]] | None:
    """The computer account whose dNSHostName is fqdn ([I] <name>.<domain> for every lab computer)."""
    host, _sep, suffix = fqdn.strip().rstrip('.').partition('.')
    if not host or suffix.casefold() != ctx.domain['dns_name'].casefold():
        return None
    for sid, account in ctx.domain['accounts'].items():
        if account['type'] == 'computer' and account['name'].casefold() == (host + '$').casefold():
            return sid, account
    return None


def resolve_servers(ctx: Context, fqdns: list[str]) -> list[dict[str, Any]]:
    resolved = []
    for text in fqdns:
        entry: dict[str, Any] = {'input': text, 'sid': None, 'name': None, 'sam': None, 'error': None}
        found = computer_by_fqdn(ctx, text)
        if found:
            entry.update(sid=found[0], sam=found[1]['name'], name=ctx.name_of(found[0]))
        else:
            entry['error'] = 'No computer account with dNSHostName %s in domain %s.' % (text, ctx.domain['dns_name'])
        resolved.append(entry)
    return resolved


def provisioning_state(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    pending = pending_entry(args) in record_values(ctx.host, RECORD)
    gpos = [gpo_info(ctx, '%s_%s' % (args['gpo_prefix'], suffix), suffix, pending) for suffix in SUFFIXES]
    return {'gpos': gpos, 'token': token_of(gpos), 'record_pending': pending}


def read_result(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    domain = domain_info(ctx, args['domain'])
    result: dict[str, Any] = {'host': ctx.host_info(), 'ipam': ipam_configuration(ctx), 'domain': domain, 'gpos': [],
                              'token': 'unavailable'}
    if domain['exists']:
        result.update(provisioning_state(ctx, args))
    return result


# --- changes ---------------------------------------------------------------------------------------
def default_permissions(ctx: Context) -> dict[str, str]:
    return {d.LOCAL_SYSTEM: EDIT_ALL, domain_sid(ctx, d.RID_DOMAIN_ADMINS): CUSTOM,
            domain_sid(ctx, d.RID_ENTERPRISE_ADMINS): CUSTOM, d.ENTERPRISE_DCS: READ, d.AUTHENTICATED_USERS: APPLY}


def add_dns_ace(ctx: Context, ipamug: str) -> None:
    """IPAMUG's ACE on CN=MicrosoftDNS, before the first inherited ACE, unless the same ACE is there."""
    obj = ctx.domain['ad_objects'].get(d.microsoft_dns_dn(ctx.domain['dn']))
    if obj is None:
        return   # PSM1 only warns: no AD-integrated DNS in this domain
    if (DNS_ACE % ipamug).upper() in obj['sddl'].upper():
        return
    ctx.write('CN=MicrosoftDNS DACL')
    insert_dns_ace(obj, ipamug)


def insert_dns_ace(obj: dict[str, Any], ipamug: str) -> None:
    """Puts IPAMUG's ACE into the object's SDDL before the first inherited ACE (canonical ACL order)."""
    ace = DNS_ACE % ipamug
    aces = list(re.finditer(r'\([^()]*\)', obj['sddl']))
    inherited = next((m for m in aces if 'ID' in m.group(0).split(';')[1]), None)
    at = inherited.start() if inherited else (aces[-1].end() if aces else len(obj['sddl']))
    obj['sddl'] = obj['sddl'][:at] + ace + obj['sddl'][at:]


def resolve_in_domain(ctx: Context, name: str, wanted_type: str) -> str | None:
    """A Set-GPPermission -TargetName: a sAMAccountName of the domain (computers without their '$')."""
    for sid, account in ctx.domain['accounts'].items():
        if wanted_type == 'Computer' and account['type'] == 'computer' and account['name'].casefold() == (name + '$').casefold():
            return sid
        if wanted_type != 'Computer' and account['type'] != 'computer' and account['name'].casefold() == name.casefold():
            return sid
    if wanted_type == 'Group':
        for sid, group in ctx.domain['groups'].items():
            if group['name'].casefold() == name.casefold():
                return sid
    return None


def invoke_provisioning(ctx: Context, args: dict[str, Any]) -> None:
    prefix, domain_name = args['gpo_prefix'], args['domain']
    if not ipam.has_ipam(ctx.host):
        ctx.fail(NOT_RECOGNIZED, error='not_found')
    for suffix in SUFFIXES:
        name = '%s_%s' % (prefix, suffix)
        if find_gpo(ctx, name):
            ctx.fail(ALREADY_EXISTS % (domain_name, prefix, name), error='invalid_state')
    delegated = []
    for option, kind in (('delegated_gpo_users', 'User'), ('delegated_gpo_groups', 'Group')):
        for text in args[option] or []:
            sid = ctx.resolve(text)['sid']
            if sid is None:
                ctx.fail('Invoke-IpamGpoProvisioning -Domain %s -GpoPrefixName %s failed: The %s %s could not be found. '
                         'The changes have been rolled back.' % (domain_name, prefix, kind.lower(), text),
                         error='invalid_state')
            delegated.append(sid)
    ipam_fqdn = args['ipam_server_fqdn'] or ctx.host['fqdn']
    computer = computer_by_fqdn(ctx, ipam_fqdn)
    if computer is None:
        ctx.fail('Invoke-IpamGpoProvisioning -Domain %s -GpoPrefixName %s failed: The IPAM server %s was not found in '
                 'Active Directory. The changes have been rolled back.' % (domain_name, prefix, ipam_fqdn),
                 error='invalid_state')
    ipamug = domain_sid(ctx, d.RID_IPAMUG)
    account = ctx.domain['accounts'].setdefault(ipamug, {'name': 'IPAMUG', 'type': 'group', 'upn': None, 'members': []})
    if computer[0] not in account.setdefault('members', []):
        ctx.write('IPAMUG member %s' % computer[1]['name'])
        account['members'].append(computer[0])
    for suffix in SUFFIXES:
        name = '%s_%s' % (prefix, suffix)
        ctx.write('New-GPO %s' % name)
        permissions = default_permissions(ctx)
        del permissions[d.AUTHENTICATED_USERS]          # Set-GPPermission ... -PermissionLevel None
        permissions[ipamug] = EDIT_ALL
        for sid in delegated:
            permissions[sid] = EDIT_ALL
        gpo_store(ctx)[new_gpo_id(ctx, name)] = {'name': name, 'permissions': permissions,
                                                 'created_by': 'Invoke-IpamGpoProvisioning'}
    add_dns_ace(ctx, ipamug)


def set_permission(ctx: Context, domain_name: str, entry: dict[str, Any]) -> None:
    found = find_gpo(ctx, entry['gpo'])
    prefix = 'Set-GPPermission -Name %s -TargetName %s -PermissionLevel %s failed: ' % (
        entry['gpo'], entry['target'], entry['level'])
    if found is None:
        ctx.fail(prefix + 'The GPO %s was not found in the %s domain.' % (entry['gpo'], domain_name), error='not_found')
    sid = resolve_in_domain(ctx, entry['target'], entry['target_type'])
    if sid is None:
        ctx.fail(prefix + 'The trustee %s could not be found.' % entry['target'], error='invalid_state')
    permissions = found[1]['permissions']
    current = permissions.get(sid)
    if entry['level'] == NONE:
        if current is not None:
            ctx.write('GPO %s permission %s' % (entry['gpo'], sid))
            del permissions[sid]
    elif current is None or LEVEL_ORDER.get(current, 0) < LEVEL_ORDER[entry['level']]:
        ctx.write('GPO %s permission %s' % (entry['gpo'], sid))
        permissions[sid] = entry['level']


def change_gpos(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: someone creates <prefix>_DNS by hand, or (when it exists) edits its filtering."""
    if ctx.domain is None or not args.get('gpo_prefix'):
        return
    name = '%s_DNS' % args['gpo_prefix']
    found = find_gpo(ctx, name)
    if found is None:
        gpo_store(ctx)[new_gpo_id(ctx, name)] = {'name': name, 'permissions': default_permissions(ctx),
                                                 'created_by': 'New-GPO'}
    else:
        found[1]['permissions'][FOREIGN_TRUSTEE] = APPLY


@handler(MODULE, options=OPTIONS, concurrent_change=change_gpos)
def ipam_gpo_provisioning(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    result = read_result(ctx, args)
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        result['servers'] = []
        result['ipam_like_gpos'] = []
        if result['domain']['exists']:
            result['servers'] = resolve_servers(ctx, args['servers'] or [])
            result['ipam_like_gpos'] = sorted((g['name'] for g in gpo_store(ctx).values()
                                               if g['name'].upper().endswith(('_DHCP', '_DNS', '_DC_NPS'))),
                                              key=str.casefold)
        return result

    domain_name = args['domain']
    if not result['domain']['exists']:
        ctx.fail("Domain '%s' does not exist or cannot be contacted: %s" % (domain_name, GET_DOMAIN_FAILED),
                 error='not_found')
    if args['token'] != result['token']:
        ctx.fail('The GPOs %s_DHCP, %s_DNS and %s_DC_NPS changed between read and apply; nothing was written. Run the '
                 'task again to plan against the new state.' % ((args['gpo_prefix'],) * 3), error='changed_since_read')
    if ctx.check_mode:
        result['changed'] = True
        return result
    # Deletions first, as the module makes them (a partial set a stopped run created goes before Invoke).
    for gpo_id in args['delete'] or []:
        if gpo_id not in gpo_store(ctx):
            ctx.fail('Remove-GPO -Guid %s failed: The GPO was not found in the %s domain.' % (gpo_id, domain_name),
                     error='not_found')
        ctx.write('Remove-GPO %s' % gpo_id)
        del gpo_store(ctx)[gpo_id]
    if args['record_created'] is False and (args['delete'] or result.get('record_pending')):
        set_record_entries(ctx, RECORD, list(args['delete'] or []), False, (pending_entry(args),))
    if args['provision']:
        if args['record_created'] is True:
            set_record_entries(ctx, RECORD, [pending_entry(args)], True)
        invoke_provisioning(ctx, args)
        if args['record_created'] is True:
            set_record_entries(ctx, RECORD, set_ids(ctx, args['gpo_prefix']), True, (pending_entry(args),))
    for entry in args['permissions'] or []:
        set_permission(ctx, domain_name, entry)
    result.update(provisioning_state(ctx, args))
    result['changed'] = True
    return result
