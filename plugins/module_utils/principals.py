# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Principal syntax, well-known SIDs and the broad-principal policy.

Only syntax is checked here; names are resolved to SIDs on the host, which knows its domain
and language. Controller-side only, standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

__all__ = [
    'Principal', 'parse_principal', 'is_sid', 'normalize_sid', 'well_known_name', 'broad_reason', 'broad_name_reason',
    'unresolved_reason', 'dedupe_by_sid',
    'WELL_KNOWN_SIDS', 'DOMAIN_RIDS', 'BROAD_SIDS', 'BROAD_DOMAIN_RIDS',
]

_SID_RE = re.compile(r'[Ss]-1-(?:0[xX][0-9A-Fa-f]{1,12}|[0-9]{1,15})(?:-[0-9]{1,10}){1,15}\Z')
_DOMAIN_SID_RE = re.compile(r'S-1-5-21-[0-9]+-[0-9]+-[0-9]+-([0-9]+)\Z')
# Characters Windows does not allow in account names (sAMAccountName), plus '@' outside a UPN.
_BAD_NAME_CHARS = frozenset('"/\\[]:;|=+*?<>@')
_BAD_DOMAIN_CHARS = frozenset('"/\\[]:;|=+*?<>@,')
_INVISIBLE = frozenset('\u200b\u200c\u200d\u2060\ufeff')

# SID -> English name (names differ by host language; these are for messages only).
WELL_KNOWN_SIDS: Dict[str, str] = {
    'S-1-0-0': 'NULL SID',
    'S-1-1-0': 'Everyone',
    'S-1-2-0': 'LOCAL',
    'S-1-2-1': 'CONSOLE LOGON',
    'S-1-3-0': 'CREATOR OWNER',
    'S-1-3-1': 'CREATOR GROUP',
    'S-1-3-4': 'OWNER RIGHTS',
    'S-1-5-1': 'DIALUP',
    'S-1-5-2': 'NETWORK',
    'S-1-5-3': 'BATCH',
    'S-1-5-4': 'INTERACTIVE',
    'S-1-5-6': 'SERVICE',
    'S-1-5-7': 'ANONYMOUS LOGON',
    'S-1-5-9': 'ENTERPRISE DOMAIN CONTROLLERS',
    'S-1-5-10': 'SELF',
    'S-1-5-11': 'Authenticated Users',
    'S-1-5-12': 'RESTRICTED',
    'S-1-5-13': 'TERMINAL SERVER USER',
    'S-1-5-14': 'REMOTE INTERACTIVE LOGON',
    'S-1-5-15': 'This Organization',
    'S-1-5-17': 'IUSR',
    'S-1-5-18': 'SYSTEM',
    'S-1-5-19': 'LOCAL SERVICE',
    'S-1-5-20': 'NETWORK SERVICE',
    'S-1-5-32-544': 'Administrators',
    'S-1-5-32-545': 'Users',
    'S-1-5-32-546': 'Guests',
    'S-1-5-32-547': 'Power Users',
    'S-1-5-32-548': 'Account Operators',
    'S-1-5-32-549': 'Server Operators',
    'S-1-5-32-550': 'Print Operators',
    'S-1-5-32-551': 'Backup Operators',
    'S-1-5-32-552': 'Replicator',
    'S-1-5-32-554': 'Pre-Windows 2000 Compatible Access',
    'S-1-5-32-555': 'Remote Desktop Users',
    'S-1-5-32-556': 'Network Configuration Operators',
    'S-1-5-32-557': 'Incoming Forest Trust Builders',
    'S-1-5-32-558': 'Performance Monitor Users',
    'S-1-5-32-559': 'Performance Log Users',
    'S-1-5-32-560': 'Windows Authorization Access Group',
    'S-1-5-32-561': 'Terminal Server License Servers',
    'S-1-5-32-562': 'Distributed COM Users',
    'S-1-5-32-568': 'IIS_IUSRS',
    'S-1-5-32-569': 'Cryptographic Operators',
    'S-1-5-32-573': 'Event Log Readers',
    'S-1-5-32-574': 'Certificate Service DCOM Access',
    'S-1-5-32-575': 'RDS Remote Access Servers',
    'S-1-5-32-576': 'RDS Endpoint Servers',
    'S-1-5-32-577': 'RDS Management Servers',
    'S-1-5-32-578': 'Hyper-V Administrators',
    'S-1-5-32-579': 'Access Control Assistance Operators',
    'S-1-5-32-580': 'Remote Management Users',
    'S-1-5-32-584': 'User Mode Hardware Operators',
    'S-1-5-32-585': 'OpenSSH Users',
    'S-1-5-33': 'WRITE RESTRICTED',
    'S-1-5-64-10': 'NTLM Authentication',
    'S-1-5-64-14': 'SChannel Authentication',
    'S-1-5-64-21': 'Digest Authentication',
    'S-1-5-80-0': 'ALL SERVICES',
    'S-1-5-113': 'Local account',
    'S-1-5-114': 'Local account and member of Administrators group',
    'S-1-5-1000': 'Other Organization',
    'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
    'S-1-15-2-2': 'ALL RESTRICTED APPLICATION PACKAGES',
    'S-1-16-4096': 'Low Mandatory Level',
    'S-1-16-8192': 'Medium Mandatory Level',
    'S-1-16-8448': 'Medium Plus Mandatory Level',
    'S-1-16-12288': 'High Mandatory Level',
    'S-1-16-16384': 'System Mandatory Level',
    'S-1-18-1': 'Authentication authority asserted identity',
    'S-1-18-2': 'Service asserted identity',
}

