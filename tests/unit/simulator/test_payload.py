# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Payload decoding against payloads built by ansible-core itself."""
from __future__ import annotations

import base64
import json

import pytest

from winsim.payload import PayloadError, decode_command, is_module_payload, module_fqcn, parse_payload


def _encode(script: str) -> str:
    return 'PowerShell -NoProfile -EncodedCommand ' + base64.b64encode(script.encode('utf-16-le')).decode()


def test_collection_module_payload(make_payload):
    command, stdin = make_payload('ansible_collections.ipam.provisioning.plugins.modules.service_acl',
                                  {'mode': 'read', 'name': 'DNS', 'principals': ['CORP\\IPAM01$']}, check_mode=True)
    assert is_module_payload(stdin)
    call = parse_payload(stdin)
    assert call.fqcn == 'ipam.provisioning.service_acl'
    assert call.script == 'ansible_collections.ipam.provisioning.plugins.modules.service_acl.ps1'
    assert call.user_args == {'mode': 'read', 'name': 'DNS', 'principals': ['CORP\\IPAM01$']}
    assert call.check_mode is True
    # The command is the bootstrap wrapper, encoded once by 2.19.
    assert '-EncodedCommand' in command
    assert '$codeJson = foreach ($in in $input)' in decode_command(command)


def test_legacy_library_module_payload(make_payload):
    _command, stdin = make_payload('ansible.legacy.winsim_echo', {'data': 'x'})
    call = parse_payload(stdin)
    assert call.fqcn == 'ansible.legacy.winsim_echo'
    assert call.check_mode is False
    assert call.args['_ansible_module_name'] == 'winsim_echo'


def test_legacy_prefix_written_in_the_task_is_not_doubled(make_payload):
    # A task written as 'ansible.legacy.winsim_echo:' reaches the host as this script name.
    _command, stdin = make_payload('ansible.legacy.ansible.legacy.winsim_echo', {'data': 'x'},
                                   module_name='ansible.legacy.winsim_echo')
    call = parse_payload(stdin)
    assert call.script == 'ansible.legacy.ansible.legacy.winsim_echo.ps1'
    assert call.fqcn == 'ansible.legacy.winsim_echo'
    assert call.user_args == {'data': 'x'}


def test_payload_as_text_is_accepted(make_payload):
    _command, stdin = make_payload('ansible.legacy.winsim_echo', {'data': 'ü'})
    assert parse_payload(stdin.decode('utf-8')).user_args == {'data': 'ü'}


def test_decode_command_unwraps_nested_encoding():
    inner = _encode('Write-Output "hello"')
    assert decode_command(_encode(inner)) == 'Write-Output "hello"'      # ansible-core 2.18 winrm
    assert decode_command(inner) == 'Write-Output "hello"'
    assert decode_command('dir C:\\') == 'dir C:\\'                       # not encoded: as is


def test_decode_command_rejects_bad_base64():
    with pytest.raises(PayloadError, match='base64'):
        decode_command('PowerShell -EncodedCommand QQ')


@pytest.mark.parametrize('script, fqcn', [
    ('ansible_collections.ipam.provisioning.plugins.modules.firewall_rules.ps1', 'ipam.provisioning.firewall_rules'),
    ('ansible_collections.ansible.windows.plugins.modules.win_ping.ps1', 'ansible.windows.win_ping'),
    ('ansible.legacy.winsim_echo.ps1', 'ansible.legacy.winsim_echo'),
    ('ansible.legacy.ansible.legacy.winsim_echo.ps1', 'ansible.legacy.winsim_echo'),
    ('ansible.legacy.ansible.legacy.ansible.legacy.winsim_echo.ps1', 'ansible.legacy.winsim_echo'),
])
def test_module_fqcn(script, fqcn):
    assert module_fqcn(script) == fqcn


def test_the_2_18_format_names_module_and_args():
    old = (b'<exec_wrapper.ps1 text>\0\0\0\0{"module_entry": "IyFwb3dlcnNoZWxs", "module_args": '
           b'{"name": "DNS", "_ansible_check_mode": true, "_ansible_module_name": "ipam.provisioning.service_acl"}}')
    call = parse_payload(old)
    assert call.fqcn == 'ipam.provisioning.service_acl'
    assert call.user_args == {'name': 'DNS'} and call.check_mode is True


def test_the_2_18_format_of_a_library_module_is_legacy():
    old = b'x\0\0\0\0{"module_entry": "", "module_args": {"_ansible_module_name": "winsim_echo"}}'
    assert parse_payload(old).fqcn == 'ansible.legacy.winsim_echo'


@pytest.mark.parametrize('old, message', [
    (b'x\0\0\0\0{"module_args": {}}', 'no module_entry'),
    (b'x\0\0\0\0{"module_entry": "", "module_args": {}}', 'names no module'),
    (b'x\0\0\0\0not json', 'does not parse'),
])
def test_a_broken_2_18_payload_fails_clearly(old, message):
    with pytest.raises(PayloadError, match=message):
        parse_payload(old)


@pytest.mark.parametrize('stdin, message', [
    (None, 'only PowerShell modules are simulated'),
    (b'', 'only PowerShell modules are simulated'),
    (b'Get-Item C:\\', 'ansible-core 2.16 and newer'),
    (b'{"name": "x"}', 'ansible-core 2.16 and newer'),
])
def test_non_payload_fails_clearly(stdin, message):
    with pytest.raises(PayloadError, match='not a pipelined module payload.*' + message):
        parse_payload(stdin)


def test_script_payload_is_not_a_module():
    bootstrap = json.dumps({'name': 'exec_wrapper', 'script': '', 'params': {}})
    manifest = json.dumps({'scripts': {}, 'actions': [
        {'name': 'module_wrapper.ps1', 'params': {'Script': 'run.ps1', 'Environment': {}}}]})
    with pytest.raises(PayloadError, match='script .*not a module'):
        parse_payload(('%s\n\0\0\0\0\n%s' % (bootstrap, manifest)).encode())


def test_last_action_must_be_module_wrapper():
    bootstrap = json.dumps({'name': 'exec_wrapper', 'script': '', 'params': {}})
    manifest = json.dumps({'scripts': {}, 'actions': [{'name': 'winrm_put_file.ps1', 'params': {}}]})
    with pytest.raises(PayloadError, match='not a module'):
        parse_payload(('%s\n\0\0\0\0\n%s\n\0\0\0\0\nDATA' % (bootstrap, manifest)).encode())
