# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.access_info: model of plugins/modules/access_info.ps1 (read only).

What Windows reports, as modelled here:
- Get-WindowsFeature names: the seed's role NPS is the feature NPAS (Network Policy and Access
  Services); the other seed roles are feature names already.
- Get-Service: DHCPServer, DNS and IAS exist only with their role; status as seeded.
- DhcpLogFilePath is read from the registry only when the DHCP role is installed; an empty value
  reads as value '' and exists false (the empty_dhcp_log_path seed fault).
- The domain's NetBIOS name and DN come from the domain state (a reachable DC, always, in the lab).
- Win32_OperatingSystem: the seed has no OS; every simulated host is a Windows Server 2022
  Datacenter unless its state carries an 'os' dict (defaults.DEFAULT_OS, as winapi/computer.py).
"""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from .. import faults as f
from ..context import Context
from ..model import path_exists
from . import handler

MODULE = 'ipam.provisioning.access_info'
OPTIONS = frozenset({'mode', 'principals'})
# Seed role -> Get-WindowsFeature name, in the order the .ps1 asks for them.
FEATURES = (('DHCP', d.ROLE_DHCP), ('DNS', d.ROLE_DNS), ('NPAS', d.ROLE_NPS), ('AD-Domain-Services', d.ROLE_ADDS),
            ('IPAM', d.ROLE_IPAM))
SERVICES = ('DHCPServer', 'DNS', 'IAS')
DHCP_LOG_PATH_VALUE = 'DhcpLogFilePath'


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    if args['mode'] is None:
        ctx.fail('missing required arguments: mode')
    if args['mode'] != 'read':
        ctx.fail('value of mode must be one of: read. Got no match for: %s' % args['mode'])


def installed_features(ctx: Context) -> list[str]:
    roles = set(ctx.host['roles'])
    return [feature for feature, role in FEATURES if role in roles]


def service_states(ctx: Context) -> dict[str, dict[str, Any]]:
    """Get-Service by exact short name (case-insensitive, as Windows service names are)."""
    by_fold = {name.casefold(): service for name, service in ctx.host['services'].items()}
    states = {}
    for name in SERVICES:
        service = by_fold.get(name.casefold())
        states[name] = {'exists': service is not None, 'status': service['status'] if service else None}
    return states


def dhcp_audit_path(ctx: Context) -> dict[str, Any]:
    value = ctx.host['registry'].get(d.KEY_DHCP_PARAMETERS, {}).get(DHCP_LOG_PATH_VALUE)
    return {'value': value, 'exists': bool(value) and path_exists(ctx.host, value)}


def os_info(ctx: Context) -> dict[str, Any]:
    info = dict(d.DEFAULT_OS)
    info.update(ctx.host.get('os') or {})
    info['ui_language'] = ctx.language   # CultureInfo.InstalledUICulture.Name
    return info


def domain_controllers(ctx: Context) -> list[str]:
    """dNSHostName of every computer whose primary group is Domain Controllers, lower-case, sorted."""
    members = ctx.domain['accounts'][ctx.domain['sid'] + '-%d' % d.RID_DOMAIN_CONTROLLERS]['members']
    names = (ctx.domain['accounts'][sid]['name'].rstrip('$').lower() for sid in members)
    return sorted({'%s.%s' % (name, ctx.domain['dns_name']) for name in names})


def domain_info(ctx: Context) -> dict[str, Any] | None:
    if ctx.domain is None:
        return None
    info: dict[str, Any] = {'dns_name': ctx.domain['dns_name'], 'netbios_name': ctx.domain['netbios'],
                            'distinguished_name': ctx.domain['dn']}
    if ctx.host['domain_role'] in d.DC_ROLES:  # only a DC lists them (no second hop)
        if f.directory_unreadable(ctx.faults):
            info.update(controllers=None, this_controller=None, controllers_error='The server is not operational.')
        else:
            info.update(controllers=domain_controllers(ctx), this_controller=ctx.host['fqdn'], controllers_error=None)
    return info


def stop_dhcp_server(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: an administrator stops the DHCP Server service right after the read."""
    service = ctx.host['services'].get('DHCPServer')
    if service is not None:
        service['status'] = 'Stopped'


@handler(MODULE, options=OPTIONS, concurrent_change=stop_dhcp_server)
def access_info(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    features = installed_features(ctx)
    result = {
        'changed': False,
        'host': ctx.host_info(),
        'domain': domain_info(ctx),
        'os': os_info(ctx),
        'installed_roles': features,
        'services': service_states(ctx),
        'dhcp_audit_path': dhcp_audit_path(ctx) if 'DHCP' in features else None,
    }
    if args.get('principals'):
        result['principals'] = [ctx.resolve(p) for p in args['principals']]
    return result
