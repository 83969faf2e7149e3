# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group Policy and the domain's directory, as the IPAM server sees them: the GroupPolicy cmdlets
(Get-GPO, Get-GPPermission, Set-GPPermission, Remove-GPO), IpamServer's Invoke-IpamGpoProvisioning,
Domain.GetDomain and an LDAP DirectorySearcher.FindOne over the domain's accounts.

State (built by winsim.seed, shared with handlers/ipam_gpo_provisioning.py): GPOs live in the domain
state under ``gpos`` ({id: {name, permissions: {SID: level}, created_by}}); computer, user and group
accounts under ``accounts`` / ``groups``. [I] Only the domain the host is joined to can be contacted
(the lab has one domain per host).
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from .. import defaults as d
from .. import ipam_server as ipam
from ..context import Context
from ..handlers import ipam_gpo_provisioning as model
from . import ApiError, operation, write
from . import directory

# [unconfirmed text] Get-GPO's not-found error (FQID GpoWithNameNotFound / GpoWithIdNotFound, windows-api.md 15).
GPO_NAME_NOT_FOUND = 'A GPO with the display name "%s" could not be found in the %s domain.'
GPO_ID_NOT_FOUND = 'A GPO with ID {%s} could not be found in the %s domain.'


def _domain(ctx: Context, name: str | None) -> dict[str, Any]:
    """The domain a cmdlet's -Domain names (default: the computer's); not_found when it cannot be contacted."""
    wanted = (name or '').strip().rstrip('.')
    if ctx.domain is not None and (not wanted or wanted.casefold() == ctx.domain['dns_name'].casefold()):
        return ctx.domain
    raise ApiError('not_found', ipam.DOMAIN_NOT_FOUND)


def _guid(text: Any) -> str:
    """A GPO ID as System.Guid.ToString() writes it (lowercase, no braces); 'invalid' for anything else."""
    try:
        return str(uuid.UUID(str(text).strip().strip('{}')))
    except ValueError:
        raise ApiError('invalid', 'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).') from None


def _find_by_id(domain: dict[str, Any], gpo_id: Any) -> tuple[str, dict[str, Any]] | None:
    wanted = _guid(gpo_id)
    for key, gpo in (domain.get('gpos') or {}).items():
        if _guid(key) == wanted:
            return key, gpo
    return None


def _find_by_name(domain: dict[str, Any], name: str) -> tuple[str, dict[str, Any]] | None:
    # GPO display names compare without regard to case.
    for key, gpo in (domain.get('gpos') or {}).items():
        if gpo['name'].casefold() == name.casefold():
            return key, gpo
    return None


def _gpo_view(ctx: Context, domain: dict[str, Any], key: str, gpo: dict[str, Any]) -> dict[str, Any]:
    """What a Microsoft.GroupPolicy.Gpo object shows (Get-GPO help, example output)."""
    del ctx
    return {'Id': _guid(key), 'DisplayName': gpo['name'], 'DomainName': domain['dns_name'],
            'Owner': '%s\\Domain Admins' % domain['netbios'], 'GpoStatus': 'AllSettingsEnabled', 'Description': None}


