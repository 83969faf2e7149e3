# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ADSI's WinNT provider: the groups of WinNT://<computer> (and its users, by name).

What Windows does, as modelled here (windows-api.md section 7):
- WinNT://<computer>/<name>,group binds a group of the computer's SAM, builtin groups included, by
  name without regard to case; on a domain controller the computer's groups are the domain's
  (builtin and domain local: accounts.py group_store), shared by every DC. Binding a name that no
  group has fails with COMException 0x800708AC (NERR_GroupNotFound 2220); ',user' likewise with
  0x800708AD (NERR_UserNotFound 2221).
- IADsGroup::Members lists each member's objectSid and ADsPath; the ADsPath of a member nothing
  owns any more (an orphaned SID) is the bare 'WinNT://S-1-...'. The path of a named member is
  written 'WinNT://<authority>/<name>' here (the modules read nothing from it but that difference).
- IADsGroup::Add / ::Remove with 'WinNT://<SID>' (NetLocalGroupAddMembers / DelMembers rules):
  0x80070562 ERROR_MEMBER_IN_ALIAS when the SID is a member already, 0x80070561
  ERROR_MEMBER_NOT_IN_ALIAS when it is not, and 0x8007056B ERROR_NO_SUCH_MEMBER for a SID no account
  owns (unconfirmed for the WinNT path, windows-api.md 7: the NetLocalGroupAddMembers code is used).
- IADsContainer::Create('group') + SetInfo (NetLocalGroupAdd): 0x80070563 ERROR_ALIAS_EXISTS when a
  group has the name, 0x800708B0 NERR_UserExists when a user has it; the new group gets the machine
  SID and the next free RID (>= 1000). IADsContainer::Delete of a builtin group: 0x8007055B
  ERROR_SPECIAL_ACCOUNT. Creating or deleting through WinNT on a DC is not modelled.
- ACCESS DENIED is 0x80070005 with the host's text (winapi.access_denied), raised by write().
https://learn.microsoft.com/windows/win32/adsi/adsi-winnt-provider
https://learn.microsoft.com/windows/win32/api/lmaccess/nf-lmaccess-netlocalgroupadd
https://learn.microsoft.com/windows/win32/api/lmaccess/nf-lmaccess-netlocalgroupaddmembers
"""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from ..accounts import BUILTIN_SID_PREFIX, is_dc, is_sid, normalize_sid
from ..context import Context
from . import ApiError, operation, write


def _hresult(value: int) -> int:
    """The HRESULT as .NET's Exception.HResult holds it (a signed 32-bit int)."""
    return value - (1 << 32) if value & 0x80000000 else value


# (HRESULT, the Win32 text of its code)
GROUP_NOT_FOUND = (0x800708AC, 'The group name could not be found.')
USER_NOT_FOUND = (0x800708AD, 'The user name could not be found.')
MEMBER_IN_ALIAS = (0x80070562, 'The specified account name is already a member of the group.')
MEMBER_NOT_IN_ALIAS = (0x80070561, 'The specified account name is not a member of the group.')
NO_SUCH_MEMBER = (0x8007056B, 'A new member could not be added to or removed from the local group because the '
                              'member does not exist.')
ALIAS_EXISTS = (0x80070563, 'The specified local group already exists.')
USER_EXISTS = (0x800708B0, 'The account already exists.')
SPECIAL_ACCOUNT = (0x8007055B, 'Cannot perform this operation on built-in accounts.')
# E_ADS_BAD_PATHNAME: ADSI's own code, which FormatMessage does not know (DirectoryServices' DSUnknown text).
BAD_PATHNAME = (0x80005000, 'Unknown error (0x80005000)')
# Characters that end the object name inside a WinNT ADsPath.
PATH_SEPARATORS = ('/', ',')


def _error(kind: str, code: tuple[int, str]) -> ApiError:
    return ApiError(kind, code[1], hresult=_hresult(code[0]))


def _name(args: dict[str, Any]) -> str:
    name = str(args.get('name') or '')
    if not name.strip() or any(c in name for c in PATH_SEPARATORS):
        # 'WinNT://HOST/a,b,group' or '.../a/b,group' is another path altogether, or none.
        raise _error('invalid', BAD_PATHNAME)
    return name


def _find_group(ctx: Context, name: str) -> tuple[str, dict[str, Any]]:
    groups = ctx.group_store()[0]
    for sid, group in groups.items():
        if group['name'].casefold() == name.strip().casefold():
            return sid, group
    raise _error('not_found', GROUP_NOT_FOUND)


def _member_sid(args: dict[str, Any]) -> str:
    """The SID of an ADsPath 'WinNT://S-1-...' (the form the collection passes)."""
    path = str(args.get('member') or '')
    prefix = 'WinNT://'
    sid = path[len(prefix):] if path.startswith(prefix) else ''
    if not is_sid(sid):
        raise _error('invalid', BAD_PATHNAME)
    return normalize_sid(sid)


