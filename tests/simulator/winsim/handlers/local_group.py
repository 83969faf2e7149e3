# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.local_group: model of plugins/modules/local_group.ps1.

The module reads and writes the group through ADSI's WinNT provider (_IpamGroup.psm1, the calls in
_IpamWindows.psm1; winsim/winapi/groups.py is that ADSI in pwsh). What Windows does, as modelled here:
- WinNT://<computer>/<name>,group matches case-insensitively; a new group gets the machine SID plus the
  next free RID (>= 1000), as the seed's local groups do.
- Create + SetInfo (NetLocalGroupAdd) fails with ERROR_ALIAS_EXISTS when a group has the name; a local
  user holding the name is reported on read as name_conflict, and the module refuses to create then.
  The description is written by a second SetInfo, only when one is given.
- Deleting a builtin group fails with ERROR_SPECIAL_ACCOUNT; access denied is Win32 5.
- Members are not this module's business (group_membership); a group is stored as {name, members,
  description}.
- A domain controller has no local SAM: the module does not ask WinNT there.
The record of groups this collection created is the REG_MULTI_SZ LocalGroupsCreated (group SIDs),
written as _IpamAccess.psm1's Set-IpamRecordEntry writes it (an empty list removes the value).
"""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from ..accounts import BUILTIN_SID_PREFIX, is_dc
from ..context import Context
from ..errors import ModuleFailure
from ..model import record_values, write_record
from . import _groups as g
from . import handler

MODULE = 'ipam.provisioning.local_group'
OPTIONS = frozenset({'mode', 'name', 'token', 'description', 'create', 'delete', 'record_created'})
RECORD = 'LocalGroupsCreated'
# Win32 texts of what NetLocalGroupAdd / NetLocalGroupDel answer (winapi/groups.py).
ALIAS_EXISTS = 'The specified local group already exists.'
SPECIAL_ACCOUNT = 'Cannot perform this operation on built-in accounts.'
# What a concurrent administrator writes into the description (concurrent_change).
FOREIGN_DESCRIPTION = 'changed by someone else'


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    for option in ('mode', 'name'):
        if args[option] is None:
            ctx.fail('missing required arguments: %s' % option)
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')


def find_group(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    """WinNT://<computer>/<name>,group: the host's SAM groups (builtin ones included), case-insensitive."""
    for sid, group in ctx.host['groups'].items():
        if group['name'].casefold() == name.casefold():
            return sid, group
    return None


def group_state(ctx: Context, name: str) -> dict[str, Any] | None:
    found = find_group(ctx, name)
    if found is None:
        return None
    sid, group = found
    return {'name': group['name'], 'sid': sid, 'description': group.get('description') or ''}


def token_of(state: dict[str, Any] | None) -> str:
    """Same string as Get-LocalGroupToken in the .ps1."""
    return 'absent' if state is None else 'present|%s|%s' % (state['sid'], state['description'])


def user_named(ctx: Context, name: str) -> bool:
    return any(a['name'].casefold() == name.casefold() for a in ctx.host.get('accounts', {}).values())


def next_local_sid(ctx: Context) -> str:
    msid = ctx.host['machine_sid']
    used = [s for s in list(ctx.host['accounts']) + list(ctx.host['groups']) if s.startswith(msid + '-')]
    rids = [int(s.rsplit('-', 1)[1]) for s in used]
    return '%s-%d' % (msid, max([d.RID_FIRST_LOCAL - 1] + [r for r in rids if r >= d.RID_FIRST_LOCAL]) + 1)


def is_recorded(ctx: Context, sid: str | None) -> bool:
    return sid is not None and sid.upper() in {v.upper() for v in record_values(ctx.host, RECORD)}


def pending_entry(name: str) -> str:
    """What the module records before the group (and so its SID) exists."""
    return 'pending:%s' % name


def is_pending(ctx: Context, name: str) -> bool:
    return pending_entry(name).upper() in {v.upper() for v in record_values(ctx.host, RECORD)}


def set_recorded(ctx: Context, sid: str | None, created: bool, name: str) -> None:
    """Update-GroupRecord: the other entries (not this group's SID nor its pending name), plus the SID when
    created; an empty list removes the value, and every other outcome writes the value (creating the key
    first when it is missing)."""
    mine = {pending_entry(name).upper()} | ({sid.upper()} if sid else set())
    current = record_values(ctx.host, RECORD)
    wanted = [v for v in current if v and v.upper() not in mine] + ([sid] if created and sid else [])
    write_record(ctx, RECORD, wanted)