# RID -> English name for accounts relative to a domain (or machine) SID S-1-5-21-a-b-c.
DOMAIN_RIDS: Dict[int, str] = {
    498: 'Enterprise Read-only Domain Controllers',
    500: 'Administrator',
    501: 'Guest',
    502: 'krbtgt',
    512: 'Domain Admins',
    513: 'Domain Users',
    514: 'Domain Guests',
    515: 'Domain Computers',
    516: 'Domain Controllers',
    517: 'Cert Publishers',
    518: 'Schema Admins',
    519: 'Enterprise Admins',
    520: 'Group Policy Creator Owners',
    521: 'Read-only Domain Controllers',
    522: 'Cloneable Domain Controllers',
    525: 'Protected Users',
    526: 'Key Admins',
    527: 'Enterprise Key Admins',
    553: 'RAS and IAS Servers',
    571: 'Allowed RODC Password Replication Group',
    572: 'Denied RODC Password Replication Group',
}

# SIDs that stand for a whole population of accounts, logons or processes: granting IPAM's
# read access to them would hand DHCP/DNS/event-log data to nearly anyone.
BROAD_SIDS: Dict[str, str] = {
    'S-1-1-0': 'contains every account, including anonymous and guest access where those are enabled',
    'S-1-2-0': 'contains every user who logs on locally',
    'S-1-2-1': 'contains every user who logs on at the console',
    'S-1-5-1': 'contains every dial-up logon',
    'S-1-5-2': 'contains every network logon',
    'S-1-5-3': 'contains every batch logon',
    'S-1-5-4': 'contains every interactive logon',
    'S-1-5-6': 'contains every service process',
    'S-1-5-7': 'is the anonymous (null session) logon',
    'S-1-5-11': 'contains every authenticated account of the forest and of trusted domains',
    'S-1-5-13': 'contains every Terminal Server user',
    'S-1-5-14': 'contains every Remote Desktop logon',
    'S-1-5-15': 'contains every account of this organization',
    'S-1-5-1000': 'contains every account of other organizations',
    'S-1-5-32-545': 'contains every local user and, on a member, Domain Users',
    'S-1-5-32-546': 'is the guest group',
    'S-1-5-32-554': 'historically contains Everyone or Authenticated Users',
    'S-1-5-64-10': 'contains every NTLM logon',
    'S-1-5-64-14': 'contains every SChannel logon',
    'S-1-5-64-21': 'contains every Digest logon',
    'S-1-5-113': 'contains every local account',
    'S-1-15-2-1': 'contains every app-container process',
    'S-1-15-2-2': 'contains every restricted app-container process',
    'S-1-18-1': 'contains every account whose identity an authentication authority asserted',
}
BROAD_DOMAIN_RIDS: Dict[int, str] = {
    501: 'is the guest account',
    513: 'contains every user account of the domain (locally: every local user)',
    514: 'contains the guest accounts of the domain',
    515: 'contains every computer joined to the domain',
}


