# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_server_task: model of plugins/modules/ipam_server_task.ps1.

The IPAM scheduled tasks under \\Microsoft\\Windows\\IPAM\\ (winsim/ipam_server.py): Get-ScheduledTask
finds them by name without regard to case. Start-ScheduledTask is the fake's operation
(winsim/winapi/tasks.py): a disabled task is refused with Task Scheduler's 'The task is disabled.', a
missing one with 'The system cannot find the file specified.', a running one is left alone
(IgnoreNew); starting ServerDiscovery discovers servers and refreshes access status after
``refresh_delay_polls`` inventory reads, the other tasks only record the run. Every failure is
invalid_state (Invoke-IpamCmdlet); check mode starts nothing. The token is
'<name>=enabled|disabled|missing' per task, sorted ordinally and joined with ';' (whether a task runs
right now does not matter to a start).
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_server_task'
OPTIONS = frozenset({'mode', 'token', 'names', 'start'})


def tasks_token(views: list[dict[str, Any]]) -> str:
    entries = sorted('%s=%s' % (v['name'], ('enabled' if v['enabled'] else 'disabled') if v['exists'] else 'missing')
                     for v in views)
    return ';'.join(entries)


def read_result(ipam: dict[str, Any], names: list[str]) -> dict[str, Any]:
    views = [ipam_model.task_view(ipam, n) for n in names]
    return {'tasks': views, 'token': tasks_token(views)}


def disable_task(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: an administrator disables the first requested task."""
    ipam = ipam_model.ipam_state(ctx)
    for name in args.get('names') or []:
        key = ipam_model.find_key(ipam['tasks'], name)
        if key is not None:
            ipam['tasks'][key]['enabled'] = False
            return


@handler(MODULE, options=OPTIONS, concurrent_change=disable_task)
def ipam_server_task(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'names'))
    ipam = ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    names = list(args['names'])
    result = dict(read_result(ipam, names), host=ctx.host_info())
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, 'The IPAM scheduled tasks %s' % ', '.join(names))
    if not ctx.check_mode:
        for name in args['start'] or []:
            ipam_model.cmdlet(ctx, 'Start-ScheduledTask %s%s' % (ipam_model.TASK_PATH, name), 'Task.Start',
                              {'path': ipam_model.TASK_PATH, 'name': name})
        result.update(read_result(ipam, names))
    result['changed'] = True
    return result
