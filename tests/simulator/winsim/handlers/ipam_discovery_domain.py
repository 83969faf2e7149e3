# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_discovery_domain: model of plugins/modules/ipam_discovery_domain.ps1.

What the IPAM server does, as modelled (winsim/ipam_server.py has the IPAM state):
- Get-IpamDiscoveryDomain lists the domains with their DiscoverDc/DiscoverDns/DiscoverDhcp switches;
  names compare without regard to case.
- The module asks AD whether the domain exists (Domain.GetDomain): the lab knows the domains of its
  hosts only; any other name gets .NET's "does not exist or could not be contacted".
- Add-IpamDiscoveryDomain of a configured domain, and Set/Remove of one that is not, fail; Add of a
  domain AD does not know fails with AD's message. Removing a domain keeps the servers found in it.
- The token is '<name lowercased>|<dc>|<dns>|<dhcp>' (1/0) or 'absent', as the .ps1 builds it.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_discovery_domain'
OPTIONS = frozenset({'mode', 'token', 'name', 'change', 'discover_dc', 'discover_dns', 'discover_dhcp'})
SWITCHES = ('discover_dc', 'discover_dns', 'discover_dhcp')


def domain_view(ipam: dict[str, Any], name: str) -> dict[str, Any] | None:
    key = ipam_model.find_key(ipam['discovery_domains'], name)
    if key is None:
        return None
    return dict({'name': key}, **{s: bool(ipam['discovery_domains'][key][s]) for s in SWITCHES})


def domain_token(view: dict[str, Any] | None) -> str:
    if view is None:
        return 'absent'
    return '%s|%s' % (view['name'].lower(), '|'.join('1' if view[s] else '0' for s in SWITCHES))


def read_result(ctx: Context, ipam: dict[str, Any], name: str) -> dict[str, Any]:
    view = domain_view(ipam, name)
    reachable = name.lower().rstrip('.') in ipam_model.known_domains(ctx)
    return {
        'host': ctx.host_info(),
        'computer_domain': ctx.host.get('domain'),
        'domain': view,
        'domains': sorted(ipam['discovery_domains']),
        'ad_domain': {'name': name, 'reachable': reachable, 'error': None if reachable else ipam_model.DOMAIN_NOT_FOUND},
        'token': domain_token(view),
    }


def toggle_domain(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator flips DHCP discovery, or adds the domain."""
    ipam = ipam_model.ipam_state(ctx)
    key = ipam_model.find_key(ipam['discovery_domains'], args.get('name') or '')
    if key is None:
        ipam['discovery_domains'][(args.get('name') or 'other.example').lower()] = dict.fromkeys(SWITCHES, True)
    else:
        ipam['discovery_domains'][key]['discover_dhcp'] = not ipam['discovery_domains'][key]['discover_dhcp']


@handler(MODULE, options=OPTIONS, concurrent_change=toggle_domain)
def ipam_discovery_domain(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'name'), apply_required=('token', 'change'),
                          choices={'change': ('add', 'set', 'remove')})
    ipam = ipam_model.ipam_state(ctx)
    name = args['name']
    result = read_result(ctx, ipam, name)
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, "The IPAM discovery domain '%s'" % name)
    key = ipam_model.find_key(ipam['discovery_domains'], name)
    change = args['change']
    given = {s: args[s] for s in SWITCHES if args[s] is not None}
    if change == 'add':
        if key is not None:
            ctx.fail("Add-IpamDiscoveryDomain -Name %s failed: the domain %s is already configured for discovery."
                     % (name, key), error='invalid_state')
        if not result['ad_domain']['reachable']:
            ctx.fail('Add-IpamDiscoveryDomain -Name %s failed: %s' % (name, ipam_model.DOMAIN_NOT_FOUND), error='not_found')
        if not ctx.check_mode:
            ctx.write('IPAM discovery domain %s' % name)
            ipam['discovery_domains'][name.lower().rstrip('.')] = dict(dict.fromkeys(SWITCHES, True), **given)
    elif key is None:
        cmdlet = 'Set-IpamDiscoveryDomain' if change == 'set' else 'Remove-IpamDiscoveryDomain'
        ctx.fail('%s -Name %s failed: the domain %s is not configured for discovery.' % (cmdlet, name, name),
                 error='not_found')
    elif change == 'set':
        if not ctx.check_mode and any(ipam['discovery_domains'][key][s] != v for s, v in given.items()):
            ctx.write('IPAM discovery domain %s' % key)
            ipam['discovery_domains'][key].update(given)
    elif not ctx.check_mode:
        ctx.write('IPAM discovery domain %s' % key)
        del ipam['discovery_domains'][key]
    if not ctx.check_mode:
        result = read_result(ctx, ipam, name)
    result['changed'] = True
    return result
