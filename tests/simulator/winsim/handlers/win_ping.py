# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.windows.win_ping: the smallest module, so a transport can be smoke-tested.

Also the example of a handler: declare the $spec options, read ctx, return the result dict.
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import handler


@handler('ansible.windows.win_ping', options={'data'})
def win_ping(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    data = args['data'] if args['data'] is not None else 'pong'   # $spec default
    if data == 'crash':
        # The real module throws on purpose for this value, to test error handling.
        raise Exception('boom')
    return {'changed': False, 'ping': data}
