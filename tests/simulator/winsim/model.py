# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers that act on host state the way Windows itself would, for handlers to share.

They only change the dicts; the handler decides when (ctx.write first, never in check mode).
"""
from __future__ import annotations

from typing import Any

from . import defaults as d


def share_entry(sid: str, right: str, type_: str = d.SHARE_ALLOW) -> dict[str, str]:
    """One share ACE as Get-SmbShareAccess reports it (by SID; names are resolved on read)."""
    if right not in (d.SHARE_FULL, d.SHARE_CHANGE, d.SHARE_READ):
        raise ValueError('winsim: share right must be Full, Change or Read, not %r' % right)
    if type_ not in (d.SHARE_ALLOW, d.SHARE_DENY):
        raise ValueError('winsim: share access type must be Allow or Deny, not %r' % type_)
    return {'sid': sid, 'type': type_, 'right': right}


def share_ace_mask(entry: dict[str, Any]) -> int:
    """The access mask of a share entry of the state: its own 'mask' (a custom right), else its right's."""
    if entry.get('mask') is not None:
        return int(entry['mask'])
    return d.SHARE_RIGHT_MASKS[entry['right']]


def admin_share_access() -> list[dict[str, str]]:
    return [share_entry(d.BUILTIN_ADMINISTRATORS, d.SHARE_FULL)]


def find_share(host: dict[str, Any], name: str) -> tuple[str, dict[str, Any]] | None:
    """(stored name, share) by case-insensitive name, as SMB share names are."""
    for key, share in host['shares'].items():
        if key.casefold() == name.casefold():
            return key, share
    return None


def path_exists(host: dict[str, Any], path: str) -> bool:
    wanted = path.rstrip('\\').casefold()
    return any(p.rstrip('\\').casefold() == wanted for p in host['paths'])


def create_share(host: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    """New-SmbShare without access parameters: Everyone gets Allow Read (WD 6, chef/chef#7934)."""
    if find_share(host, name):
        raise ValueError('winsim: share %s already exists on %s' % (name, host['name']))
    share = {'path': path, 'access': [share_entry(d.EVERYONE, d.SHARE_READ)]}
    host['shares'][name] = share
    return share


def record_values(host: dict[str, Any], value_name: str) -> list[str]:
    """REG_MULTI_SZ value under HKLM\\SOFTWARE\\ipam.provisioning ([] when the key or value is absent)."""
    return list(host['registry'].get(d.KEY_RECORD, {}).get(value_name) or [])


def set_record_values(host: dict[str, Any], value_name: str, values: list[str]) -> None:
    """Write the record value, creating the key on first use (docs/design.md 3)."""
    host['registry'].setdefault(d.KEY_RECORD, {})[value_name] = list(values)


def write_record(ctx: Any, value_name: str, wanted: list[str]) -> None:
    """The registry writes of Set-IpamRecord (_IpamAccess.psm1), counted as the module makes them: an
    empty record removes the value (if there is one); otherwise the key is created on first use (a
    write of its own) and the value is set, even when it holds the same entries already."""
    values = ctx.host['registry'].get(d.KEY_RECORD)
    if not wanted:
        if values is not None and value_name in values:
            ctx.write('%s\\%s' % (d.KEY_RECORD, value_name))
            del values[value_name]
        return
    if values is None:
        ctx.write(d.KEY_RECORD)
    ctx.write('%s\\%s' % (d.KEY_RECORD, value_name))
    set_record_values(ctx.host, value_name, wanted)


def set_record_entries(ctx: Any, value_name: str, entries: list[str], present: bool, replace: tuple[str, ...] = ()) -> None:
    """Set-IpamRecordEntry (_IpamAccess.psm1): the other entries (PowerShell compares without regard to case),
    plus entries when present, in one Set-IpamRecord."""
    gone = {e.casefold() for e in list(entries) + list(replace)}
    kept = [v for v in record_values(ctx.host, value_name) if v and v.casefold() not in gone]
    write_record(ctx, value_name, kept + (list(entries) if present else []))


def owned_entries(host: dict[str, Any], value_name: str, obj: str) -> list[str]:
    """Get-IpamOwnedEntry (_IpamAccess.psm1): the '<object>|<entry>' lines of one object, without the prefix."""
    prefix = (obj + '|').casefold()
    return [v[len(prefix):] for v in record_values(host, value_name) if v.casefold().startswith(prefix)]


def set_owned_entries(ctx: Any, value_name: str, obj: str, add: list[str] | None = None,
                      remove: list[str] | None = None) -> None:
    """Set-IpamOwnedEntry: drop and add one object's entries, writing only when the record changes."""
    prefix = obj + '|'
    before = record_values(ctx.host, value_name)
    dropped = set(remove or [])
    kept = [v for v in before
            if v and not (v.casefold().startswith(prefix.casefold()) and v[len(prefix):] in dropped)]
    for entry in add or []:
        if entry and prefix + entry not in kept:
            kept.append(prefix + entry)
    if kept != before:
        write_record(ctx, value_name, kept)


# The ACEs this collection added to descriptors it does not own: '<object>|<ACE>' lines.
ACES_RECORD = 'AcesAdded'


def apply_recorded_ace_change(ctx: Any, obj: str, args: dict[str, Any], write: Any) -> list[str]:
    """The apply of the ACE modules outside check mode: record the ACEs to add, write the descriptor
    (write() does, and only when it differs), forget the removed ACEs; returns the record after."""
    set_owned_entries(ctx, ACES_RECORD, obj, add=args['record_add'] or [])
    write()
    set_owned_entries(ctx, ACES_RECORD, obj, remove=args['record_remove'] or [])
    return owned_entries(ctx.host, ACES_RECORD, obj)
