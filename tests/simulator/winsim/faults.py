# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault switches of a simulated host (docs/design.md 5).

Runtime faults act on every round trip; seed-time faults only shape the host when it is first
seeded (changing them later does nothing, as on a real machine that was built that way).
"""
from __future__ import annotations

from typing import Any, Mapping

import yaml

# directory_unreadable: a DC cannot read its own directory (LDAP down), so it cannot list the domain's DCs.
# crash_after_writes: N: the next round trip that writes stops dead after its N-th write (the host
# loses power): later calls get no answer, what was written stays, and the fault is used up.
# gpo_not_found_terminating: Get-GPO reports a GPO it cannot find with a terminating error, which
# -ErrorAction SilentlyContinue does not hide (windows-api.md 15 leaves open which it is; the default
# is non-terminating), so a test can hold a module to both.
# no_network_credentials: the connection's logon holds no credentials it can pass on (WinRM with NTLM,
# or Kerberos without delegation: the second hop), so what this host asks of another machine as the
# caller is asked anonymously; LDAP answers that with an operations error (winapi/directory.py).
# smb_sid_account_refused: the SMB cmdlets take -AccountName as an account name only, so a SID string
# gets error 1332 (windows-api.md R6 leaves open whether they accept one; the default is that they do),
# so a test can hold a module to both.
# denied_operations: [winapi operation, ...]: those calls alone answer ERROR_ACCESS_DENIED, as when one
# object's own security (a share's, a firewall policy store's, a task folder's) refuses the caller while
# the rest of the host answers; reads included, unlike access_denied: write.
RUNTIME = frozenset({'unreachable', 'access_denied', 'delay', 'concurrent_change', 'directory_unreadable',
                     'crash_after_writes', 'gpo_not_found_terminating', 'no_network_credentials',
                     'denied_operations', 'smb_sid_account_refused'})
SEED_TIME = frozenset({'corrupt_customsd', 'dhcp_role_absent', 'empty_dhcp_log_path'})
KEYS = RUNTIME | SEED_TIME
ACCESS_DENIED_LEVELS = ('write', 'all')


def _normalize_one(key: str, value: Any) -> Any:
    if key == 'access_denied':
        if value is True:
            return 'all'
        if value in (False, None, ''):
            return None
        if value not in ACCESS_DENIED_LEVELS:
            raise ValueError("winsim: fault access_denied must be 'write' or 'all', not %r" % (value,))
        return value
    if key == 'delay':
        try:
            seconds = float(value or 0)
        except (TypeError, ValueError):
            raise ValueError('winsim: fault delay must be a number of seconds, not %r' % (value,)) from None
        if seconds < 0:
            raise ValueError('winsim: fault delay must not be negative')
        return seconds or None
    if key == 'concurrent_change':
        if value in (None, False, '', []):
            return None
        if value is True:
            return True
        names = [value] if isinstance(value, str) else list(value)
        if not all(isinstance(n, str) and n for n in names):
            raise ValueError('winsim: fault concurrent_change must be true or a list of module names')
        # FQCNs allowed, short names kept; a name listed twice fires twice (two writers in a row,
        # which outlasts the modules' single re-read and re-plan).
        return sorted(n.rsplit('.', 1)[-1] for n in names)
    if key == 'denied_operations':
        if value in (None, False, '', []):
            return None
        names = [value] if isinstance(value, str) else list(value)
        if not all(isinstance(n, str) and '.' in n for n in names):
            raise ValueError("winsim: fault denied_operations must list winapi operations such as 'Smb.GetShare'")
        return sorted(set(names))
    if key == 'crash_after_writes':
        if value is None or value is False:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError('winsim: fault crash_after_writes must be a number of writes (0 or more), not %r' % (value,))
        return value
    if key == 'corrupt_customsd':
        # true -> the default corrupt string; a string -> that exact (non-SDDL) value.
        if value in (None, False, ''):
            return None
        return value if isinstance(value, str) else True
    return bool(value) or None


def normalize(faults: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate a fault mapping. Keys whose value switches the fault off map to None."""
    result: dict[str, Any] = {}
    for key, value in (faults or {}).items():
        if key not in KEYS:
            raise ValueError('winsim: unknown fault %r (known: %s)' % (key, ', '.join(sorted(KEYS))))
        result[key] = _normalize_one(key, value)
    return result


def merge(current: Mapping[str, Any] | None, update: Mapping[str, Any] | None) -> dict[str, Any]:
    """Faults after applying update on top of current; an update value that is off removes the key.

    Merging (not replacing) keeps a fault a test set directly when the inventory gives others.
    """
    merged = dict(current or {})
    for key, value in normalize(update).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def parse_assignment(text: str) -> tuple[str, Any]:
    """'key=value' from the command line; the value is YAML (true, 2.5, [a, b], 'write')."""
    key, sep, raw = text.partition('=')
    if not sep or not key:
        raise ValueError('winsim: expected key=value, got %r' % text)
    return key.strip(), (yaml.safe_load(raw) if raw.strip() else None)


def access_denied(faults: Mapping[str, Any]) -> str | None:
    return faults.get('access_denied')


def denied_operations(faults: Mapping[str, Any]) -> list[str]:
    return list(faults.get('denied_operations') or [])


def directory_unreadable(faults: Mapping[str, Any]) -> bool:
    return bool(faults.get('directory_unreadable'))


def no_network_credentials(faults: Mapping[str, Any]) -> bool:
    return bool(faults.get('no_network_credentials'))


def delay(faults: Mapping[str, Any]) -> float:
    return float(faults.get('delay') or 0)


def concurrent_change_due(faults: Mapping[str, Any], module_short_name: str) -> bool:
    armed = faults.get('concurrent_change')
    return armed is True or (isinstance(armed, list) and module_short_name in armed)


def clear_concurrent_change(faults: dict[str, Any], module_short_name: str) -> None:
    """The fault fires once per arming: drop one listing of this module (or the catch-all true)."""
    armed = faults.get('concurrent_change')
    if isinstance(armed, list) and module_short_name in armed:
        armed = list(armed)
        armed.remove(module_short_name)
    else:
        armed = None
    if armed:
        faults['concurrent_change'] = armed
    else:
        faults.pop('concurrent_change', None)
