# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_utilization_threshold: model of plugins/modules/ipam_utilization_threshold.ps1.

Get/Set-IpamAddressUtilizationThreshold (winsim/ipam_server.py: 20 and 80 on a new IPAM server, as
in the cmdlet help). [I] Set refuses an overutilization threshold below the underutilization one
("Do not specify an overutilization threshold lower than the underutilization", the help says) and
values above 100. The token is '<under>/<over>'.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_utilization_threshold'
OPTIONS = frozenset({'mode', 'token', 'under_utilization', 'over_utilization'})


def read_result(ctx: Context, ipam: dict[str, Any]) -> dict[str, Any]:
    threshold = ipam['utilization_threshold']
    return {'host': ctx.host_info(), 'under_utilization': threshold['under'], 'over_utilization': threshold['over'],
            'token': '%d/%d' % (threshold['under'], threshold['over'])}


def nudge_under(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator changes the underutilization threshold."""
    threshold = ipam_model.ipam_state(ctx)['utilization_threshold']
    threshold['under'] = threshold['under'] + 1 if threshold['under'] < threshold['over'] - 1 else threshold['under'] - 1


@handler(MODULE, options=OPTIONS, concurrent_change=nudge_under)
def ipam_utilization_threshold(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args)
    ipam = ipam_model.ipam_state(ctx)
    result = read_result(ctx, ipam)
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, 'The IPAM address utilization thresholds')
    threshold = ipam['utilization_threshold']
    under = threshold['under'] if args['under_utilization'] is None else int(args['under_utilization'])
    over = threshold['over'] if args['over_utilization'] is None else int(args['over_utilization'])
    if not 0 <= under <= 100 or not 0 <= over <= 100 or over < under:
        ctx.fail('Set-IpamAddressUtilizationThreshold failed: the thresholds must be percentages (0-100) and the '
                 'overutilization threshold must not be lower than the underutilization threshold (got %d and %d).'
                 % (under, over), error='invalid_state')
    if not ctx.check_mode and (under, over) != (threshold['under'], threshold['over']):
        ctx.write('IPAM address utilization thresholds')
        threshold.update(under=under, over=over)
        result = read_result(ctx, ipam)
    result['changed'] = True
    return result
