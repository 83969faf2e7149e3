# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_server_task: start IPAM's scheduled tasks on demand.

Starting a task is an action, so a start is always a change; a task that is already running is
not started again (Task Scheduler would ignore it) and is reported as such. ServerDiscovery is the
console's "Refresh Server Access Status"; ``retrieve_all`` starts every IPAM task, the console's
"Retrieve All Server Data". Check mode reads the tasks and reports what would start.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

TASK_PATH = '\\Microsoft\\Windows\\IPAM\\'
# The scheduled tasks IPAM creates under TASK_PATH (IF 9: M-GS, M-ARCH, PR0MPT).
TASK_NAMES = ('ServerDiscovery', 'ServerConfiguration', 'AddressUtilization', 'AddressExpiry', 'Audit',
              'ServerAvailability', 'ServiceMonitoring')


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_server_task'
    ARGUMENT_SPEC = {
        'tasks': {'type': 'list', 'elements': 'str'},
        'retrieve_all': {'type': 'bool', 'default': False},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'names', 'start'})
    REMOTE_REQUIRED = frozenset({'mode', 'names'})
    PRINCIPAL_OPTIONS = ()

    _names: list[str] = []

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if params['retrieve_all'] and params['tasks']:
            raise AnsibleActionFail('%s: parameters are mutually exclusive: tasks|retrieve_all' % self.MODULE)
        if params['retrieve_all']:
            self._names = list(TASK_NAMES)
            return params, no_log_values
        if not params['tasks']:
            raise AnsibleActionFail('%s: give the tasks to start (%s), or retrieve_all: true' % (
                self.MODULE, ', '.join(TASK_NAMES)))
        canonical = {n.lower(): n for n in TASK_NAMES}
        names: list[str] = []
        unknown = []
        for task in params['tasks']:
            found = canonical.get(str(task).strip().lower())
            if found is None:
                unknown.append(str(task))
            elif found not in names:
                names.append(found)
        if unknown:
            raise AnsibleActionFail('%s: option tasks: unknown IPAM task(s) %s; the IPAM tasks are %s' % (
                self.MODULE, ', '.join("'%s'" % u for u in unknown), ', '.join(TASK_NAMES)))
        self._names = names
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'names': self._names}

    @staticmethod
    def _public(task: dict[str, t.Any]) -> dict[str, t.Any]:
        return {k: task.get(k) for k in ('name', 'path', 'enabled', 'state', 'last_run_time', 'last_task_result')}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        by_name = {str(task.get('name', '')).lower(): task for task in state.get('tasks') or []}
        tasks = [by_name.get(n.lower()) or {'name': n, 'exists': False} for n in self._names]
        missing = [task['name'] for task in tasks if not task.get('exists')]
        if missing:
            raise AnsibleActionFail('%s on %s: no scheduled task %s under %s; is the IPAM server provisioned '
                                    '(Invoke-IpamServerProvisioning)? Nothing was started' % (
                                        self.MODULE, self.host_label, ', '.join(missing), TASK_PATH))
        disabled = [task['name'] for task in tasks if not task.get('enabled')]
        if disabled:
            raise AnsibleActionFail('%s on %s: the IPAM task(s) %s are disabled; enable them (Enable-ScheduledTask '
                                    "-TaskPath '%s') or leave them out. Nothing was started" % (
                                        self.MODULE, self.host_label, ', '.join(disabled), TASK_PATH))
        running = [task['name'] for task in tasks if task.get('state') == 'Running']
        start = [task['name'] for task in tasks if task.get('state') != 'Running']

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            return {'tasks': [self._public(task) for task in reply.get('tasks') or []]}

        return Plan(
            changed=bool(start),
            result={'tasks': [self._public(task) for task in tasks], 'started': start, 'already_running': running},
            apply_args={'names': self._names, 'start': start} if start else None,
            before={'tasks': {task['name']: task.get('state') for task in tasks}},
            after={'tasks': {task['name']: 'Running' if task['name'] in start else task.get('state') for task in tasks}},
            verify=verify,
        )
