# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDDL engine: parse a security descriptor string, add or remove one ACE.

Edits are made on character spans of the original text, never by rendering the descriptor
again: every character that is not part of the ACE we insert or delete stays exactly as it
was (SACL, hex masks, spacing, ACEs of other trustees, conditional expressions).

What is accepted, and why:

- Sections O:, G:, D:, S: in any order, each at most once, any of them missing. A bare ACE
  list without ``D:`` (as KB 914392 prints a service SD) is rejected: Windows needs the tag,
  and guessing which ACL was meant could rewrite the wrong one.
- Blanks around ACE fields (KB 323076 prints ``(A;; 0x5 ;;;BA)``, the CustomSD doc
  ``;;; S-1-...``) and whitespace between sections/ACEs or around the whole string (``sc.exe
  sdshow`` prints a blank line first) are tolerated and kept.
- Masks: two-letter rights, hex ``0x..``, or decimal. A decimal with a leading 0 is refused:
  Windows would read it as octal.
- Aliases are matched without regard to case (as Wine's and ReactOS' SDDL parsers do);
  type, flag and right letters are upper case.

Controller-side only, standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

__all__ = [
    'SddlError', 'Ace', 'Acl', 'SidRef', 'SecurityDescriptor', 'EditResult',
    'ACE_TYPES', 'ACE_FLAGS', 'RIGHTS', 'SID_ALIASES', 'DOMAIN_ALIAS_RIDS', 'ROOT_DOMAIN_ALIAS_RIDS', 'MACHINE_ALIAS_RIDS',
    'parse', 'parse_ace', 'covers', 'add_ace', 'remove_ace', 'aces_for_sid', 'describe',
    'mask_to_letters', 'resolve_trustee', 'normalize_sid', 'is_sid',
]


class SddlError(ValueError):
    """A string is not valid SDDL, or an edit was refused. ``offset`` is the character offset."""

    def __init__(self, message: str, offset: Optional[int] = None) -> None:
        self.reason = message
        self.offset = offset
        if offset is not None:
            message = '%s (at offset %d)' % (message, offset)
        super().__init__(message)


# ACE type string -> short English name (sddl.h, "ACE Strings").
ACE_TYPES: Dict[str, str] = {
    'A': 'allow',
    'D': 'deny',
    'OA': 'object allow',
    'OD': 'object deny',
    'AU': 'audit',
    'AL': 'alarm',
    'OU': 'object audit',
    'OL': 'object alarm',
    'ML': 'mandatory label',
    'TL': 'process trust label',
    'XA': 'conditional allow',
    'XD': 'conditional deny',
    'XU': 'conditional audit',
    'ZA': 'conditional object allow',
    'RA': 'resource attribute',
    'SP': 'scoped policy',
    'FL': 'access filter',
}
DACL_TYPES = frozenset({'A', 'D', 'OA', 'OD', 'XA', 'XD', 'ZA'})
DENY_TYPES = frozenset({'D', 'OD', 'XD'})
OBJECT_TYPES = frozenset({'OA', 'OD', 'OU', 'OL', 'ZA'})
# Types whose 7th field (condition or resource attribute) is allowed.
EXTRA_TYPES = frozenset({'XA', 'XD', 'XU', 'ZA', 'RA', 'FL'})
# Types that legitimately carry an empty access mask.
MASKLESS_TYPES = frozenset({'RA', 'SP', 'TL', 'FL'})

ACE_FLAGS = frozenset({'CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR'})
INHERITANCE_FLAGS = frozenset({'CI', 'OI', 'NP', 'IO'})
AUDIT_FLAGS = frozenset({'SA', 'FA'})
OTHER_FLAGS = frozenset({'TP', 'CR'})

# Longest first so that NO_ACCESS_CONTROL is not read as something shorter.
ACL_FLAGS: Tuple[str, ...] = ('NO_ACCESS_CONTROL', 'AR', 'AI', 'P')

# Access right string -> mask. Order is that of Windows' own table, which decides how
# mask_to_letters names a mask that equals one of the combined values.
RIGHTS: Dict[str, int] = {
    'GA': 0x10000000,
    'GR': 0x80000000,
    'GW': 0x40000000,
    'GX': 0x20000000,
    'RC': 0x00020000,
    'SD': 0x00010000,
    'WD': 0x00040000,
    'WO': 0x00080000,
    'RP': 0x00000010,
    'WP': 0x00000020,
    'CC': 0x00000001,
    'DC': 0x00000002,
    'LC': 0x00000004,
    'SW': 0x00000008,
    'LO': 0x00000080,
    'DT': 0x00000040,
    'CR': 0x00000100,
    'FA': 0x001F01FF,
    'FR': 0x00120089,
    'FW': 0x00120116,
    'FX': 0x001200A0,
    'KA': 0x000F003F,
    'KR': 0x00020019,
    'KW': 0x00020006,
    'KX': 0x00020019,
    'NR': 0x00000002,
    'NW': 0x00000001,
    'NX': 0x00000004,
}
# Single-bit names Windows uses when it spells a mask out letter by letter (bit order).
_BIT_LETTERS: Dict[int, str] = {
    0: 'CC', 1: 'DC', 2: 'LC', 3: 'SW', 4: 'RP', 5: 'WP', 6: 'DT', 7: 'LO', 8: 'CR',
    16: 'SD', 17: 'RC', 18: 'WD', 19: 'WO', 28: 'GA', 29: 'GX', 30: 'GW', 31: 'GR',
}