def record_pending(ctx: Context, name: str) -> None:
    """Set-IpamRecordEntry of the pending name."""
    current = record_values(ctx.host, RECORD)
    wanted = [v for v in current if v and v.upper() != pending_entry(name).upper()] + [pending_entry(name)]
    write_record(ctx, RECORD, wanted)


def adsi_write(ctx: Context, description: str, what: str) -> None:
    """ctx.write for one ADSI write, failing on access denied as Invoke-IpamAdsi reports it."""
    try:
        ctx.write(what)
    except ModuleFailure as exc:
        if exc.error != 'access_denied':
            raise
        ctx.fail('Access is denied: %s.' % description, error='access_denied')


def read_result(ctx: Context, name: str) -> dict[str, Any]:
    dc = is_dc(ctx.host)
    state = None if dc else group_state(ctx, name)
    return {
        'host': ctx.host_info(),
        'group': state,
        'name_conflict': 'user' if not dc and state is None and user_named(ctx, name) else None,
        'record_pending': is_pending(ctx, name),
        'created_by_collection': state is not None and (is_recorded(ctx, state['sid']) or is_pending(ctx, name)),
        'token': token_of(state),
    }


def change_description(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator edits the group's description (or creates the group)."""
    if is_dc(ctx.host):
        return
    found = find_group(ctx, args.get('name') or '')
    if found is None:
        ctx.host['groups'][next_local_sid(ctx)] = {'name': args.get('name') or 'winsim', 'members': [],
                                                   'description': FOREIGN_DESCRIPTION}
    else:
        found[1]['description'] = FOREIGN_DESCRIPTION


@handler(MODULE, options=OPTIONS, concurrent_change=change_description)
def local_group(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    name = args['name']
    g.check_winnt_name(ctx, name, 'name')
    result = read_result(ctx, name)
    if args['mode'] == 'read':
        return result

    if is_dc(ctx.host):
        ctx.fail('%s is a domain controller, which has no local groups.' % ctx.host['hostname'], error='invalid_state')
    if args['token'] != result['token']:
        ctx.fail("Local group '%s' changed between read and apply; nothing was written. Run the task again to plan "
                 'against the new state.' % name, error='changed_since_read')
    state = result['group']
    description = args['description']
    if args['create']:
        if result['name_conflict'] == 'user':
            ctx.fail("Local group '%s' cannot be created on %s: the name %s is already in use by a local user."
                     % (name, ctx.host['hostname'], name), error='invalid_state')
        if not ctx.check_mode:
            creating = "Creating local group '%s'" % name
            if state is not None:
                ctx.fail('%s failed: %s' % (creating, ALIAS_EXISTS), error='invalid_state')
            if args['record_created'] is True:
                record_pending(ctx, name)
            adsi_write(ctx, creating, "local group '%s'" % name)
            sid = next_local_sid(ctx)
            group = {'name': name, 'members': [], 'description': ''}
            ctx.host['groups'][sid] = group
            if args['record_created'] is True:
                set_recorded(ctx, sid, True, name)
            if description:
                adsi_write(ctx, "Setting the description of local group '%s'" % name, "description of group '%s'" % name)
                group['description'] = description
    elif state is None:
        if args['record_created'] is False:
            if not ctx.check_mode:
                set_recorded(ctx, None, False, name)
        elif not args['delete']:
            ctx.fail("Local group '%s' was not found on %s." % (name, ctx.host['hostname']), error='not_found')
    elif args['delete']:
        if not ctx.check_mode:
            deleting = "Deleting local group '%s'" % state['name']
            if state['sid'].startswith(BUILTIN_SID_PREFIX):
                # Windows refuses to delete a builtin group (the plan never asks).
                ctx.fail('%s failed: %s' % (deleting, SPECIAL_ACCOUNT), error='invalid_state')
            adsi_write(ctx, deleting, "local group '%s'" % state['name'])
            del ctx.host['groups'][state['sid']]
            if args['record_created'] is False:
                set_recorded(ctx, state['sid'], False, name)
    elif description is not None and description != state['description']:
        if not ctx.check_mode:
            adsi_write(ctx, "Setting the description of local group '%s'" % state['name'],
                       "description of group '%s'" % state['name'])
            ctx.host['groups'][state['sid']]['description'] = description

    confirm = state is not None and not args['create'] and not args['delete'] and args['record_created'] is True
    if confirm and result['record_pending'] and not ctx.check_mode:
        set_recorded(ctx, state['sid'], True, name)

    if not ctx.check_mode:
        result.update(read_result(ctx, name))
    result['changed'] = True
    return result
