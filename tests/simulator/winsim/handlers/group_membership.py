# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.group_membership: members of a group, read and changed through ADSI WinNT.

The group is the host's own (SAM) group on members and standalone servers and the domain's on
domain controllers (ctx.group_store()), so a change through one DC is seen through every DC.
See _groups.py for what is modelled of ADSI.
"""
from __future__ import annotations

from typing import Any

from ..accounts import is_sid
from ..context import Context
from . import _groups as g
from . import handler

OPTIONS = frozenset({'mode', 'principals', 'token', 'group', 'add', 'remove', 'record_add', 'record_remove'})


def _find(ctx: Context, text: str) -> tuple[str, dict[str, Any], str] | None:
    """Find-IpamGroup -Sid for a SID string, -Name otherwise (as the .ps1 chooses)."""
    if is_sid(text):
        return g.find_group(ctx, text, None)
    return g.find_group(ctx, None, [text])


def add_unrelated_member(ctx: Context, args: dict[str, Any]) -> None:
    found = _find(ctx, args.get('group') or '')
    if found:
        g.add_unrelated_member(ctx, found[1])


@handler('ipam.provisioning.group_membership', options=OPTIONS, concurrent_change=add_unrelated_member)
def group_membership(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    g.check_mode_value(ctx, args)
    if args['group'] is None:
        ctx.fail('missing required arguments: group')
    if not is_sid(args['group']):
        g.check_winnt_name(ctx, args['group'], 'group')
    found = _find(ctx, args['group'])
    result: dict[str, Any] = {'changed': False, 'host': ctx.host_info(), 'group': None, 'members': [], 'token': None, 'recorded': []}
    if found:
        sid, group = found[0], found[1]
        result.update(group=g.group_info(ctx, sid, group), members=g.members_of(ctx, group), token=g.token_of(group),
                      recorded=g.recorded_members(ctx, sid))
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    if not found:
        ctx.fail("Group '%s' was not found on %s." % (args['group'], ctx.host['hostname']), error='not_found', **result)
    if (args['token'] or '') != (result['token'] or ''):
        ctx.fail("The members of group '%s' changed between read and apply; nothing was written. Run the task "
                 'again to plan against the new state.' % group['name'], error='changed_since_read', **result)
    if not ctx.check_mode:
        g.apply_owned_change(ctx, sid, group, args, result)
    result['changed'] = True
    return result
