# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SMB shares: the CIM class ROOT/Microsoft/Windows/SMB/MSFT_SmbShare behind the SmbShare module's
cmdlets (Get-SmbShare, New-SmbShare, Grant-/Revoke-SmbShareAccess, Remove-SmbShare), over the host's
shares (host['shares']: {name: {'path', 'access': [{'sid', 'type', 'right'[, 'mask']}]}}).

https://learn.microsoft.com/previous-versions/windows/desktop/smb/msft-smbshare

What Windows does, as modelled here (windows-api.md section 9):
- Share names match without regard to case.
- MSFT_SmbShare.SecurityDescriptor is the share's descriptor as SDDL, owner and group SYSTEM; a share
  made by New-SmbShare without access parameters reads 'O:SYG:SYD:(A;;0x1200a9;;;WD)' (observed).
- GrantAccess removes every Allow ACE of the accounts and adds one Allow ACE with the right
  (MSFT_SmbShare.GrantAccess remarks); RevokeAccess removes every Allow ACE of the accounts
  (RevokeAccess remarks). Deny ACEs stay. When the result equals the ACL before, nothing is written.
- Account names are resolved with LookupAccountName; an unknown name fails with Win32 error 1332.
  A SID string ('S-1-5-...') is accepted as an account: windows-api.md R6 leaves this unconfirmed.
"""
from __future__ import annotations

import fnmatch
import re
from typing import Any

from .. import defaults as d
from ..accounts import is_sid, normalize_sid
from ..context import Context
from ..model import find_share, share_ace_mask
from . import ApiError, operation, write

# The class as the cmdletization engine names it in its not-found message (observed text:
# "Get-SmbShareAccess : No MSFT_SMBShare objects found with property 'Name' equal to '...'").
QUERY_CLASS = 'MSFT_SMBShare'
NOT_FOUND_TEXT = "No %s objects found with property '%s' equal to '%s'.  Verify the value of the property and retry."
GRANTABLE = (d.SHARE_FULL, d.SHARE_CHANGE, d.SHARE_READ)
# ConvertSecurityDescriptorToStringSecurityDescriptor writes these SIDs as their SDDL aliases.
# https://learn.microsoft.com/windows/win32/secauthz/sid-strings
SID_ALIASES = {
    d.EVERYONE: 'WD', d.CREATOR_OWNER: 'CO', d.NETWORK: 'NU', d.INTERACTIVE: 'IU', d.SERVICE: 'SU',
    d.ANONYMOUS: 'AN', d.ENTERPRISE_DCS: 'ED', d.AUTHENTICATED_USERS: 'AU', d.LOCAL_SYSTEM: 'SY',
    d.LOCAL_SERVICE: 'LS', d.NETWORK_SERVICE: 'NS', d.BUILTIN_ADMINISTRATORS: 'BA', d.BUILTIN_USERS: 'BU',
    d.BUILTIN_GUESTS: 'BG', d.BUILTIN_SERVER_OPERATORS: 'SO', d.EVENT_LOG_READERS: 'ER',
    d.REMOTE_MANAGEMENT_USERS: 'RM',
}
NO_MAPPING_TEXT = 'No mapping between account names and security IDs was done.'
_WILDCARD = re.compile(r'[*?\[\]]')


def _is_wildcard(text: str) -> bool:
    return bool(_WILDCARD.search(text))


def _find(ctx: Context, name: str) -> tuple[str, dict[str, Any]]:
    found = find_share(ctx.host, name)
    if found is None:
        # The cmdletization engine's query error: CimJobException, ObjectNotFound, non-terminating.
        raise ApiError('not_found', NOT_FOUND_TEXT % (QUERY_CLASS, 'Name', name),
                       error_id='CmdletizationQuery_NotFound_Name')
    return found


def _mask_text(mask: int) -> str:
    return 'FA' if mask == 0x1F01FF else '0x%x' % mask


def security_descriptor(share: dict[str, Any]) -> str:
    """The share's descriptor as MSFT_SmbShare.SecurityDescriptor gives it (SDDL)."""
    aces = ''.join('(%s;;%s;;;%s)' % ('D' if e['type'] == d.SHARE_DENY else 'A', _mask_text(share_ace_mask(e)),
                                      SID_ALIASES.get(e['sid'], e['sid'])) for e in share['access'])
    return 'O:SYG:SYD:%s' % aces