@operation('WinNT.GetGroup')
def get_group(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """[ADSI]'WinNT://<computer>/<name>,group' and its Name, objectSid, Description.
    https://learn.microsoft.com/windows/win32/adsi/winnt-binding-string--adspath-"""
    sid, group = _find_group(ctx, _name(args))
    return {'name': group['name'], 'sid': normalize_sid(sid), 'description': group.get('description') or ''}


@operation('WinNT.GetUser')
def get_user(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """[ADSI]'WinNT://<computer>/<name>,user': the SAM's users (the domain's on a DC)."""
    name = _name(args)
    accounts = (ctx.domain or {}).get('accounts', {}) if is_dc(ctx.host) else ctx.host.get('accounts', {})
    for sid, account in accounts.items():
        if account.get('type', 'user') == 'user' and account['name'].casefold() == name.strip().casefold():
            return {'name': account['name'], 'sid': normalize_sid(sid)}
    raise _error('not_found', USER_NOT_FOUND)


@operation('WinNT.GroupMembers')
def group_members(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """IADsGroup::Members: objectSid and ADsPath of each member, in the group's order.
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-members"""
    _sid, group = _find_group(ctx, _name(args))
    members = []
    for raw in group['members']:
        sid = normalize_sid(raw)
        name = ctx.name_of(sid)
        path = 'WinNT://' + (name.replace('\\', '/') if name else sid)
        members.append({'sid': sid, 'path': path})
    return members


@operation('WinNT.AddMember')
def add_member(ctx: Context, args: dict[str, Any]) -> None:
    """IADsGroup::Add('WinNT://<SID>').
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-add"""
    _sid, group = _find_group(ctx, _name(args))
    sid = _member_sid(args)
    if sid in (normalize_sid(s) for s in group['members']):
        raise _error('exists', MEMBER_IN_ALIAS)
    if ctx.name_of(sid) is None:
        raise _error('invalid', NO_SUCH_MEMBER)
    write(ctx, "member %s of group '%s'" % (sid, group['name']))
    group['members'].append(sid)


@operation('WinNT.RemoveMember')
def remove_member(ctx: Context, args: dict[str, Any]) -> None:
    """IADsGroup::Remove('WinNT://<SID>').
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-remove"""
    _sid, group = _find_group(ctx, _name(args))
    sid = _member_sid(args)
    stored = [s for s in group['members'] if normalize_sid(s) == sid]
    if not stored:
        raise _error('not_found', MEMBER_NOT_IN_ALIAS)
    write(ctx, "member %s of group '%s'" % (sid, group['name']))
    group['members'].remove(stored[0])


def _not_on_a_dc(ctx: Context, what: str) -> None:
    if is_dc(ctx.host):
        raise ApiError('winsim', 'winsim: %s through WinNT on a domain controller is not modelled' % what)


def _next_local_sid(ctx: Context) -> str:
    """The machine SID and the next RID the SAM hands out (>= 1000), as seed.py numbers local accounts."""
    msid = ctx.host['machine_sid']
    used = [s for s in list(ctx.host['accounts']) + list(ctx.host['groups']) if s.startswith(msid + '-')]
    rids = [int(s.rsplit('-', 1)[1]) for s in used]
    return '%s-%d' % (msid, max([d.RID_FIRST_LOCAL - 1] + [r for r in rids if r >= d.RID_FIRST_LOCAL]) + 1)


@operation('WinNT.CreateGroup')
def create_group(ctx: Context, args: dict[str, Any]) -> None:
    """IADsContainer::Create('group', name) on WinNT://<computer>, then IADs::SetInfo (NetLocalGroupAdd).
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadscontainer-create"""
    name = _name(args)
    _not_on_a_dc(ctx, 'creating a group')
    if any(g['name'].casefold() == name.casefold() for g in ctx.host['groups'].values()):
        raise _error('exists', ALIAS_EXISTS)
    if any(a['name'].casefold() == name.casefold() for a in ctx.host.get('accounts', {}).values()):
        raise _error('exists', USER_EXISTS)
    write(ctx, "local group '%s'" % name)
    ctx.host['groups'][_next_local_sid(ctx)] = {'name': name, 'members': [], 'description': ''}


@operation('WinNT.SetGroupDescription')
def set_group_description(ctx: Context, args: dict[str, Any]) -> None:
    """DirectoryEntry.InvokeSet('Description', text) and CommitChanges (IADs::SetInfo).
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.invokeset"""
    _sid, group = _find_group(ctx, _name(args))
    write(ctx, "description of group '%s'" % group['name'])
    group['description'] = str(args.get('description') or '')


@operation('WinNT.DeleteGroup')
def delete_group(ctx: Context, args: dict[str, Any]) -> None:
    """IADsContainer::Delete('group', name) on WinNT://<computer> (NetLocalGroupDel).
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadscontainer-delete"""
    name = _name(args)
    _not_on_a_dc(ctx, 'deleting a group')
    sid, group = _find_group(ctx, name)
    if sid.upper().startswith(BUILTIN_SID_PREFIX):
        raise _error('invalid', SPECIAL_ACCOUNT)
    write(ctx, "local group '%s'" % group['name'])
    del ctx.host['groups'][sid]
