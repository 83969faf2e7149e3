# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run another ipam.provisioning action plugin inside the current task.

``access_setting`` (apply one catalog setting) and ``access_info`` (audit every setting in check
mode) both hand a catalog setting to the module that owns it. Running that module's action plugin
in this process, on this task's connection, reuses its read, plan and apply exactly and costs only
its own round trips; there is no second copy of any module's logic.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

COLLECTION = 'ipam.provisioning'


def action_name(module: str) -> str:
    """The FQCN of a module of this collection ('service_acl' -> 'ipam.provisioning.service_acl')."""
    return module if '.' in module else '%s.%s' % (COLLECTION, module)


def load_action(parent: ActionBase, module: str, *, args: dict[str, t.Any] | None = None,
                check_mode: bool | None = None, diff: bool | None = None) -> ActionBase:
    """The action plugin of ``module``, bound to a copy of the parent's task and the parent's connection.

    ``check_mode`` and ``diff`` override the parent task's values (None keeps them). The copy keeps
    the parent's keywords (become, environment, no_log...), so the nested plugin reaches the host
    exactly as the parent would.
    """
    name = action_name(module)
    task = parent._task.copy()  # pylint: disable=protected-access
    task.args = dict(args or {})
    if check_mode is not None:
        task.check_mode = check_mode
    if diff is not None:
        task.diff = diff
    plugin = parent._shared_loader_obj.action_loader.get(  # pylint: disable=protected-access
        name, task=task, connection=parent._connection, play_context=parent._play_context,  # pylint: disable=protected-access
        loader=parent._loader, templar=parent._templar, shared_loader_obj=parent._shared_loader_obj)  # pylint: disable=protected-access
    if plugin is None:
        raise AnsibleActionFail('internal error: no action plugin %s' % name)
    return plugin


def accepted_options(plugin: ActionBase) -> frozenset[str] | None:
    """The user options a loaded plugin declares (its ARGUMENT_SPEC), or None when it declares none."""
    spec = getattr(plugin, 'ARGUMENT_SPEC', None)
    return frozenset(spec) if isinstance(spec, dict) and spec else None


def run_action(plugin: ActionBase, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
    """Run a plugin from ``load_action`` with these options; its failures propagate as raised."""
    plugin._task.args = dict(args)  # pylint: disable=protected-access
    return plugin.run(task_vars=task_vars)


def run_nested_action(parent: ActionBase, module: str, args: dict[str, t.Any], task_vars: dict[str, t.Any], *,
                      check_mode: bool | None = None, diff: bool | None = None) -> dict[str, t.Any]:
    """Load ``ipam.provisioning.<module>`` with ``args`` and run it with ``task_vars``; return its result."""
    plugin = load_action(parent, module, check_mode=check_mode, diff=diff)
    return run_action(plugin, args, task_vars)