def _special(name: str) -> bool:
    # The administrative shares the server creates itself (ADMIN$, IPC$, <drive>$).
    return name.upper() in ('ADMIN$', 'IPC$', 'PRINT$') or bool(re.fullmatch(r'[A-Za-z]\$', name))


def share_instance(name: str, share: dict[str, Any]) -> dict[str, Any]:
    """MSFT_SmbShare as Get-SmbShare returns it; enumerations by the names the cmdlets print."""
    ipc = name.upper() == 'IPC$'
    return {
        'Name': name,
        'ScopeName': '*',
        'Path': share.get('path') or '',
        'Description': share.get('description') or '',
        'ShareState': 'Online',
        'ShareType': 'InterprocessCommunication' if ipc else 'FileSystemDirectory',
        'Special': _special(name),
        'Temporary': False,
        'Scoped': False,
        'ShadowCopy': False,
        'Volume': None if ipc else '\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\',
        'ConcurrentUserLimit': 0,
        'CurrentUsers': 0,
        'EncryptData': False,
        'FolderEnumerationMode': 'Unrestricted',
        'CachingMode': 'Manual',
        'ContinuouslyAvailable': False,
        'CATimeout': 0,
        'AvailabilityType': 'NonClustered',
        'SmbInstance': 'Default',
        'SecurityDescriptor': security_descriptor(share),
    }


def access_entries(ctx: Context, name: str, share: dict[str, Any]) -> list[dict[str, Any]]:
    """MSFT_SmbShareAccessControlEntry, one per ACE; the account by name (the SID when none maps)."""
    return [{'Name': name, 'ScopeName': '*', 'AccountName': ctx.name_of(e['sid']) or e['sid'],
             'AccessControlType': e['type'], 'AccessRight': e['right']} for e in share['access']]


def _account_sids(ctx: Context, accounts: Any) -> list[str]:
    names = [str(a) for a in (accounts or []) if a is not None and str(a).strip()]
    if not names:
        raise ApiError('invalid', 'The parameter is incorrect.', win32=87)
    sids = []
    refuse_sid_strings = bool(ctx.faults.get('smb_sid_account_refused'))
    for account in names:
        if is_sid(account) and refuse_sid_strings:
            raise ApiError('not_mapped', NO_MAPPING_TEXT, win32=1332)
        sid = normalize_sid(account) if is_sid(account) else ctx.directory.lookup(account)
        if sid is None:
            raise ApiError('not_mapped', NO_MAPPING_TEXT, win32=1332)
        sids.append(sid)
    return sids


