# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.dhcpaudit_share: model of plugins/modules/dhcpaudit_share.ps1.

What Windows does, as modelled here:
- New-SmbShare without access parameters grants Everyone Allow Read (model.create_share).
- Grant-SmbShareAccess for an account that already has an Allow ACE replaces that ACE's right
  (simplified: one Allow ACE per account, whatever the rights were); granting the same right is a no-op.
- Revoke-SmbShareAccess removes every Allow ACE of the account; Deny ACEs stay (Unblock removes those).
- Remove-SmbShare deletes the share; the folder stays.
The record of shares this collection created is the REG_MULTI_SZ SharesCreated (model.record_values).
"""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from ..context import Context
from ..model import (create_share, find_share, owned_entries, path_exists, record_values, set_owned_entries,
                     share_ace_mask, write_record)
from . import handler

MODULE = 'ipam.provisioning.dhcpaudit_share'
OPTIONS = frozenset({'mode', 'principals', 'token', 'name', 'path', 'create', 'grant', 'revoke', 'delete',
                     'record_created', 'record_add', 'record_remove'})
# The accounts this collection granted Read: '<share>|<SID>' lines.
GRANT_RECORD = 'ShareRightsGranted'
RECORD = 'SharesCreated'
DHCP_LOG_PATH_VALUE = 'DhcpLogFilePath'
# The account a concurrent administrator grants (any SID the module did not plan for will do).
OTHER_SID = d.BUILTIN_USERS


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    for option in ('mode', 'name'):
        if args[option] is None:
            ctx.fail('missing required arguments: %s' % option)
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')


def audit_folder(ctx: Context, path: str | None) -> dict[str, Any]:
    """The path option, else the DHCP server's audit log folder from the registry."""
    if path:
        value, source = path, 'option'
    else:
        value = ctx.host['registry'].get(d.KEY_DHCP_PARAMETERS, {}).get(DHCP_LOG_PATH_VALUE)
        source = 'registry'
    # Test-Path takes either separator.
    return {'value': value, 'source': source, 'exists': bool(value) and path_exists(ctx.host, value.replace('/', '\\'))}


def share_state(ctx: Context, name: str) -> dict[str, Any] | None:
    found = find_share(ctx.host, name)
    if found is None:
        return None
    share = found[1]
    access = [{'sid': e['sid'], 'name': ctx.name_of(e['sid']), 'type': e['type'], 'right': e['right'],
               'mask': share_ace_mask(e)}
              for e in share['access']]
    return {'exists': True, 'path': share['path'], 'access': access}


def share_token(state: dict[str, Any] | None) -> str:
    """Same string as Get-ShareToken in the .ps1."""
    if state is None:
        return 'absent'
    entries = sorted('%s:%s:%X' % (e['sid'], e['type'], e['mask']) for e in state['access'])
    return 'present|%s|%s' % (state['path'], ','.join(entries))


def created_by_collection(ctx: Context, name: str) -> bool:
    return any(n.casefold() == name.casefold() for n in record_values(ctx.host, RECORD))


def set_recorded(ctx: Context, name: str, created: bool) -> None:
    """As Set-IpamRecordEntry / Set-IpamRecord (_IpamAccess.psm1) write the registry: an empty record
    removes the value (when there is one); otherwise the key is created on first use (a write of its
    own) and the value is written, even when it already holds the same names."""
    current = record_values(ctx.host, RECORD)
    # PowerShell's -ne and -contains compare without regard to case.
    wanted = [n for n in current if n and n.casefold() != name.casefold()] + ([name] if created else [])
    write_record(ctx, RECORD, wanted)


def grant_read(ctx: Context, share: dict[str, Any], sid: str) -> None:
    allow = [e for e in share['access'] if e['sid'] == sid and e['type'] == d.SHARE_ALLOW]
    if len(allow) == 1 and allow[0]['right'] == d.SHARE_READ:
        return
    ctx.write('share access %s' % sid)
    kept = [e for e in share['access'] if not (e['sid'] == sid and e['type'] == d.SHARE_ALLOW)]
    share['access'] = kept + [{'sid': sid, 'type': d.SHARE_ALLOW, 'right': d.SHARE_READ}]


def revoke(ctx: Context, share: dict[str, Any], sid: str) -> None:
    kept = [e for e in share['access'] if not (e['sid'] == sid and e['type'] == d.SHARE_ALLOW)]
    if len(kept) != len(share['access']):
        ctx.write('share access %s' % sid)
        share['access'] = kept


def read_result(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    state = share_state(ctx, args['name'])
    return {
        'host': ctx.host_info(),
        'path': audit_folder(ctx, args['path']),
        'share': state,
        'created_by_collection': created_by_collection(ctx, args['name']),
        'recorded': owned_entries(ctx.host, GRANT_RECORD, args['name']),
        'token': share_token(state),
    }


def add_foreign_ace(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator grants an account on the share (creating it if missing)."""
    name = args.get('name') or 'dhcpaudit'
    found = find_share(ctx.host, name)
    if found is None:
        folder = audit_folder(ctx, args.get('path'))
        share = create_share(ctx.host, name, folder['value'] if folder['exists'] else 'C:\\')
    else:
        share = found[1]
    share['access'].append({'sid': OTHER_SID, 'type': d.SHARE_ALLOW, 'right': d.SHARE_CHANGE})


@handler(MODULE, options=OPTIONS, concurrent_change=add_foreign_ace)
def dhcpaudit_share(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    name = args['name']
    result = read_result(ctx, args)
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    if args['token'] != result['token']:
        ctx.fail("Share '%s' changed between read and apply; nothing was written. Run the task again to plan "
                 "against the new state." % name, error='changed_since_read')
    # As the .ps1: every account to grant must have a name before anything is written.
    for sid in args['grant'] or []:
        if ctx.name_of(sid) is None:
            ctx.fail("Cannot grant Read on share '%s' to %s: the SID does not map to an account name." % (name, sid),
                     error='unresolved_principal')
    folder = result['path']
    exists = result['share'] is not None
    if args['create']:
        if not folder['exists']:
            ctx.fail("Cannot create share '%s': folder '%s' does not exist." % (name, folder['value']), error='not_found')
        if not ctx.check_mode:
            ctx.write('New-SmbShare %s' % name)
            create_share(ctx.host, name, folder['value'])
            if args['record_created'] is True:
                set_recorded(ctx, name, True)
    elif not exists and not args['delete'] and (args['grant'] or args['revoke']):
        ctx.fail("Share '%s' does not exist." % name, error='not_found')

    found = find_share(ctx.host, name)
    share = found[1] if found else None
    if not ctx.check_mode:
        set_owned_entries(ctx, GRANT_RECORD, name, add=args['record_add'] or [])
    for sid in args['grant'] or []:
        if not ctx.check_mode and share is not None:
            grant_read(ctx, share, sid)
    for sid in args['revoke'] or []:
        if not ctx.check_mode and share is not None:
            revoke(ctx, share, sid)
    if args['delete'] and found is not None and not ctx.check_mode:
        ctx.write('Remove-SmbShare %s' % name)
        del ctx.host['shares'][found[0]]
    if not ctx.check_mode:
        set_owned_entries(ctx, GRANT_RECORD, name, remove=args['record_remove'] or [])
    if args['record_created'] is False and not ctx.check_mode:
        set_recorded(ctx, name, False)

    if not ctx.check_mode:
        after = read_result(ctx, args)
        result.update(share=after['share'], created_by_collection=after['created_by_collection'], token=after['token'],
                      recorded=after['recorded'])
    result['changed'] = True
    return result
