# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run another ipam.provisioning action plugin inside the current task.

``access_setting`` (apply one catalog setting) and ``access_info`` (audit every setting in check
mode) both hand a catalog setting to the module that owns it. Running that module's action plugin
in this process, on this task's connection, reuses its read, plan and apply exactly and costs only
its own round trips; there is no second copy of any module's logic.
"""
from __future__ import annotations

import copy

import typing as t

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
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


# The role-level options, declared once: each one's type (and choices) and where it goes, {target module
# (or '*' for any): target option}. access_setting's spec is made from it; tests/unit/plugins/test_role_options.py
# checks the roles' variables (roles/common/vars/main.yml), their argument specs and access_setting's
# documentation against it. An option reaches a module only when that module's ARGUMENT_SPEC has the target
# option, so one options dict can be passed with every setting of a role.
ROLE_OPTIONS: dict[str, dict[str, t.Any]] = {
    'allow_broad_principals': {'spec': {'type': 'bool'}, 'routes': {'*': 'allow_broad_principals'}},
    'remove_conflicting_deny': {'spec': {'type': 'bool'}, 'routes': {'*': 'remove_conflicting_deny'}},
    'remove_unrecorded': {'spec': {'type': 'bool'}, 'routes': {'*': 'remove_unrecorded'}},
    'dhcp_group': {'spec': {'type': 'str', 'choices': ['users', 'administrators']},
                   'routes': {'dhcp_users_membership': 'group'}},
    'dhcp_group_sid': {'spec': {'type': 'str'}, 'routes': {'dhcp_users_membership': 'group_sid'}},
    'dhcp_group_name': {'spec': {'type': 'str'}, 'routes': {'dhcp_users_membership': 'group_name'}},
    'restart_service': {'spec': {'type': 'bool'}, 'routes': {'dhcp_users_membership': 'restart_service'}},
    'remove_everyone': {'spec': {'type': 'bool'}, 'routes': {'dhcpaudit_share': 'remove_everyone'}},
    'dhcp_audit_path': {'spec': {'type': 'str'}, 'routes': {'dhcpaudit_share': 'path'}},
}


def role_options_spec() -> dict[str, dict[str, t.Any]]:
    """The argument spec of the role options (fresh copies: a validator may change what it is given)."""
    return {name: copy.deepcopy(option['spec']) for name, option in ROLE_OPTIONS.items()}


# Target options of which a module accepts only one, most specific first: {module: options}. When the
# role options reach more than one, the first present is sent and the others dropped, so a DHCP group
# given by SID or name replaces the catalog's 'users' choice (and a SID wins over a name).
EXCLUSIVE_TARGETS: dict[str, tuple[str, ...]] = {
    'dhcp_users_membership': ('group_sid', 'group_name', 'group'),
}


def target_arguments(setting: dict[str, t.Any], params: dict[str, t.Any],
                     accepted: t.Collection[str] | None) -> dict[str, t.Any]:
    """The target module's options: catalog parameters, then the role options it accepts, then principals and state.

    ``accepted`` is the target's option names (its ARGUMENT_SPEC), or None when it does not declare them.
    """
    def takes(option: str) -> bool:
        return accepted is None or option in accepted

    args: dict[str, t.Any] = {k: list(v) if isinstance(v, tuple) else v for k, v in setting['params'].items()}
    for option, value in (params.get('options') or {}).items():
        if value is None:
            continue
        routes = ROLE_OPTIONS[option]['routes']
        target = routes.get(setting['module'], routes.get('*'))
        if target is not None and takes(target):
            args[target] = value
    present = [option for option in EXCLUSIVE_TARGETS.get(setting['module'], ()) if option in args]
    for dropped in present[1:]:
        del args[dropped]
    if takes('principals'):
        args['principals'] = list(params['principals'] or [])
    if takes('state'):
        args['state'] = params['state']
    return args


def validated_setting_params(task: t.Any, spec: dict[str, dict[str, t.Any]], label: str) -> dict[str, t.Any]:
    """The options of a task that applies catalog settings (access_setting, managed_server_access), checked.

    ``label`` names the module in messages. Refused: async, options the spec rejects, and a DHCP group
    named both by SID and by name.
    """
    if task.async_val:
        raise AnsibleActionFail('%s does not support async' % label)
    # A copy: the validator fills the 'options' default dict in place, which would leak into the next task.
    validated = ArgumentSpecValidator(copy.deepcopy(spec)).validate(task.args)
    if validated.error_messages:
        raise AnsibleActionFail('%s: %s' % (label, '; '.join(sorted(validated.error_messages))))
    options = validated.validated_parameters['options'] or {}
    # Not the spec's mutually_exclusive: that counts an option given as null (the roles pass every one).
    if options.get('dhcp_group_sid') is not None and options.get('dhcp_group_name') is not None:
        raise AnsibleActionFail('%s: options dhcp_group_sid and dhcp_group_name are mutually exclusive: name the '
                                'DHCP group one way' % label)
    return validated.validated_parameters


def setting_target_arguments(setting: dict[str, t.Any], params: dict[str, t.Any], accepted: frozenset[str] | None,
                             label: str) -> dict[str, t.Any]:
    """target_arguments, after checking that a setting that grants to principals was given some."""
    if (accepted is None or 'principals' in accepted) and not params['principals']:
        raise AnsibleActionFail('%s: setting %s grants access to principals (module %s): option principals is '
                                'required and must not be empty' % (label, setting['id'], action_name(setting['module'])))
    return target_arguments(setting, params, accepted)
