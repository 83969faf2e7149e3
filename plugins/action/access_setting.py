# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.access_setting: apply one catalog setting through the module the catalog names.

The roles loop over catalog ids; this plugin turns an id into the target module's options (the
catalog's parameters plus the role options that module accepts) and runs the target's action
plugin in this process, with this task's connection, so a setting costs exactly the round trips of
its module. Nothing here talks to the host itself.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS_BY_ID
from ansible_collections.ipam.provisioning.plugins.plugin_utils.nested_action import (
    COLLECTION,
    accepted_options,
    load_action,
    role_options_spec,
    run_action,
    setting_target_arguments,
    validated_setting_params,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.setting_result import (
    effective_scope,
    failed_scope,
    setting_summary,
)

ARGUMENT_SPEC: dict[str, dict[str, t.Any]] = {
    'setting': {'type': 'str', 'required': True},
    'principals': {'type': 'list', 'elements': 'str'},
    'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    'options': {
        'type': 'dict',
        'default': {},
        'options': role_options_spec(),
    },
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        setting = self._setting()
        params = self._params()
        label = '%s.access_setting' % COLLECTION

        target = load_action(self, setting['module'])
        args = setting_target_arguments(setting, params, accepted_options(target), label)
        summary = setting_summary(setting)
        summary['module_args'] = dict(args)
        # ansible_check_mode only reflects --check; this says what the task really ran in (play-level check_mode).
        summary['check_mode'] = bool(self._task.check_mode)

        try:
            result = run_action(target, args, task_vars)
        except AnsibleActionFail as e:
            # Keep the target's message and error code; say which setting it was.
            carried = {k: v for k, v in e.result.items() if k not in ('failed', 'msg')}
            summary['scope'] = failed_scope(setting, target)
            carried['ipam_setting'] = summary
            raise AnsibleActionFail('%s: %s' % (setting['id'], e.message), result=carried) from e

        summary['scope'] = effective_scope(setting, result)
        result['ipam_setting'] = summary
        return result

    def _setting(self) -> dict[str, t.Any]:
        """The catalog entry; an unknown id is refused before anything else happens."""
        setting_id = self._task.args.get('setting')
        if not isinstance(setting_id, str) or setting_id not in SETTINGS_BY_ID:
            raise AnsibleActionFail('%s.access_setting: unknown setting %r; valid settings: %s' % (
                COLLECTION, setting_id, ', '.join(SETTINGS_BY_ID)))
        return SETTINGS_BY_ID[setting_id]

    def _params(self) -> dict[str, t.Any]:
        return validated_setting_params(self._task, ARGUMENT_SPEC, '%s.access_setting' % COLLECTION)
