# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.firewall_rules: enable predefined rules by invariant Name.

Rules are addressed by ``Name`` only (DisplayName is localized). Enabling records the Names this
collection switched on in the host's record, so removal disables exactly those and keeps rules
that were enabled before (for example FPS-SMB-In-TCP on a domain controller).

The remote half reads the effective policy, where a rule a GPO delivers replaces the local rule of
the same Name (its ``source`` is then ``GroupPolicy``), and changes only the local store. A rule
Group Policy enables is therefore in force and left alone; one Group Policy disables cannot be put
in force by a local change, so the task fails before changing anything.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import firewall_rules_for
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SERVER_TYPES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

RECORD = r'HKLM:\SOFTWARE\ipam.provisioning FirewallRulesEnabled'
# Get-NetFirewallRule -Name takes wildcards; a pattern could silently address other rules.
_WILDCARDS = frozenset('*?[]')


def _from_policy(rule: dict[str, t.Any]) -> bool:
    """Whether the rule in force is one a GPO delivers (PolicyStoreSourceType GroupPolicy)."""
    return rule.get('source') == 'GroupPolicy'


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.firewall_rules'
    ARGUMENT_SPEC = {
        'names': {'type': 'list', 'elements': 'str'},
        'server_types': {'type': 'list', 'elements': 'str', 'choices': list(SERVER_TYPES)},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    MUTUALLY_EXCLUSIVE = [['names', 'server_types']]
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'names', 'enable', 'disable', 'record_add', 'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'names'})
    PRINCIPAL_OPTIONS = ()  # this module grants to no principal: the rules open ports to everyone they scope

    _rule_names: list[str] = []

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if params['server_types'] is not None:
            if not params['server_types']:
                raise AnsibleActionFail('%s: option server_types must not be empty' % self.MODULE)
            names = firewall_rules_for(params['server_types'])
        elif params['names'] is not None:
            names = params['names']
        else:
            raise AnsibleActionFail('%s: one of the following is required: names, server_types' % self.MODULE)
        unique: list[str] = []
        for name in names:
            name = name.strip() if isinstance(name, str) else name
            if not name:
                raise AnsibleActionFail('%s: option names: a rule Name must not be empty' % self.MODULE)
            if _WILDCARDS.intersection(name):
                raise AnsibleActionFail("%s: option names: '%s' contains a wildcard; give exact rule Names "
                                        "(Get-NetFirewallRule | Select-Object Name, DisplayName)" % (self.MODULE, name))
            if name.casefold() not in {n.casefold() for n in unique}:  # Windows rule Names are case-insensitive
                unique.append(name)
        if not unique:
            raise AnsibleActionFail('%s: option names must not be empty' % self.MODULE)
        self._rule_names = unique  # derived, kept out of params so invocation shows what the user gave
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'names': self._rule_names}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        names = self._rule_names
        by_name = {str(r.get('name', '')).casefold(): r for r in state.get('rules') or []}
        missing = [n for n in names if not (by_name.get(n.casefold()) or {}).get('exists')]
        if missing:
            raise AnsibleActionFail('%s on %s: no firewall rule with Name %s exists; nothing was changed '
                                    '(rules are matched by their invariant Name, not the localized DisplayName)' % (
                                        self.MODULE, self.host_label, ', '.join("'%s'" % n for n in missing)))
        rules = [dict(by_name[n.casefold()]) for n in names]
        blocked = [r['name'] for r in rules if not r['enabled'] and _from_policy(r)]
        if params['state'] == 'present' and blocked:
            raise AnsibleActionFail('%s on %s: Group Policy disables firewall rule(s) %s, and a GPO rule overrides the '
                                    'local rule of the same Name; nothing was changed (enable the rule in the GPO, or '
                                    'stop the GPO from delivering it)' % (
                                        self.MODULE, self.host_label, ', '.join("'%s'" % n for n in blocked)))
        recorded = list(state.get('recorded') or [])
        in_record = {n.casefold() for n in recorded}

        enable: list[str] = []
        disable: list[str] = []
        record_add: list[str] = []
        record_remove: list[str] = []
        kept: list[dict[str, t.Any]] = []
        if params['state'] == 'present':
            for rule in rules:
                if not rule['enabled']:
                    enable.append(rule['name'])
                    if rule['name'].casefold() not in in_record:
                        record_add.append(rule['name'])
        else:
            for rule in rules:
                if rule['name'].casefold() in in_record:
                    # The effective state of a GPO's rule says nothing of the local rule this collection
                    # enabled: that one is disabled either way (a no-op when it already is).
                    if rule['enabled'] or _from_policy(rule):
                        disable.append(rule['name'])
                    if rule['enabled'] and _from_policy(rule):
                        kept.append({'name': rule['name'], 'display_name': rule.get('display_name'),
                                     'reason': 'Group Policy enables it; the local rule this collection enabled '
                                               'is disabled, the GPO keeps the rule in force'})
                    record_remove.append(rule['name'])  # also a stale entry of a rule someone disabled since
                elif rule['enabled']:
                    reason = 'enabled before this collection enabled it (not in %s); left enabled' % RECORD
                    if _from_policy(rule):
                        reason = 'enabled by Group Policy, not by this collection (not in %s); left enabled' % RECORD
                    kept.append({'name': rule['name'], 'display_name': rule.get('display_name'), 'reason': reason})

        # What the effective policy shows after the apply: a local disable does not reach a rule a GPO enables.
        from_policy = {r['name'].casefold() for r in rules if _from_policy(r)}
        changes = {n.casefold(): True for n in enable}
        changes.update({n.casefold(): False for n in disable if n.casefold() not in from_policy})
        after_rules = [dict(r, enabled=changes.get(r['name'].casefold(), r['enabled'])) for r in rules]
        after_record = [n for n in recorded if n.casefold() not in {r.casefold() for r in record_remove}] + record_add
        changed = bool(enable or disable or record_add or record_remove)
        apply_args = None
        if changed:
            apply_args = {'names': names, 'enable': enable or None, 'disable': disable or None,
                          'record_add': record_add or None, 'record_remove': record_remove or None}
        result = {
            'rules': [self._public_rule(r) for r in after_rules],
            'enabled': enable, 'disabled': disable, 'kept': kept, 'recorded': after_record,
        }

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = {str(r.get('name', '')).casefold(): r for r in reply.get('rules') or []}
            wrong = [n for n, want in changes.items() if bool((final.get(n) or {}).get('enabled')) is not want]
            if wrong:
                raise AnsibleActionFail('%s on %s: after the change, rule(s) %s do not have the planned Enabled state' % (
                    self.MODULE, self.host_label, ', '.join(sorted(wrong))))
            return {'rules': [self._public_rule(final.get(n.casefold()) or {'name': n}) for n in names],
                    'recorded': list(reply.get('recorded') or [])}

        return Plan(
            changed=changed, result=result, apply_args=apply_args,
            before={'rules': {r['name']: bool(r['enabled']) for r in rules}},
            after={'rules': {r['name']: bool(r['enabled']) for r in after_rules}},
            verify=verify,
        )

    @staticmethod
    def _public_rule(rule: dict[str, t.Any]) -> dict[str, t.Any]:
        return {k: rule.get(k) for k in ('name', 'display_name', 'enabled', 'group', 'display_group')}