# SDDL SID aliases that name one fixed SID (sddl.h; values from the well-known SID tables).
SID_ALIASES: Dict[str, str] = {
    'AA': 'S-1-5-32-579',   # Access Control Assistance Operators
    'AC': 'S-1-15-2-1',     # ALL APPLICATION PACKAGES
    'AN': 'S-1-5-7',        # Anonymous Logon
    'AO': 'S-1-5-32-548',   # Account Operators
    'AS': 'S-1-18-1',       # Authentication authority asserted identity
    'AU': 'S-1-5-11',       # Authenticated Users
    'BA': 'S-1-5-32-544',   # Administrators
    'BG': 'S-1-5-32-546',   # Guests
    'BO': 'S-1-5-32-551',   # Backup Operators
    'BU': 'S-1-5-32-545',   # Users
    'CD': 'S-1-5-32-574',   # Certificate Service DCOM Access
    'CG': 'S-1-3-1',        # CREATOR GROUP
    'CO': 'S-1-3-0',        # CREATOR OWNER
    'CY': 'S-1-5-32-569',   # Cryptographic Operators
    'ED': 'S-1-5-9',        # Enterprise Domain Controllers
    'ER': 'S-1-5-32-573',   # Event Log Readers
    'ES': 'S-1-5-32-576',   # RDS Endpoint Servers
    'HA': 'S-1-5-32-578',   # Hyper-V Administrators
    'HI': 'S-1-16-12288',   # High Mandatory Level
    'HO': 'S-1-5-32-584',   # User Mode Hardware Operators
    'IS': 'S-1-5-32-568',   # IIS_IUSRS
    'IU': 'S-1-5-4',        # INTERACTIVE
    'LS': 'S-1-5-19',       # LOCAL SERVICE
    'LU': 'S-1-5-32-559',   # Performance Log Users
    'LW': 'S-1-16-4096',    # Low Mandatory Level
    'ME': 'S-1-16-8192',    # Medium Mandatory Level
    'MP': 'S-1-16-8448',    # Medium Plus Mandatory Level
    'MS': 'S-1-5-32-577',   # RDS Management Servers
    'MU': 'S-1-5-32-558',   # Performance Monitor Users
    'NO': 'S-1-5-32-556',   # Network Configuration Operators
    'NS': 'S-1-5-20',       # NETWORK SERVICE
    'NU': 'S-1-5-2',        # NETWORK
    'OW': 'S-1-3-4',        # OWNER RIGHTS
    'PO': 'S-1-5-32-550',   # Print Operators
    'PS': 'S-1-5-10',       # PRINCIPAL SELF
    'PU': 'S-1-5-32-547',   # Power Users
    'RA': 'S-1-5-32-575',   # RDS Remote Access Servers
    'RC': 'S-1-5-12',       # RESTRICTED
    'RD': 'S-1-5-32-555',   # Remote Desktop Users
    'RE': 'S-1-5-32-552',   # Replicator
    'RM': 'S-1-5-32-580',   # Remote Management Users
    'RU': 'S-1-5-32-554',   # Pre-Windows 2000 Compatible Access
    'SH': 'S-1-5-32-585',   # OpenSSH Users
    'SI': 'S-1-16-16384',   # System Mandatory Level
    'SO': 'S-1-5-32-549',   # Server Operators
    'SS': 'S-1-18-2',       # Service asserted identity
    'SU': 'S-1-5-6',        # SERVICE
    'SY': 'S-1-5-18',       # SYSTEM
    'UD': 'S-1-5-84-0-0-0-0-0',  # User-mode drivers
    'WD': 'S-1-1-0',        # Everyone
    'WR': 'S-1-5-33',       # WRITE RESTRICTED
}
# Aliases relative to the domain SID: only the RID is fixed.
DOMAIN_ALIAS_RIDS: Dict[str, int] = {
    'DA': 512,  # Domain Admins
    'DU': 513,  # Domain Users
    'DG': 514,  # Domain Guests
    'DC': 515,  # Domain Computers
    'DD': 516,  # Domain Controllers
    'CA': 517,  # Cert Publishers
    'PA': 520,  # Group Policy Creator Owners
    'CN': 522,  # Cloneable Domain Controllers
    'AP': 525,  # Protected Users
    'KA': 526,  # Key Admins
    'RS': 553,  # RAS and IAS Servers
}
# Aliases relative to the forest root domain: resolving them with a child domain's SID would be wrong.
ROOT_DOMAIN_ALIAS_RIDS: Dict[str, int] = {
    'RO': 498,  # Enterprise Read-only Domain Controllers
    'SA': 518,  # Schema Admins
    'EA': 519,  # Enterprise Admins
    'EK': 527,  # Enterprise Key Admins
}
# Aliases relative to the machine (local account domain) SID.
MACHINE_ALIAS_RIDS: Dict[str, int] = {
    'LA': 500,  # local Administrator account
    'LG': 501,  # local Guest account
}