def _sid_value(text: str) -> Optional[str]:
    if not _SID_RE.match(text):
        return None
    parts = text.split('-')
    authority = int(parts[2], 16) if parts[2][:2].lower() == '0x' else int(parts[2])
    subs = [int(p) for p in parts[3:]]
    if authority >= 1 << 48 or any(s > 0xFFFFFFFF for s in subs):
        return None
    # Windows prints authorities of 2**32 and above in hex.
    auth_out = '0x%012X' % authority if authority >= 1 << 32 else str(authority)
    return 'S-1-%s-%s' % (auth_out, '-'.join(str(s) for s in subs))


def is_sid(text: Any) -> bool:
    """True for a SID string S-1-<authority>-<sub>... (1 to 15 sub-authorities, 32-bit values)."""
    return isinstance(text, str) and _sid_value(text.strip()) is not None


def normalize_sid(text: str) -> str:
    """Canonical form of a SID string: upper-case 'S-', no surrounding blanks, no leading zeros."""
    value = _sid_value(text.strip()) if isinstance(text, str) else None
    if value is None:
        raise ValueError('not a valid SID: %r (expected S-1-<authority>-<sub-authority>...)' % (text,))
    return value


def well_known_name(sid: str) -> Optional[str]:
    """English name of a well-known SID or of a well-known domain RID, else None."""
    norm = normalize_sid(sid)
    if norm in WELL_KNOWN_SIDS:
        return WELL_KNOWN_SIDS[norm]
    m = _DOMAIN_SID_RE.match(norm)
    if m and int(m.group(1)) in DOMAIN_RIDS:
        return DOMAIN_RIDS[int(m.group(1))]
    return None


def broad_reason(sid: str) -> Optional[str]:
    """Why ``sid`` is too broad to be granted IPAM access, or None when it is not one of those."""
    norm = normalize_sid(sid)
    reason = BROAD_SIDS.get(norm)
    if reason is None:
        m = _DOMAIN_SID_RE.match(norm)
        if m:
            reason = BROAD_DOMAIN_RIDS.get(int(m.group(1)))
    if reason is None:
        return None
    return '%s (%s) %s' % (well_known_name(norm) or norm, norm, reason)


def unresolved_reason(text: str, error: Optional[str]) -> str:
    """Why a principal the host could not map to a SID failed: the Windows error, and the usual slip.

    That slip is the IPAM server's computer account named without its trailing '$'.
    """
    error = str(error or 'unknown account')
    if text and not text.endswith('$') and not is_sid(text):
        return "%s; a computer account's name ends with '$' (%s$)" % (error.rstrip('.'), text)
    return error


def broad_name_reason(principal: 'Principal') -> Optional[str]:
    """Why a principal given by its English well-known name (Everyone, BUILTIN\\Users, CORP\\Domain Users)
    is too broad, or None. Hosts in other languages name these accounts differently; the host checks
    every principal again by SID once it has resolved it."""
    if principal.kind == 'sid':
        return broad_reason(principal.text)
    name = (principal.name or principal.text).casefold()
    for sid, reason in BROAD_SIDS.items():
        if WELL_KNOWN_SIDS.get(sid, '').casefold() == name:
            return '%s (%s) %s' % (WELL_KNOWN_SIDS[sid], sid, reason)
    if principal.kind in ('down_level', 'upn', 'name'):
        for rid, reason in BROAD_DOMAIN_RIDS.items():
            if DOMAIN_RIDS.get(rid, '').casefold() == name:
                return '%s (domain RID %d) %s' % (DOMAIN_RIDS[rid], rid, reason)
    return None


