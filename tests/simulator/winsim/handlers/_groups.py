# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group membership as ADSI's WinNT provider shows it, shared by the group-membership handlers.

Modelled after plugins/module_utils/_IpamGroup.psm1 and what Windows answers it:
- a group is found by SID (its own SID must match: a domain group's SID does not name a local group
  on a member server) or by its name in the host's language, case-insensitively; DOMAIN\\name is
  translated to a SID first;
- members are listed by SID, with the name the host translates or None for an orphaned SID;
- IADsGroup::Add of a member fails with Win32 1378, ::Remove of a non-member with 1377, and adding
  a SID no account owns with 1387, each with Windows' text, and access denied with the host's text
  of Win32 5; the module prefixes it as Invoke-IpamGroupChange does and reports what it had done
  (partial). winsim/winapi/groups.py is the same ADSI as the real module meets it in pwsh.
- the compare-and-swap token is the member SIDs sorted ordinally and joined with ',' (read and apply).
"""
from __future__ import annotations

from typing import Any

from ..accounts import is_sid, normalize_sid
from ..context import Context
from ..errors import ModuleFailure
from ..model import owned_entries, set_owned_entries
from ..winapi import ACCESS_DENIED_TEXT

ALREADY_MEMBER = 'The specified account name is already a member of the group.'   # Win32 1378
NOT_A_MEMBER = 'The specified account name is not a member of the group.'          # Win32 1377
NO_SUCH_MEMBER = ('A new member could not be added to or removed from the local group because the member '
                  'does not exist.')                                                # Win32 1387
# A member someone else adds between our read and apply (concurrent_change): an account that the
# lab never creates, so it shows up as an orphaned SID and never collides with a test principal.
UNRELATED_RID = 1234
# The ownership record of the members this collection added: '<group SID>|<member SID>' lines.
RECORD = 'GroupMembersAdded'


def scope_of(ctx: Context) -> str:
    return ctx.group_store()[1]


def find_by_sid(ctx: Context, sid: str) -> tuple[str, dict[str, Any]] | None:
    groups = ctx.group_store()[0]
    wanted = normalize_sid(sid)
    for key, group in groups.items():
        if normalize_sid(key) == wanted:
            return key, group
    return None


def find_by_name(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    """By short name (WinNT://COMPUTER/name,group), or DOMAIN\\name translated to its SID first."""
    if '\\' in name:
        sid = ctx.directory.lookup(name)
        return find_by_sid(ctx, sid) if sid else None
    groups = ctx.group_store()[0]
    for key, group in groups.items():
        if group['name'].casefold() == name.strip().casefold():
            return key, group
    return None


def find_group(ctx: Context, sid: str | None, names: list[str] | None) -> tuple[str, dict[str, Any], str] | None:
    """(sid, group, matched_by) trying the SID first, then each candidate name (Find-IpamGroup)."""
    if sid and is_sid(sid):
        found = find_by_sid(ctx, sid)
        if found:
            return found[0], found[1], 'sid'
    for name in names or []:
        if not name:
            continue
        found = find_by_name(ctx, name)
        if found:
            return found[0], found[1], 'name'
    return None


def group_info(ctx: Context, sid: str, group: dict[str, Any]) -> dict[str, Any]:
    return {'name': group['name'], 'sid': normalize_sid(sid), 'scope': scope_of(ctx)}


def members_of(ctx: Context, group: dict[str, Any]) -> list[dict[str, Any]]:
    """[{sid, name}] in the group's stored order; name None when the SID no longer resolves."""
    return [{'sid': normalize_sid(sid), 'name': ctx.name_of(sid)} for sid in group['members']]


def token_of(group: dict[str, Any]) -> str:
    return ','.join(sorted(normalize_sid(s) for s in group['members']))


def access_denied_text(ctx: Context) -> str:
    """The Windows text of ERROR_ACCESS_DENIED in the host's language (what ADSI's exception says)."""
    return ACCESS_DENIED_TEXT.get(ctx.language, ACCESS_DENIED_TEXT['en-US'])


def _fail_change(ctx: Context, verb: str, sid: str, group: dict[str, Any], reason: str, done: dict[str, list[str]],
                 result: dict[str, Any], error: str = 'invalid_state') -> None:
    preposition = 'to' if verb == 'adding' else 'from'
    ctx.fail("Failed %s %s %s group '%s': %s" % (verb, sid, preposition, group['name'], reason),
             error=error, **dict(result, partial=done))


def _write(ctx: Context, verb: str, sid: str, group: dict[str, Any], done: dict[str, list[str]],
           result: dict[str, Any]) -> None:
    """ctx.write for one member change; access denied fails as the module reports it."""
    try:
        ctx.write("member %s of group '%s'" % (sid, group['name']))
    except ModuleFailure as exc:
        if exc.error != 'access_denied':
            raise
        _fail_change(ctx, verb, sid, group, access_denied_text(ctx), done, result, error='access_denied')


def apply_change(ctx: Context, group: dict[str, Any], add: list[str], remove: list[str],
                 result: dict[str, Any]) -> dict[str, list[str]]:
    """IADsGroup::Add / ::Remove per SID in order, failing on the first refusal (Invoke-IpamGroupChange)."""
    done: dict[str, list[str]] = {'added': [], 'removed': []}
    for raw in add:
        sid = normalize_sid(raw)
        if sid in (normalize_sid(s) for s in group['members']):
            _fail_change(ctx, 'adding', sid, group, ALREADY_MEMBER, done, result)
        if ctx.name_of(sid) is None:
            _fail_change(ctx, 'adding', sid, group, NO_SUCH_MEMBER, done, result)
        _write(ctx, 'adding', sid, group, done, result)
        group['members'].append(sid)
        done['added'].append(sid)
    for raw in remove:
        sid = normalize_sid(raw)
        stored = [s for s in group['members'] if normalize_sid(s) == sid]
        if not stored:
            _fail_change(ctx, 'removing', sid, group, NOT_A_MEMBER, done, result)
        _write(ctx, 'removing', sid, group, done, result)
        group['members'].remove(stored[0])
        done['removed'].append(sid)
    return done


def recorded_members(ctx: Context, sid: str) -> list[str]:
    """The member SIDs this collection recorded as added to the group (GroupMembersAdded)."""
    return owned_entries(ctx.host, RECORD, normalize_sid(sid))


def apply_owned_change(ctx: Context, sid: str, group: dict[str, Any], args: dict[str, Any],
                       result: dict[str, Any]) -> None:
    """The module's apply: record the members to add, change the group, forget the removed ones."""
    set_owned_entries(ctx, RECORD, normalize_sid(sid), add=args['record_add'] or [])
    apply_change(ctx, group, args['add'] or [], args['remove'] or [], result)
    set_owned_entries(ctx, RECORD, normalize_sid(sid), remove=args['record_remove'] or [])
    result.update(members=members_of(ctx, group), token=token_of(group), recorded=recorded_members(ctx, sid))


def add_unrelated_member(ctx: Context, group: dict[str, Any]) -> None:
    """Someone else adds an account to the group right after our read (concurrent_change)."""
    base = ctx.domain['sid'] if ctx.domain else ctx.host['machine_sid']
    sid = '%s-%d' % (base, UNRELATED_RID)
    if sid not in group['members']:
        group['members'].append(sid)


def check_winnt_name(ctx: Context, name: str | None, option: str) -> None:
    """Assert-IpamWinNTName: '/' and ',' would change the WinNT path the group is bound with."""
    if name and ('/' in name or ',' in name):
        ctx.fail("Option %s: '%s' contains '/' or ',', which Windows does not allow in a group name and which "
                 'would change the ADSI WinNT path the group is bound with.' % (option, name))


def check_mode_value(ctx: Context, args: dict[str, Any]) -> None:
    """Ansible.Basic's choices check for mode."""
    if args['mode'] is None:
        ctx.fail('missing required arguments: mode')
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')
