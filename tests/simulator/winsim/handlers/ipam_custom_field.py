# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_custom_field: model of plugins/modules/ipam_custom_field.ps1.

IPAM custom fields (winsim/ipam_server.py seeds the built-in ones the IpamServer help names). The
module's cmdlets are the fake's operations (winsim/winapi/ipam.py: Add-IpamCustomField of an existing
name fails; Add-IpamCustomValue adds to a multivalued field and fails on a free-form one or an
existing value; Remove-IpamCustomValue fails for a value the field does not have and for built-in
values; Remove-IpamCustomField fails for built-in fields), called in the module's order: create,
add each value, remove each value, delete; the first refusal fails the module after the calls
before it took effect. Check mode calls none of them. Names and values compare without regard to
case [I: IPAM stores them in SQL with its default case-insensitive collation]. The token is
'<name>|<category>|<1|0>|<values lowercased, sorted ordinally, comma>' or 'absent'.
"""
from __future__ import annotations

from typing import Any

from .. import ipam_server as ipam_model
from ..context import Context
from . import handler

MODULE = 'ipam.provisioning.ipam_custom_field'
OPTIONS = frozenset({'mode', 'token', 'name', 'create', 'multivalue', 'add_values', 'remove_values', 'delete'})


def field_view(ctx: Context, name: str) -> dict[str, Any] | None:
    """Get-IpamCustomField, the field of that name (Get-CustomFieldState)."""
    for field in ipam_model.cmdlet(ctx, 'Get-IpamCustomField', 'Ipam.GetCustomField'):
        if field['Name'].casefold() == name.casefold():
            return {'name': field['Name'], 'category': field['Category'], 'multivalue': bool(field['MultiValue']),
                    'values': [{'value': v['Value'], 'category': v['Category']} for v in field.get('CustomValue') or []]}
    return None


def field_token(view: dict[str, Any] | None) -> str:
    if view is None:
        return 'absent'
    values = ','.join(sorted(v['value'].lower() for v in view['values']))
    return '%s|%s|%s|%s' % (view['name'].lower(), view['category'], '1' if view['multivalue'] else '0', values)


def read_result(ctx: Context, name: str) -> dict[str, Any]:
    view = field_view(ctx, name)
    return {'field': view, 'token': field_token(view)}


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


@handler(MODULE, options=OPTIONS, concurrent_change=add_other_value)
def ipam_custom_field(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    ipam_model.check_spec(ctx, args, required=('mode', 'name'))
    ipam_model.ipam_state(ctx)   # Import-Module IpamServer
    name = args['name']
    result = dict(read_result(ctx, name), host=ctx.host_info())
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ipam_model.changed_since_read(ctx, "The IPAM custom field '%s'" % name)
    if not ctx.check_mode:
        if args['create']:
            ipam_model.cmdlet(ctx, 'Add-IpamCustomField -Name %s' % name, 'Ipam.AddCustomField',
                              {'name': name, 'multivalue': bool(args['multivalue'])})
        for value in args['add_values'] or []:
            ipam_model.cmdlet(ctx, 'Add-IpamCustomValue -Name %s -Value %s' % (name, value), 'Ipam.AddCustomValue',
                              {'name': name, 'value': value})
        for value in args['remove_values'] or []:
            ipam_model.cmdlet(ctx, 'Remove-IpamCustomValue -Name %s -Value %s' % (name, value), 'Ipam.RemoveCustomValue',
                              {'name': name, 'value': value})
        if args['delete']:
            ipam_model.cmdlet(ctx, 'Remove-IpamCustomField -Name %s' % name, 'Ipam.RemoveCustomField', {'name': name})
        result.update(read_result(ctx, name))
    result['changed'] = True
    return result
