# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.local_group: a local group this collection creates and removes.

The PowerShell half reports the group (SID, description), whether a local user already holds the
name and whether this collection's record on the host says it created the group; it reads and
writes through ADSI's WinNT provider, there on every Windows version (the LocalAccounts cmdlets are
not on Server 2012 / 2012 R2). This plugin decides: create (and record), set the description, and
on removal delete only a group the record names; any other group is left in place with a warning.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import is_domain_controller
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

# NetLocalGroupAdd: no control characters and none of these; not only dots/spaces; no trailing dot.
_FORBIDDEN_NAME_CHARS = frozenset('"/\\[]:|<>+=;?*,')
MAX_NAME_LENGTH = 256
# A local group's comment holds at most MAXCOMMENTSZ (256) characters (LOCALGROUP_INFO_1002). The
# 48 of New-LocalGroup was that cmdlet's own check (MicrosoftDocs/PowerShell-Docs#11630), not the SAM's.
MAX_DESCRIPTION_LENGTH = 256


def quoted(text: str) -> str:
    """A name or description in the actions list: always in single quotes."""
    return "'%s'" % text


def group_view(state: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """The group as the diff shows it."""
    if state is None:
        return {'exists': False}
    return {'exists': True, 'name': state['name'], 'sid': state['sid'], 'description': state['description']}


def name_problem(name: str) -> str | None:
    """Why Windows would refuse this local group name, or None."""
    if not name.strip(' .'):
        return 'must contain something other than spaces and dots'
    if len(name) > MAX_NAME_LENGTH:
        return 'is longer than %d characters' % MAX_NAME_LENGTH
    bad = sorted({c for c in name if c in _FORBIDDEN_NAME_CHARS or ord(c) < 32})
    if bad:
        hint = ' (give the group name only, without DOMAIN\\ or COMPUTER\\)' if '\\' in bad else ''
        return 'contains %s, which Windows does not allow in a group name%s' % (
            ', '.join(repr(c) for c in bad), hint)
    if name.endswith('.'):
        return 'ends with a dot'
    return None


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.local_group'
    ARGUMENT_SPEC = {
        'name': {'type': 'str', 'required': True},
        'description': {'type': 'str'},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'name', 'token', 'description', 'create', 'delete', 'record_created'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})
    PRINCIPAL_OPTIONS = ()

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        problem = name_problem(params['name'])
        if problem:
            raise AnsibleActionFail('%s: option name: %r %s' % (self.MODULE, params['name'], problem))
        description = params['description']
        if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
            raise AnsibleActionFail('%s: option description is %d characters long; a local group\'s description '
                                    'holds at most %d' % (self.MODULE, len(description), MAX_DESCRIPTION_LENGTH))
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': params['name']}

    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        name = params['name']
        host = state.get('host') or {}
        if is_domain_controller(host.get('domain_role')):
            self._fail("%s is a domain controller, which has no local groups; manage the domain group '%s' with "
                       "microsoft.ad.group instead (a change there reaches every DC of the domain)"
                       % (host.get('name') or self.host_label, name))
        group = state.get('group')
        created_by_us = bool(state.get('created_by_collection'))
        if params['state'] == 'present':
            return self._plan_present(params, state, group, created_by_us)
        return self._plan_absent(name, group, created_by_us, bool(state.get('record_pending')))

    def _plan_present(self, params: dict[str, t.Any], state: dict[str, t.Any], group: dict[str, t.Any] | None,
                      created_by_us: bool) -> Plan:
        name, description = params['name'], params['description']
        if group is None:
            if state.get('name_conflict'):
                self._fail("a local %s is already named '%s', so no group of that name can be created"
                           % (state['name_conflict'], name))
            after = {'exists': True, 'name': name, 'sid': None, 'description': description or ''}
            actions = ['create local group %s' % quoted(name)]
            if description:
                actions.append('set the description of local group %s to %s' % (quoted(name), quoted(description)))
            return Plan(
                changed=True,
                result=self._result(name, after, actions, created=True, deleted=False, created_by_collection=True),
                apply_args={'name': name, 'create': True, 'description': description, 'record_created': True},
                before=group_view(None), after=after, verify=self._verifier(name, exists=True, description=description),
            )
        actions: list[str] = []
        apply_args = None
        after = group_view(group)
        if description is not None and description != group['description']:
            actions.append('set the description of local group %s to %s' % (quoted(group['name']), quoted(description)))
            apply_args = {'name': name, 'description': description}
            after = dict(after, description=description)
        if state.get('record_pending'):
            # A run that created the group stopped before it recorded the SID: record it now.
            actions.append('record local group %s (%s) as created by ipam.provisioning' % (quoted(group['name']), group['sid']))
            apply_args = dict(apply_args or {'name': name}, record_created=True)
        return Plan(
            changed=apply_args is not None,
            result=self._result(group['name'], after, actions, created=False, deleted=False,
                                created_by_collection=created_by_us),
            apply_args=apply_args, before=group_view(group), after=after,
            verify=self._verifier(name, exists=True, description=description),
        )

    def _plan_absent(self, name: str, group: dict[str, t.Any] | None, created_by_us: bool,
                     record_pending: bool = False) -> Plan:
        if group is None and record_pending:
            # A run recorded that it would create the group and stopped before it did: forget that.
            return Plan(changed=True,
                        result=self._result(name, group_view(None), ['forget the pending record of local group %s' % quoted(name)],
                                            created=False, deleted=False, created_by_collection=False),
                        apply_args={'name': name, 'record_created': False},
                        before=group_view(None), after=group_view(None))
        if group is None:
            return Plan(changed=False, result=self._result(name, group_view(None), [], created=False, deleted=False,
                                                           created_by_collection=False),
                        before=group_view(None), after=group_view(None))
        if not created_by_us:
            # Someone else's group (IPAM's own groups, or one made by hand): never deleted here.
            warning = ("local group '%s' on %s was not created by ipam.provisioning (no %s record of SID %s); "
                       "it is left in place" % (group['name'], self.host_label, 'LocalGroupsCreated', group['sid']))
            return Plan(changed=False,
                        result=dict(self._result(group['name'], group_view(group), [], created=False, deleted=False,
                                                 created_by_collection=False), kept=True),
                        before=group_view(group), after=group_view(group), warnings=[warning])
        return Plan(
            changed=True,
            result=self._result(group['name'], group_view(None),
                                ['delete local group %s (%s)' % (quoted(group['name']), group['sid'])],
                                created=False, deleted=True, created_by_collection=False),
            apply_args={'name': name, 'delete': True, 'record_created': False},
            before=group_view(group), after=group_view(None), verify=self._verifier(name, exists=False, description=None),
        )

    @staticmethod
    def _result(name: str, group: dict[str, t.Any], actions: list[str], *, created: bool, deleted: bool,
                created_by_collection: bool) -> dict[str, t.Any]:
        return {
            'name': name, 'group': group, 'actions': actions, 'created': created, 'deleted': deleted,
            'kept': False, 'created_by_collection': created_by_collection,
            'added': [name] if created else [], 'removed': [name] if deleted else [],
        }

    def _verifier(self, name: str, exists: bool, description: str | None) -> t.Callable[[dict[str, t.Any]], dict[str, t.Any]]:
        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            group = reply.get('group')
            if exists and group is None:
                raise AnsibleActionFail("%s on %s: local group '%s' does not exist after the change" % (
                    self.MODULE, self.host_label, name))
            if not exists and group is not None:
                raise AnsibleActionFail("%s on %s: local group '%s' still exists after it was deleted" % (
                    self.MODULE, self.host_label, name))
            if group is not None and description is not None and group['description'] != description:
                raise AnsibleActionFail("%s on %s: local group '%s' has description %r after setting %r" % (
                    self.MODULE, self.host_label, name, group['description'], description))
            return {'group': group_view(group), 'created_by_collection': bool(reply.get('created_by_collection'))}
        return verify
