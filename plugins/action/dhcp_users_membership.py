# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.dhcp_users_membership: principals in the DHCP role's DHCP Users group."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import DHCP_GROUP_LANGUAGES, DHCP_GROUP_NAMES, DHCP_SERVICE
from ansible_collections.ipam.provisioning.plugins.module_utils.principals import is_sid
from ansible_collections.ipam.provisioning.plugins.plugin_utils.membership_action import MEMBERSHIP_OPTIONS, MembershipAction

DEFAULT_GROUP = 'users'


class ActionModule(MembershipAction):
    MODULE = 'ipam.provisioning.dhcp_users_membership'
    ARGUMENT_SPEC = dict(
        MEMBERSHIP_OPTIONS,
        group={'type': 'str', 'choices': sorted(DHCP_GROUP_NAMES)},
        group_sid={'type': 'str'},
        group_name={'type': 'str'},
        restart_service={'type': 'bool', 'default': False},
    )
    MUTUALLY_EXCLUSIVE = [['group', 'group_sid', 'group_name']]
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'group_sid', 'group_names', 'add', 'remove', 'record_add', 'record_remove',
                                'restart_service'})
    REMOTE_REQUIRED = frozenset({'mode'})

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if params['group_sid'] is not None and not is_sid(params['group_sid'].strip()):
            raise AnsibleActionFail('%s: option group_sid: %r is not a SID string (S-1-5-21-...)' % (
                self.MODULE, params['group_sid']))
        # '\\' would need a translation first; ',' and '/' never occur in a group name and would change the
        # WinNT path the host binds it with.
        if params['group_name'] is not None and (not params['group_name'].strip()
                                                 or any(c in params['group_name'] for c in '\\,/')):
            raise AnsibleActionFail('%s: option group_name: %r is not a group name (give the name only, no '
                                    'DOMAIN\\ prefix, no \',\' or \'/\')' % (self.MODULE, params['group_name']))
        return params, no_log_values

    @staticmethod
    def _group_key(params: dict[str, t.Any]) -> str:
        return params.get('group') or DEFAULT_GROUP

    def group_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        if params['group_sid'] is not None:
            return {'group_sid': params['group_sid'].strip().upper()}
        if params['group_name'] is not None:
            return {'group_names': [params['group_name'].strip()]}
        return {'group_names': list(DHCP_GROUP_NAMES[self._group_key(params)])}

    def describe_group(self, params: dict[str, t.Any]) -> str:
        if params['group_sid'] is not None:
            return 'group %s' % params['group_sid'].strip().upper()
        if params['group_name'] is not None:
            return "group '%s'" % params['group_name'].strip()
        return 'the %s group' % DHCP_GROUP_NAMES[self._group_key(params)][0]

    def missing_group_message(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        what = self.describe_group(params)
        what = what[4:] if what.startswith('the ') else what
        if params['group_sid'] is None and params['group_name'] is None:
            names = DHCP_GROUP_NAMES[self._group_key(params)]
            return ('%s not found under its name in %s (%s). On a host in another language, name the group: option '
                    'group_name (role variable ipam_dhcp_group_name), for example Utenti DHCP on an Italian host, or '
                    'group_sid (ipam_dhcp_group_sid). If no such group exists, is the DHCP Server role installed? '
                    '(netsh dhcp add securitygroups / Add-DhcpServerSecurityGroup creates it)' % (
                        what, ', '.join(DHCP_GROUP_LANGUAGES),
                        ', '.join("'%s'" % n for n in names)))
        return ('%s not found: is the DHCP Server role installed? (netsh dhcp add securitygroups / '
                'Add-DhcpServerSecurityGroup creates it)' % what)

    # -- the DHCP Server service reads group membership when it starts (M-DHCP, M-GS)
    @staticmethod
    def _service(state: dict[str, t.Any]) -> dict[str, t.Any]:
        service = state.get('service') or {}
        return {'exists': bool(service.get('exists')), 'status': service.get('status')}

    @classmethod
    def _running(cls, state: dict[str, t.Any]) -> bool:
        # A stopped service reads the groups when it next starts: nothing to restart.
        return str(cls._service(state)['status']).lower() == 'running'

    def extra_result(self, params: dict[str, t.Any], state: dict[str, t.Any], changed: bool) -> dict[str, t.Any]:
        return {'service': self._service(state), 'restarted': False, 'restart_required': changed and self._running(state)}

    def extra_apply_args(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'restart_service': bool(params['restart_service'] and self._running(state))}

    def verify_extra(self, params: dict[str, t.Any], state: dict[str, t.Any], reply: dict[str, t.Any],
                     result: dict[str, t.Any]) -> dict[str, t.Any]:
        restarted = bool(reply.get('restarted'))
        service = self._service(reply) if reply.get('service') else result['service']
        members_changed = bool(result['added'] or result['removed'])  # not when only a stale record was forgotten
        extra = {'restarted': restarted, 'service': service,
                 'restart_required': members_changed and self._running(state) and not restarted}
        if reply.get('restart_error'):
            message = ('%s on %s: the members of %s were changed, but restarting the %s service failed: %s. '
                       'Restart it by hand so the change takes effect.' % (
                           self.MODULE, self.host_label, result['group']['name'], DHCP_SERVICE, reply['restart_error']))
            raise AnsibleActionFail(message, result=dict(result, changed=True, **extra))
        return extra

    def domain_note(self, group: dict[str, t.Any], present: bool) -> str:
        return (super().domain_note(group, present)
                + '; DHCP servers on the other domain controllers apply it only after their %s service restarts'
                % DHCP_SERVICE)

    def plan_warnings(self, params: dict[str, t.Any], state: dict[str, t.Any], group: dict[str, t.Any],
                      changed: bool) -> list[str]:
        # In check mode nothing changed yet: the result's restart_required says what a real run would need.
        if not changed or self._task.check_mode:
            return []
        if not self._running(state):
            if params['restart_service']:
                service = self._service(state)
                return ['%s: restart_service was requested, but the %s service on %s is %s; it was not restarted' % (
                    self.MODULE, DHCP_SERVICE, self.host_label, service['status'] if service['exists'] else 'not installed')]
            return []
        if not params['restart_service']:
            return ["%s: the %s service reads the membership of '%s' only when it starts: restart it (or set "
                    "restart_service: true, ipam_dhcp_restart: true for the roles) for the change to take effect"
                    % (self.MODULE, DHCP_SERVICE, group['name'])]
        return []
