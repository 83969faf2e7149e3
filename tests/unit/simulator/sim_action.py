# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's real action plugin with the simulator as its PowerShell half (one copy for every handler test)."""
from __future__ import annotations

import copy
import importlib
import typing as t
from unittest.mock import MagicMock

from ansible.playbook.task import Task

from winsim import Simulator


def make_task(args: dict[str, t.Any], check_mode: bool = False, diff: bool = False) -> MagicMock:
    """A task as the action plugin sees it; its copies (for nested plugins) keep check_mode and diff."""
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    task.copy.side_effect = lambda: make_task({}, check_mode, diff)
    return task


def plugin_for(sim: Simulator, host: str, module: str, task: MagicMock) -> t.Any:
    """The action plugin of module (short name); its round trips, and those of nested plugins, go to the simulator."""
    def remote(module_name=None, module_args=None, task_vars=None, **_kwargs):
        args = {k: v for k, v in module_args.items() if not k.startswith('_ansible_')}
        # The task's check mode as it is when the call is made: a nested plugin's may have been forced on.
        return sim.run_module(host, module_name, args, check_mode=bool(task.check_mode))

    cls = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % module).ActionModule
    plugin = cls(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    shared = MagicMock()
    shared.action_loader.get.side_effect = lambda name, task=None, **_kw: plugin_for(sim, host, name.rsplit('.', 1)[1], task)
    plugin._shared_loader_obj = shared  # pylint: disable=protected-access
    plugin._execute_module = remote  # pylint: disable=protected-access
    return plugin


def run_action(sim: Simulator, host: str, module: str, args: dict[str, t.Any], *, check_mode: bool = False,
               diff: bool = False) -> dict[str, t.Any]:
    """One task of module on host, as ansible-playbook would run it."""
    task = make_task(args, check_mode, diff)
    return plugin_for(sim, host, module, task).run(task_vars={'inventory_hostname': host})
