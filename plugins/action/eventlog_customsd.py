# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.eventlog_customsd: read access for principals on a classic event log."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import DNS_EVENT_LOG, EVENTLOG_READ_RIGHTS
from ansible_collections.ipam.provisioning.plugins.plugin_utils.sddl_ace_action import COMMON_OPTIONS, SddlAceAction

EVENTLOG_KEY = r'HKLM\SYSTEM\CurrentControlSet\Services\EventLog'
CUSTOMSD_VALUE = 'CustomSD'


def log_key(log: str) -> str:
    """The registry key of a classic event log, as Windows and the docs spell it."""
    return '%s\\%s' % (EVENTLOG_KEY, log)


class ActionModule(SddlAceAction):
    MODULE = 'ipam.provisioning.eventlog_customsd'
    ARGUMENT_SPEC = dict(
        COMMON_OPTIONS,
        log={'type': 'str', 'default': DNS_EVENT_LOG},
        rights={'type': 'str', 'default': EVENTLOG_READ_RIGHTS},
    )
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'log', 'sddl', 'record_add', 'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'log'})

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        log = params['log']
        # The log name is one registry key name below EventLog: a backslash would address another key.
        if not log.strip() or '\\' in log or log != log.strip():
            raise AnsibleActionFail("%s: option log: '%s' is not an event log name (one registry key name below %s, "
                                    "no backslash, no leading or trailing blanks)" % (self.MODULE, log, EVENTLOG_KEY))
        return params, no_log_values

    def target_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'log': params['log']}

    def describe(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        return "the %s value of event log '%s'" % (CUSTOMSD_VALUE, params['log'])

    def missing_reason(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str | None:
        log = params['log']
        if not state.get('exists'):
            hint = ' (the DNS Server role may not be installed)' if log.casefold() == DNS_EVENT_LOG.casefold() else ''
            return "event log '%s' does not exist: there is no registry key %s%s" % (log, log_key(log), hint)
        if state.get('sddl') is None:
            # Windows then uses the log's built-in default; writing a whole descriptor would have to
            # invent that default, which this module never does.
            return ("event log '%s' has no %s value in %s, so there is no descriptor to add to; this module never "
                    "writes a whole descriptor of its own. Set the value first (for example to the log's current "
                    "channelAccess from 'wevtutil gl \"%s\"'), then run this task again" % (
                        log, CUSTOMSD_VALUE, log_key(log), log))
        return None

    def result_keys(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'log': params['log'], 'key': log_key(params['log'])}
