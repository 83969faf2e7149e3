# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.legacy.winsim_echo: model of the test-only module tests/e2e/playbooks/library/winsim_echo.ps1.

ansible-core names a playbook-adjacent library/*.ps1 module 'ansible.legacy.<name>' in the payload
(module_common._find_module_utils), so that is the key. Used by the transport end-to-end tests.
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import handler

ECHO_KEY = 'HKLM\\SOFTWARE\\winsim'


@handler('ansible.legacy.winsim_echo', options={'data', 'write', 'principals'})
def winsim_echo(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    data = args['data'] if args['data'] is not None else 'pong'
    result: dict[str, Any] = {
        'echo': data,
        'check_mode': ctx.check_mode,
        'host': ctx.host_info(),
        'language': ctx.language,
        'principals': [ctx.resolve(p) for p in args['principals'] or []],
    }
    if args['write']:
        changed = ctx.host['registry'].get(ECHO_KEY, {}).get('Echo') != data
        if changed and not ctx.check_mode:
            ctx.write('%s\\Echo' % ECHO_KEY)
            ctx.host['registry'].setdefault(ECHO_KEY, {})['Echo'] = data
        result['changed'] = changed
    return result
