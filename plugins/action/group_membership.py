# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.group_membership: principals in a local (or, on a DC, domain) group."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    ADMINISTRATORS_SID,
    EVENT_LOG_READERS_SID,
    REMOTE_MANAGEMENT_USERS_SID,
    is_domain_controller,
)
from ansible_collections.ipam.provisioning.plugins.module_utils.principals import is_sid
from ansible_collections.ipam.provisioning.plugins.plugin_utils.membership_action import MEMBERSHIP_OPTIONS, MembershipAction

# Friendly names for the builtin groups IPAM needs; their SIDs are the same in every language.
GROUP_ALIASES = {
    'event_log_readers': EVENT_LOG_READERS_SID,
    'remote_management_users': REMOTE_MANAGEMENT_USERS_SID,
    'administrators': ADMINISTRATORS_SID,
}


def group_target(group: str) -> str:
    """What is sent to the host: the SID of an alias, a SID in canonical case, or the name as given."""
    text = group.strip()
    if text.lower() in GROUP_ALIASES:
        return GROUP_ALIASES[text.lower()]
    if is_sid(text):
        return text.upper()
    return text


class ActionModule(MembershipAction):
    MODULE = 'ipam.provisioning.group_membership'
    ARGUMENT_SPEC = dict(
        MEMBERSHIP_OPTIONS,
        # 'name' is what ansible.windows.win_group_membership calls the group.
        group={'type': 'str', 'required': True, 'aliases': ['name']},
    )
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'group', 'add', 'remove', 'record_add', 'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'group'})

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        group = params['group']
        # ',' and '/' never occur in a group name, and would change the WinNT path the host binds it with.
        if not group.strip() or ',' in group or '/' in group:
            raise AnsibleActionFail('%s: option group: %r is not a group SID, alias (%s) or group name' % (
                self.MODULE, group, ', '.join(sorted(GROUP_ALIASES))))
        if group.strip().upper().startswith('S-1-') and not is_sid(group.strip()):
            raise AnsibleActionFail('%s: option group: %r is not a valid SID string' % (self.MODULE, group))
        return params, no_log_values

    def group_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'group': group_target(params['group'])}

    def describe_group(self, params: dict[str, t.Any]) -> str:
        target = group_target(params['group'])
        if target != params['group']:
            return "group '%s' (%s)" % (params['group'], target)
        return "group '%s'" % target

    def missing_group_message(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        dc = is_domain_controller((state.get('host') or {}).get('domain_role'))
        where = 'in the domain' if dc else 'among the local groups'
        return '%s was not found %s of this host' % (self.describe_group(params), where)

    def plan_warnings(self, params: dict[str, t.Any], state: dict[str, t.Any], group: dict[str, t.Any],
                      changed: bool) -> list[str]:
        if group['sid'] != ADMINISTRATORS_SID or params['state'] != 'present':
            return []
        return ["%s: membership in '%s' (%s) gives full control of %s; Microsoft calls this 'not recommended' and "
                "needs it only for DNS servers that are not domain controllers. Prefer a domain controller's "
                "DNS ACL (dns_domain_acl) where possible." % (self.MODULE, group['name'], ADMINISTRATORS_SID,
                                                              'the domain' if group['scope'] == 'domain' else self.host_label)]
