# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_gpo_provisioning: Microsoft's GPO provisioning method.

The PowerShell half runs on the IPAM server and reports the IPAM configuration, the domain, the
three GPOs ``<prefix>_DHCP``, ``<prefix>_DNS`` and ``<prefix>_DC_NPS`` with every permission entry,
the computer accounts of the servers named in the task and the delegated GPO editors. This plugin
decides whether Invoke-IpamGpoProvisioning must run (only when none of the three exists: the cmdlet
fails when any does), which computers to add to or remove from each GPO's security filtering (the
GpoApply entries: IPAM's Managed/Unmanaged for the GPO method), which delegations are missing, and
on removal which GPOs this collection created and may delete.
"""
from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SERVER_TYPES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

# Invoke-IpamGpoProvisioning's GPO names and the server types each one provisions (ipam-facts.md section 7).
GPO_SUFFIXES = ('DHCP', 'DNS', 'DC_NPS')
GPO_SUFFIX_BY_SERVER_TYPE = {'dhcp': 'DHCP', 'dns': 'DNS', 'dc': 'DC_NPS', 'nps': 'DC_NPS'}
APPLY = 'GpoApply'
EDIT_ALL = 'GpoEditDeleteModifySecurity'
# Levels that already include editing (Set-GPPermission never lowers a higher level).
_EDITOR_LEVELS = frozenset({EDIT_ALL, 'GpoCustom'})
# GPO display names allow most characters; these would break the names or the cmdlets' quoting.
_PREFIX = re.compile(r'^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$')
_FQDN_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')

SERVER_OPTIONS = {
    'name': {'type': 'str', 'required': True},
    'server_types': {'type': 'list', 'elements': 'str', 'choices': list(SERVER_TYPES)},
}
# A managed server is never taken out of the GPO of a type its inventory group does not speak for
# (missing, empty or misspelled): ipam.provisioning.ipam_server gives those types.
MANAGED_SERVER_OPTIONS = dict(SERVER_OPTIONS, keep_server_types={'type': 'list', 'elements': 'str',
                                                                 'choices': list(SERVER_TYPES)})


def gpo_name(prefix: str, suffix: str) -> str:
    return '%s_%s' % (prefix, suffix)


def fqdn_problem(text: str) -> str | None:
    labels = text.rstrip('.').split('.')
    if len(text) > 253 or not all(_FQDN_LABEL.match(label) for label in labels):
        return 'is not a DNS host name'
    if len(labels) < 2:
        return 'is a short name; give the fully qualified name (for example dhcp01.corp.example.com)'
    return None


def ps_quote(text: str) -> str:
    """A value as it would be typed in PowerShell (quoted when it holds anything but name characters)."""
    return text if re.fullmatch(r'[A-Za-z0-9._\\$-]+', text) else "'%s'" % text.replace("'", "''")


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_gpo_provisioning'
    ARGUMENT_SPEC = {
        'domain': {'type': 'str', 'required': True},
        'gpo_prefix': {'type': 'str', 'required': True},
        'ipam_server_fqdn': {'type': 'str'},
        'delegated_gpo_users': {'type': 'list', 'elements': 'str', 'default': []},
        'delegated_gpo_groups': {'type': 'list', 'elements': 'str', 'default': []},
        'managed_servers': {'type': 'list', 'elements': 'dict', 'default': [], 'options': MANAGED_SERVER_OPTIONS},
        'unmanaged_servers': {'type': 'list', 'elements': 'dict', 'default': [], 'options': SERVER_OPTIONS},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'domain', 'gpo_prefix', 'token', 'principals', 'servers', 'provision',
                                'ipam_server_fqdn', 'delegated_gpo_users', 'delegated_gpo_groups', 'permissions',
                                'delete', 'record_created'})
    REMOTE_REQUIRED = frozenset({'mode', 'domain', 'gpo_prefix'})
    PRINCIPAL_OPTIONS = ('delegated_gpo_users', 'delegated_gpo_groups')

    # ------------------------------------------------------------------ arguments
    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        prefix = params['gpo_prefix']
        if not _PREFIX.match(prefix):
            raise AnsibleActionFail('%s: option gpo_prefix: %r must start with a letter or digit and hold at most 63 '
                                    'letters, digits, spaces, dots, underscores or hyphens' % (self.MODULE, prefix))
        if prefix.endswith('_'):
            raise AnsibleActionFail("%s: option gpo_prefix: %r ends with '_'; the GPOs are named <prefix>_DHCP, so "
                                    "give the prefix without it (%r)" % (self.MODULE, prefix, prefix.rstrip('_')))
        for suffix in GPO_SUFFIXES:
            if prefix.upper().endswith('_' + suffix):
                raise AnsibleActionFail('%s: option gpo_prefix: %r looks like a GPO name; give only the prefix (%r makes '
                                        '%s)' % (self.MODULE, prefix, prefix[:-len(suffix) - 1],
                                                 ', '.join(gpo_name(prefix[:-len(suffix) - 1], s) for s in GPO_SUFFIXES)))
        if '.' not in params['domain'].strip('.'):
            raise AnsibleActionFail('%s: option domain: %r is not a DNS domain name (for example corp.example.com)'
                                    % (self.MODULE, params['domain']))
        if params['ipam_server_fqdn'] is not None:
            problem = fqdn_problem(params['ipam_server_fqdn'])
            if problem:
                raise AnsibleActionFail('%s: option ipam_server_fqdn: %r %s' % (self.MODULE, params['ipam_server_fqdn'], problem))
        seen: dict[str, str] = {}
        for option in ('managed_servers', 'unmanaged_servers'):
            for server in params[option]:
                problem = fqdn_problem(server['name'])
                if problem:
                    raise AnsibleActionFail('%s: option %s: server %r %s' % (self.MODULE, option, server['name'], problem))
                if option == 'managed_servers' and not server['server_types']:
                    raise AnsibleActionFail('%s: option managed_servers: server %r needs server_types (some of %s)'
                                            % (self.MODULE, server['name'], ', '.join(SERVER_TYPES)))
                key = server['name'].rstrip('.').casefold()
                if key in seen:
                    raise AnsibleActionFail('%s: server %r is listed twice (in %s and %s)' % (
                        self.MODULE, server['name'], seen[key], option))
                seen[key] = option
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {
            'domain': params['domain'], 'gpo_prefix': params['gpo_prefix'],
            'principals': params['delegated_gpo_users'] + params['delegated_gpo_groups'],
            'servers': [s['name'] for s in params['managed_servers'] + params['unmanaged_servers']],
        }

    # ------------------------------------------------------------------ planning
    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def _check_host(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> None:
        ipam = state.get('ipam') or {}
        if not ipam.get('installed'):
            self._fail('%s is not an IPAM server: the IpamServer module is not available (%s); run this task on the '
                       'IPAM server' % (self.host_label, ipam.get('error') or 'Get-IpamConfiguration failed'))
        domain = state.get('domain') or {}
        if not domain.get('exists'):
            self._fail("domain '%s' does not exist or cannot be contacted: %s" % (
                params['domain'], (domain.get('error') or 'unknown error').rstrip('.')))

    def _servers(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """Each listed server with its account and the GPO suffixes it should (managed) or must not (unmanaged) be in."""
        reported = {(e.get('input') or '').casefold(): e for e in state.get('servers') or []}
        servers = []
        for option, managed in (('managed_servers', True), ('unmanaged_servers', False)):
            for server in params[option]:
                entry = reported.get(server['name'].casefold())
                if entry is None or not entry.get('sid'):
                    self._fail("server '%s' (%s) has no computer account in domain %s: %s" % (
                        server['name'], option, params['domain'], ((entry or {}).get('error') or 'not reported').rstrip('.')))
                types = server['server_types'] or list(SERVER_TYPES)
                suffixes = sorted({GPO_SUFFIX_BY_SERVER_TYPE[t_] for t_ in types}, key=GPO_SUFFIXES.index)
                kept = {GPO_SUFFIX_BY_SERVER_TYPE[t_] for t_ in server.get('keep_server_types') or []} - set(suffixes)
                servers.append({'fqdn': server['name'], 'sid': entry['sid'].upper(), 'name': entry.get('name') or entry['sid'],
                                'sam': entry['sam'], 'managed': managed, 'suffixes': suffixes,
                                'kept': sorted(kept, key=GPO_SUFFIXES.index)})
        return servers

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        self._check_host(params, state)
        gpos = {g['suffix']: g for g in state.get('gpos') or []}
        if set(gpos) != set(GPO_SUFFIXES):
            names = ', '.join(gpo_name(params['gpo_prefix'], s) for s in GPO_SUFFIXES)
            self._fail('the IPAM server did not report the GPOs %s' % names)
        servers = self._servers(params, state)
        if params['state'] == 'present':
            return self._plan_present(params, state, gpos, servers)
        return self._plan_absent(params, gpos, servers, bool(state.get('record_pending')))

    def _plan_present(self, params: dict[str, t.Any], state: dict[str, t.Any], gpos: dict[str, dict[str, t.Any]],
                      servers: list[dict[str, t.Any]]) -> Plan:
        prefix = params['gpo_prefix']
        ipam = state['ipam']
        configured = ipam.get('gpo_prefix')
        if (ipam.get('provisioning_method') or '').casefold() == 'automatic' and configured \
                and configured.casefold() != prefix.casefold():
            self._fail("IPAM on %s is provisioned for the GPO method with prefix '%s' (Get-IpamConfiguration), so its "
                       "console's Managed/Unmanaged edits %s; GPOs with prefix '%s' would be outside IPAM's view. Use "
                       "gpo_prefix: %s" % (self.host_label, configured, ', '.join(gpo_name(configured, s) for s in GPO_SUFFIXES),
                                           prefix, configured))
        before_gpos = gpos
        existing = [g['name'] for s, g in gpos.items() if g['exists']]
        missing = [g['name'] for s, g in gpos.items() if not g['exists']]
        # GPOs of a run that stopped before it recorded their IDs (its pending record says so): whether
        # Invoke-IpamGpoProvisioning got to its domain-wide steps is unknown, so they are deleted and it runs again
        # (it fails when any of the three exists).
        redo = [g for g in gpos.values() if g['exists'] and g.get('created_by_collection')] \
            if state.get('record_pending') else []
        if existing and missing and not redo:
            self._fail('%s exist(s) but %s do(es) not; Invoke-IpamGpoProvisioning fails when any of the three exists, so '
                       'the set cannot be completed. Remove the stray GPO(s) (they were not made by one provisioning run) '
                       'or choose another gpo_prefix' % (', '.join(existing), ', '.join(missing)))
        provision = not existing or bool(redo)
        if redo:
            gpos = {s: (dict(g, exists=False, id=None, permissions=[], created_by_collection=False) if g['exists'] else g)
                    for s, g in gpos.items()}
        warnings: list[str] = []
        others = self._other_prefixes(prefix, state.get('ipam_like_gpos') or [])
        if others and provision:
            warnings.append("domain %s already has complete IPAM provisioning GPO sets with prefix(es) %s; a second set "
                            "with prefix '%s' provisions the same IPAMUG again, and servers filtered into both get the "
                            'startup script twice' % (params['domain'], ', '.join(others), prefix))
        principals = self.resolved_principals(state)
        users = set(params['delegated_gpo_users'])
        actions: list[str] = ['Remove-GPO -Guid %s -Domain %s' % (g['id'], params['domain']) for g in redo]
        side_effects: list[str] = []
        if provision:
            actions.append(self._invoke_text(params))
            side_effects = [
                'universal group IPAMUG (CN=IPAMUG,CN=Users,%s) created or reused; the IPAM server %s added to it'
                % ((state.get('domain') or {}).get('dn'), params['ipam_server_fqdn'] or self.host_label),
                'IPAMUG granted ReadProperty|GenericExecute on CN=MicrosoftDNS,CN=System (domain-wide DNS ACL), when it exists',
                'Authenticated Users removed from the GPOs; IPAMUG and the delegated accounts may edit them',
                'the Network Service Kerberos tickets of the IPAM server purged (klist purge)',
            ]

        permissions: list[dict[str, str]] = []
        added: list[dict[str, str]] = []
        removed: list[dict[str, str]] = []
        after: dict[str, dict[str, t.Any]] = {}
        for suffix in GPO_SUFFIXES:
            gpo = gpos[suffix]
            current = {} if provision else {p['sid'].upper(): p for p in gpo['permissions']}
            applied = {sid: p for sid, p in current.items() if p['level'] == APPLY}
            filtering = {sid: p.get('name') or sid for sid, p in applied.items()}
            for server in servers:
                wanted = server['managed'] and suffix in server['suffixes']
                unwanted = (not server['managed'] and suffix in server['suffixes']) or (
                    server['managed'] and not wanted and suffix not in server['kept'])
                if wanted and server['sid'] not in applied:
                    permissions.append(self._permission(gpo['name'], server['sam'].rstrip('$'), 'Computer', APPLY))
                    added.append({'gpo': gpo['name'], 'name': server['name'], 'sid': server['sid'], 'permission': APPLY})
                    filtering[server['sid']] = server['name']
                elif unwanted and server['sid'] in applied:
                    permissions.append(self._permission(gpo['name'], server['sam'].rstrip('$'), 'Computer', 'None'))
                    removed.append({'gpo': gpo['name'], 'name': server['name'], 'sid': server['sid'], 'permission': APPLY})
                    filtering.pop(server['sid'], None)
            if not provision:
                for principal in principals:
                    level = (current.get(principal['sid']) or {}).get('level')
                    if level not in _EDITOR_LEVELS:
                        kind = 'User' if principal['input'] in users else 'Group'
                        target = principal['name'].rsplit('\\', 1)[-1]
                        permissions.append(self._permission(gpo['name'], target, kind, EDIT_ALL))
                        added.append({'gpo': gpo['name'], 'name': principal['name'], 'sid': principal['sid'],
                                      'permission': EDIT_ALL})
            after[gpo['name']] = {'exists': True, 'security_filtering': sorted(filtering.values(), key=str.casefold)}
        actions.extend(self._permission_text(p) for p in permissions)

        changed = provision or bool(permissions)
        apply_args = None
        if changed:
            apply_args = {'domain': params['domain'], 'gpo_prefix': prefix, 'provision': provision or None,
                          'permissions': permissions or None, 'record_created': True if provision else None,
                          'delete': [g['id'] for g in redo] or None}
            if provision:
                apply_args.update(ipam_server_fqdn=params['ipam_server_fqdn'],
                                  delegated_gpo_users=params['delegated_gpo_users'] or None,
                                  delegated_gpo_groups=params['delegated_gpo_groups'] or None)
        result = self._result(params, gpos, after, actions, added, removed, provisioned=provision, deleted=[],
                              created_by_collection={gpos[s]['name']: bool(gpos[s].get('created_by_collection')) or provision
                                                     for s in GPO_SUFFIXES})
        result['side_effects'] = side_effects
        return Plan(changed=changed, result=result, apply_args=apply_args, before=self._view(before_gpos), after=after,
                    verify=self._verifier(params, after), warnings=warnings)

    def _plan_absent(self, params: dict[str, t.Any], gpos: dict[str, dict[str, t.Any]],
                     servers: list[dict[str, t.Any]], record_pending: bool = False) -> Plan:
        actions: list[str] = []
        warnings: list[str] = []
        delete: list[str] = []
        permissions: list[dict[str, str]] = []
        removed: list[dict[str, str]] = []
        after: dict[str, dict[str, t.Any]] = {}
        deleted: list[str] = []
        for suffix in GPO_SUFFIXES:
            gpo = gpos[suffix]
            if not gpo['exists']:
                after[gpo['name']] = {'exists': False, 'security_filtering': []}
                continue
            applied = {p['sid'].upper(): p.get('name') or p['sid'] for p in gpo['permissions'] if p['level'] == APPLY}
            if gpo.get('created_by_collection'):
                delete.append(gpo['id'])
                deleted.append(gpo['name'])
                actions.append('Remove-GPO -Guid %s -Domain %s' % (gpo['id'], params['domain']))
                removed.extend({'gpo': gpo['name'], 'name': name, 'sid': sid, 'permission': APPLY} for sid, name in applied.items())
                after[gpo['name']] = {'exists': False, 'security_filtering': []}
                continue
            warnings.append('GPO %s in %s was not created by ipam.provisioning; it is left in place%s' % (
                gpo['name'], params['domain'], ' (only the listed servers are removed from its security filtering)'
                if servers else ''))
            for server in servers:
                if server['sid'] in applied:
                    permissions.append(self._permission(gpo['name'], server['sam'].rstrip('$'), 'Computer', 'None'))
                    removed.append({'gpo': gpo['name'], 'name': server['name'], 'sid': server['sid'], 'permission': APPLY})
                    applied.pop(server['sid'])
            after[gpo['name']] = {'exists': True, 'security_filtering': sorted(applied.values(), key=str.casefold)}
        if deleted:
            warnings.append('settings the GPO startup script already wrote on servers stay after the GPOs are deleted '
                            '(group memberships, the dhcpaudit share, service and event log ACEs); remove them with this '
                            "collection's roles (ipam_state: absent)")
        actions[:0] = [self._permission_text(p) for p in permissions]
        # A pending record with none of its GPOs left (a run stopped before creating them) is forgotten.
        forget = record_pending and not delete
        if forget:
            actions.append('forget the pending record of GPOs a stopped run did not create')
        changed = bool(delete or permissions or forget)
        apply_args = None
        if changed:
            apply_args = {'domain': params['domain'], 'gpo_prefix': params['gpo_prefix'],
                          'permissions': permissions or None, 'delete': delete or None,
                          'record_created': False if delete or forget else None}
        result = self._result(params, gpos, after, actions, [], removed, provisioned=False, deleted=deleted,
                              created_by_collection={gpos[s]['name']: bool(gpos[s].get('created_by_collection'))
                                                     and gpos[s]['name'] not in deleted for s in GPO_SUFFIXES})
        result['side_effects'] = []
        return Plan(changed=changed, result=result, apply_args=apply_args, before=self._view(gpos), after=after,
                    verify=self._verifier(params, after), warnings=warnings)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _other_prefixes(prefix: str, names: list[str]) -> list[str]:
        """Prefixes other than ours for which all three provisioning GPOs exist."""
        by_prefix: dict[str, set[str]] = {}
        for name in names:
            for suffix in GPO_SUFFIXES:
                if name.upper().endswith('_' + suffix):
                    head = name[:-len(suffix) - 1]
                    # DC_NPS also ends in NPS, never in _DNS/_DHCP, so one suffix matches.
                    by_prefix.setdefault(head, set()).add(suffix)
        return sorted(p for p, found in by_prefix.items() if found == set(GPO_SUFFIXES) and p.casefold() != prefix.casefold())

    @staticmethod
    def _permission(gpo: str, target: str, target_type: str, level: str) -> dict[str, str]:
        return {'gpo': gpo, 'target': target, 'target_type': target_type, 'level': level}

    def _permission_text(self, permission: dict[str, str]) -> str:
        text = 'Set-GPPermission -Name %s -TargetName %s -TargetType %s -PermissionLevel %s' % (
            ps_quote(permission['gpo']), ps_quote(permission['target']), permission['target_type'], permission['level'])
        return text + (' -Replace' if permission['level'] == 'None' else '')

    @staticmethod
    def _invoke_text(params: dict[str, t.Any]) -> str:
        text = 'Invoke-IpamGpoProvisioning -Domain %s -GpoPrefixName %s' % (params['domain'], ps_quote(params['gpo_prefix']))
        if params['ipam_server_fqdn']:
            text += ' -IpamServerFqdn %s' % params['ipam_server_fqdn']
        if params['delegated_gpo_users']:
            text += ' -DelegatedGpoUser %s' % ', '.join(ps_quote(u) for u in params['delegated_gpo_users'])
        if params['delegated_gpo_groups']:
            text += ' -DelegatedGpoGroup %s' % ', '.join(ps_quote(g) for g in params['delegated_gpo_groups'])
        return text + ' -Force'

    @staticmethod
    def _view(gpos: dict[str, dict[str, t.Any]]) -> dict[str, dict[str, t.Any]]:
        """The GPOs as the diff shows them: existence and security filtering (GpoApply trustees) by name."""
        return {g['name']: {'exists': bool(g['exists']),
                            'security_filtering': sorted((p.get('name') or p['sid'] for p in g['permissions']
                                                          if p['level'] == APPLY), key=str.casefold)}
                for g in (gpos[s] for s in GPO_SUFFIXES)}

    @staticmethod
    def _result(params: dict[str, t.Any], gpos: dict[str, dict[str, t.Any]], after: dict[str, dict[str, t.Any]],
                actions: list[str], added: list[dict[str, str]], removed: list[dict[str, str]], *, provisioned: bool,
                deleted: list[str], created_by_collection: dict[str, bool]) -> dict[str, t.Any]:
        listed = []
        for suffix in GPO_SUFFIXES:
            name = gpos[suffix]['name']
            listed.append(dict(after[name], name=name, suffix=suffix,
                               id=gpos[suffix]['id'] if after[name]['exists'] else None,
                               created_by_collection=created_by_collection[name]))
        return {'domain': params['domain'], 'gpo_prefix': params['gpo_prefix'], 'gpos': listed,
                'provisioned': provisioned, 'deleted': deleted, 'actions': actions, 'added': added, 'removed': removed}

    def _verifier(self, params: dict[str, t.Any],
                  after: dict[str, dict[str, t.Any]]) -> t.Callable[[dict[str, t.Any]], dict[str, t.Any]]:
        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            reported = {g['name']: g for g in reply.get('gpos') or []}
            result_gpos = []
            for suffix in GPO_SUFFIXES:
                name = gpo_name(params['gpo_prefix'], suffix)
                gpo = reported.get(name)
                exists = bool(gpo and gpo.get('exists'))
                if exists != after[name]['exists']:
                    raise AnsibleActionFail('%s on %s: after the change GPO %s %s' % (
                        self.MODULE, self.host_label, name, 'exists' if exists else 'does not exist'))
                filtering = sorted((p.get('name') or p['sid'] for p in (gpo or {}).get('permissions') or []
                                    if p['level'] == APPLY), key=str.casefold)
                if [f.casefold() for f in filtering] != [f.casefold() for f in after[name]['security_filtering']]:
                    raise AnsibleActionFail('%s on %s: after the change the security filtering of GPO %s is %s, not %s' % (
                        self.MODULE, self.host_label, name, filtering, after[name]['security_filtering']))
                result_gpos.append({'name': name, 'suffix': suffix, 'exists': exists, 'id': (gpo or {}).get('id'),
                                    'security_filtering': filtering,
                                    'created_by_collection': bool((gpo or {}).get('created_by_collection'))})
            return {'gpos': result_gpos}
        return verify
