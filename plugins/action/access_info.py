# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.access_info: the host's IPAM facts, and optionally an audit of every setting.

One round trip reads the facts (domain role, installed roles, services, DHCP audit folder) and, with
``principals``, resolves the principals on the host; the server types are derived here. With
``principals`` and ``settings`` each catalog setting that applies is also audited by
running the module that owns it in forced check mode, in this process: its own read and plan
decide compliant or drift, so no module's read code is repeated and nothing is ever written.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    DHCP_GROUP_NAMES,
    SETTINGS,
    is_domain_controller,
    scope_of,
    settings_for,
)
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import AUDIT_STATUSES, SERVER_TYPES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.nested_action import (
    ROLE_OPTIONS,
    accepted_options,
    action_name,
    load_action,
    run_action,
    target_arguments,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

# Install-WindowsFeature name -> server type it makes the host (a DC is told by its domain role).
FEATURE_SERVER_TYPES = {'DHCP': 'dhcp', 'DNS': 'dns', 'NPAS': 'nps'}

# access_info option -> the catalog opt-in it switches on.
OPT_IN_OPTIONS = {'dns_standalone_admin': 'ipam_dns_standalone_admin'}
# Result keys of the modules that say what would change, besides added/removed.
_EXTRA_CHANGE_KEYS = ('created', 'actions')


def detected_server_types(installed_roles: t.Iterable[str], domain_role: int | None) -> list[str]:
    """The server types the host's roles make it, in catalog order."""
    found = {FEATURE_SERVER_TYPES[r] for r in installed_roles if r in FEATURE_SERVER_TYPES}
    if is_domain_controller(domain_role):
        found.add('dc')
    return [s for s in SERVER_TYPES if s in found]


def setting_changes(result: dict[str, t.Any]) -> dict[str, t.Any]:
    """What a module's check-mode result would add and remove; firewall_rules says 'enabled'/'disabled'."""
    changes = {
        'added': list(result['added'] if 'added' in result else result.get('enabled') or []),
        'removed': list(result['removed'] if 'removed' in result else result.get('disabled') or []),
    }
    for key in _EXTRA_CHANGE_KEYS:
        if result.get(key):
            changes[key] = result[key]
    return changes


def opt_in_reason(setting: dict[str, t.Any]) -> str:
    option = next((o for o, opt_in in OPT_IN_OPTIONS.items() if opt_in == setting.get('opt_in')), None)
    if option is None:
        return 'opt-in %s is off' % setting.get('opt_in')
    return 'not requested: an opt-in; set options.%s: true to audit it' % option


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.access_info'
    ARGUMENT_SPEC = {
        'principals': {'type': 'list', 'elements': 'str'},
        'settings': {'type': 'bool', 'default': True},
        'server_types': {'type': 'list', 'elements': 'str', 'choices': list(SERVER_TYPES)},
        'options': {
            # apply_defaults, not default: {}: the validator fills a default dict in place, which would
            # change this class attribute for every later task.
            'type': 'dict',
            'apply_defaults': True,
            'options': {
                'dhcp_group': {'type': 'str', 'choices': list(DHCP_GROUP_NAMES), 'default': 'users'},
                'remove_everyone': {'type': 'bool', 'default': False},
                'dns_standalone_admin': {'type': 'bool', 'default': False},
                'allow_broad_principals': {'type': 'bool', 'default': False},
            },
        },
    }
    REMOTE_OPTIONS = frozenset({'mode', 'principals'})
    REMOTE_REQUIRED = frozenset({'mode'})
    READ_ONLY = True

    _params: dict[str, t.Any] = {}

    # ------------------------------------------------------------------ arguments
    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if params['principals'] is not None and not params['principals']:
            raise AnsibleActionFail('%s: option principals must not be empty; leave it out to read the host facts only'
                                    % self.MODULE)
        if params['server_types'] is not None and not params['server_types']:
            raise AnsibleActionFail('%s: option server_types must not be empty; leave it out to audit the detected '
                                    'server types' % self.MODULE)
        self._params = params
        return params, no_log_values

    # ------------------------------------------------------------------ the read
    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'principals': params['principals']}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        host = state.get('host')
        roles = state.get('installed_roles')
        if not isinstance(host, dict) or not isinstance(roles, list):
            raise AnsibleActionFail('%s on %s: the host returned no host facts or installed roles: %r' % (
                self.MODULE, self.host_label, self.public(state)))
        domain_role = host.get('domain_role')
        detected = detected_server_types(roles, domain_role)
        result = {
            'host': host,
            'domain': state.get('domain'),
            'os': state.get('os'),
            'installed_roles': roles,
            'services': state.get('services') or {},
            'dhcp_audit_path': state.get('dhcp_audit_path'),
            'detected_server_types': detected,
            'is_domain_controller': is_domain_controller(domain_role),
            'server_types': [s for s in SERVER_TYPES if s in (params['server_types'] or detected)],
        }
        if params['principals']:
            # As the host resolved them: a name that did not map has sid null and the Windows error.
            result['principals'] = [{k: p.get(k) for k in ('input', 'sid', 'name', 'error')}
                                    for p in state.get('principals') or [] if isinstance(p, dict)]
        return Plan(changed=False, result=result)

    # ------------------------------------------------------------------ the run
    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        params = self._params
        settings: list[dict[str, t.Any]] = []
        if params['principals'] and params['settings']:
            settings = self.audit_settings(params, result, task_vars or {})
        elif params['server_types'] is not None or self._task.args.get('options'):
            result.setdefault('warnings', []).append(
                '%s: server_types and options only shape the audit of the access settings, which runs when '
                'principals is given and settings is true' % self.MODULE)
        result['settings'] = settings
        result['summary'] = {status: sum(1 for s in settings if s['status'] == status) for status in AUDIT_STATUSES}
        result['changed'] = False  # an audit: whatever a setting would change is reported, never done
        return result

    # ------------------------------------------------------------------ the audit
    def audit_settings(self, params: dict[str, t.Any], facts: dict[str, t.Any],
                       task_vars: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """One entry per catalog setting of the server types, in catalog order."""
        options = params['options'] or {}
        types = facts['server_types']
        domain_role = facts['host'].get('domain_role')
        opt_ins = [opt_in for option, opt_in in OPT_IN_OPTIONS.items() if options.get(option)]
        chosen = {s['id'] for s in settings_for(types, domain_role, opt_ins)}
        every_opt_in = [s['opt_in'] for s in SETTINGS if s.get('opt_in')]
        entries = []
        for setting in settings_for(types, domain_role, every_opt_in):
            entry = {
                'setting': setting['id'],
                'title': setting['title'],
                'module': action_name(setting['module']),
                'server_types': [s for s in types if s in setting['server_types']],
                'scope': scope_of(setting, domain_role),
                'access_type': setting['access_type'],
                'status': 'not_applicable',
                'changes': {'added': [], 'removed': []},
                'msg': '',
            }
            if setting['id'] in chosen:
                entry.update(self.audit_one(setting, params, options, task_vars))
            else:
                entry['msg'] = opt_in_reason(setting)
            entries.append(entry)
        return entries

    def audit_one(self, setting: dict[str, t.Any], params: dict[str, t.Any], options: dict[str, t.Any],
                  task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        """Run the setting's module in check mode; its plan says compliant or drift."""
        # Forced check mode: the audit never writes, whatever the task's own check_mode is.
        plugin = load_action(self, setting['module'], check_mode=True, diff=False)
        args = self.setting_arguments(setting, params['principals'], options, accepted_options(plugin))
        try:
            outcome = run_action(plugin, args, task_vars)
        except AnsibleActionFail as e:  # a connection failure is no AnsibleActionFail: it fails the whole task
            return {'status': 'failed', 'msg': str(e.message)}
        if outcome.get('failed'):
            return {'status': 'failed', 'msg': str(outcome.get('msg') or 'failed without a message')}
        if outcome.get('changed'):
            return {'status': 'drift', 'changes': setting_changes(outcome)}
        return {'status': 'compliant', 'changes': setting_changes(outcome)}

    @staticmethod
    def setting_arguments(setting: dict[str, t.Any], principals: list[str], options: dict[str, t.Any],
                          accepted: frozenset[str] | None) -> dict[str, t.Any]:
        """The module's options: routed exactly as access_setting routes role options, with state present."""
        routed = {option: value for option, value in options.items() if option in ROLE_OPTIONS}
        return target_arguments(setting, {'options': routed, 'principals': principals, 'state': 'present'}, accepted)
