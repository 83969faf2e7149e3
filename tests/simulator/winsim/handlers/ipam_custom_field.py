# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_custom_field: model of plugins/modules/ipam_custom_field.ps1.

IPAM custom fields (winsim/ipam_server.py seeds the built-in ones the IpamServer help names).
Modelled from the cmdlet help: Add-IpamCustomField of an existing name fails; Add-IpamCustomValue
adds to a multivalued field (built-in or user-defined) and fails on a free-form one or an existing
value; Remove-IpamCustomValue fails for a value the field does not have and for built-in values;
Remove-IpamCustomField fails for built-in fields. Names and values compare without regard to case
[I: IPAM stores them in SQL with its default case-insensitive collation]. The token is
'<name>|<category>|<1|0>|<values lowercased, sorted ordinally, comma>' or 'absent'.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_custom_field'
OPTIONS = frozenset({'mode', 'token', 'name', 'create', 'multivalue', 'add_values', 'remove_values', 'delete'})


def field_view(ipam: dict[str, Any], name: str) -> dict[str, Any] | None:
    key = ipam_model.find_key(ipam['custom_fields'], name)
    if key is None:
        return None
    field = ipam['custom_fields'][key]
    builtin = {v.casefold() for v in field.get('builtin_values') or []}
    return {'name': key, 'category': field['category'], 'multivalue': bool(field['multivalue']),
            'values': [{'value': v, 'category': 'BuiltIn' if v.casefold() in builtin else 'UserDefined'}
                       for v in field['values']]}


def field_token(view: dict[str, Any] | None) -> str:
    if view is None:
        return 'absent'
    values = ','.join(sorted(v['value'].lower() for v in view['values']))
    return '%s|%s|%s|%s' % (view['name'].lower(), view['category'], '1' if view['multivalue'] else '0', values)


def read_result(ctx: Context, ipam: dict[str, Any], name: str) -> dict[str, Any]:
    view = field_view(ipam, name)
    return {'host': ctx.host_info(), 'field': view, 'token': field_token(view)}


def add_other_value(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator adds a value (or creates the field, or removes a free-form one)."""
    ipam = ipam_model.ipam_state(ctx)
    name = args.get('name') or 'Other'
    key = ipam_model.find_key(ipam['custom_fields'], name)
    if key is None:
        ipam['custom_fields'][name] = {'category': 'UserDefined', 'multivalue': True, 'values': ['Other'],
                                       'builtin_values': []}
    elif ipam['custom_fields'][key]['multivalue']:
        ipam['custom_fields'][key]['values'].append('ConcurrentValue')
    elif ipam['custom_fields'][key]['category'] != 'BuiltIn':
        del ipam['custom_fields'][key]


def _has(values: list[str], value: str) -> bool:
    return value.casefold() in {v.casefold() for v in values}


@handler(MODULE, options=OPTIONS, concurrent_change=add_other_value)
def ipam_custom_field(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'name'))
    ipam = ipam_model.ipam_state(ctx)
    name = args['name']
    result = read_result(ctx, ipam, name)
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, "The IPAM custom field '%s'" % name)
    fields = ipam['custom_fields']
    if args['create']:
        if ipam_model.find_key(fields, name) is not None:
            ctx.fail("Add-IpamCustomField -Name %s failed: a custom field named '%s' already exists." % (name, name),
                     error='invalid_state')
        if not ctx.check_mode:
            ctx.write('IPAM custom field %s' % name)
            fields[name] = {'category': 'UserDefined', 'multivalue': bool(args['multivalue']), 'values': [],
                            'builtin_values': []}
    key = ipam_model.find_key(fields, name)
    field = fields[key] if key is not None else None
    if field is None and not ctx.check_mode and (args['add_values'] or args['remove_values'] or args['delete']):
        ctx.fail("The IPAM custom field '%s' does not exist." % name, error='not_found')
    for value in args['add_values'] or []:
        if field is None:
            continue    # check mode: the field would have been created just now
        if not field['multivalue']:
            ctx.fail("Add-IpamCustomValue -Name %s -Value %s failed: custom field '%s' is not multivalued."
                     % (name, value, key), error='invalid_state')
        if _has(field['values'], value):
            ctx.fail("Add-IpamCustomValue -Name %s -Value %s failed: the value already exists." % (name, value),
                     error='invalid_state')
        if not ctx.check_mode:
            ctx.write('IPAM custom value %s of %s' % (value, key))
            field['values'].append(value)
    for value in args['remove_values'] or []:
        if field is None:
            continue
        if not _has(field['values'], value):
            ctx.fail("Remove-IpamCustomValue -Name %s -Value %s failed: the value does not exist." % (name, value),
                     error='not_found')
        if _has(field.get('builtin_values') or [], value):
            ctx.fail("Remove-IpamCustomValue -Name %s -Value %s failed: built-in values of built-in custom fields "
                     "cannot be removed." % (name, value), error='invalid_state')
        if not ctx.check_mode:
            ctx.write('IPAM custom value %s of %s' % (value, key))
            field['values'] = [v for v in field['values'] if v.casefold() != value.casefold()]
    if args['delete'] and field is not None:
        if field['category'] == 'BuiltIn':
            ctx.fail('Remove-IpamCustomField -Name %s failed: built-in custom fields cannot be removed.' % name,
                     error='invalid_state')
        if not ctx.check_mode:
            ctx.write('IPAM custom field %s' % key)
            del fields[key]
    if not ctx.check_mode:
        result = read_result(ctx, ipam, name)
    result['changed'] = True
    return result
