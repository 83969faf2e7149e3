# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a result says about the catalog setting it applied (``ipam_setting``).

Shared by ``access_setting`` (one setting per task) and ``managed_server_access`` (every setting
of a host in one task), so that both give the report the same entries.
"""
from __future__ import annotations

import typing as t

from ansible.plugins.action import ActionBase

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import scope_of
from ansible_collections.ipam.provisioning.plugins.plugin_utils.nested_action import action_name


def setting_summary(setting: dict[str, t.Any]) -> dict[str, t.Any]:
    """What the result says about the catalog entry (``ipam_setting``)."""
    return {
        'id': setting['id'],
        'title': setting['title'],
        'scope': setting['scope'],
        'access_type': setting['access_type'],
        'module': action_name(setting['module']),
    }


def effective_scope(setting: dict[str, t.Any], result: dict[str, t.Any]) -> str:
    """'domain' when the host said the object is shared by the domain (a group on a DC), else the catalog's scope."""
    if setting['scope'] == 'domain':
        return 'domain'
    if setting.get('on_dc') == 'domain' and result.get('domain_wide'):
        return 'domain'
    return setting['scope']


def failed_scope(setting: dict[str, t.Any], target: ActionBase) -> str:
    """The scope of a setting whose module failed: from the domain role the module read, when it got that far.

    A failed module returns no ``domain_wide``; without this a group on a domain controller would be
    reported with the catalog's 'host' scope. Before any read the catalog's scope is all there is.
    """
    host = getattr(target, 'host_facts', None) or {}
    return scope_of(setting, host.get('domain_role'))
