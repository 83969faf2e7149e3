# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_server_inventory: model of plugins/modules/ipam_server_inventory.ps1.

The IPAM server inventory (winsim/ipam_server.py), through the fake's cmdlet operations
(winsim/winapi/ipam.py): Get-IpamServerInventory lists servers by FQDN (compared without regard to
case), and each call is one poll for a running ServerDiscovery, the re-read after an apply included.
Add-IpamServerInventory of a server already there fails, Set- and Remove-IpamServerInventory of one
that is not fail. A ServerType or ManageabilityStatus value outside its enum fails PowerShell's
parameter binding before the cmdlet runs, with PowerShell's text. Unmanaged purges the server's
status; a change of types resets it to Not checked until the next ServerDiscovery. Every failure is
invalid_state (Invoke-IpamCmdlet); check mode calls nothing.
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
# The fake's enum types (IpamServer.psm1); PowerShell's ArgumentTransformation text names them.
ENUMS = {'ServerType': ('ServerRole', ipam_model.SERVER_ROLES),
         'ManageabilityStatus': ('ManageabilityStatus', ipam_model.MANAGEABILITY)}


def read_result(ctx: Context, names: list[str]) -> dict[str, Any]:
    """servers and token from one Get-IpamServerInventory (Read-ServerInventory)."""
    by_name = {}
    for record in ipam_model.cmdlet(ctx, 'Get-IpamServerInventory', 'Ipam.GetServerInventory'):
        state = ipam_model.server_state(record)
        by_name[state['name'].lower()] = state
    servers, entries = [], []
    for requested in names:
        key = requested.rstrip('.').lower()
        state = by_name.get(key)
        if state is None:
            entries.append('%s=absent' % key)
            servers.append({'name': requested, 'exists': False})
        else:
            entries.append('%s=%s/%s' % (key, ','.join(sorted(state['server_types'])), state['manageability']))
            servers.append(state)
    return {'servers': servers, 'token': ';'.join(sorted(entries))}


def bind(ctx: Context, cmdlet: str, parameter: str, value: Any) -> Any:
    """PowerShell binding a value to the cmdlet's enum parameter: the canonical name(s), or its error."""
    type_name, names = ENUMS[parameter]
    values = value if isinstance(value, list) else [value]
    if value is None:
        ctx.fail("%s failed: Cannot bind argument to parameter '%s' because it is null." % (cmdlet, parameter),
                 error='invalid_state')
    if not values:
        ctx.fail("%s failed: Cannot bind argument to parameter '%s' because it is an empty array." % (cmdlet, parameter),
                 error='invalid_state')
    bound = []
    for item in values:
        match = next((n for n in names if n.casefold() == str(item).strip().casefold()), None)
        if match is None:
            ctx.fail('%s failed: Cannot process argument transformation on parameter \'%s\'. Cannot convert value "%s" '
                     'to type "%s". Error: "Unable to match the identifier name %s to a valid enumerator name. Specify '
                     'one of the following enumerator names and try again:\n%s"'
                     % (cmdlet, parameter, item, type_name, item, ', '.join(names)), error='invalid_state')
        bound.append(match)
    return bound if isinstance(value, list) else bound[0]


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
        ipam['servers'][names[0].lower()] = ipam_model.new_server(['NPS'], ipam_model.server_domain(ctx, names[0]))


@handler(MODULE, options=OPTIONS, concurrent_change=flip_manageability)
def ipam_server_inventory(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'names'))
    ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    names = list(args['names'])
    result = dict(read_result(ctx, names), host=ctx.host_info())
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, 'The IPAM server inventory entries of %s' % ', '.join(names))
    if not ctx.check_mode:
        for entry in args['add'] or []:
            description = 'Add-IpamServerInventory -Name %s' % entry.get('name')
            call = {'name': entry.get('name'), 'server_types': bind(ctx, description, 'ServerType', entry.get('server_types'))}
            if entry.get('manageability'):
                call['manageability'] = bind(ctx, description, 'ManageabilityStatus', entry['manageability'])
            ipam_model.cmdlet(ctx, description, 'Ipam.AddServerInventory', call)
        for entry in args['set'] or []:
            description = 'Set-IpamServerInventory -Name %s' % entry.get('name')
            call = {'name': entry.get('name')}
            if entry.get('server_types') is not None:
                call['server_types'] = bind(ctx, description, 'ServerType', entry['server_types'])
            if entry.get('manageability'):
                call['manageability'] = bind(ctx, description, 'ManageabilityStatus', entry['manageability'])
            ipam_model.cmdlet(ctx, description, 'Ipam.SetServerInventory', call)
        for name in args['remove'] or []:
            ipam_model.cmdlet(ctx, 'Remove-IpamServerInventory -Name %s' % name, 'Ipam.RemoveServerInventory', {'name': name})
        result.update(read_result(ctx, names))
    result['changed'] = True
    return result
