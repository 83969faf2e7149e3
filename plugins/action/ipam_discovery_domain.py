# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_discovery_domain: the AD domains IPAM discovers servers in.

The read reports the domain's discovery switches (or that it is not configured) and whether the
IPAM server can contact that AD domain at all. A domain it cannot contact is refused before
anything is written: IPAM would store it and then discover nothing, silently.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_server_vocabulary import check_fqdn
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

SWITCHES = ('discover_dc', 'discover_dns', 'discover_dhcp')


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_discovery_domain'
    ARGUMENT_SPEC = {
        'name': {'type': 'str', 'required': True},
        # Add-IpamDiscoveryDomain's defaults (IF 9): discover everything.
        'discover_dc': {'type': 'bool', 'default': True},
        'discover_dns': {'type': 'bool', 'default': True},
        'discover_dhcp': {'type': 'bool', 'default': True},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'name', 'change', 'discover_dc', 'discover_dns', 'discover_dhcp'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})
    PRINCIPAL_OPTIONS = ()

    _name = ''

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        self._name = check_fqdn(self.MODULE, 'name', params['name'], what='domain')
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': self._name}

    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        name = self._name
        current = state.get('domain')
        before = None if current is None else dict({'name': current.get('name') or name},
                                                   **{s: bool(current.get(s)) for s in SWITCHES})
        wanted = {s: bool(params[s]) for s in SWITCHES}
        apply_args: dict[str, t.Any] | None = None
        added: list[str] = []
        removed: list[str] = []
        updated: dict[str, bool] = {}
        if params['state'] == 'present':
            ad_domain = state.get('ad_domain') or {}
            if not ad_domain.get('reachable'):
                self._fail("the Active Directory domain '%s' does not exist or cannot be contacted from the IPAM server "
                           '(%s)' % (name, ad_domain.get('error') or 'no answer'))
            if before is None:
                after: dict[str, t.Any] | None = dict({'name': name}, **wanted)
                apply_args = dict({'name': name, 'change': 'add'}, **wanted)
                added.append(name)
            else:
                updated = {s: v for s, v in wanted.items() if before[s] != v}
                after = dict(before, **updated)
                if updated:
                    apply_args = dict({'name': before['name'], 'change': 'set'}, **updated)
        else:
            after = None
            if before is not None:
                apply_args = {'name': before['name'], 'change': 'remove'}
                removed.append(before['name'])

        domains = [d for d in state.get('domains') or [] if d.lower() not in {r.lower() for r in removed}] + added

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = reply.get('domain')
            if after is None and final is None:
                return {'domain': None}
            if after is None or final is None or any(bool(final.get(s)) != after[s] for s in SWITCHES):
                raise AnsibleActionFail('%s on %s: after the change IPAM reports the discovery domain %s as %r, '
                                        'not %r' % (self.MODULE, self.host_label, name, final, after))
            return {'domain': dict({'name': final.get('name') or name}, **{s: bool(final.get(s)) for s in SWITCHES})}

        return Plan(
            changed=apply_args is not None,
            result={'name': name, 'domain': after, 'added': added, 'removed': removed, 'updated': updated,
                    'domains': sorted(domains, key=str.lower), 'computer_domain': state.get('computer_domain')},
            apply_args=apply_args,
            before={'discovery_domain': before},
            after={'discovery_domain': after},
            verify=verify,
        )
