# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IPAM server (the IpamServer module's CIM provider, Root\\Microsoft\\IPAM): server inventory,
discovery domains, custom fields and address utilization thresholds.

The state and what IPAM does with it are modelled once, in winsim/ipam_server.py; these operations
are the cmdlets' view of it (https://learn.microsoft.com/powershell/module/ipamserver/). Names of
servers, domains, custom fields and values compare without regard to case, as IPAM's database does.
IPAM's own error texts and ids are not published (windows-api.md section 14, "Errors"): the messages
here are the simulator's, shared with the Python models of the modules; the kinds follow the CDXML
rules of windows-api.md section 1.4 (not_found -> ObjectNotFound, exists -> ResourceExists,
invalid -> InvalidArgument).
"""
from __future__ import annotations

from typing import Any

from .. import contracts
from .. import ipam_server as ipam_model
from ..context import Context
from . import OPERATIONS, ApiError, operation, write

# Set-IpamAddressUtilizationThreshold refusing values (see the operation).
THRESHOLD_REFUSED = ('the thresholds must be percentages (0-100) and the overutilization threshold must not be lower '
                     'than the underutilization threshold (got %d and %d).')
SWITCHES = (('DiscoverDc', 'discover_dc'), ('DiscoverDns', 'discover_dns'), ('DiscoverDhcp', 'discover_dhcp'))


def _ipam(ctx: Context) -> dict[str, Any]:
    if not ipam_model.has_ipam(ctx.host):
        # The fake IpamServer module does not load here, so no cmdlet can ask.
        raise ApiError('winsim', 'winsim: an IpamServer cmdlet ran on %s, which has no IPAM Server feature'
                       % ctx.host.get('name'))
    return ipam_model.ipam_state(ctx)


# --- server inventory -----------------------------------------------------------------------------
def _server_key(ipam: dict[str, Any], name: str) -> str:
    key = ipam_model.find_key(ipam['servers'], name)
    if key is None:
        raise ApiError('not_found', 'the server %s is not in the IPAM server inventory.' % name)
    return key


@operation('Ipam.GetServerInventory')
def get_server_inventory(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-IpamServerInventory: every server (MSFT_IPAM_ServerInventory), by name. Each call is one
    read of the inventory: time passes for a running ServerDiscovery (ipam_server.observe).
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamserverinventory
    https://learn.microsoft.com/previous-versions/windows/desktop/ipamserverpsprov/msft-ipam-serverinventory"""
    del args
    ipam = _ipam(ctx)
    ipam_model.observe(ctx, ipam)
    hosts = ipam_model.lab_hosts(ctx)
    # The object the ipam_inventory contract copies, plus Name (the key property, same value as ServerName).
    return [dict(contracts.inventory_record(name, server, hosts), Name=name)
            for name, server in sorted(ipam['servers'].items())]


@operation('Ipam.AddServerInventory')
def add_server_inventory(ctx: Context, args: dict[str, Any]) -> None:
    """Add-IpamServerInventory -Name -ServerType [-ManageabilityStatus]: a new server, every access
    status Not checked until the next ServerDiscovery; an error for a server already there.
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamserverinventory"""
    ipam = _ipam(ctx)
    name = str(args['name'])
    if ipam_model.find_key(ipam['servers'], name) is not None:
        raise ApiError('exists', 'the server %s is already in the IPAM server inventory.' % name)
    write(ctx, 'IPAM server inventory %s' % name)
    ipam['servers'][name.lower()] = ipam_model.new_server(
        list(args['server_types']), ipam_model.server_domain(ctx, name), args.get('manageability') or 'Unspecified')


@operation('Ipam.SetServerInventory')
def set_server_inventory(ctx: Context, args: dict[str, Any]) -> None:
    """Set-IpamServerInventory -Name [-ServerType] [-ManageabilityStatus]: new types reset the
    server's access status to Not checked, Unmanaged purges it; an error for a server not there.
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamserverinventory"""
    ipam = _ipam(ctx)
    key = _server_key(ipam, str(args['name']))
    server = ipam['servers'][key]
    types, manageability = args.get('server_types'), args.get('manageability')
    new_types = types is not None and ipam_model.order_roles(types) != server['server_types']
    new_manageability = manageability is not None and manageability != server['manageability']
    if not (new_types or new_manageability):
        return
    write(ctx, 'IPAM server inventory %s' % key)
    if new_types:
        ipam_model.set_server_types(server, types)
    if new_manageability:
        ipam_model.set_manageability(server, manageability)


