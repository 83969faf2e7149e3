# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task Scheduler (the ScheduledTasks module's CIM provider, MSFT_ScheduledTask): the tasks a
simulated host has, their dynamic information, and running one.

The simulated hosts have the tasks the IPAM Server feature installs under \\Microsoft\\Windows\\IPAM\\
(winsim/ipam_server.py keeps them and models what a run does); no other task is modelled. Task
names and folders compare without regard to case, as Task Scheduler's do.
https://learn.microsoft.com/powershell/module/scheduledtasks/
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import ApiError, operation, write

# Task Scheduler errors (HRESULTs as Start-ScheduledTask reports them: 'HRESULT 0x...,Start-ScheduledTask').
E_FILE_NOT_FOUND = -2147024894          # 0x80070002: no task at that path
FILE_NOT_FOUND_TEXT = 'The system cannot find the file specified.'
SCHED_E_TASK_DISABLED = -2147216602     # 0x80041326
TASK_DISABLED_TEXT = 'The task is disabled.'


def _tasks(ctx: Context) -> dict[str, dict[str, Any]]:
    """{name: task} of the IPAM folder; none where IPAM is not installed."""
    if not ipam_model.has_ipam(ctx.host):
        return {}
    return ipam_model.ipam_state(ctx)['tasks']


def _find(ctx: Context, path: str, name: str) -> tuple[str, dict[str, Any]]:
    tasks = _tasks(ctx)
    key = ipam_model.find_key(tasks, name) if path.casefold() == ipam_model.TASK_PATH.casefold() else None
    if key is None:
        raise ApiError('not_found', FILE_NOT_FOUND_TEXT, hresult=E_FILE_NOT_FOUND)
    return key, tasks[key]


def _state(task: dict[str, Any]) -> str:
    return 'Disabled' if not task['enabled'] else task['state']


@operation('Task.List')
def list_tasks(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-ScheduledTask: every registered task (MSFT_ScheduledTask: TaskName, TaskPath, State, URI);
    the fake filters by -TaskName / -TaskPath as the CDXML query does.
    https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtask"""
    del args
    return [{'TaskName': name, 'TaskPath': ipam_model.TASK_PATH, 'State': _state(task),
             'URI': ipam_model.TASK_PATH + name} for name, task in sorted(_tasks(ctx).items())]


@operation('Task.Info')
def task_info(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-ScheduledTaskInfo: MSFT_TaskDynamicInfo (LastRunTime as UTC ISO 8601, or null for a task
    that never ran, which Task Scheduler reports as 11/30/1999; LastTaskResult 267011 then).
    https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtaskinfo"""
    key, task = _find(ctx, str(args.get('path') or ''), str(args.get('name') or ''))
    return {'TaskName': key, 'TaskPath': ipam_model.TASK_PATH, 'LastRunTime': task['last_run'],
            'LastTaskResult': int(task['last_result']), 'NextRunTime': None, 'NumberOfMissedRuns': 0}


@operation('Task.Start')
def start_task(ctx: Context, args: dict[str, Any]) -> None:
    """Start-ScheduledTask -TaskPath -TaskName: runs the task now; a disabled task is refused
    (SCHED_E_TASK_DISABLED), a running one is left alone (IPAM's tasks use IgnoreNew).
    https://learn.microsoft.com/powershell/module/scheduledtasks/start-scheduledtask"""
    key, task = _find(ctx, str(args.get('path') or ''), str(args.get('name') or ''))
    if not task['enabled']:
        raise ApiError('invalid', TASK_DISABLED_TEXT, hresult=SCHED_E_TASK_DISABLED)
    ipam = ipam_model.ipam_state(ctx)
    if ipam_model.task_running(ipam, key):
        return
    write(ctx, 'scheduled task %s%s' % (ipam_model.TASK_PATH, key))
    ipam_model.run_task(ctx, ipam, key)
