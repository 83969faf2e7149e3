# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_server_inventory: model of plugins/modules/ipam_server_inventory.ps1.

The IPAM server inventory (winsim/ipam_server.py): Get-IpamServerInventory lists servers by FQDN
(compared without regard to case); each read is one poll for a running ServerDiscovery.
Add-IpamServerInventory of a server already there fails, Set- and Remove-IpamServerInventory of one
that is not fail; both refuse ServerType / ManageabilityStatus values outside their enums. Unmanaged purges the
server's status; a change of types resets it to Not checked until the next ServerDiscovery.
The token covers the requested servers only: '<fqdn lowercased>=<types sorted, comma>/<manageability>'
or '<fqdn>=absent', sorted ordinally and joined with ';'.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_server_inventory'
OPTIONS = frozenset({'mode', 'token', 'names', 'add', 'set', 'remove'})


def server_state(ipam: dict[str, Any], name: str) -> dict[str, Any]:
    key = ipam_model.find_key(ipam['servers'], name)
    if key is None:
        return {'name': name, 'exists': False}
    return ipam_model.server_view(key, ipam['servers'][key])


def inventory_token(views: list[dict[str, Any]]) -> str:
    entries = []
    for view in views:
        value = 'absent'
        if view['exists']:
            value = '%s/%s' % (','.join(sorted(view['server_types'])), view['manageability'])
        entries.append('%s=%s' % (view['name'].lower(), value))
    return ';'.join(sorted(entries))


def read_result(ctx: Context, ipam: dict[str, Any], names: list[str]) -> dict[str, Any]:
    views = [server_state(ipam, n) for n in names]
    return {'host': ctx.host_info(), 'servers': views, 'token': inventory_token(views)}


def _check_values(ctx: Context, cmdlet: str, name: str, entry: dict[str, Any]) -> None:
    """The cmdlets' enum binding: ServerRole and ManageabilityStatus values."""
    for role in entry.get('server_types') or []:
        if role not in ipam_model.SERVER_ROLES:
            ctx.fail("%s -Name %s failed: Cannot bind parameter 'ServerType'. Cannot convert value \"%s\" to type "
                     "ServerRole. Specify one of the following enumerator names and try again: %s"
                     % (cmdlet, name, role, ', '.join(ipam_model.SERVER_ROLES)), error='invalid_state')
    manageability = entry.get('manageability')
    if manageability is not None and manageability not in ipam_model.MANAGEABILITY:
        ctx.fail("%s -Name %s failed: Cannot bind parameter 'ManageabilityStatus'. Cannot convert value \"%s\" to "
                 "type ManageabilityStatus. Specify one of the following enumerator names and try again: %s"
                 % (cmdlet, name, manageability, ', '.join(ipam_model.MANAGEABILITY)), error='invalid_state')


def _domain_of(ctx: Context, fqdn: str) -> str | None:
    host = ipam_model.host_by_fqdn(ipam_model.lab_hosts(ctx), fqdn)
    if host is not None:
        return host.get('domain')
    return fqdn.partition('.')[2].lower() or None


def flip_manageability(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator changes the first requested server (or adds it)."""
    ipam = ipam_model.ipam_state(ctx)
    names = args.get('names') or []
    for name in names:
        key = ipam_model.find_key(ipam['servers'], name)
        if key is not None:
            server = ipam['servers'][key]
            ipam_model.set_manageability(server, 'Unspecified' if server['manageability'] == 'Managed' else 'Managed')
            return
    if names:
        ipam['servers'][names[0].lower()] = ipam_model.new_server(['NPS'], _domain_of(ctx, names[0]))


@handler(MODULE, options=OPTIONS, concurrent_change=flip_manageability)
def ipam_server_inventory(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'names'))
    ipam = ipam_model.ipam_state(ctx)
    names = list(args['names'])
    if args['mode'] == 'read':
        ipam_model.observe(ctx, ipam)
        return read_result(ctx, ipam, names)

    result = read_result(ctx, ipam, names)
    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, 'The IPAM server inventory entries of %s' % ', '.join(names))
    for entry in args['add'] or []:
        name = entry.get('name') or ''
        _check_values(ctx, 'Add-IpamServerInventory', name, entry)
        if not entry.get('server_types'):
            ctx.fail("Add-IpamServerInventory -Name %s failed: Cannot bind argument to parameter 'ServerType' because "
                     "it is null." % name, error='invalid_state')
        if ipam_model.find_key(ipam['servers'], name) is not None:
            ctx.fail('Add-IpamServerInventory -Name %s failed: the server %s is already in the IPAM server inventory.'
                     % (name, name), error='invalid_state')
        if not ctx.check_mode:
            ctx.write('IPAM server inventory %s' % name)
            ipam['servers'][name.lower()] = ipam_model.new_server(
                entry['server_types'], _domain_of(ctx, name), entry.get('manageability') or 'Unspecified')
    for entry in args['set'] or []:
        name = entry.get('name') or ''
        _check_values(ctx, 'Set-IpamServerInventory', name, entry)
        key = ipam_model.find_key(ipam['servers'], name)
        if key is None:
            ctx.fail('Set-IpamServerInventory -Name %s failed: the server %s is not in the IPAM server inventory.'
                     % (name, name), error='not_found')
        server = ipam['servers'][key]
        types = entry.get('server_types')
        manageability = entry.get('manageability')
        new_types = types is not None and ipam_model.order_roles(types) != server['server_types']
        new_manageability = manageability is not None and manageability != server['manageability']
        if ctx.check_mode or not (new_types or new_manageability):
            continue
        ctx.write('IPAM server inventory %s' % key)
        if new_types:
            ipam_model.set_server_types(server, types)
        if new_manageability:
            ipam_model.set_manageability(server, manageability)
    for name in args['remove'] or []:
        key = ipam_model.find_key(ipam['servers'], name)
        if key is None:
            ctx.fail('Remove-IpamServerInventory -Name %s failed: the server %s is not in the IPAM server inventory.'
                     % (name, name), error='not_found')
        if not ctx.check_mode:
            ctx.write('IPAM server inventory %s' % key)
            del ipam['servers'][key]    # and its data (the cmdlet's help)
    if not ctx.check_mode:
        result = read_result(ctx, ipam, names)
    result['changed'] = True
    return result
