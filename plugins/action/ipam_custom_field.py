# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.ipam_custom_field: an IPAM custom field and its values.

``state: present`` creates the field if needed and adds the listed values that are missing (other
values stay); ``state: absent`` with ``values`` removes exactly those values, without ``values`` it
removes the field. IPAM has no cmdlet that turns a free-form field into a multivalued one or back,
and built-in fields and built-in values cannot be removed: those are refused after the read, with
nothing written.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction


def _kind(multivalue: bool) -> str:
    return 'multivalued' if multivalue else 'free-form'


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.ipam_custom_field'
    ARGUMENT_SPEC = {
        'name': {'type': 'str', 'required': True},
        'multivalue': {'type': 'bool'},
        'values': {'type': 'list', 'elements': 'str'},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'token', 'name', 'create', 'multivalue', 'add_values', 'remove_values', 'delete'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})
    PRINCIPAL_OPTIONS = ()

    _name = ''
    _values: list[str] | None = None

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        self._name = params['name'].strip()
        if not self._name:
            raise AnsibleActionFail('%s: option name must not be empty' % self.MODULE)
        self._values = None
        if params['values'] is not None:
            values: list[str] = []
            for value in params['values']:
                text = str(value).strip()
                if not text:
                    raise AnsibleActionFail('%s: option values: a value must not be empty' % self.MODULE)
                if text.casefold() not in {v.casefold() for v in values}:  # IPAM compares values without case
                    values.append(text)
            if params['multivalue'] is False and values:
                raise AnsibleActionFail('%s: option values needs a multivalued field (multivalue: true); a free-form '
                                        'field takes any text and has no list of values' % self.MODULE)
            self._values = values
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': self._name}

    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    @staticmethod
    def _field(view: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        if view is None:
            return None
        return {'name': view.get('name'), 'category': view.get('category'), 'multivalue': bool(view.get('multivalue')),
                'values': [str(v.get('value')) for v in view.get('values') or []]}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        name = self._name
        before = self._field(state.get('field'))
        builtin_values = {str(v.get('value')).casefold() for v in (state.get('field') or {}).get('values') or []
                          if v.get('category') == 'BuiltIn'}
        values = self._values or []
        create = delete = False
        add: list[str] = []
        remove: list[str] = []
        if params['state'] == 'present':
            if before is None:
                multivalue = params['multivalue'] if params['multivalue'] is not None else bool(values)
                create, add = True, list(values)
                after: dict[str, t.Any] | None = {'name': name, 'category': 'UserDefined', 'multivalue': multivalue,
                                                  'values': list(values)}
            else:
                if params['multivalue'] is not None and params['multivalue'] != before['multivalue']:
                    self._fail("custom field '%s' exists as a %s field and IPAM has no cmdlet to make it %s; remove it "
                               'first (state: absent) if nothing uses it' % (
                                   before['name'], _kind(before['multivalue']), _kind(params['multivalue'])))
                if values and not before['multivalue']:
                    self._fail("custom field '%s' is free-form: it has no list of values to add %s to" % (
                        before['name'], ', '.join(values)))
                have = {v.casefold() for v in before['values']}
                add = [v for v in values if v.casefold() not in have]
                after = dict(before, values=before['values'] + add)
        elif before is None:
            after = None
        elif self._values is not None:
            wanted = {v.casefold() for v in values}
            remove = [v for v in before['values'] if v.casefold() in wanted]
            builtin = [v for v in remove if v.casefold() in builtin_values]
            if builtin:
                self._fail("%s of custom field '%s' %s built in; IPAM does not remove built-in values" % (
                    ', '.join(builtin), before['name'], 'is' if len(builtin) == 1 else 'are'))
            after = dict(before, values=[v for v in before['values'] if v not in remove])
        else:
            if before['category'] == 'BuiltIn':
                self._fail("custom field '%s' is built in; IPAM does not remove built-in fields" % before['name'])
            delete, after = True, None

        changed = create or delete or bool(add or remove)
        apply_args = None
        if changed:
            apply_args = {'name': before['name'] if before else name, 'create': create or None,
                          'multivalue': after['multivalue'] if create and after else None,
                          'add_values': add or None, 'remove_values': remove or None, 'delete': delete or None}

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = self._field(reply.get('field'))
            ok = (final is None) == (after is None)
            if ok and final is not None and after is not None:
                ok = (final['multivalue'] == after['multivalue']
                      and {v.casefold() for v in final['values']} == {v.casefold() for v in after['values']})
            if not ok:
                raise AnsibleActionFail('%s on %s: after the change IPAM reports custom field %s as %r, not %r' % (
                    self.MODULE, self.host_label, name, final, after))
            return {'field': final}

        return Plan(
            changed=changed,
            result={'name': name, 'field': after, 'created': create, 'deleted': delete, 'added': add, 'removed': remove},
            apply_args=apply_args,
            before={'field': before},
            after={'field': after},
            verify=verify,
        )