_WS = ' \t\r\n'
_FIELD_WS = ' \t'
_SECTION_TAGS = ('O:', 'G:', 'D:', 'S:')
_SID_RE = re.compile(r'[Ss]-1-(?:0[xX][0-9A-Fa-f]{1,12}|[0-9]{1,15})(?:-[0-9]{1,10}){1,15}\Z')
# Where an owner/group SID ends: a SID never contains a letter after the authority.
_SID_TOKEN_RE = re.compile(r'[Ss]-[0-9]+-(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:-[0-9]+)*')
_GUID_RE = re.compile(r'[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z')
_HEX_RE = re.compile(r'0[xX][0-9A-Fa-f]+\Z')
_DEC_RE = re.compile(r'[0-9]+\Z')
_MAX_MASK = 0xFFFFFFFF


def is_sid(text: str) -> bool:
    """True when text is a SID string S-1-<authority>-<sub>... (1 to 15 sub-authorities, 32-bit values)."""
    return isinstance(text, str) and _sid_value(text.strip()) is not None


def normalize_sid(text: str) -> str:
    """Canonical SID string: upper-case 'S', decimal numbers without leading zeros; ValueError if not a SID."""
    value = _sid_value(text.strip()) if isinstance(text, str) else None
    if value is None:
        raise ValueError('not a SID string: %r' % (text,))
    return value


def _sid_value(text: str) -> Optional[str]:
    if not _SID_RE.match(text):
        return None
    parts = text.split('-')
    authority_text = parts[2]
    authority = int(authority_text, 16) if authority_text[:2].lower() == '0x' else int(authority_text)
    if authority >= 1 << 48:
        return None
    subs = [int(p) for p in parts[3:]]
    if any(s > _MAX_MASK for s in subs):
        return None
    # Windows prints authorities of 2**32 and above in hex.
    auth_out = '0x%012X' % authority if authority >= 1 << 32 else str(authority)
    return 'S-1-%s-%s' % (auth_out, '-'.join(str(s) for s in subs))


@dataclass(frozen=True)
class _Context:
    domain_sid: Optional[str] = None
    machine_sid: Optional[str] = None
    root_domain_sid: Optional[str] = None


def _context(domain_sid: Optional[str], machine_sid: Optional[str], root_domain_sid: Optional[str]) -> _Context:
    values = []
    for name, value in (('domain_sid', domain_sid), ('machine_sid', machine_sid), ('root_domain_sid', root_domain_sid)):
        if value is None:
            values.append(None)
            continue
        norm = _sid_value(value.strip()) if isinstance(value, str) else None
        if norm is None:
            raise SddlError('%s is not a SID string: %r' % (name, value))
        values.append(norm)
    return _Context(*values)


def resolve_trustee(trustee: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
                    root_domain_sid: Optional[str] = None) -> Optional[str]:
    """SID string for an SDDL trustee (alias or SID); None for a relative alias whose base SID is not known.

    Raises SddlError when the text is neither a known alias nor a valid SID.
    """
    return _resolve(trustee.strip(), _context(domain_sid, machine_sid, root_domain_sid), 0)


def _resolve(trustee: str, ctx: _Context, offset: int) -> Optional[str]:
    if trustee[:2] in ('S-', 's-'):
        sid = _sid_value(trustee)
        if sid is None:
            raise SddlError('bad SID %r' % trustee, offset)
        return sid
    if len(trustee) != 2 or not trustee.isalpha():
        raise SddlError('bad trustee %r: expected a SID (S-1-...) or a two-letter SDDL alias' % trustee, offset)
    alias = trustee.upper()
    if alias in SID_ALIASES:
        return SID_ALIASES[alias]
    for table, base in ((DOMAIN_ALIAS_RIDS, ctx.domain_sid), (ROOT_DOMAIN_ALIAS_RIDS, ctx.root_domain_sid),
                        (MACHINE_ALIAS_RIDS, ctx.machine_sid)):
        if alias in table:
            return '%s-%d' % (base, table[alias]) if base else None
    raise SddlError('unknown SID alias %r' % trustee, offset)


