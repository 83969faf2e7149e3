# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decode what Ansible sends to a Windows host: the command line and the pipelined module payload.

Two formats (shared/reference/exec-wrapper.md 1.2 and 4):
- ansible-core >= 2.19:
    <bootstrap JSON {name: exec_wrapper, script, params}>\\n\\0\\0\\0\\0\\n<manifest JSON {scripts, actions}>
  The last action is module_wrapper.ps1; its params.Script names the module
  ('ansible_collections.ns.coll.plugins.modules.name.ps1', or 'ansible.legacy.name.ps1' for a
  playbook-adjacent library/ module) and params.Variables[Name=complex_args].Value holds the args.
- ansible-core 2.16 to 2.18:
    <exec_wrapper.ps1 text>\\0\\0\\0\\0<JSON {module_entry, powershell_modules, module_args, actions, ...}>
  The module is module_entry (base64); module_args holds the args with _ansible_module_name, the
  name the task gave the module.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

SEPARATOR = b'\n\0\0\0\0\n'
LEGACY_SEPARATOR = b'\0\0\0\0'
_ENCODED_RE = re.compile(r'-EncodedCommand\s+([A-Za-z0-9+/=]+)', re.IGNORECASE)
_COLLECTION_RE = re.compile(r'^ansible_collections\.([^.]+)\.([^.]+)\.plugins\.modules\.(.+)$')
_LEGACY_PREFIX = 'ansible.legacy.'
VERSION_NEED = 'winsim understands the module payloads of ansible-core 2.16 and newer'


class PayloadError(ValueError):
    """The input is not a module payload winsim understands."""


@dataclass(frozen=True)
class ModuleCall:
    fqcn: str
    args: dict[str, Any] = field(default_factory=dict)   # complex_args, _ansible_* keys included
    script: str = ''

    @property
    def user_args(self) -> dict[str, Any]:
        return {k: v for k, v in self.args.items() if not k.startswith('_ansible_')}

    @property
    def check_mode(self) -> bool:
        return _as_bool(self.args.get('_ansible_check_mode'))


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes', 'on')
    return bool(value)


def decode_command(command_line: str) -> str:
    """The PowerShell script a command line runs; -EncodedCommand unwrapped as often as nested.

    ansible-core 2.18's winrm plugin wraps an encoded command in another one, 2.19 does not.
    A command without -EncodedCommand is returned as it is.
    """
    text = command_line
    for _depth in range(8):   # nesting deeper than this is not something Ansible does
        match = _ENCODED_RE.search(text)
        if not match:
            return text
        try:
            text = base64.b64decode(match.group(1), validate=True).decode('utf-16-le')
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise PayloadError('winsim: -EncodedCommand is not base64 UTF-16-LE: %s' % exc) from None
    return text


def module_fqcn(script: str) -> str:
    """'ansible_collections.ns.coll.plugins.modules.name.ps1' -> 'ns.coll.name';
    'ansible.legacy.name.ps1' -> 'ansible.legacy.name'.

    A task that names a library/ module 'ansible.legacy.name' gets the script
    'ansible.legacy.ansible.legacy.name.ps1' (ansible-core prefixes the task's module name once more when
    the module is not in a collection); the repeated prefix is folded to one.
    """
    name = script[:-4] if script.lower().endswith('.ps1') else script
    match = _COLLECTION_RE.match(name)
    if match:
        return '%s.%s.%s' % match.groups()
    while name.startswith(_LEGACY_PREFIX + _LEGACY_PREFIX):
        name = name[len(_LEGACY_PREFIX):]
    return name


def is_module_payload(stdin: bytes | str | None) -> bool:
    data = stdin.encode('utf-8') if isinstance(stdin, str) else stdin
    return bool(data) and data.lstrip().startswith(b'{') and SEPARATOR in data


def parse_payload(stdin: bytes | str | None) -> ModuleCall:
    """Module FQCN and complex_args of an ansible-core >= 2.19 pipelined payload."""
    data = stdin.encode('utf-8') if isinstance(stdin, str) else (stdin or b'')
    if not data.strip():
        raise PayloadError('winsim: no input, so not a pipelined module payload: only PowerShell modules are '
                           'simulated (raw, script and shell commands are not)')
    if LEGACY_SEPARATOR in data and not data.lstrip().startswith(b'{'):
        return _parse_legacy(data)
    if SEPARATOR not in data:
        raise PayloadError('winsim: input is not a pipelined module payload; ' + VERSION_NEED)
    parts = data.split(SEPARATOR, 2)
    try:
        bootstrap = json.loads(parts[0])
        manifest = json.loads(parts[1])
    except ValueError as exc:
        raise PayloadError('winsim: payload JSON does not parse (%s); %s' % (exc, VERSION_NEED)) from None
    if not isinstance(bootstrap, dict) or bootstrap.get('name') != 'exec_wrapper':
        raise PayloadError("winsim: bootstrap part is not the exec_wrapper manifest; " + VERSION_NEED)
    actions = manifest.get('actions') if isinstance(manifest, dict) else None
    if not actions:
        raise PayloadError('winsim: manifest has no actions; ' + VERSION_NEED)
    last = actions[-1]
    if last.get('name') != 'module_wrapper.ps1':
        raise PayloadError('winsim: payload runs %r, not a module (module_wrapper.ps1)' % last.get('name'))
    params = last.get('params') or {}
    script = params.get('Script') or ''
    if not params.get('ForModule'):
        raise PayloadError('winsim: payload runs the script %r, not a module; only modules are simulated' % script)
    args: dict[str, Any] = {}
    for variable in params.get('Variables') or []:
        if variable.get('Name') == 'complex_args':
            args = dict(variable.get('Value') or {})
    return ModuleCall(fqcn=module_fqcn(script), args=args, script=script)


def _parse_legacy(data: bytes) -> ModuleCall:
    """The ansible-core 2.16 to 2.18 payload: the exec wrapper's text, then one JSON document."""
    manifest_text = data.split(LEGACY_SEPARATOR, 1)[1]
    try:
        manifest = json.loads(manifest_text)
    except ValueError as exc:
        raise PayloadError('winsim: the JSON after the exec wrapper does not parse (%s); %s' % (exc, VERSION_NEED)) from None
    if not isinstance(manifest, dict) or 'module_entry' not in manifest:
        raise PayloadError('winsim: payload has no module_entry, so it runs no module; ' + VERSION_NEED)
    args = dict(manifest.get('module_args') or {})
    name = str(args.get('_ansible_module_name') or '')
    if not name:
        raise PayloadError('winsim: the payload names no module (_ansible_module_name); ' + VERSION_NEED)
    fqcn = name if '.' in name else 'ansible.legacy.' + name
    return ModuleCall(fqcn=module_fqcn(fqcn + '.ps1'), args=args, script=fqcn + '.ps1')
