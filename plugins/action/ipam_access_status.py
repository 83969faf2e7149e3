# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_access_status: what IPAM says about its access to each server.

Read only. IPAM refreshes access status asynchronously (its ServerDiscovery task), so the plugin
polls: each poll is one read of the whole inventory, repeated after ``delay`` seconds until the
ServerDiscovery task is no longer running and every requested server shows a checked status, at most
``retries`` more times. It then reports Blocked/Unblocked per server and access type, and fails on
Blocked only when asked to.
"""
from __future__ import annotations

import time
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import ACCESS_TYPES, BLOCKED, NOT_CHECKED, UNBLOCKED
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_server_vocabulary import (
    check_fqdn,
    manageability_name,
    status_name,
    types_from_roles,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

display = Display()


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_access_status'
    ARGUMENT_SPEC = {
        'servers': {'type': 'list', 'elements': 'str'},
        'retries': {'type': 'int', 'default': 10},
        'delay': {'type': 'int', 'default': 30},
        'fail_on_blocked': {'type': 'bool', 'default': False},
    }
    REMOTE_OPTIONS = frozenset({'mode'})
    REMOTE_REQUIRED = frozenset({'mode'})
    READ_ONLY = True
    PRINCIPAL_OPTIONS = ()

    _servers: list[str] | None = None

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        for option in ('retries', 'delay'):
            if params[option] < 0:
                raise AnsibleActionFail('%s: option %s must not be negative, got %d' % (self.MODULE, option, params[option]))
        self._servers = None
        if params['servers'] is not None:
            if not params['servers']:
                raise AnsibleActionFail('%s: option servers must not be empty; leave it out for every Managed server'
                                        % self.MODULE)
            names: list[str] = []
            for index, server in enumerate(params['servers']):
                name = check_fqdn(self.MODULE, 'servers[%d]' % index, server)
                if name.lower() not in {n.lower() for n in names}:
                    names.append(name)
            self._servers = names
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {}

    @staticmethod
    def _server(entry: dict[str, t.Any]) -> dict[str, t.Any]:
        server = {
            'name': entry.get('name'),
            'server_types': types_from_roles(entry.get('server_types')),
            'manageability': manageability_name(entry.get('manageability')),
            'overall': status_name(entry.get('overall')),
        }
        server.update({access_type: status_name(entry.get(access_type)) for access_type in ACCESS_TYPES})
        server['recommended_action'] = entry.get('recommended_action') or ''
        return server

    def _requested(self, servers: dict[str, dict[str, t.Any]]) -> list[str]:
        """Lower-case names of the servers to report; fails on names IPAM does not know or cannot check."""
        if self._servers is None:
            return [key for key, server in servers.items() if server['manageability'] == 'managed']
        unknown = [name for name in self._servers if name.lower() not in servers]
        if unknown:
            raise AnsibleActionFail('%s on %s: not in the IPAM server inventory: %s (add or discover them with '
                                    'ipam.provisioning.ipam_server_inventory / ipam_server_task)' % (
                                        self.MODULE, self.host_label, ', '.join(unknown)))
        unmanaged = [name for name in self._servers if servers[name.lower()]['manageability'] == 'unmanaged']
        if unmanaged:
            raise AnsibleActionFail('%s on %s: %s Unmanaged in IPAM, and IPAM does not check access to Unmanaged '
                                    'servers; mark them Managed with ipam.provisioning.ipam_server_inventory' % (
                                        self.MODULE, self.host_label, ', '.join(unmanaged) + (' is' if len(unmanaged) == 1 else ' are')))
        return [name.lower() for name in self._servers]

    @staticmethod
    def _waiting_for(refreshing: bool, unchecked: list[str]) -> str:
        waiting = []
        if refreshing:
            waiting.append('its ServerDiscovery task is still running')
        if unchecked:
            waiting.append('%s still show Not checked' % ', '.join(unchecked))
        return '; '.join(waiting)

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        polls = 1
        while True:
            servers = {str(e.get('name', '')).lower(): self._server(e) for e in state.get('servers') or []}
            requested = self._requested(servers)
            task = state.get('discovery_task') or {}
            refreshing = task.get('state') == 'Running'
            unchecked = [servers[n]['name'] for n in requested if servers[n]['overall'] == NOT_CHECKED]
            if not refreshing and not unchecked:
                break
            if polls > params['retries']:
                raise AnsibleActionFail(
                    '%s on %s: IPAM has not finished checking access after %d read(s), %d s apart: %s. Start '
                    'ServerDiscovery with ipam.provisioning.ipam_server_task, or allow more retries or a longer delay' % (
                        self.MODULE, self.host_label, polls, params['delay'], self._waiting_for(refreshing, unchecked)),
                    result={'servers': [servers[n] for n in requested], 'polls': polls})
            # A wait can last minutes (retries x delay): each read says what IPAM is still doing, as a retrying
            # `until` loop would, so an operator or an AWX job log does not look hung.
            display.display('%s: IPAM is still checking access (%s); read %d of %d, the next in %d s' % (
                self.host_label, self._waiting_for(refreshing, unchecked), polls, params['retries'] + 1, params['delay']))
            if params['delay']:
                time.sleep(params['delay'])
            state = self.call_remote('read', self.read_args(params))
            polls += 1

        report = [servers[n] for n in requested]
        blocked = [{'server': s['name'], 'access_type': access_type}
                   for s in report for access_type in ACCESS_TYPES if s[access_type] == BLOCKED]
        # The overall status can be Blocked for a reason no access type shows; say so rather than lose it.
        blocked += [{'server': s['name'], 'access_type': 'overall'} for s in report
                    if s['overall'] == BLOCKED and not any(b['server'] == s['name'] for b in blocked)]
        result = {
            'servers': report,
            'blocked': blocked,
            'all_unblocked': all(s['overall'] == UNBLOCKED for s in report),
            'polls': polls,
            'discovery_task': {k: task.get(k) for k in ('state', 'last_run_time', 'last_task_result')},
        }
        warnings = []
        if not report:
            warnings.append('%s on %s: IPAM manages no server yet (none is Managed), so there was nothing to check'
                            % (self.MODULE, self.host_label))
        if blocked and params['fail_on_blocked']:
            by_server: dict[str, list[str]] = {}
            for entry in blocked:
                by_server.setdefault(entry['server'], []).append(entry['access_type'])
            raise AnsibleActionFail('%s on %s: IPAM access is Blocked for %s' % (
                self.MODULE, self.host_label, '; '.join('%s (%s)' % (s, ', '.join(types)) for s, types in by_server.items())),
                result=result)
        return Plan(changed=False, result=result, warnings=warnings)