@dataclass(frozen=True)
class Ace:
    """One ACE as written. ``start``/``end`` are offsets of '(' and one past ')' in the parsed text."""

    type: str
    flags: FrozenSet[str]
    mask: int
    rights_text: str
    object_guid: Optional[str]
    inherit_object_guid: Optional[str]
    trustee: str
    sid: Optional[str]
    extra: Optional[str]
    start: int
    end: int
    section: str
    text: str
    flags_text: str = ''

    @property
    def inherited(self) -> bool:
        return 'ID' in self.flags

    @property
    def is_deny(self) -> bool:
        return self.type in DENY_TYPES


@dataclass(frozen=True)
class Acl:
    """A DACL or SACL. ``start`` is the offset of 'D'/'S', ``aces_start`` the offset after the flags,
    ``end`` one past the last ACE (or ``aces_start`` when there is none)."""

    section: str
    flags_text: str
    flags: FrozenSet[str]
    aces: Tuple[Ace, ...]
    start: int
    aces_start: int
    end: int

    @property
    def null(self) -> bool:
        """D:NO_ACCESS_CONTROL: a NULL ACL (everyone has full access), not an empty one."""
        return 'NO_ACCESS_CONTROL' in self.flags

    @property
    def explicit(self) -> Tuple[Ace, ...]:
        return tuple(a for a in self.aces if not a.inherited)


@dataclass(frozen=True)
class SidRef:
    """Owner or group: the text as written, its SID (None for an unresolvable relative alias), its span."""

    text: str
    sid: Optional[str]
    start: int
    end: int


@dataclass(frozen=True)
class SecurityDescriptor:
    text: str
    owner: Optional[SidRef]
    group: Optional[SidRef]
    dacl: Optional[Acl]
    sacl: Optional[Acl]
    end: int
    domain_sid: Optional[str] = None
    machine_sid: Optional[str] = None
    root_domain_sid: Optional[str] = None

    @property
    def aces(self) -> Tuple[Ace, ...]:
        return (self.dacl.aces if self.dacl else ()) + (self.sacl.aces if self.sacl else ())

    def acl(self, section: str) -> Optional[Acl]:
        return self.dacl if section == 'D' else self.sacl


@dataclass(frozen=True)
class EditResult:
    """``text``: the new SDDL; ``ace``: the ACE added, the first one found covering it, or the first removed;
    ``aces``: all ACEs that covered (add) or were removed (remove); ``span``: inserted range in ``text``."""

    text: str
    changed: bool
    ace: Optional[Ace]
    aces: Tuple[Ace, ...] = ()
    span: Optional[Tuple[int, int]] = None


def _skip_ws(text: str, i: int, chars: str = _WS) -> int:
    n = len(text)
    while i < n and text[i] in chars:
        i += 1
    return i


def _show(text: str, i: int) -> str:
    return repr(text[i:i + 12]) if i < len(text) else 'end of string'


def _section_type(ace_type: str) -> str:
    return 'D' if ace_type in DACL_TYPES else 'S'


def _strip_field(text: str, start: int, end: int) -> Tuple[str, int]:
    """Field value without surrounding blanks (KB 323076 prints '; 0x5 ;'), and its offset."""
    s = _skip_ws(text, start, _FIELD_WS)
    e = end
    while e > s and text[e - 1] in _FIELD_WS:
        e -= 1
    return text[s:e], s


def _parse_mask(value: str, offset: int) -> int:
    if value == '':
        return 0
    if value[:2] in ('0x', '0X'):
        if not _HEX_RE.match(value):
            raise SddlError('bad hexadecimal access mask %r' % value, offset)
        mask = int(value, 16)
    elif value[0].isdigit():
        if not _DEC_RE.match(value):
            raise SddlError('bad access mask %r' % value, offset)
        # Windows reads a leading 0 as octal (wcstoul base 0); refuse rather than guess.
        if len(value) > 1 and value[0] == '0':
            raise SddlError('ambiguous access mask %r: a leading 0 means octal to Windows, write it in hex' % value, offset)
        mask = int(value)
    else:
        mask = 0
        for k in range(0, len(value), 2):
            letters = value[k:k + 2]
            if letters not in RIGHTS:
                raise SddlError('unknown access right %r in %r' % (letters, value), offset + k)
            mask |= RIGHTS[letters]
    if mask > _MAX_MASK:
        raise SddlError('access mask %r does not fit in 32 bits' % value, offset)
    return mask


def _parse_guid(value: str, offset: int, ace_type: str) -> Optional[str]:
    if value == '':
        return None
    if not _GUID_RE.match(value):
        raise SddlError('bad GUID %r' % value, offset)
    if ace_type not in OBJECT_TYPES:
        raise SddlError('a GUID is only allowed in an object ACE (OA, OD, OU, OL, ZA), not in %r' % ace_type, offset)
    return value.lower()


