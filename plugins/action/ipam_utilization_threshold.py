# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_utilization_threshold: IPAM's address utilization thresholds.

Get/Set-IpamAddressUtilizationThreshold: the percentages below which IPAM calls a block, subnet
or range under-utilized and above which over-utilized (20 and 80 on a new IPAM server). An option
left out keeps its value; the thresholds that result must leave over at or above under.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

OPTIONS = ('under_utilization', 'over_utilization')


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_utilization_threshold'
    ARGUMENT_SPEC = {
        'under_utilization': {'type': 'int'},
        'over_utilization': {'type': 'int'},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'under_utilization', 'over_utilization'})
    REMOTE_REQUIRED = frozenset({'mode'})
    PRINCIPAL_OPTIONS = ()

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if all(params[o] is None for o in OPTIONS):
            raise AnsibleActionFail('%s: one of the following is required: %s' % (self.MODULE, ', '.join(OPTIONS)))
        for option in OPTIONS:
            if params[option] is not None and not 0 <= params[option] <= 100:
                raise AnsibleActionFail('%s: option %s is a percentage (0-100), got %d' % (self.MODULE, option, params[option]))
        problem = self._crossed(params['under_utilization'], params['over_utilization'])
        if problem:
            raise AnsibleActionFail('%s: %s' % (self.MODULE, problem))
        return params, no_log_values

    @staticmethod
    def _crossed(under: int | None, over: int | None) -> str | None:
        if under is not None and over is not None and over < under:
            return ('the overutilization threshold (%d) must not be lower than the underutilization threshold (%d)'
                    % (over, under))
        return None

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        before = {o: int(state[o]) for o in OPTIONS}
        after = {o: before[o] if params[o] is None else params[o] for o in OPTIONS}
        problem = self._crossed(after['under_utilization'], after['over_utilization'])
        if problem:
            kept = [o for o in OPTIONS if params[o] is None]
            raise AnsibleActionFail('%s on %s: %s (%s kept at its current value); nothing was changed' % (
                self.MODULE, self.host_label, problem, ', '.join(kept)))
        changes = {o: after[o] for o in OPTIONS if after[o] != before[o]}

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = {o: int(reply.get(o, -1)) for o in OPTIONS}
            if final != after:
                raise AnsibleActionFail('%s on %s: after the change IPAM reports thresholds %r, not %r' % (
                    self.MODULE, self.host_label, final, after))
            return dict(final)

        return Plan(
            changed=bool(changes),
            result=dict(after, changes=changes),
            apply_args=dict(changes) if changes else None,
            before=before,
            after=after,
            verify=verify,
        )
