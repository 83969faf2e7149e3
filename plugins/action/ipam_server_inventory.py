# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_server_inventory: server types and manageability in IPAM.

One read returns the requested servers from the IPAM server inventory; one apply sets what differs
(Set-IpamServerInventory), adds what IPAM cannot discover (Add-IpamServerInventory, which IPAM
needs for NPS servers) and removes servers asked to be absent (Remove-IpamServerInventory). A
server that is not in the inventory and is not an NPS server has not been discovered: that is a
failure naming it, not something to paper over with an Add.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import IPAM_SERVER_ROLES, MANAGEABILITY, SERVER_TYPES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_server_vocabulary import (
    DISCOVERY_HINT,
    check_fqdn,
    manageability_name,
    roles_from_types,
    types_from_roles,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_server_inventory'
    ARGUMENT_SPEC = {
        'servers': {
            'type': 'list', 'elements': 'dict', 'required': True,
            'options': {
                'name': {'type': 'str', 'required': True},
                'server_types': {'type': 'list', 'elements': 'str', 'choices': list(SERVER_TYPES)},
                'keep_server_types': {'type': 'list', 'elements': 'str', 'choices': list(SERVER_TYPES)},
                'manageability': {'type': 'str', 'choices': list(MANAGEABILITY)},
                'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
            },
        },
    }
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'names', 'add', 'set', 'remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'names'})
    PRINCIPAL_OPTIONS = ()

    _servers: list[dict[str, t.Any]] = []
    _kept: list[str] = []

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if not params['servers']:
            raise AnsibleActionFail('%s: option servers must name at least one server' % self.MODULE)
        servers: list[dict[str, t.Any]] = []
        seen: set[str] = set()
        for index, entry in enumerate(params['servers']):
            name = check_fqdn(self.MODULE, 'servers[%d].name' % index, entry['name'])
            if name.lower() in seen:
                raise AnsibleActionFail("%s: option servers: '%s' is given twice" % (self.MODULE, name))
            seen.add(name.lower())
            types = entry.get('server_types')
            if entry['state'] == 'absent' and (types is not None or entry.get('manageability') is not None):
                raise AnsibleActionFail("%s: option servers[%d]: server_types and manageability do not apply to a server "
                                        "removed from the inventory (state: absent)" % (self.MODULE, index))
            if types is not None and not types:
                raise AnsibleActionFail("%s: option servers[%d].server_types: give at least one of %s, or leave it out "
                                        "to keep the server's types" % (self.MODULE, index, ', '.join(SERVER_TYPES)))
            keep = entry.get('keep_server_types') or []
            if entry['state'] == 'absent' and keep:
                raise AnsibleActionFail("%s: option servers[%d]: keep_server_types does not apply to a server removed "
                                        "from the inventory (state: absent)" % (self.MODULE, index))
            servers.append({'name': name, 'server_types': [s for s in SERVER_TYPES if s in set(types)] if types else None,
                            'keep_server_types': [s for s in SERVER_TYPES if s in set(keep)],
                            'manageability': entry.get('manageability'), 'state': entry['state']})
        self._servers = servers
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'names': [s['name'] for s in self._servers]}

    @staticmethod
    def _current(entry: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        if not entry or not entry.get('exists'):
            return None
        return {'server_types': types_from_roles(entry.get('server_types')),
                'manageability': manageability_name(entry.get('manageability'))}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        found = {str(s.get('name', '')).lower(): s for s in state.get('servers') or []}
        self._kept = []
        add: list[dict[str, t.Any]] = []
        changes: list[dict[str, t.Any]] = []
        remove: list[str] = []
        results: list[dict[str, t.Any]] = []
        undiscovered: list[str] = []
        no_types: list[str] = []
        for wanted in self._servers:
            before = self._current(found.get(wanted['name'].lower()))
            if wanted['state'] == 'absent':
                if before is not None:
                    remove.append(found[wanted['name'].lower()].get('name') or wanted['name'])
                results.append({'name': wanted['name'], 'before': before, 'after': None, 'added': False,
                                'changed': before is not None, 'removed': before is not None})
                continue
            if before is None:
                if wanted['server_types'] is None:
                    no_types.append(wanted['name'])
                    continue
                if 'nps' not in wanted['server_types']:
                    undiscovered.append('%s (%s)' % (wanted['name'], ', '.join(wanted['server_types'])))
                    continue
                after = {'server_types': wanted['server_types'], 'manageability': wanted['manageability'] or 'unspecified'}
                add.append({'name': wanted['name'], 'server_types': roles_from_types(after['server_types']),
                            'manageability': MANAGEABILITY[wanted['manageability']] if wanted['manageability'] else None})
                results.append({'name': wanted['name'], 'before': None, 'after': after, 'added': True, 'changed': True,
                                'removed': False})
                continue
            after = dict(before)
            change: dict[str, t.Any] = {}
            types = wanted['server_types']
            if types is not None:
                # A type IPAM has is never taken away when the request says to keep it (its inventory group is
                # missing, empty or misspelled: that is no decision about the server).
                kept = [s for s in wanted['keep_server_types'] if s in before['server_types'] and s not in types]
                if kept:
                    types = [s for s in SERVER_TYPES if s in set(types) | set(kept)]
                    self._kept.append('%s (%s)' % (wanted['name'], ', '.join(IPAM_SERVER_ROLES[s] for s in kept)))
            if types is not None and set(types) != set(before['server_types']):
                after['server_types'] = types
                change['server_types'] = roles_from_types(types)
            if wanted['manageability'] is not None and wanted['manageability'] != before['manageability']:
                after['manageability'] = wanted['manageability']
                change['manageability'] = MANAGEABILITY[wanted['manageability']]
            if change:
                changes.append(dict(change, name=found[wanted['name'].lower()].get('name') or wanted['name']))
            results.append({'name': wanted['name'], 'before': before, 'after': after, 'added': False,
                            'changed': bool(change), 'removed': False})
        if undiscovered or no_types:
            problems = []
            if undiscovered:
                problems.append('not in the IPAM server inventory, and IPAM adds only NPS servers by hand: %s; %s'
                                % (', '.join(undiscovered), DISCOVERY_HINT))
            if no_types:
                problems.append('not in the IPAM server inventory and no server_types given to add: %s'
                                % ', '.join(no_types))
            raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, '; '.join(problems)))

        changed = bool(add or changes or remove)
        expected = {r['name'].lower(): r['after'] for r in results}

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = {str(s.get('name', '')).lower(): self._current(s) for s in reply.get('servers') or []}
            wrong = [name for name, after in expected.items()
                     if (after is None) != (final.get(name) is None) or after is not None and (
                         set(final[name]['server_types']) != set(after['server_types'])
                         or final[name]['manageability'] != after['manageability'])]
            if wrong:
                raise AnsibleActionFail('%s on %s: after the change, IPAM reports %s differently from the plan: %s' % (
                    self.MODULE, self.host_label, ', '.join(wrong), {n: final.get(n) for n in wrong}))
            return {}

        warnings = []
        if self._kept:
            warnings.append('%s on %s: IPAM keeps server types that server_types leaves out, because keep_server_types '
                            'names them: %s' % (self.MODULE, self.host_label, ', '.join(self._kept)))
        return Plan(
            changed=changed,
            result={'servers': results, 'added': [r['name'] for r in results if r['added']],
                    'removed': [r['name'] for r in results if r['removed']],
                    'updated': [r['name'] for r in results if r['changed'] and not (r['added'] or r['removed'])]},
            apply_args={'names': [s['name'] for s in self._servers], 'add': add or None, 'set': changes or None,
                        'remove': remove or None} if changed else None,
            before={'servers': {r['name']: r['before'] for r in results}},
            after={'servers': {r['name']: r['after'] for r in results}},
            verify=verify,
            warnings=warnings,
        )