def _scan_ace(text: str, start: int) -> Tuple[List[Tuple[int, int]], int]:
    """Split the ACE that opens at ``start`` into field spans; parentheses and quotes of a condition nest."""
    n = len(text)
    fields: List[Tuple[int, int]] = []
    field_start = start + 1
    depth = 0
    quote_at = -1
    i = start + 1
    while i < n:
        c = text[i]
        if quote_at >= 0:
            if c == '"':
                quote_at = -1
        elif c == '"':
            quote_at = i
        elif c == '(':
            depth += 1
        elif c == ')':
            if depth == 0:
                fields.append((field_start, i))
                return fields, i + 1
            depth -= 1
        elif c == ';' and depth == 0:
            fields.append((field_start, i))
            field_start = i + 1
        i += 1
    if quote_at >= 0:
        raise SddlError('unterminated quoted string in ACE', quote_at)
    raise SddlError("unterminated ACE: missing ')' for the '(' here", start)


def _parse_ace_flags(flags_text: str, offset: int) -> FrozenSet[str]:
    if len(flags_text) % 2:
        raise SddlError('bad ACE flags %r' % flags_text, offset)
    flags = set()
    for k in range(0, len(flags_text), 2):
        flag = flags_text[k:k + 2]
        if flag not in ACE_FLAGS:
            raise SddlError('unknown ACE flag %r in %r' % (flag, flags_text), offset + k)
        flags.add(flag)
    return frozenset(flags)


def _parse_extra(value: str, offset: int, field_start: int, ace_type: str) -> str:
    if ace_type not in EXTRA_TYPES:
        raise SddlError('a 7th ACE field (condition or attribute) is not allowed in a %r ACE' % ace_type, field_start)
    if not (value.startswith('(') and value.endswith(')')):
        raise SddlError('the condition or attribute of an ACE must be in parentheses, got %r' % value, offset)
    return value


def _parse_ace_at(text: str, start: int, ctx: _Context, section: Optional[str] = None) -> Ace:
    fields, end = _scan_ace(text, start)
    if len(fields) < 6:
        raise SddlError('ACE has %d fields, expected 6 (type;flags;rights;object_guid;inherit_object_guid;trustee)' % len(fields), start)
    if len(fields) > 7:
        raise SddlError('ACE has %d fields, expected 6 or 7' % len(fields), fields[7][0])
    values = [_strip_field(text, s, e) for s, e in fields]

    ace_type = values[0][0]
    if ace_type not in ACE_TYPES:
        raise SddlError('unknown ACE type %r' % ace_type, values[0][1])
    trustee = values[5][0]
    if trustee == '':
        raise SddlError('ACE has no trustee', values[5][1])
    return Ace(type=ace_type,
               flags=_parse_ace_flags(*values[1]),
               mask=_parse_mask(*values[2]),
               rights_text=values[2][0],
               object_guid=_parse_guid(values[3][0], values[3][1], ace_type),
               inherit_object_guid=_parse_guid(values[4][0], values[4][1], ace_type),
               trustee=trustee,
               sid=_resolve(trustee, ctx, values[5][1]),
               extra=_parse_extra(values[6][0], values[6][1], fields[6][0], ace_type) if len(fields) == 7 else None,
               start=start,
               end=end,
               section=section or _section_type(ace_type),
               text=text[start:end],
               flags_text=values[1][0])


def _at_section_tag(text: str, i: int) -> bool:
    return text[i:i + 2] in _SECTION_TAGS


def _parse_sid_ref(text: str, i: int, ctx: _Context) -> SidRef:
    m = _SID_TOKEN_RE.match(text, i)
    if m:
        token = m.group()
        if _sid_value(token) is None:
            raise SddlError('bad SID %r' % token, i)
        sid: Optional[str] = _sid_value(token)
    else:
        token = text[i:i + 2]
        if len(token) < 2 or not token.isalpha():
            raise SddlError('expected a SID (S-1-...) or a two-letter alias, found %s' % _show(text, i), i)
        sid = _resolve(token, ctx, i)
    end = i + len(token)
    if end < len(text) and text[end] not in _WS and not _at_section_tag(text, end):
        raise SddlError('unexpected %s after %r' % (_show(text, end), token), end)
    return SidRef(text=token, sid=sid, start=i, end=end)


def _parse_acl(text: str, tag_at: int, ctx: _Context) -> Acl:
    section = text[tag_at]
    n = len(text)
    i = tag_at + 2
    flags = set()
    while i < n:
        for flag in ACL_FLAGS:
            if text.startswith(flag, i):
                flags.add(flag)
                i += len(flag)
                break
        else:
            break
    aces_start = i
    if i < n and text[i] not in _WS and text[i] != '(' and not _at_section_tag(text, i):
        raise SddlError('unknown %sACL flag at %s (known: P, AI, AR, NO_ACCESS_CONTROL)' % (section, _show(text, i)), i)
    aces: List[Ace] = []
    end = aces_start
    j = _skip_ws(text, i)
    while j < n and text[j] == '(':
        # An ACE of the other list's kind is odd but valid; it keeps the section it sits in.
        ace = _parse_ace_at(text, j, ctx, section)
        aces.append(ace)
        end = ace.end
        j = _skip_ws(text, end)
    return Acl(section=section, flags_text=text[tag_at + 2:aces_start], flags=frozenset(flags), aces=tuple(aces),
               start=tag_at, aces_start=aces_start, end=end)


