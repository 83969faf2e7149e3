# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.vmm_network_service: the IPAM network service in System Center VMM.

The PowerShell half runs on the VMM server. It reports the network service of that name, the Run As
account (named, or the one the service uses), the requested host groups resolved by name or path,
and whether this collection created the Run As account. This plugin decides what to create, change
or remove. VMM never reveals a password, so the credential of an existing Run As account is set only
when ``update_password: always`` (the convention of Ansible's user modules); the password is sent to
the host only with that apply and appears in no result, diff, warning or message.
"""
from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.principals import parse_principal
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

# Add Network Service wizard / Add-SCNetworkService -Manufacturer -Model (ipam-facts.md section 8, M-VMM).
IPAM_MANUFACTURER = 'Microsoft'
IPAM_MODEL = 'Microsoft Windows Server IP Address Management'
ROOT_HOST_GROUP = 'All Hosts'
_FQDN_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')


def fqdn_problem(text: str) -> str | None:
    """Why text is not a DNS host name (FQDN), or None."""
    if ':' in text:
        return 'holds a colon; give the port in option port'
    labels = text.rstrip('.').split('.')
    if len(text) > 253 or not all(_FQDN_LABEL.match(label) for label in labels):
        return 'is not a DNS host name'
    if len(labels) < 2:
        return 'is a short name; IPAM and VMM need the fully qualified name (for example ipam01.corp.example.com)'
    return None


def ps_quote(text: str) -> str:
    """A value as it would be typed in PowerShell (quoted when it holds anything but name characters)."""
    return text if re.fullmatch(r'[A-Za-z0-9._\\$:-]+', text) else "'%s'" % text.replace("'", "''")


def same_account(name_a: str | None, sid_a: str | None, name_b: str | None, sid_b: str | None) -> bool:
    """Two user names for the same account: by SID when both resolve, else by name, case-insensitively."""
    if sid_a and sid_b:
        return sid_a.upper() == sid_b.upper()
    return (name_a or '').casefold() == (name_b or '').casefold()


def service_view(service: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """A network service as results and diffs show it (host groups by path)."""
    if service is None:
        return {'exists': False}
    run_as = service.get('run_as_account')
    return {
        'exists': True, 'name': service['name'], 'manufacturer': service['manufacturer'], 'model': service['model'],
        'connection_string': service['connection_string'],
        'run_as_account': run_as['name'] if isinstance(run_as, dict) else run_as,
        'host_groups': sorted((g['path'] for g in service['host_groups']), key=str.casefold),
    }


def run_as_view(run_as: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """A Run As account as results and diffs show it; a credential has no readable password."""
    if run_as is None:
        return {'exists': False}
    return {'exists': True, 'name': run_as['name'], 'username': run_as['username']}


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.vmm_network_service'
    ARGUMENT_SPEC = {
        'name': {'type': 'str', 'default': 'IPAM'},
        'ipam_server_fqdn': {'type': 'str'},
        'port': {'type': 'int'},
        'run_as_account': {'type': 'str'},
        'run_as_username': {'type': 'str'},
        'run_as_password': {'type': 'str', 'no_log': True},
        'update_password': {'type': 'str', 'default': 'on_create', 'choices': ['always', 'on_create']},
        'host_groups': {'type': 'list', 'elements': 'str', 'default': [ROOT_HOST_GROUP]},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    REQUIRED_IF = [['state', 'present', ['ipam_server_fqdn', 'run_as_account']]]
    REMOTE_OPTIONS = frozenset({'mode', 'name', 'token', 'run_as_account', 'host_groups', 'run_as_username',
                                'run_as_password', 'run_as_action', 'record_run_as', 'service_action',
                                'connection_string', 'manufacturer', 'model', 'set_run_as', 'add_host_groups',
                                'remove_host_groups', 'settle_pending'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})
    PRINCIPAL_OPTIONS = ()

    # ------------------------------------------------------------------ arguments
    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if not params['name'] or not params['name'].strip():
            raise AnsibleActionFail('%s: option name must not be empty' % self.MODULE)
        if params['state'] == 'present':
            problem = fqdn_problem(params['ipam_server_fqdn'])
            if problem:
                raise AnsibleActionFail('%s: option ipam_server_fqdn: %r %s' % (self.MODULE, params['ipam_server_fqdn'], problem))
            if params['port'] is not None and not 0 < params['port'] < 65536:
                raise AnsibleActionFail('%s: option port: %d is not a TCP port (1-65535; IPAM listens on 48885 unless '
                                        'Set-IpamConfiguration -Port changed it)' % (self.MODULE, params['port']))
            if not params['host_groups'] or any(not g or not g.strip() for g in params['host_groups']):
                raise AnsibleActionFail('%s: option host_groups must name at least one host group and no empty one '
                                        '(the default is [%s])' % (self.MODULE, ROOT_HOST_GROUP))
            if not params['run_as_account'].strip():
                raise AnsibleActionFail('%s: option run_as_account must not be empty' % self.MODULE)
        if params['update_password'] == 'always' and not params['run_as_password']:
            raise AnsibleActionFail('%s: update_password: always needs run_as_password' % self.MODULE)
        if params['run_as_username'] is not None:
            try:
                parse_principal(params['run_as_username'])
            except ValueError as e:
                raise AnsibleActionFail('%s: option run_as_username: %s' % (self.MODULE, e)) from e
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        present = params['state'] == 'present'
        return {
            'name': params['name'], 'run_as_account': params['run_as_account'],
            'host_groups': params['host_groups'] if present else None,
            'run_as_username': params['run_as_username'] if present else None,
        }

    @staticmethod
    def connection_string(params: dict[str, t.Any]) -> str:
        fqdn = params['ipam_server_fqdn'].rstrip('.')
        return fqdn if params['port'] is None else '%s:%d' % (fqdn, params['port'])

    # ------------------------------------------------------------------ planning
    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        service = state.get('service')
        if service is not None and not self._is_ipam(service) and params['state'] == 'present':
            self._fail("network service '%s' exists but is a %s '%s' service, not IPAM (%s '%s'); choose another name"
                       % (service['name'], service['manufacturer'], service['model'], IPAM_MANUFACTURER, IPAM_MODEL))
        if params['state'] == 'present':
            return self._plan_present(params, state)
        return self._plan_absent(params, state)

    @staticmethod
    def _is_ipam(service: dict[str, t.Any]) -> bool:
        return ((service.get('manufacturer') or '').casefold() == IPAM_MANUFACTURER.casefold()
                and (service.get('model') or '').casefold() == IPAM_MODEL.casefold())

    def _wanted_host_groups(self, state: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        wanted: list[dict[str, t.Any]] = []
        if state.get('host_groups') is None:
            self._fail('the VMM server did not report the requested host groups')
        for entry in state['host_groups']:
            if entry.get('error') == 'ambiguous':
                self._fail("host group '%s' matches several host groups (%s); give its path instead"
                           % (entry['input'], ', '.join(entry.get('candidates') or [])))
            if entry.get('error') or not entry.get('id'):
                known = state.get('known_host_groups') or []
                self._fail("host group '%s' does not exist on the VMM server (host groups: %s)"
                           % (entry['input'], ', '.join(known) or 'none'))
            if entry['id'] not in {w['id'] for w in wanted}:
                wanted.append(entry)
        return wanted

    def _plan_run_as(self, params: dict[str, t.Any], state: dict[str, t.Any], actions: list[str],
                     warnings: list[str]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
        """(apply arguments, after view) for the Run As account of a present service."""
        name = params['run_as_account']
        run_as = state.get('run_as')
        user = state.get('run_as_user')
        if params['run_as_username'] and (user is None or not user.get('sid')):
            self._fail("run_as_username '%s' does not resolve to an account on the VMM server: %s"
                       % (params['run_as_username'], (user or {}).get('error') or 'unknown account'))
        if run_as is None:
            if not params['run_as_username'] or not params['run_as_password']:
                self._fail("Run As account '%s' does not exist on the VMM server; give run_as_username and "
                           'run_as_password to create it' % name)
            actions.append('New-SCRunAsAccount -Name %s -Credential %s' % (ps_quote(name), ps_quote(params['run_as_username'])))
            return ({'run_as_action': 'create', 'run_as_username': params['run_as_username'],
                     'run_as_password': params['run_as_password'], 'record_run_as': True},
                    {'exists': True, 'name': name, 'username': params['run_as_username']})
        if params['update_password'] == 'always':
            username = params['run_as_username'] or run_as['username']
            actions.append('Set-SCRunAsAccount -Name %s -Credential %s' % (ps_quote(run_as['name']), ps_quote(username)))
            others = [s for s in run_as.get('used_by') or [] if s.casefold() != params['name'].casefold()]
            if others:
                warnings.append("the credential of Run As account '%s' is also used by %s" % (run_as['name'], ', '.join(others)))
            return ({'run_as_action': 'update', 'run_as_username': username, 'run_as_password': params['run_as_password']},
                    {'exists': True, 'name': run_as['name'], 'username': username})
        if params['run_as_username'] and not same_account(params['run_as_username'], user.get('sid'),
                                                          run_as['username'], run_as.get('sid')):
            self._fail("Run As account '%s' exists for user '%s', not '%s'; set update_password: always to replace its "
                       'credential, or name another Run As account'
                       % (run_as['name'], run_as['username'], params['run_as_username']))
        return {}, run_as_view(run_as)

    def _plan_present(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        name = params['name']
        wanted_groups = self._wanted_host_groups(state)
        connection = self.connection_string(params)
        actions: list[str] = []
        warnings: list[str] = []
        added: list[str] = []
        removed: list[str] = []
        run_as_args, run_as_after = self._plan_run_as(params, state, actions, warnings)
        if run_as_args.get('run_as_action') == 'create':
            added.append("Run As account '%s'" % params['run_as_account'])

        service = state.get('service')
        wanted_ids = [g['id'] for g in wanted_groups]
        service_args: dict[str, t.Any] = {}
        if service is None:
            actions.append('Add-SCNetworkService -Name %s -ConnectionString %s -Manufacturer %s -Model %s -RunAsAccount %s '
                           '-VMHostGroup %s' % (ps_quote(name), ps_quote(connection), IPAM_MANUFACTURER, ps_quote(IPAM_MODEL),
                                                ps_quote(params['run_as_account']),
                                                ', '.join(ps_quote(g['path']) for g in wanted_groups)))
            added.append("network service '%s'" % name)
            service_args = {'service_action': 'add', 'connection_string': connection, 'manufacturer': IPAM_MANUFACTURER,
                            'model': IPAM_MODEL, 'add_host_groups': wanted_ids}
            after_groups = [g['path'] for g in wanted_groups]
        else:
            current = {g['id']: g for g in service['host_groups']}
            to_add = [g for g in wanted_groups if g['id'] not in current]
            to_remove = [g for gid, g in current.items() if gid not in wanted_ids]
            update: dict[str, t.Any] = {}
            if (service['connection_string'] or '').casefold() != connection.casefold():
                update['connection_string'] = connection
            current_run_as = (service.get('run_as_account') or {}).get('name') or ''
            if current_run_as.casefold() != params['run_as_account'].casefold():
                update['set_run_as'] = True
            if to_add:
                update['add_host_groups'] = [g['id'] for g in to_add]
            if to_remove:
                update['remove_host_groups'] = [g['id'] for g in to_remove]
            if update:
                parts = ['-ConnectionString %s' % ps_quote(connection)] if 'connection_string' in update else []
                parts += ['-RunAsAccount %s' % ps_quote(params['run_as_account'])] if 'set_run_as' in update else []
                parts += ['-AddVMHostGroup %s' % ', '.join(ps_quote(g['path']) for g in to_add)] if to_add else []
                parts += ['-RemoveVMHostGroup %s' % ', '.join(ps_quote(g['path']) for g in to_remove)] if to_remove else []
                actions.append('Set-SCNetworkService -Name %s %s' % (ps_quote(service['name']), ' '.join(parts)))
                service_args = dict(update, service_action='update')
            added.extend("host group '%s'" % g['path'] for g in to_add)
            removed.extend("host group '%s'" % g['path'] for g in to_remove)
            after_groups = [g['path'] for g in wanted_groups]

        after_service = {'exists': True, 'name': service['name'] if service else name, 'manufacturer': IPAM_MANUFACTURER,
                         'model': IPAM_MODEL, 'connection_string': connection, 'run_as_account': params['run_as_account'],
                         'host_groups': sorted(after_groups, key=str.casefold)}
        if service is not None:
            # The manufacturer and model of an IPAM service are not rewritten (only their case could differ).
            after_service.update(manufacturer=service['manufacturer'], model=service['model'])
        settle = self._settle_pending(state, run_as_args, actions)
        changed = bool(run_as_args or service_args or settle)
        apply_args = None
        if changed:
            apply_args = dict(run_as_args, **service_args, **settle)
            apply_args.update(name=name, run_as_account=params['run_as_account'])
        created_by_us = bool(state.get('run_as_created_by_collection')) or run_as_args.get('run_as_action') == 'create'
        result = self._result(params, after_service, run_as_after, created_by_us, actions, added, removed,
                              created=service is None, deleted=False,
                              run_as_created=run_as_args.get('run_as_action') == 'create', run_as_removed=False,
                              credential_updated=run_as_args.get('run_as_action') == 'update')
        return Plan(
            changed=changed, result=result, apply_args=apply_args,
            before={'network_service': service_view(service), 'run_as': run_as_view(state.get('run_as'))},
            after={'network_service': after_service, 'run_as': run_as_after},
            verify=self._verifier(params, present=True, wanted_ids=wanted_ids, connection=connection),
            warnings=warnings,
        )

    def _plan_absent(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        name = params['name']
        service = state.get('service')
        run_as = state.get('run_as')
        actions: list[str] = []
        warnings: list[str] = []
        removed: list[str] = []
        apply_args: dict[str, t.Any] = {}
        service_after = service_view(service)
        remove_service = service is not None and self._is_ipam(service)
        if service is not None and not remove_service:
            warnings.append("network service '%s' on %s is a %s '%s' service, not IPAM; it is left in place"
                            % (service['name'], self.host_label, service['manufacturer'], service['model']))
        if remove_service:
            actions.append('Remove-SCNetworkService -Name %s' % ps_quote(service['name']))
            removed.append("network service '%s'" % service['name'])
            apply_args['service_action'] = 'remove'
            service_after = {'exists': False}

        run_as_after = run_as_view(run_as)
        run_as_removed = False
        if run_as is not None:
            still_used = [s for s in run_as.get('used_by') or []
                          if not (remove_service and s.casefold() == service['name'].casefold())]
            if not state.get('run_as_created_by_collection'):
                warnings.append("Run As account '%s' on %s was not created by ipam.provisioning; it is left in place"
                                % (run_as['name'], self.host_label))
            elif still_used:
                warnings.append("Run As account '%s' on %s was created by ipam.provisioning but is still used by %s; it "
                                'is left in place' % (run_as['name'], self.host_label, ', '.join(still_used)))
            else:
                actions.append('Remove-SCRunAsAccount -Name %s' % ps_quote(run_as['name']))
                removed.append("Run As account '%s'" % run_as['name'])
                apply_args.update(run_as_action='remove', record_run_as=False)
                run_as_after = {'exists': False}
                run_as_removed = True
        apply_args.update(self._settle_pending(state, apply_args, actions))
        if apply_args:
            apply_args.update(name=name, run_as_account=run_as['name'] if run_as else params['run_as_account'])
        result = self._result(params, service_after, run_as_after,
                              bool(state.get('run_as_created_by_collection')) and not run_as_removed, actions, [], removed,
                              created=False, deleted=remove_service, run_as_created=False, run_as_removed=run_as_removed,
                              credential_updated=False)
        return Plan(
            changed=bool(apply_args), result=result, apply_args=apply_args or None,
            before={'network_service': service_view(service), 'run_as': run_as_view(run_as)},
            after={'network_service': service_after, 'run_as': run_as_after},
            verify=self._verifier(params, present=False, service_gone=remove_service, run_as_gone=run_as_removed),
            warnings=warnings,
        )

    @staticmethod
    def _settle_pending(state: dict[str, t.Any], run_as_args: dict[str, t.Any], actions: list[str]) -> dict[str, t.Any]:
        """A run stopped between recording that it would create the Run As account and recording its ID left a
        pending entry: the account (if it was created) is ours, and the entry becomes its ID, or is forgotten.
        Creating or removing the account settles the entry itself."""
        if not state.get('record_pending') or run_as_args.get('run_as_action') in ('create', 'remove'):
            return {}
        run_as = state.get('run_as')
        if run_as is not None:
            actions.append("record Run As account '%s' as created by ipam.provisioning (a run stopped before "
                           'recording it)' % run_as['name'])
        else:
            actions.append('forget the pending record of a Run As account a stopped run did not create')
        return {'settle_pending': True}

    def _result(self, params: dict[str, t.Any], service: dict[str, t.Any], run_as: dict[str, t.Any], run_as_ours: bool,
                actions: list[str], added: list[str], removed: list[str], **flags: bool) -> dict[str, t.Any]:
        return dict(flags, **{
            'name': params['name'], 'network_service': service, 'run_as': dict(run_as, created_by_collection=run_as_ours),
            'connection_string': service.get('connection_string'), 'host_groups': service.get('host_groups', []),
            'actions': actions, 'added': added, 'removed': removed,
        })

    def _verifier(self, params: dict[str, t.Any], present: bool, wanted_ids: list[str] | None = None,
                  connection: str | None = None, service_gone: bool = False,
                  run_as_gone: bool = False) -> t.Callable[[dict[str, t.Any]], dict[str, t.Any]]:
        name = params['name']

        def disagree(what: str) -> t.NoReturn:
            raise AnsibleActionFail('%s on %s: after the change %s' % (self.MODULE, self.host_label, what))

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            service = reply.get('service')
            run_as = reply.get('run_as')
            if present:
                if service is None:
                    disagree("network service '%s' does not exist" % name)
                if (service['connection_string'] or '').casefold() != (connection or '').casefold():
                    disagree("network service '%s' connects to %r, not %r" % (name, service['connection_string'], connection))
                if sorted(g['id'] for g in service['host_groups']) != sorted(wanted_ids or []):
                    disagree("network service '%s' is available to %s" % (
                        name, ', '.join(g['path'] for g in service['host_groups']) or 'no host group'))
                if ((service.get('run_as_account') or {}).get('name') or '').casefold() != params['run_as_account'].casefold():
                    disagree("network service '%s' does not use Run As account '%s'" % (name, params['run_as_account']))
            if service_gone and service is not None:
                disagree("network service '%s' still exists" % name)
            if run_as_gone and run_as is not None:
                disagree("Run As account '%s' still exists" % run_as['name'])
            ours = bool(reply.get('run_as_created_by_collection'))
            result = {'run_as': dict(run_as_view(run_as), created_by_collection=ours)}
            if service is not None or service_gone:
                view = service_view(service)
                result.update(network_service=view, connection_string=view.get('connection_string'),
                              host_groups=view.get('host_groups', []))
            return result
        return verify
