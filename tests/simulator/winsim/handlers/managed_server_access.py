# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.managed_server_access: several calls of the access modules in one round trip.

The batch adds no Windows behaviour of its own: each call is the module it names, run in order in the
same round trip. So the engine dispatches each call to that module's handler (Engine._dispatch_batch)
and this registration only declares the options, which the contract test compares with the $spec.
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..errors import SimulatorBug
from . import handler

OPTIONS = frozenset({'mode', 'calls'})
# $callable of plugins/modules/managed_server_access.ps1.
CALLABLE = ('access_info', 'group_membership', 'dhcp_users_membership', 'service_acl', 'dhcpaudit_share',
            'firewall_rules', 'eventlog_customsd', 'dns_domain_acl')


@handler('ipam.provisioning.managed_server_access', options=OPTIONS)
def managed_server_access(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    raise SimulatorBug('winsim: managed_server_access is dispatched call by call by the engine, not by a handler '
                       '(module %s, mode %s)' % (ctx.module, args.get('mode')))
