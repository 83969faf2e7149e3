# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_discovery_domain: model of plugins/modules/ipam_discovery_domain.ps1.

What the IPAM server does, as modelled (winsim/ipam_server.py has the IPAM state; the module's
cmdlets are the fake's operations, winsim/winapi/ipam.py):
- Get-IpamDiscoveryDomain lists the domains with their DiscoverDc/DiscoverDns/DiscoverDhcp switches;
  names compare without regard to case.
- The module asks AD whether the domain exists (Domain.GetDomain, the boundary's
  Get-IpamDomainDnsName: winapi operation Directory.GetDomain) and reports AD's text when it does not.
- Add-IpamDiscoveryDomain of a configured domain, and Set/Remove of one that is not, fail; Add of a
  domain AD does not know fails with AD's message. Removing a domain keeps the servers found in it.
  Every failure is invalid_state, as the module's Invoke-IpamCmdlet reports it; check mode calls none.
- The token is '<name lowercased>|<dc>|<dns>|<dhcp>' (1/0) or 'absent', as the .ps1 builds it.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from ..errors import SimulatorBug
from . import handler

MODULE = 'ipam.provisioning.ipam_discovery_domain'
OPTIONS = frozenset({'mode', 'token', 'name', 'change', 'discover_dc', 'discover_dns', 'discover_dhcp'})
SWITCHES = (('discover_dc', 'DiscoverDc'), ('discover_dns', 'DiscoverDns'), ('discover_dhcp', 'DiscoverDhcp'))


def read_domains(ctx: Context, name: str) -> dict[str, Any]:
    """domain, domains and token from one Get-IpamDiscoveryDomain (Read-DiscoveryDomain)."""
    found = [dict({'name': d['Name']}, **{key: bool(d[prop]) for key, prop in SWITCHES})
             for d in ipam_model.cmdlet(ctx, 'Get-IpamDiscoveryDomain', 'Ipam.GetDiscoveryDomain')]
    wanted = name.rstrip('.').casefold()
    domain = None
    for entry in found:
        if entry['name'].rstrip('.').casefold() == wanted:
            domain = entry
    return {'domain': domain, 'domains': [d['name'] for d in found], 'token': domain_token(domain)}


def domain_token(view: dict[str, Any] | None) -> str:
    if view is None:
        return 'absent'
    return '%s|%s' % (view['name'].lower(), '|'.join('1' if view[key] else '0' for key, _prop in SWITCHES))


def ad_domain(ctx: Context, name: str) -> dict[str, Any]:
    """Test-AdDomain: whether AD answers for the name, else its text."""
    # Imported here because winapi's areas import the handlers.
    from .. import winapi  # pylint: disable=import-outside-toplevel
    try:
        winapi.dispatch(ctx, 'Directory.GetDomain', {'name': name})
    except winapi.ApiError as exc:
        if exc.kind == 'winsim':
            raise SimulatorBug(exc.message) from None
        return {'name': name, 'reachable': False, 'error': exc.message}
    return {'name': name, 'reachable': True, 'error': None}


def toggle_domain(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator flips DHCP discovery, or adds the domain."""
    ipam = ipam_model.ipam_state(ctx)
    key = ipam_model.find_key(ipam['discovery_domains'], args.get('name') or '')
    if key is None:
        ipam['discovery_domains'][(args.get('name') or 'other.example').lower()] = {k: True for k, _p in SWITCHES}
    else:
        ipam['discovery_domains'][key]['discover_dhcp'] = not ipam['discovery_domains'][key]['discover_dhcp']


@handler(MODULE, options=OPTIONS, concurrent_change=toggle_domain)
def ipam_discovery_domain(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'name'), apply_required=('token', 'change'),
                          choices={'change': ('add', 'set', 'remove')})
    ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    name = args['name']
    result = dict(read_domains(ctx, name), host=ctx.host_info())
    if args['mode'] == 'read':
        result['computer_domain'] = ctx.domain['dns_name'] if ctx.domain else None
        result['ad_domain'] = ad_domain(ctx, name)
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, "The IPAM discovery domain '%s'" % name)
    switches = {key: bool(args[key]) for key, _prop in SWITCHES if args[key] is not None}
    target = result['domain']['name'] if result['domain'] else name
    if not ctx.check_mode:
        change = args['change']
        if change == 'add':
            ipam_model.cmdlet(ctx, 'Add-IpamDiscoveryDomain -Name %s' % name, 'Ipam.AddDiscoveryDomain',
                              dict(switches, name=name))
        elif change == 'set':
            ipam_model.cmdlet(ctx, 'Set-IpamDiscoveryDomain -Name %s' % target, 'Ipam.SetDiscoveryDomain',
                              dict(switches, name=target))
        else:
            ipam_model.cmdlet(ctx, 'Remove-IpamDiscoveryDomain -Name %s' % target, 'Ipam.RemoveDiscoveryDomain',
                              {'name': target})
        result.update(read_domains(ctx, name))
    result['changed'] = True
    return result
