# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_access_status: model of plugins/modules/ipam_access_status.ps1 (read only).

One Get-IpamServerInventory of every server with its manageability and access statuses, plus the
state of the ServerDiscovery task (Running while IPAM refreshes access status). Each read is one
poll: a running ServerDiscovery finishes after ``refresh_delay_polls`` of them, and only then do the
statuses computed from the servers' settings show (winsim/ipam_server.py documents every rule). The
cmdlet is the fake's own operation (winsim/winapi/ipam.py), as in the real module's run.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_access_status'
OPTIONS = frozenset({'mode'})


@handler(MODULE, options=OPTIONS)
def ipam_access_status(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, modes=('read',))
    ipam = ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    inventory = ipam_model.cmdlet(ctx, 'Get-IpamServerInventory', 'Ipam.GetServerInventory')
    return {
        'host': ctx.host_info(),
        'servers': [ipam_model.server_state(record) for record in inventory],
        'discovery_task': ipam_model.task_view(ipam, ipam_model.SERVER_DISCOVERY),
    }