@operation('Directory.GetDomain')
def get_domain(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Domain.GetDomain(new DirectoryContext(Domain, name)) and its GetDirectoryEntry(): the DNS name and DN;
    ActiveDirectoryObjectNotFoundException when no DC of the domain can be contacted.
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.domain.getdomain"""
    domain = _domain(ctx, str(args.get('name') or '') or '-')
    return {'name': domain['dns_name'], 'dn': domain['dn']}


_TERM = re.compile(r'\(([A-Za-z][A-Za-z0-9-]*)=([^()]*)\)')


def _attributes(domain: dict[str, Any], sid: str, account: dict[str, Any]) -> dict[str, list[Any]]:
    """The attributes of one account object, names lowercased as SearchResult.Properties stores them."""
    kind = account.get('type')
    attributes: dict[str, list[Any]] = {'objectsid': [sid], 'samaccountname': [account['name']]}
    if kind == 'computer':
        attributes['objectcategory'] = ['CN=Computer,CN=Schema,CN=Configuration,%s' % domain['dn']]
        attributes['dnshostname'] = ['%s.%s' % (account['name'].rstrip('$').lower(), domain['dns_name'])]
    elif kind == 'user':
        attributes['objectcategory'] = ['CN=Person,CN=Schema,CN=Configuration,%s' % domain['dn']]
    else:
        attributes['objectcategory'] = ['CN=Group,CN=Schema,CN=Configuration,%s' % domain['dn']]
    return attributes


def _matches(attributes: dict[str, list[Any]], terms: list[tuple[str, str]]) -> bool:
    for name, value in terms:
        values = attributes.get(name.lower()) or []
        if name.lower() == 'objectcategory':
            # objectCategory=computer matches the category's DN (AD expands the short form).
            values = [str(v).split(',', 1)[0][3:] for v in values] + values
        if not any(str(v).casefold() == value.casefold() for v in values):
            return False
    return True


@operation('Directory.FindOne')
def find_one(ctx: Context, args: dict[str, Any]) -> dict[str, Any] | None:
    """new DirectorySearcher(new DirectoryEntry(path), filter, properties).FindOne(): the first match's
    properties {lowercased name: [values]} (objectsid as a SID string), or None when nothing matches.
    [I] Filters of equality terms joined by & only; the accounts of the domain are the directory.
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directorysearcher.findone"""
    path = str(args.get('path') or '')
    match = re.match(r'^LDAP://([^/]+)(?:/(.*))?$', path, re.IGNORECASE)
    if not match:
        raise ApiError('invalid', 'Unknown error (0x80005000)', hresult=-2147463168)
    domain = _domain(ctx, match.group(1))
    root = (match.group(2) or domain['dn'])
    located = directory.locate_dc(ctx, domain)
    if located is None:
        # No DC answers the locator: the bind fails as ADsOpenObject fails it, before any anonymous refusal.
        raise ApiError('not_found', directory.NO_SUCH_DOMAIN[1], hresult=directory.NO_SUCH_DOMAIN[0] - (1 << 32))
    directory.refuse_anonymous(ctx, located, root)
    if not root.casefold().endswith(domain['dn'].casefold()):
        raise ApiError('not_found', 'There is no such object on the server.', hresult=-2147016656)
    text = str(args.get('filter') or '')
    terms = _TERM.findall(text)
    if not terms or not (text.startswith('(&') or len(terms) == 1):
        raise ApiError('invalid', 'winsim models LDAP filters of equality terms joined by & only, not %r' % text)
    wanted = [str(p).lower() for p in (args.get('properties') or [])]
    for sid, account in domain['accounts'].items():
        attributes = _attributes(domain, sid, account)
        if _matches(attributes, terms):
            attributes['adspath'] = ['LDAP://%s/CN=%s,%s' % (domain['dns_name'], account['name'].rstrip('$'), root)]
            return {name: values for name, values in attributes.items() if not wanted or name in wanted or name == 'adspath'}
    return None


@operation('GroupPolicy.GetGpo')
def get_gpo(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-GPO -Name | -Guid | -All [-Domain]: the GPOs; not_found (GpoWithNameNotFound / GpoWithIdNotFound).
    https://learn.microsoft.com/powershell/module/grouppolicy/get-gpo"""
    domain = _domain(ctx, args.get('domain'))
    if args.get('all'):
        by_name = sorted((domain.get('gpos') or {}).items(), key=lambda item: item[1]['name'].casefold())
        return [_gpo_view(ctx, domain, key, gpo) for key, gpo in by_name]
    if args.get('id'):
        found = _find_by_id(domain, args['id'])
        if found is None:
            raise ApiError('not_found', GPO_ID_NOT_FOUND % (_guid(args['id']), domain['dns_name']),
                           error_id='GpoWithIdNotFound')
    else:
        name = str(args.get('name') or '')
        found = _find_by_name(domain, name)
        if found is None:
            raise ApiError('not_found', GPO_NAME_NOT_FOUND % (name, domain['dns_name']), error_id='GpoWithNameNotFound',
                           terminating=bool(ctx.faults.get('gpo_not_found_terminating')))
    return [_gpo_view(ctx, domain, found[0], found[1])]


def _find(domain: dict[str, Any], args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if args.get('id'):
        found = _find_by_id(domain, args['id'])
        if found is None:
            raise ApiError('not_found', GPO_ID_NOT_FOUND % (_guid(args['id']), domain['dns_name']),
                           error_id='GpoWithIdNotFound')
        return found
    name = str(args.get('name') or '')
    found = _find_by_name(domain, name)
    if found is None:
        raise ApiError('not_found', GPO_NAME_NOT_FOUND % (name, domain['dns_name']), error_id='GpoWithNameNotFound')
    return found


@operation('GroupPolicy.GetPermissions')
def get_permissions(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-GPPermission -Guid|-Name -All: every trustee's GPPermission {Trustee {Name, Domain, Sid, SidType},
    Permission, Inherited, Denied}. https://learn.microsoft.com/powershell/module/grouppolicy/get-gppermission"""
    domain = _domain(ctx, args.get('domain'))
    _key, gpo = _find(domain, args)
    entries = []
    for sid, level in gpo['permissions'].items():
        account = ctx.name_of(sid)
        trustee_domain, _sep, trustee_name = (account or sid).rpartition('\\')
        entries.append({'Trustee': {'Name': trustee_name, 'Domain': trustee_domain or None, 'Sid': sid,
                                    'SidType': model.trustee_type(ctx, sid)},
                        'Permission': level, 'Inherited': False, 'Denied': False})
    return entries


@operation('GroupPolicy.SetPermission')
def set_permission(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Set-GPPermission -PermissionLevel -TargetName -TargetType [-Replace]: without -Replace a level lower
    than the trustee's current one is not applied; -Replace removes the current level first (None: the
    entry goes). -TargetName is a name of the domain (computers without their '$', DOMAIN\\ optional).
    https://learn.microsoft.com/powershell/module/grouppolicy/set-gppermission"""
    domain = _domain(ctx, args.get('domain'))
    key, gpo = _find(domain, args)
    target = str(args.get('target') or '')
    if '\\' in target:
        prefix, _sep, target = target.partition('\\')
        if prefix.casefold() not in (domain['netbios'].casefold(), domain['dns_name'].casefold()):
            raise ApiError('invalid', 'The trustee %s\\%s could not be found.' % (prefix, target))
    sid = model.resolve_in_domain(ctx, target, str(args.get('target_type') or ''))
    if sid is None:
        raise ApiError('invalid', 'The trustee %s could not be found.' % target)
    level = str(args.get('level') or '')
    if level not in model.LEVEL_ORDER and level != model.NONE:
        raise ApiError('invalid', 'winsim models GPO permission levels %s, not %s' % (', '.join(model.LEVEL_ORDER), level))
    permissions = gpo['permissions']
    current = permissions.get(sid)
    if args.get('replace'):
        if level == model.NONE:
            if current is not None:
                write(ctx, 'GPO %s permission %s' % (gpo['name'], sid))
                del permissions[sid]
        elif current != level:
            write(ctx, 'GPO %s permission %s' % (gpo['name'], sid))
            permissions[sid] = level
    elif level != model.NONE and (current is None or model.LEVEL_ORDER.get(current, 0) < model.LEVEL_ORDER[level]):
        write(ctx, 'GPO %s permission %s' % (gpo['name'], sid))
        permissions[sid] = level
    return _gpo_view(ctx, domain, key, gpo)


@operation('GroupPolicy.RemoveGpo')
def remove_gpo(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-GPO -Guid|-Name [-Domain]: deletes the GPO (what its scripts wrote on computers stays).
    https://learn.microsoft.com/powershell/module/grouppolicy/remove-gpo"""
    domain = _domain(ctx, args.get('domain'))
    key, gpo = _find(domain, args)
    write(ctx, 'Remove-GPO %s' % gpo['name'])
    del domain['gpos'][key]


@operation('IpamGpo.InvokeProvisioning')
def invoke_gpo_provisioning(ctx: Context, args: dict[str, Any]) -> None:
    """Invoke-IpamGpoProvisioning -Domain -GpoPrefixName [-IpamServerFqdn] [-DelegatedGpoUser] [-DelegatedGpoGroup]
    -Force (ipam-facts.md 7): refuses when any of <prefix>_DHCP, _DNS, _DC_NPS exists; otherwise puts the IPAM
    server's computer account into the universal group IPAMUG, creates the three GPOs with GPMC's default
    permissions less Authenticated Users, gives IPAMUG and each delegated account GpoEditDeleteModifySecurity,
    and adds IPAMUG's ACE to CN=MicrosoftDNS when that object exists. Errors roll back (nothing is written).
    https://learn.microsoft.com/powershell/module/ipamserver/invoke-ipamgpoprovisioning"""
    if not ipam.has_ipam(ctx.host):
        raise ApiError('not_found', ipam.IMPORT_ERROR)
    domain = _domain(ctx, args.get('domain'))
    prefix = str(args.get('prefix') or '')
    for suffix in model.SUFFIXES:
        name = '%s_%s' % (prefix, suffix)
        if _find_by_name(domain, name):
            raise ApiError('exists', 'The GPO %s already exists in the domain. Specify a different GPO prefix name.' % name)
    delegated = []
    for option, kind in (('users', 'user'), ('groups', 'group')):
        for text in args.get(option) or []:
            sid = ctx.resolve(str(text))['sid']
            if sid is None:
                raise ApiError('invalid', 'The %s %s could not be found. The changes have been rolled back.' % (kind, text))
            delegated.append(sid)
    fqdn = str(args.get('ipam_server_fqdn') or ctx.host['fqdn'])
    computer = model.computer_by_fqdn(ctx, fqdn)
    if computer is None:
        raise ApiError('invalid', 'The IPAM server %s was not found in Active Directory. The changes have been rolled '
                       'back.' % fqdn)
    ipamug = '%s-%d' % (domain['sid'], d.RID_IPAMUG)
    account = domain['accounts'].get(ipamug)
    if account is None or computer[0] not in (account.get('members') or []):
        write(ctx, 'IPAMUG member %s' % computer[1]['name'])
        account = domain['accounts'].setdefault(ipamug, {'name': 'IPAMUG', 'type': 'group', 'upn': None, 'members': []})
        account.setdefault('members', []).append(computer[0])
    for suffix in model.SUFFIXES:
        name = '%s_%s' % (prefix, suffix)
        write(ctx, 'New-GPO %s' % name)
        permissions = model.default_permissions(ctx)
        del permissions[d.AUTHENTICATED_USERS]          # Set-GPPermission ... -PermissionLevel None -Replace
        permissions[ipamug] = model.EDIT_ALL
        for sid in delegated:
            permissions[sid] = model.EDIT_ALL
        domain.setdefault('gpos', {})[model.new_gpo_id(ctx, name)] = {
            'name': name, 'permissions': permissions, 'created_by': 'Invoke-IpamGpoProvisioning'}
    dns_object = domain['ad_objects'].get(d.microsoft_dns_dn(domain['dn']))
    if dns_object is not None and (model.DNS_ACE % ipamug).upper() not in dns_object['sddl'].upper():
        write(ctx, 'CN=MicrosoftDNS DACL')
        model.insert_dns_ace(dns_object, ipamug)


@operation('IpamGpo.FeatureInstalled')
def feature_installed(ctx: Context, args: dict[str, Any]) -> bool:
    """Whether the IpamServer module is on this host (the IPAM Server feature is installed)."""
    del args
    return ipam.has_ipam(ctx.host)


@operation('IpamGpo.Configuration')
def configuration(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-IpamConfiguration: Version, Port, ProvisioningMethod (Manual / Automatic), GpoPrefix.
    [I] The IPAM server state keeps no provisioning method: a server provisioned for this collection's
    direct method reports Manual; tests may set host['ipam']['configuration'].
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamconfiguration"""
    del args
    if not ipam.has_ipam(ctx.host):
        raise ApiError('not_found', ipam.IMPORT_ERROR)
    configured = (ctx.host.get('ipam') or {}).get('configuration') or {}
    return {'Version': '10.0.20348.1', 'Port': 48885, 'ProvisioningMethod': configured.get('provisioning_method', 'Manual'),
            'GpoPrefix': configured.get('gpo_prefix')}
