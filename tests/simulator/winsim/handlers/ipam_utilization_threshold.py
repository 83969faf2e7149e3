# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_utilization_threshold: model of plugins/modules/ipam_utilization_threshold.ps1.

Get/Set-IpamAddressUtilizationThreshold are the fake's operations (winsim/winapi/ipam.py: 20 and 80
on a new IPAM server, as in the cmdlet help; [I] Set refuses an overutilization threshold below the
underutilization one, "Do not specify an overutilization threshold lower than the underutilization",
the help says, and values above 100). The module calls Set only with a threshold given and not in
check mode. The token is '<under>/<over>'.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_utilization_threshold'
OPTIONS = frozenset({'mode', 'token', 'under_utilization', 'over_utilization'})


def read_result(ctx: Context) -> dict[str, Any]:
    """Read-Threshold: one Get-IpamAddressUtilizationThreshold."""
    threshold = ipam_model.cmdlet(ctx, 'Get-IpamAddressUtilizationThreshold', 'Ipam.GetUtilizationThreshold')
    under, over = int(threshold['UnderUtilizationThreshold']), int(threshold['OverUtilizationThreshold'])
    return {'under_utilization': under, 'over_utilization': over, 'token': '%d/%d' % (under, over)}


def nudge_under(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator changes the underutilization threshold."""
    threshold = ipam_model.ipam_state(ctx)['utilization_threshold']
    threshold['under'] = threshold['under'] + 1 if threshold['under'] < threshold['over'] - 1 else threshold['under'] - 1


@handler(MODULE, options=OPTIONS, concurrent_change=nudge_under)
def ipam_utilization_threshold(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args)
    ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    result = dict(read_result(ctx), host=ctx.host_info())
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, 'The IPAM address utilization thresholds')
    given = {key: int(args[option]) for key, option in (('under', 'under_utilization'), ('over', 'over_utilization'))
             if args[option] is not None}
    if not ctx.check_mode and given:
        ipam_model.cmdlet(ctx, 'Set-IpamAddressUtilizationThreshold', 'Ipam.SetUtilizationThreshold', given)
        result.update(read_result(ctx))
    result['changed'] = True
    return result