@operation('Ipam.RemoveServerInventory')
def remove_server_inventory(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-IpamServerInventory -Name: the server and its data leave IPAM's database.
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamserverinventory"""
    ipam = _ipam(ctx)
    key = _server_key(ipam, str(args['name']))
    write(ctx, 'IPAM server inventory %s' % key)
    del ipam['servers'][key]


# --- discovery domains ----------------------------------------------------------------------------
def _domain_key(ipam: dict[str, Any], name: str) -> str:
    key = ipam_model.find_key(ipam['discovery_domains'], name)
    if key is None:
        raise ApiError('not_found', 'the domain %s is not configured for discovery.' % name)
    return key


@operation('Ipam.GetDiscoveryDomain')
def get_discovery_domain(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-IpamDiscoveryDomain: MSFT_IPAM_DiscoveryDomain objects (Name, DiscoverDc, DiscoverDns,
    DiscoverDhcp; the help's table labels the Name column DomainName).
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamdiscoverydomain
    https://learn.microsoft.com/previous-versions/windows/desktop/ipamserverpsprov/msft-ipam-discoverydomain"""
    del args
    domains = _ipam(ctx)['discovery_domains']
    return [dict({'Name': name}, **{prop: bool(domains[name][key]) for prop, key in SWITCHES})
            for name in sorted(domains)]


@operation('Ipam.AddDiscoveryDomain')
def add_discovery_domain(ctx: Context, args: dict[str, Any]) -> None:
    """Add-IpamDiscoveryDomain -Name [-DiscoverDc/-DiscoverDns/-DiscoverDhcp] (each $true unless
    given): an error for a domain already configured, or one AD does not know.
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamdiscoverydomain"""
    ipam = _ipam(ctx)
    name = str(args['name'])
    key = ipam_model.find_key(ipam['discovery_domains'], name)
    if key is not None:
        raise ApiError('exists', 'the domain %s is already configured for discovery.' % key)
    # IPAM asks AD for the domain (Domain.GetDomain): its ActiveDirectoryObjectNotFoundException text.
    OPERATIONS['Directory.GetDomain'](ctx, {'name': name})
    write(ctx, 'IPAM discovery domain %s' % name)
    ipam['discovery_domains'][name.lower().rstrip('.')] = {
        key: True if args.get(key) is None else bool(args[key]) for _prop, key in SWITCHES}


@operation('Ipam.SetDiscoveryDomain')
def set_discovery_domain(ctx: Context, args: dict[str, Any]) -> None:
    """Set-IpamDiscoveryDomain -Name [-DiscoverDc/-DiscoverDns/-DiscoverDhcp]: the switches given;
    an error for a domain not configured.
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamdiscoverydomain"""
    ipam = _ipam(ctx)
    key = _domain_key(ipam, str(args['name']))
    domain = ipam['discovery_domains'][key]
    given = {k: bool(args[k]) for _prop, k in SWITCHES if args.get(k) is not None}
    if all(domain[k] == v for k, v in given.items()):
        return
    write(ctx, 'IPAM discovery domain %s' % key)
    domain.update(given)


@operation('Ipam.RemoveDiscoveryDomain')
def remove_discovery_domain(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-IpamDiscoveryDomain -Name: "If the specified domain is not configured in IPAM server,
    an error occurs"; the servers found in it stay in the inventory.
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamdiscoverydomain"""
    ipam = _ipam(ctx)
    key = _domain_key(ipam, str(args['name']))
    write(ctx, 'IPAM discovery domain %s' % key)
    del ipam['discovery_domains'][key]


# --- custom fields --------------------------------------------------------------------------------
def _field_key(ipam: dict[str, Any], name: str) -> str:
    key = ipam_model.find_key(ipam['custom_fields'], name)
    if key is None:
        raise ApiError('not_found', "the custom field '%s' does not exist." % name)
    return key


def _has(values: list[str], value: str) -> bool:
    return value.casefold() in {v.casefold() for v in values}


@operation('Ipam.GetCustomField')
def get_custom_field(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-IpamCustomField: MSFT_IPAM_CustomField objects (Name, Category BuiltIn|UserDefined,
    MultiValue, CustomValue: MSFT_IPAM_CustomValue {Value, Category, CustomField}).
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamcustomfield
    https://learn.microsoft.com/previous-versions/windows/desktop/ipamserverpsprov/msft-ipam-customfield"""
    del args
    fields = _ipam(ctx)['custom_fields']
    result = []
    for name in sorted(fields, key=str.casefold):
        field = fields[name]
        builtin = {v.casefold() for v in field.get('builtin_values') or []}
        values = [{'Value': v, 'Category': 'BuiltIn' if v.casefold() in builtin else 'UserDefined', 'CustomField': name}
                  for v in field['values']]
        result.append({'Name': name, 'Category': field['category'], 'MultiValue': bool(field['multivalue']),
                       'CustomValue': values})
    return result


@operation('Ipam.AddCustomField')
def add_custom_field(ctx: Context, args: dict[str, Any]) -> None:
    """Add-IpamCustomField -Name [-MultiValue]: free-form unless MultiValue; an error for a name taken.
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamcustomfield"""
    ipam = _ipam(ctx)
    name = str(args['name'])
    if ipam_model.find_key(ipam['custom_fields'], name) is not None:
        raise ApiError('exists', "a custom field named '%s' already exists." % name)
    write(ctx, 'IPAM custom field %s' % name)
    ipam['custom_fields'][name] = {'category': 'UserDefined', 'multivalue': bool(args.get('multivalue')),
                                   'values': [], 'builtin_values': []}


@operation('Ipam.RemoveCustomField')
def remove_custom_field(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-IpamCustomField -Name: built-in fields cannot be removed.
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamcustomfield"""
    ipam = _ipam(ctx)
    key = _field_key(ipam, str(args['name']))
    if ipam['custom_fields'][key]['category'] == 'BuiltIn':
        raise ApiError('invalid', 'built-in custom fields cannot be removed.')
    write(ctx, 'IPAM custom field %s' % key)
    del ipam['custom_fields'][key]


@operation('Ipam.AddCustomValue')
def add_custom_value(ctx: Context, args: dict[str, Any]) -> None:
    """Add-IpamCustomValue -Name -Value: to a multivalued field, built-in or user-defined.
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamcustomvalue"""
    ipam = _ipam(ctx)
    key = _field_key(ipam, str(args['name']))
    field, value = ipam['custom_fields'][key], str(args['value'])
    if not field['multivalue']:
        raise ApiError('invalid', "custom field '%s' is not multivalued." % key)
    if _has(field['values'], value):
        raise ApiError('exists', 'the value already exists.')
    write(ctx, 'IPAM custom value %s of %s' % (value, key))
    field['values'].append(value)


@operation('Ipam.RemoveCustomValue')
def remove_custom_value(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-IpamCustomValue -Name -Value: "You cannot remove built-in values for built-in custom
    fields"; a value the field does not have is an error.
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamcustomvalue"""
    ipam = _ipam(ctx)
    key = _field_key(ipam, str(args['name']))
    field, value = ipam['custom_fields'][key], str(args['value'])
    if not _has(field['values'], value):
        raise ApiError('not_found', 'the value does not exist.')
    if _has(field.get('builtin_values') or [], value):
        raise ApiError('invalid', 'built-in values of built-in custom fields cannot be removed.')
    write(ctx, 'IPAM custom value %s of %s' % (value, key))
    field['values'] = [v for v in field['values'] if v.casefold() != value.casefold()]


# --- address utilization thresholds ---------------------------------------------------------------
@operation('Ipam.GetUtilizationThreshold')
def get_utilization_threshold(ctx: Context, args: dict[str, Any]) -> dict[str, int]:
    """Get-IpamAddressUtilizationThreshold: MSFT_IPAM_IPAddressUtilizationThreshold (uint32 each).
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamaddressutilizationthreshold"""
    del args
    threshold = _ipam(ctx)['utilization_threshold']
    return {'UnderUtilizationThreshold': int(threshold['under']), 'OverUtilizationThreshold': int(threshold['over'])}


@operation('Ipam.SetUtilizationThreshold')
def set_utilization_threshold(ctx: Context, args: dict[str, Any]) -> None:
    """Set-IpamAddressUtilizationThreshold [-UnderUtilizationThreshold] [-OverUtilizationThreshold]:
    "Do not specify an overutilization threshold lower than the underutilization" [I: refused, and
    values above 100, since they are percentages].
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamaddressutilizationthreshold"""
    threshold = _ipam(ctx)['utilization_threshold']
    under = threshold['under'] if args.get('under') is None else int(args['under'])
    over = threshold['over'] if args.get('over') is None else int(args['over'])
    if not 0 <= under <= 100 or not 0 <= over <= 100 or over < under:
        raise ApiError('invalid', THRESHOLD_REFUSED % (under, over))
    if (under, over) == (threshold['under'], threshold['over']):
        return
    write(ctx, 'IPAM address utilization thresholds')
    threshold.update(under=under, over=over)
