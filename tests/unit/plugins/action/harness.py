# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run an action plugin with its PowerShell half replaced by scripted replies."""
from __future__ import annotations

import copy
import typing as t
from unittest.mock import MagicMock

from ansible.playbook.task import Task


class RemoteScript:
    """Plays back replies for mode=read / mode=apply and records every call."""

    def __init__(self, read: dict[str, t.Any] | None = None, apply: t.Callable[[dict], dict] | dict | None = None):
        self.read = read
        self.apply = apply
        self.calls: list[dict[str, t.Any]] = []

    def __call__(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        args = copy.deepcopy(module_args)
        self.calls.append(dict(args, _module=module_name))
        if args['mode'] == 'read':
            return copy.deepcopy(self.read)
        if callable(self.apply):
            return self.apply(args)
        if self.apply is None:
            raise AssertionError('apply was called but the test scripted none: %r' % args)
        return copy.deepcopy(self.apply)

    @property
    def modes(self) -> list[str]:
        return [c['mode'] for c in self.calls]


def run_action(action_cls, args: dict[str, t.Any], remote: RemoteScript, *, check_mode: bool = False,
               diff: bool = False, hostname: str = 'host1') -> dict[str, t.Any]:
    """Instantiate the action plugin like the TaskExecutor does and run it once."""
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    connection = MagicMock()
    plugin = action_cls(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    plugin._execute_module = remote  # pylint: disable=protected-access
    return plugin.run(task_vars={'inventory_hostname': hostname})