@operation('Smb.ListShares')
def list_shares(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-SmbShare [-Name <wildcard>]: every share, or those whose name matches the pattern.
    https://learn.microsoft.com/powershell/module/smbshare/get-smbshare"""
    pattern = args.get('pattern')
    shares = []
    for name, share in ctx.host['shares'].items():
        if pattern is None or fnmatch.fnmatchcase(name.casefold(), str(pattern).casefold()):
            shares.append(share_instance(name, share))
    return shares


@operation('Smb.GetShare')
def get_share(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-SmbShare -Name <name>: the share, or the query's not-found error.
    https://learn.microsoft.com/powershell/module/smbshare/get-smbshare"""
    name = str(args.get('name') or '')
    if _is_wildcard(name):
        raise ApiError('invalid', 'winsim: Smb.GetShare takes a literal name; Smb.ListShares takes patterns')
    key, share = _find(ctx, name)
    return share_instance(key, share)


@operation('Smb.NewShare')
def new_share(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """New-SmbShare -Name -Path [-FullAccess] [-ChangeAccess] [-ReadAccess] [-NoAccess] (MSFT_SmbShare.CreateShare).
    Without any access list Everyone gets Allow Read (windows-defaults.md 6). With lists, the ACL holds a Deny
    Full ACE per NoAccess account, then Allow Full, Change and Read ACEs, in that order [I].
    Errors for an existing name (NERR_DuplicateShare 2118) and a missing folder (ERROR_FILE_NOT_FOUND 2)
    are not in the references: their texts are the Win32 messages of those codes [I].
    https://learn.microsoft.com/powershell/module/smbshare/new-smbshare"""
    name, path = str(args.get('name') or ''), str(args.get('path') or '')
    if find_share(ctx.host, name) is not None:
        raise ApiError('exists', 'The name has already been shared.', win32=2118)
    wanted = path.replace('/', '\\').rstrip('\\').casefold()
    if not any(p.rstrip('\\').casefold() == wanted for p in ctx.host['paths']):
        raise ApiError('not_found', 'The system cannot find the file specified.', win32=2)
    lists = [(key, [a for a in (args.get(key) or []) if a is not None])
             for key in ('no_access', 'full_access', 'change_access', 'read_access')]
    access: list[dict[str, Any]] = []
    if any(accounts for _key, accounts in lists):
        kinds = {'no_access': (d.SHARE_DENY, d.SHARE_FULL), 'full_access': (d.SHARE_ALLOW, d.SHARE_FULL),
                 'change_access': (d.SHARE_ALLOW, d.SHARE_CHANGE), 'read_access': (d.SHARE_ALLOW, d.SHARE_READ)}
        for key, accounts in lists:
            if accounts:
                type_, right = kinds[key]
                access += [{'sid': sid, 'type': type_, 'right': right} for sid in _account_sids(ctx, accounts)]
    else:
        access = [{'sid': d.EVERYONE, 'type': d.SHARE_ALLOW, 'right': d.SHARE_READ}]
    write(ctx, 'New-SmbShare %s' % name)
    share = {'path': path, 'access': access}
    if args.get('description'):
        share['description'] = str(args['description'])
    ctx.host['shares'][name] = share
    return share_instance(name, share)


@operation('Smb.GetAccess')
def get_access(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """The share's ACL as MSFT_SmbShareAccessControlEntry objects (what Grant-/Revoke-SmbShareAccess return).
    https://learn.microsoft.com/previous-versions/windows/desktop/smb/msft-smbshareaccesscontrolentry"""
    key, share = _find(ctx, str(args.get('name') or ''))
    return access_entries(ctx, key, share)


@operation('Smb.GrantAccess')
def grant_access(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Grant-SmbShareAccess -Name -AccountName -AccessRight (MSFT_SmbShare.GrantAccess): 'all existing allow
    ACEs for the specified accounts are removed and replaced with ACEs that grant the specified access rights'.
    https://learn.microsoft.com/previous-versions/windows/desktop/smb/grantaccess-msft-smbshare"""
    key, share = _find(ctx, str(args.get('name') or ''))
    right = str(args.get('right') or '')
    if right not in GRANTABLE:
        raise ApiError('invalid', 'The parameter is incorrect.', win32=87)
    sids = _account_sids(ctx, args.get('accounts'))
    before = share['access']
    accounts = list(dict.fromkeys(sids))
    # An account whose only Allow ACE already grants exactly this right keeps it where it is.
    unchanged = set()
    for sid in accounts:
        ours = [e for e in before if e['type'] == d.SHARE_ALLOW and e['sid'] == sid]
        if len(ours) == 1 and ours[0]['right'] == right and ours[0].get('mask') is None:
            unchanged.add(sid)
    after = [e for e in before if not (e['type'] == d.SHARE_ALLOW and e['sid'] in sids and e['sid'] not in unchanged)]
    after += [{'sid': sid, 'type': d.SHARE_ALLOW, 'right': right} for sid in accounts if sid not in unchanged]
    if after != before:
        write(ctx, 'share %s access' % key)
        share['access'] = after
    return access_entries(ctx, key, share)


@operation('Smb.RevokeAccess')
def revoke_access(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Revoke-SmbShareAccess -Name -AccountName (MSFT_SmbShare.RevokeAccess): 'all existing access-allowed
    access control entries (ACE) for the specified accounts are removed'.
    https://learn.microsoft.com/previous-versions/windows/desktop/smb/revokeaccess-msft-smbshare"""
    key, share = _find(ctx, str(args.get('name') or ''))
    sids = _account_sids(ctx, args.get('accounts'))
    after = [e for e in share['access'] if not (e['type'] == d.SHARE_ALLOW and e['sid'] in sids)]
    if after != share['access']:
        write(ctx, 'share %s access' % key)
        share['access'] = after
    return access_entries(ctx, key, share)


@operation('Smb.RemoveShare')
def remove_share(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Remove-SmbShare -Name: deletes the share (the folder stays); returns it as it was (-PassThru).
    https://learn.microsoft.com/powershell/module/smbshare/remove-smbshare"""
    key, share = _find(ctx, str(args.get('name') or ''))
    instance = share_instance(key, share)
    write(ctx, 'Remove-SmbShare %s' % key)
    del ctx.host['shares'][key]
    return instance