def _parse(text: str, ctx: _Context) -> SecurityDescriptor:
    if not isinstance(text, str):
        raise SddlError('SDDL must be a string, got %s' % type(text).__name__)
    if not text.strip(_WS):
        raise SddlError('empty SDDL string', 0)
    n = len(text)
    parts: Dict[str, object] = {}
    i = _skip_ws(text, 0)
    end = i
    while i < n:
        if not _at_section_tag(text, i):
            if not parts and text[i] == '(':
                raise SddlError("ACE list without a section: expected 'D:' (or 'O:', 'G:', 'S:') before '('", i)
            if parts:
                raise SddlError("unexpected %s: expected '(' or a section 'O:', 'G:', 'D:', 'S:'" % _show(text, i), i)
            raise SddlError("expected a section 'O:', 'G:', 'D:' or 'S:', found %s" % _show(text, i), i)
        tag = text[i]
        if tag in parts:
            raise SddlError('section %s: appears twice' % tag, i)
        if tag in 'OG':
            ref = _parse_sid_ref(text, i + 2, ctx)
            parts[tag] = ref
            end = ref.end
        else:
            acl = _parse_acl(text, i, ctx)
            parts[tag] = acl
            end = acl.end
        i = _skip_ws(text, end)
    return SecurityDescriptor(text=text, owner=parts.get('O'), group=parts.get('G'),  # type: ignore[arg-type]
                              dacl=parts.get('D'), sacl=parts.get('S'), end=end,  # type: ignore[arg-type]
                              domain_sid=ctx.domain_sid, machine_sid=ctx.machine_sid, root_domain_sid=ctx.root_domain_sid)


def parse(text: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
          root_domain_sid: Optional[str] = None) -> SecurityDescriptor:
    """Parse an SDDL security descriptor string; raise SddlError when it is not valid SDDL.

    ``domain_sid`` resolves DA DU DG DC DD CA PA CN AP KA RS, ``root_domain_sid`` (forest root) RO SA EA EK,
    ``machine_sid`` LA LG; without them those aliases keep ``sid=None``.
    """
    return _parse(text, _context(domain_sid, machine_sid, root_domain_sid))


def _parse_single_ace(ace_text: str, ctx: _Context) -> Tuple[str, Ace]:
    if not isinstance(ace_text, str):
        raise SddlError('ACE must be a string, got %s' % type(ace_text).__name__)
    stripped = ace_text.strip(_WS)
    if not stripped.startswith('('):
        raise SddlError("an ACE must start with '(', got %s" % _show(stripped, 0), 0)
    ace = _parse_ace_at(stripped, 0, ctx)
    if ace.end != len(stripped):
        raise SddlError('unexpected %s after the ACE' % _show(stripped, ace.end), ace.end)
    return stripped, ace


def parse_ace(text: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
              root_domain_sid: Optional[str] = None) -> Ace:
    """Parse one ACE string such as ``(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1105)``; blanks around it are ignored."""
    return _parse_single_ace(text, _context(domain_sid, machine_sid, root_domain_sid))[1]


def _effective_type(ace: Ace) -> str:
    # Windows stores an OA ACE without any GUID as a plain A ACE.
    if ace.type == 'OA' and ace.object_guid is None and ace.inherit_object_guid is None:
        return 'A'
    return ace.type


def _trustee_key(ace: Ace) -> Tuple[str, str]:
    # An unresolved relative alias only equals the same alias.
    return ('sid', ace.sid) if ace.sid else ('alias', ace.trustee.upper())


def _same_target(a: Ace, b: Ace) -> bool:
    return (_effective_type(a) == _effective_type(b) and _trustee_key(a) == _trustee_key(b)
            and a.object_guid == b.object_guid and a.inherit_object_guid == b.inherit_object_guid
            and (a.extra or None) == (b.extra or None))


def _compatible(existing: Ace, wanted: Ace) -> bool:
    """Existing explicit ACE whose rights add up with others to the wanted ACE (same everything but the mask)."""
    return (not existing.inherited and _same_target(existing, wanted)
            and existing.flags & INHERITANCE_FLAGS == wanted.flags & INHERITANCE_FLAGS
            and existing.flags & OTHER_FLAGS == wanted.flags & OTHER_FLAGS
            and wanted.flags & AUDIT_FLAGS <= existing.flags)


