# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry (HKLM): keys and values as Microsoft.Win32.RegistryKey reads and writes them.

Key paths are 'HKLM\\...' as in the host state; names of keys and values match without regard to
case. A value's kind follows its Python type: str REG_SZ, list REG_MULTI_SZ, int REG_DWORD.
https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import ApiError, operation, write

KINDS = {str: 'String', list: 'MultiString', int: 'DWord'}


def _key_path(path: str) -> str:
    text = str(path or '').replace('/', '\\').rstrip('\\')
    for prefix in ('HKLM:\\', 'HKEY_LOCAL_MACHINE\\', 'Registry::HKEY_LOCAL_MACHINE\\'):
        if text.upper().startswith(prefix.upper()):
            return 'HKLM\\' + text[len(prefix):]
    if text.upper().startswith('HKLM\\'):
        return 'HKLM\\' + text[5:]
    raise ApiError('invalid', 'winsim models HKLM only, not %r' % path)


def _find_key(ctx: Context, path: str) -> str | None:
    wanted = _key_path(path).casefold()
    for key in ctx.host['registry']:
        if key.casefold() == wanted:
            return key
    return None


def _find_value(values: dict[str, Any], name: str) -> str | None:
    for key in values:
        if key.casefold() == name.casefold():
            return key
    return None


@operation('Registry.ReadKey')
def read_key(ctx: Context, args: dict[str, Any]) -> dict[str, Any] | None:
    """RegistryKey.OpenSubKey + GetValueNames/GetValue/GetValueKind: the key's values with their
    kinds, or None when the key does not exist."""
    key = _find_key(ctx, args.get('path'))
    if key is None:
        return None
    values = ctx.host['registry'][key]
    return {'path': key, 'values': [{'name': name, 'kind': KINDS.get(type(value), 'Binary'), 'value': value}
                                    for name, value in values.items()]}


@operation('Registry.CreateKey')
def create_key(ctx: Context, args: dict[str, Any]) -> str:
    """RegistryKey.CreateSubKey: opens the key, creating it (and no value) when it is missing."""
    key = _find_key(ctx, args.get('path'))
    if key is None:
        key = _key_path(args.get('path'))
        write(ctx, 'registry key %s' % key)
        ctx.host['registry'][key] = {}
    return key


@operation('Registry.SetValue')
def set_value(ctx: Context, args: dict[str, Any]) -> None:
    """RegistryKey.SetValue(name, value, kind) on an existing key (IOException-free here; the key must exist:
    ItemNotFound otherwise, as Set-ItemProperty reports it)."""
    key = _find_key(ctx, args.get('path'))
    if key is None:
        raise ApiError('not_found', "Cannot find path '%s' because it does not exist." % args.get('path'))
    kind = args.get('kind') or 'String'
    value = args.get('value')
    if kind == 'MultiString':
        value = [str(item) for item in (value or [])]
    elif kind == 'DWord':
        value = int(value)
    elif kind in ('String', 'ExpandString'):
        value = '' if value is None else str(value)
    else:
        raise ApiError('invalid', 'winsim models value kinds String, ExpandString, MultiString and DWord, not %s' % kind)
    values = ctx.host['registry'][key]
    name = _find_value(values, str(args.get('name') or '')) or str(args.get('name') or '')
    write(ctx, 'registry value %s\\%s' % (key, name))
    values[name] = value


@operation('Registry.DeleteValue')
def delete_value(ctx: Context, args: dict[str, Any]) -> bool:
    """RegistryKey.DeleteValue(name, throwOnMissingValue: false): True when a value was removed."""
    key = _find_key(ctx, args.get('path'))
    if key is None:
        return False
    values = ctx.host['registry'][key]
    name = _find_value(values, str(args.get('name') or ''))
    if name is None:
        return False
    write(ctx, 'registry value %s\\%s' % (key, name))
    del values[name]
    return True
