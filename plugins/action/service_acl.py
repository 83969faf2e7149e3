# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.service_acl: read access for principals on a Windows service."""
from __future__ import annotations

import typing as t

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SERVICE_READ_RIGHTS
from ansible_collections.ipam.provisioning.plugins.plugin_utils.sddl_ace_action import COMMON_OPTIONS, SddlAceAction


class ActionModule(SddlAceAction):
    MODULE = 'ipam.provisioning.service_acl'
    ARGUMENT_SPEC = dict(
        COMMON_OPTIONS,
        name={'type': 'str', 'required': True},
        rights={'type': 'str', 'default': SERVICE_READ_RIGHTS},
    )
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'name', 'sddl', 'record_add', 'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})

    def target_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': params['name']}

    def describe(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        return "service '%s'" % params['name']

    def result_keys(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': params['name'], 'display_name': state.get('display_name')}