def covers(existing: Ace, wanted: Ace) -> bool:
    """True when ``existing`` alone already grants (denies, audits) everything ``wanted`` describes.

    Inherited ACEs never count: they go away when the parent changes or inheritance is cut.
    Generic rights (GA/GR...) are not expanded, their meaning depends on the object type.
    """
    return _compatible(existing, wanted) and existing.mask & wanted.mask == wanted.mask


def _covering(acl: Optional[Acl], wanted: Ace) -> Tuple[Ace, ...]:
    if acl is None:
        return ()
    for ace in acl.aces:
        if covers(ace, wanted):
            return (ace,)
    # Rights split over several equal ACEs add up (Windows grants the union).
    parts = tuple(a for a in acl.aces if _compatible(a, wanted) and a.mask & wanted.mask)
    union = 0
    for ace in parts:
        union |= ace.mask
    if parts and union & wanted.mask == wanted.mask:
        return parts
    return ()


def _insert_position(sd: SecurityDescriptor, acl: Optional[Acl], wanted: Ace) -> Tuple[int, str]:
    """Offset and prefix where the wanted ACE goes: canonical order is explicit deny, explicit allow, inherited."""
    if acl is None:
        # New section, in the order Windows writes them: O, G, D, S.
        if wanted.section == 'D' and sd.sacl is not None:
            return sd.sacl.start, 'D:'
        return sd.end, wanted.section + ':'
    if wanted.section == 'D' and wanted.is_deny:
        for ace in acl.aces:
            if ace.inherited or not ace.is_deny:
                return ace.start, ''
        return acl.end, ''
    for ace in acl.aces:
        if ace.inherited:
            return ace.start, ''
    return acl.end, ''


def _check_wanted(wanted: Ace, verb: str) -> None:
    if wanted.inherited:
        raise SddlError('refusing to %s an inherited ACE (ID flag) %s: inherited ACEs come from the parent' % (verb, wanted.text))
    if wanted.sid is None:
        raise SddlError('cannot resolve the trustee %r of %s: pass domain_sid, root_domain_sid or machine_sid, '
                        'or give the SID' % (wanted.trustee, wanted.text))


def add_ace(text: str, ace_text: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
            root_domain_sid: Optional[str] = None) -> EditResult:
    """Add ``ace_text`` (inserted exactly as given, outer blanks stripped) unless explicit ACEs already cover it.

    Allow/deny types go to the DACL, audit/alarm/label types to the SACL, at the canonical position.
    A missing DACL/SACL section is created. A NULL DACL (NO_ACCESS_CONTROL) is refused.
    """
    ctx = _context(domain_sid, machine_sid, root_domain_sid)
    sd = _parse(text, ctx)
    ace_text, wanted = _parse_single_ace(ace_text, ctx)
    _check_wanted(wanted, 'add')
    if wanted.mask == 0 and wanted.type not in MASKLESS_TYPES:
        raise SddlError('refusing to add %s: its access mask is empty' % ace_text)
    acl = sd.acl(wanted.section)
    if acl is not None and acl.null:
        raise SddlError('refusing to add %s: the %sACL is NULL (NO_ACCESS_CONTROL, everyone has full access) and an ACE '
                        'would turn it into a restrictive one' % (ace_text, wanted.section), acl.start)
    found = _covering(acl, wanted)
    if found:
        return EditResult(text=text, changed=False, ace=found[0], aces=found)
    pos, prefix = _insert_position(sd, acl, wanted)
    new_text = text[:pos] + prefix + ace_text + text[pos:]
    added = _find_added(_parse(new_text, ctx), pos + len(prefix), ace_text, wanted.section)
    return EditResult(text=new_text, changed=True, ace=added, aces=(added,), span=(pos, added.end))


def _find_added(sd: SecurityDescriptor, start: int, ace_text: str, section: str) -> Ace:
    """The inserted ACE, checked to have landed whole in the intended ACL of the re-parsed text."""
    found = [a for a in sd.aces if a.start == start]
    if len(found) != 1 or found[0].text != ace_text or found[0].section != section:
        raise SddlError('internal error: %s did not land as an ACE of the %sACL' % (ace_text, section), start)
    return found[0]


def _same_ace(existing: Ace, wanted: Ace) -> bool:
    return _same_target(existing, wanted) and existing.flags == wanted.flags and existing.mask == wanted.mask


def same_ace(first: str, second: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
             root_domain_sid: Optional[str] = None) -> bool:
    """Whether two ACE strings mean the same ACE (as remove_ace matches them: type, flags in any order,
    trustee by SID, mask, GUIDs); raises SddlError when either is not an ACE."""
    ctx = _context(domain_sid, machine_sid, root_domain_sid)
    return _same_ace(_parse_single_ace(first, ctx)[1], _parse_single_ace(second, ctx)[1])