@dataclass(frozen=True)
class Principal:
    """A principal as the user wrote it. ``kind``: sid, down_level, upn, local or name."""

    kind: str
    text: str
    domain: Optional[str] = None
    name: Optional[str] = None

    @property
    def ambiguous(self) -> bool:
        """A bare name may match a local and a domain account; the host decides which."""
        return self.kind == 'name'

    @property
    def sid(self) -> Optional[str]:
        return normalize_sid(self.text) if self.kind == 'sid' else None


def _check_name(part: str, what: str, text: str) -> None:
    if not part:
        raise ValueError('principal %r has an empty %s' % (text, what))
    if part != part.strip():
        raise ValueError('principal %r: the %s %r starts or ends with a blank' % (text, what, part))
    bad = sorted(set(part) & _BAD_NAME_CHARS)
    if bad:
        raise ValueError('principal %r: the %s contains %s, which Windows does not allow in account names'
                         % (text, what, ' '.join(repr(c) for c in bad)))


def _check_domain(part: str, text: str, dns: bool) -> None:
    if not part:
        raise ValueError('principal %r has no domain' % text)
    if part != part.strip():
        raise ValueError('principal %r: the domain %r starts or ends with a blank' % (text, part))
    bad = sorted(set(part) & _BAD_DOMAIN_CHARS)
    if bad:
        raise ValueError('principal %r: the domain contains %s' % (text, ' '.join(repr(c) for c in bad)))
    if dns and (' ' in part or any(not label for label in part.split('.'))):
        raise ValueError('principal %r: %r is not a DNS domain name' % (text, part))


def parse_principal(text: Any) -> Principal:
    """Check the syntax of one principal and say which form it has; ValueError names the bad input.

    Forms: ``S-1-5-21-...`` (sid), ``DOMAIN\\name`` incl. ``DOMAIN\\HOST$``, ``BUILTIN\\x``, ``NT AUTHORITY\\x``
    (down_level), ``name@domain.tld`` (upn), ``.\\name`` (local), ``name`` (name: allowed, but ambiguous).
    """
    if not isinstance(text, str):
        raise ValueError('a principal must be a string, got %s %r' % (type(text).__name__, text))
    stripped = text.strip()
    if not stripped:
        raise ValueError('a principal is empty or blank: %r' % text)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 or c in _INVISIBLE for c in stripped):
        raise ValueError('principal %r contains a control or invisible character' % text)
    if ',' in stripped:
        raise ValueError('principal %r contains a comma: give a list, not a comma-separated string' % text)

    if re.match(r'[Ss]-[0-9]', stripped):
        if _sid_value(stripped) is None:
            raise ValueError('principal %r looks like a SID but is not a valid one '
                             '(expected S-1-<authority>-<sub-authority>..., 1 to 15 sub-authorities)' % text)
        return Principal('sid', stripped)

    backslashes = stripped.count('\\')
    if backslashes > 1:
        raise ValueError('principal %r has more than one backslash: write DOMAIN\\name '
                         '(in YAML double quotes the backslash must be written twice)' % text)
    if backslashes == 1:
        domain, name = stripped.split('\\')
        _check_name(name, 'name', text)
        if domain == '.':
            return Principal('local', stripped, '.', name)
        _check_domain(domain, text, dns=False)
        return Principal('down_level', stripped, domain, name)

    if '@' in stripped:
        if stripped.count('@') > 1:
            raise ValueError('principal %r has more than one "@"' % text)
        name, domain = stripped.split('@')
        if not domain:
            raise ValueError('principal %r has "@" without a domain (expected name@domain.tld)' % text)
        _check_name(name, 'name', text)
        _check_domain(domain, text, dns=True)
        return Principal('upn', stripped, domain, name)

    _check_name(stripped, 'name', text)
    return Principal('name', stripped, None, stripped)


def dedupe_by_sid(resolved: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Keep the first entry per SID (compared without regard to case); entries without a SID are all kept."""
    seen = set()
    out = []
    for item in resolved:
        sid = item.get('sid')
        if sid:
            key = str(sid).strip().upper()
            if key in seen:
                continue
            seen.add(key)
        out.append(item)
    return out
