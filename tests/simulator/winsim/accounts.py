# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The account directory a simulated host sees: name -> SID and SID -> name, like LookupAccountName.

What it models, and why:
- Case-insensitive matching, as Windows.
- Only the host's own language resolves: on a de-DE host 'VORDEFINIERT\\Administratoren' and
  'Jeder' resolve, 'BUILTIN\\Administrators' and 'Everyone' do not. This is the classic trap of
  name-based code on localized Windows, and principals given by SID avoid it.
- A DC has no local SAM: '.\\x' and 'HOSTNAME\\x' mean the domain there, and its groups are the
  domain's (builtin + domain local).
- A well-formed SID string always "resolves" to itself; its name is None when nothing owns it
  (an orphaned SID, e.g. of a deleted account): docs/design.md 2.
"""
from __future__ import annotations

import re
from typing import Any, NamedTuple

from . import defaults as d
from . import localization as l10n

# What Resolve-IpamPrincipal reports for a name that does not map: the message of the
# IdentityNotMappedException that NTAccount.Translate throws (not the Win32 1332 text).
# https://learn.microsoft.com/dotnet/api/system.security.principal.identitynotmappedexception
NO_MAPPING = 'Some or all identity references could not be translated.'
_SID_RE = re.compile(r'^S-1-\d+(-\d+){1,15}$', re.IGNORECASE)
BUILTIN_SID_PREFIX = 'S-1-5-32-'


def is_sid(text: str) -> bool:
    return bool(_SID_RE.match(text.strip()))


def normalize_sid(text: str) -> str:
    return text.strip().upper()


def is_dc(host: dict[str, Any]) -> bool:
    return host.get('domain_role') in d.DC_ROLES


def _fold(text: str) -> str:
    return text.casefold()


class _Entry(NamedTuple):
    sid: str
    name: str            # account name without authority
    type: str            # user | computer | group | well_known
    upn: str | None


def _relative_to(sid: str, authority_sid: str | None) -> bool:
    """True when sid is authority_sid plus exactly one RID."""
    if not authority_sid:
        return False
    head, _sep, rid = sid.rpartition('-')
    return head == authority_sid.upper() and rid.isdigit()


class AccountDirectory:
    """Name resolution as seen from one host (member/standalone: local SAM + domain; DC: domain)."""

    def __init__(self, host: dict[str, Any], domain: dict[str, Any] | None) -> None:
        self.host = host
        self.domain = domain

    # -- views -----------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.host.get('language', 'en-US')

    def group_store(self) -> tuple[dict[str, Any], str]:
        """The groups this host administers: its SAM on members, the domain's on DCs."""
        if is_dc(self.host):
            if self.domain is None:
                raise RuntimeError('winsim: DC %s has no domain state' % self.host.get('name'))
            return self.domain['groups'], 'domain'
        return self.host['groups'], 'local'

    def _builtin(self) -> list[_Entry]:
        groups, _scope = self.group_store()
        return [_Entry(sid, g['name'], 'group', None) for sid, g in groups.items()
                if sid.startswith(BUILTIN_SID_PREFIX)]

    def _well_known(self) -> list[tuple[_Entry, str | None]]:
        """(entry, localized authority prefix or None) for Everyone, SYSTEM, ..."""
        out = []
        for sid in d.UNPREFIXED_SIDS + d.NT_AUTHORITY_SIDS:
            name = l10n.well_known_name(self.language, sid)
            if name:
                prefix = None if sid in d.UNPREFIXED_SIDS else l10n.nt_authority_prefix(self.language)
                out.append((_Entry(sid, name, 'well_known', None), prefix))
        return out

    def _local(self) -> list[_Entry]:
        """Machine accounts and machine-local groups (not builtin); empty on DCs."""
        if is_dc(self.host):
            return []
        entries = [_Entry(sid, a['name'], a.get('type', 'user'), None)
                   for sid, a in self.host.get('accounts', {}).items()]
        entries += [_Entry(sid, g['name'], 'group', None) for sid, g in self.host.get('groups', {}).items()
                    if not sid.startswith(BUILTIN_SID_PREFIX)]
        return entries

    def _domain(self) -> list[_Entry]:
        if self.domain is None:
            return []
        entries = [_Entry(sid, a['name'], a['type'], a.get('upn')) for sid, a in self.domain['accounts'].items()]
        entries += [_Entry(sid, g['name'], 'group', None) for sid, g in self.domain['groups'].items()
                    if not sid.startswith(BUILTIN_SID_PREFIX)]
        return entries

    # -- SID -> name -------------------------------------------------------------------------
    def name_of(self, sid: str) -> str | None:
        """'DOMAIN\\name', localized 'BUILTIN\\x' / 'NT AUTHORITY\\x', 'Everyone'; None if orphaned."""
        sid = normalize_sid(sid)
        for entry, prefix in self._well_known():
            if entry.sid == sid:
                return entry.name if prefix is None else '%s\\%s' % (prefix, entry.name)
        if sid.startswith(BUILTIN_SID_PREFIX):
            for entry in self._builtin():
                if entry.sid == sid:
                    return '%s\\%s' % (l10n.builtin_prefix(self.language), entry.name)
            return None
        for entry in self._local():
            if entry.sid == sid:
                return '%s\\%s' % (self.host['hostname'], entry.name)
        if self.domain is not None and _relative_to(sid, self.domain['sid']):
            for entry in self._domain():
                if entry.sid == sid:
                    return '%s\\%s' % (self.domain['netbios'], entry.name)
        return None

    # -- name -> SID -------------------------------------------------------------------------
    def _find(self, name: str, entries: list[_Entry]) -> str | None:
        wanted = _fold(name)
        for entry in entries:
            if _fold(entry.name) == wanted:
                return entry.sid
        return None

    def _find_well_known(self, name: str, with_prefix: str | None) -> str | None:
        wanted = _fold(name)
        for entry, prefix in self._well_known():
            if _fold(entry.name) != wanted:
                continue
            if with_prefix is None or (prefix is not None and _fold(prefix) == _fold(with_prefix)):
                return entry.sid
        return None

    def _machine_scope(self, name: str) -> str | None:
        """'HOSTNAME\\name': the computer's own account domain, the local SAM (the domain on a DC). Builtin groups
        are in BUILTIN, not in that domain, so 'HOSTNAME\\Event Log Readers' does not map (windows-api.md R2, after
        ansible.windows' Convert-ToSID, which looks local groups up by the bare name for that reason)."""
        if is_dc(self.host):
            return self._find(name, self._domain())
        return self._find(name, self._local())

    def _upn(self, user: str, suffix: str) -> str | None:
        if self.domain is None:
            return None
        text = _fold('%s@%s' % (user, suffix))
        for entry in self._domain():
            if entry.upn and _fold(entry.upn) == text:
                return entry.sid
        # Implicit UPN sAMAccountName@dns.domain works for users and computers.
        if _fold(suffix) == _fold(self.domain['dns_name']):
            return self._find(user, [e for e in self._domain() if e.type in ('user', 'computer')])
        return None

    def lookup(self, text: str) -> str | None:
        """SID of an account name in any accepted form, or None."""
        text = text.strip()
        if not text:
            return None
        if '\\' in text:
            authority, _sep, name = text.partition('\\')
            auth = _fold(authority)
            if not name:
                return None
            if auth in ('.', _fold(self.host['hostname'])):
                return self._machine_scope(name)
            if auth == _fold(l10n.builtin_prefix(self.language)):
                return self._find(name, self._builtin())
            if auth == _fold(l10n.nt_authority_prefix(self.language)):
                return self._find_well_known(name, authority)
            if self.domain is not None and auth in (_fold(self.domain['netbios']), _fold(self.domain['dns_name'])):
                return self._find(name, self._domain())
            return None
        if '@' in text:
            user, _sep, suffix = text.rpartition('@')
            return self._upn(user, suffix) if user and suffix else None
        # Bare name: LookupAccountName's order: well known, builtin, this machine, primary domain.
        return (self._find_well_known(text, None) or self._find(text, self._builtin())
                or (self._machine_scope(text) if not is_dc(self.host) else None)
                or self._find(text, self._domain()))

    def resolve(self, text: str) -> dict[str, Any]:
        """{input, sid, name, error} as the collection's read results report it (docs/design.md 2)."""
        raw = text if isinstance(text, str) else str(text)
        if is_sid(raw):
            sid = normalize_sid(raw)
            return {'input': raw, 'sid': sid, 'name': self.name_of(sid), 'error': None}
        sid = self.lookup(raw)
        if sid is None:
            # Resolve-IpamPrincipal: '.\\name' or 'HOSTNAME\\name' that does not map is tried by the bare name, and
            # kept only when that is a builtin group.
            authority, sep, name = raw.strip().partition('\\')
            if sep and name and _fold(authority) in ('.', _fold(self.host['hostname'])):
                bare = self.lookup(name)
                if bare is not None and bare.startswith('S-1-5-32-'):
                    sid = bare
        if sid is None:
            return {'input': raw, 'sid': None, 'name': None, 'error': NO_MAPPING}
        return {'input': raw, 'sid': sid, 'name': self.name_of(sid), 'error': None}