def remove_ace(text: str, ace_text: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
               root_domain_sid: Optional[str] = None) -> EditResult:
    """Remove every explicit ACE equal to ``ace_text`` (type, flags in any order, SID, mask, GUIDs, condition).

    Inherited ACEs and anything else are never touched; removing the last ACE leaves the section (``D:``
    with its flags), since an empty DACL and a missing one mean opposite things.
    """
    ctx = _context(domain_sid, machine_sid, root_domain_sid)
    sd = _parse(text, ctx)
    wanted = _parse_single_ace(ace_text, ctx)[1]
    _check_wanted(wanted, 'remove')
    acl = sd.acl(wanted.section)
    matches = tuple(a for a in (acl.aces if acl else ()) if not a.inherited and _same_ace(a, wanted))
    if not matches:
        return EditResult(text=text, changed=False, ace=None)
    new_text = remove_aces(text, matches)
    _parse(new_text, ctx)
    return EditResult(text=new_text, changed=True, ace=matches[0], aces=matches)


# Generic rights map to object-specific rights that differ per object type, so a Deny carrying one
# may deny any of the rights an Allow grants.
_GENERIC_MASK = RIGHTS['GA'] | RIGHTS['GR'] | RIGHTS['GW'] | RIGHTS['GX']


def conflicting_denies(text: str, ace_text: str, domain_sid: Optional[str] = None, machine_sid: Optional[str] = None,
                       root_domain_sid: Optional[str] = None) -> Tuple[Ace, ...]:
    """The explicit Deny ACEs of the DACL that take away some of what the allow ``ace_text`` grants.

    Windows evaluates a canonical DACL as explicit Deny, explicit Allow, then inherited ACEs, so an
    explicit Deny for the same trustee wins over the Allow for every right both carry; an inherited
    Deny comes after the explicit Allow and does not. A Deny marked inherit-only (IO) does not apply
    to the object itself. A Deny with a generic right (GA, GR, GW, GX) or with an object type (a
    right on one property) counts as well: it may cover what the Allow grants.
    https://learn.microsoft.com/windows/win32/secauthz/order-of-aces-in-a-dacl
    """
    ctx = _context(domain_sid, machine_sid, root_domain_sid)
    sd = _parse(text, ctx)
    wanted = _parse_single_ace(ace_text, ctx)[1]
    if wanted.is_deny or wanted.section != 'D' or sd.dacl is None:
        return ()
    return tuple(a for a in sd.dacl.aces
                 if a.is_deny and not a.inherited and 'IO' not in a.flags
                 and _trustee_key(a) == _trustee_key(wanted)
                 and (a.mask & wanted.mask or a.mask & _GENERIC_MASK))


def remove_aces(text: str, aces: Tuple[Ace, ...]) -> str:
    """``text`` without the given ACEs of it (as returned by a parse of that same text), all else kept."""
    for ace in sorted(aces, key=lambda a: a.start, reverse=True):
        if text[ace.start:ace.end] != ace.text:
            raise SddlError('internal error: %s is not at offset %d' % (ace.text, ace.start), ace.start)
        text = text[:ace.start] + text[ace.end:]
    return text


def aces_for_sid(sd: SecurityDescriptor, sid: str) -> List[Ace]:
    """ACEs (DACL then SACL) whose trustee resolves to ``sid`` (a SID string or an SDDL alias)."""
    ctx = _Context(sd.domain_sid, sd.machine_sid, sd.root_domain_sid)
    target = _resolve(sid.strip(), ctx, 0)
    if target is None:
        return [a for a in sd.aces if a.sid is None and a.trustee.upper() == sid.strip().upper()]
    return [a for a in sd.aces if a.sid == target]


def mask_to_letters(mask: int) -> str:
    """Spell a mask the way Windows does: a combined name (FA, KR...), else bit letters, else hex ('' for 0)."""
    if mask == 0:
        return ''
    for letters, value in RIGHTS.items():
        if value == mask:
            return letters
    if any(mask >> bit & 1 and bit not in _BIT_LETTERS for bit in range(32)):
        return '0x%x' % mask
    return ''.join(_BIT_LETTERS[bit] for bit in range(32) if mask >> bit & 1)


def describe(ace: Ace) -> str:
    """One line for messages and diffs, e.g. ``allow CCLCSWLOCRRC (0x2018d) to S-1-5-21-1-2-3-1105``."""
    who = ace.trustee
    if ace.sid and ace.sid != ace.trustee:
        who = '%s (%s)' % (ace.trustee, ace.sid)
    text = '%s %s (0x%x) to %s' % (ACE_TYPES.get(ace.type, ace.type), ace.rights_text or '-', ace.mask, who)
    if ace.flags - {'ID'}:
        text += ' flags %s' % ''.join(sorted(ace.flags - {'ID'}))
    if ace.object_guid:
        text += ' object %s' % ace.object_guid
    if ace.inherit_object_guid:
        text += ' inherited object %s' % ace.inherit_object_guid
    if ace.extra:
        text += ' when %s' % ace.extra
    if ace.inherited:
        text += ' [inherited]'
    return text
