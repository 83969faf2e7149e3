# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security descriptors in SDDL as .NET's RawSecurityDescriptor reads them
(ConvertStringSecurityDescriptorToSecurityDescriptor underneath).

https://learn.microsoft.com/dotnet/api/system.security.accesscontrol.rawsecuritydescriptor.-ctor
https://learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format
https://learn.microsoft.com/windows/win32/secauthz/ace-strings
"""
from __future__ import annotations

import re
from typing import Any

from .. import defaults as d
from ..accounts import is_sid, normalize_sid
from ..context import Context
from . import ApiError, operation

# RawSecurityDescriptor(string): ArgumentException with this text when the string does not convert.
INVALID_TEXT = 'The SDDL form of a security descriptor object is invalid.'

# ACE type string -> (AceType, AceQualifier, .NET class of the ACE). DACL types only.
ACE_TYPES = {
    'A': ('AccessAllowed', 'AccessAllowed', 'CommonAce'),
    'D': ('AccessDenied', 'AccessDenied', 'CommonAce'),
    'XA': ('AccessAllowedCallback', 'AccessAllowed', 'CommonAce'),
    'XD': ('AccessDeniedCallback', 'AccessDenied', 'CommonAce'),
    'OA': ('AccessAllowedObject', 'AccessAllowed', 'ObjectAce'),
    'OD': ('AccessDeniedObject', 'AccessDenied', 'ObjectAce'),
    'ZA': ('AccessAllowedCallbackObject', 'AccessAllowed', 'ObjectAce'),
}
ACE_FLAGS = {'OI': 'ObjectInherit', 'CI': 'ContainerInherit', 'NP': 'NoPropagateInherit', 'IO': 'InheritOnly',
             'ID': 'Inherited', 'SA': 'SuccessfulAccess', 'FA': 'FailedAccess'}
RIGHTS = {
    'GA': 0x10000000, 'GR': 0x80000000, 'GW': 0x40000000, 'GX': 0x20000000,
    'RC': 0x20000, 'SD': 0x10000, 'WD': 0x40000, 'WO': 0x80000,
    'RP': 0x10, 'WP': 0x20, 'CC': 0x1, 'DC': 0x2, 'LC': 0x4, 'SW': 0x8, 'LO': 0x80, 'DT': 0x40, 'CR': 0x100,
    'FA': 0x1F01FF, 'FR': 0x120089, 'FW': 0x120116, 'FX': 0x1200A0,
    'KA': 0xF003F, 'KR': 0x20019, 'KW': 0x20006, 'KX': 0x20019,
}
# SID strings: https://learn.microsoft.com/windows/win32/secauthz/sid-strings
ALIASES = {
    'WD': d.EVERYONE, 'CO': d.CREATOR_OWNER, 'CG': 'S-1-3-1', 'NU': d.NETWORK, 'IU': d.INTERACTIVE,
    'SU': d.SERVICE, 'AN': d.ANONYMOUS, 'ED': d.ENTERPRISE_DCS, 'PS': 'S-1-5-10', 'AU': d.AUTHENTICATED_USERS,
    'RC': 'S-1-5-12', 'SY': d.LOCAL_SYSTEM, 'LS': d.LOCAL_SERVICE, 'NS': d.NETWORK_SERVICE,
    'BA': d.BUILTIN_ADMINISTRATORS, 'BU': d.BUILTIN_USERS, 'BG': d.BUILTIN_GUESTS, 'PU': 'S-1-5-32-547',
    'AO': 'S-1-5-32-548', 'SO': d.BUILTIN_SERVER_OPERATORS, 'PO': 'S-1-5-32-550', 'BO': 'S-1-5-32-551',
    'RE': 'S-1-5-32-552', 'RU': 'S-1-5-32-554', 'RD': 'S-1-5-32-555', 'NO': 'S-1-5-32-556', 'MU': 'S-1-5-32-558',
    'LU': 'S-1-5-32-559', 'IS': 'S-1-5-32-568', 'CY': 'S-1-5-32-569', 'ER': d.EVENT_LOG_READERS,
    'CD': 'S-1-5-32-574', 'RA': 'S-1-5-32-575', 'ES': 'S-1-5-32-576', 'MS': 'S-1-5-32-577', 'HA': 'S-1-5-32-578',
    'AA': 'S-1-5-32-579', 'RM': d.REMOTE_MANAGEMENT_USERS, 'AC': 'S-1-15-2-1', 'OW': 'S-1-3-4',
    'LW': 'S-1-16-4096', 'ME': 'S-1-16-8192', 'HI': 'S-1-16-12288', 'SI': 'S-1-16-16384',
}
# Relative to the computer's domain (relative to the machine for LA/LG).
DOMAIN_ALIASES = {'DA': 512, 'DU': 513, 'DG': 514, 'DC': 515, 'DD': 516, 'CA': 517, 'SA': 518, 'EA': 519,
                  'PA': 520, 'RS': 553, 'RO': 498, 'CN': 522}
MACHINE_ALIASES = {'LA': 500, 'LG': 501}
_SECTION = re.compile(r'([OGDS]):')


def _invalid() -> ApiError:
    return ApiError('invalid', INVALID_TEXT)


def _sid(ctx: Context, text: str) -> str:
    text = text.strip()
    upper = text.upper()
    if upper in ALIASES:
        return ALIASES[upper]
    if upper in DOMAIN_ALIASES and ctx.domain is not None:
        return '%s-%d' % (ctx.domain['sid'], DOMAIN_ALIASES[upper])
    if upper in MACHINE_ALIASES and ctx.host.get('machine_sid'):
        return '%s-%d' % (ctx.host['machine_sid'], MACHINE_ALIASES[upper])
    if is_sid(text):
        return normalize_sid(text)
    raise _invalid()


def _mask(text: str) -> int:
    text = text.strip()
    if re.fullmatch(r'0[xX][0-9a-fA-F]+', text):
        value = int(text, 16)
    elif re.fullmatch(r'[1-9][0-9]*|0', text):
        value = int(text)
    elif text and len(text) % 2 == 0:
        value = 0
        for i in range(0, len(text), 2):
            if text[i:i + 2] not in RIGHTS:
                raise _invalid()
            value |= RIGHTS[text[i:i + 2]]
    else:
        raise _invalid()
    if value > 0xFFFFFFFF:
        raise _invalid()
    # CommonAce.AccessMask is an Int32: 0xA0000000 reads as -1610612736.
    return value - 0x100000000 if value & 0x80000000 else value


def _ace(ctx: Context, text: str) -> dict[str, Any]:
    fields = text.split(';')
    if len(fields) not in (6, 7):
        raise _invalid()
    kind, flags, rights, object_guid, inherit_guid, trustee = (f.strip() for f in fields[:6])
    if kind not in ACE_TYPES or (len(fields) == 7 and kind not in ('XA', 'XD', 'ZA')):
        raise _invalid()
    if (object_guid or inherit_guid) and ACE_TYPES[kind][2] != 'ObjectAce':
        raise _invalid()
    names = []
    for i in range(0, len(flags), 2):
        flag = flags[i:i + 2]
        if flag not in ACE_FLAGS:
            raise _invalid()
        names.append(ACE_FLAGS[flag])
    ace_type, qualifier, cls = ACE_TYPES[kind]
    return {
        'class': cls,
        'AceType': ace_type,
        'AceQualifier': qualifier,
        'AceFlags': ', '.join(names) or 'None',
        'IsInherited': 'Inherited' in names,
        'IsCallback': 'Callback' in ace_type,
        'AccessMask': _mask(rights),
        'SecurityIdentifier': _sid(ctx, trustee),
    }


def _acl(ctx: Context, text: str) -> list[dict[str, Any]] | None:
    """The ACEs of one ACL section (after 'D:'); None for NO_ACCESS_CONTROL (a null DACL)."""
    flags = re.match(r'(?:P|AI|AR|NO_ACCESS_CONTROL)*', text).group(0)
    rest = text[len(flags):]
    aces = []
    while rest:
        if not rest.startswith('('):
            raise _invalid()
        end, depth = 0, 0
        for end, char in enumerate(rest):   # a conditional ACE's expression has parentheses of its own
            depth += {'(': 1, ')': -1}.get(char, 0)
            if depth == 0:
                break
        if depth != 0:
            raise _invalid()
        aces.append(_ace(ctx, rest[1:end]))
        rest = rest[end + 1:]
    if 'NO_ACCESS_CONTROL' in flags:
        if aces:
            raise _invalid()
        return None
    return aces


@operation('SecurityDescriptor.Dacl')
def dacl(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """new RawSecurityDescriptor(sddl).DiscretionaryAcl: the DACL's ACEs in order, or None when the descriptor
    has no DACL (no 'D:' section, or D:NO_ACCESS_CONTROL); ArgumentException for text that is not SDDL."""
    text = str(args.get('sddl') or '').strip()
    tags = list(_SECTION.finditer(text))
    if not text or not tags or tags[0].start() != 0:
        raise _invalid()
    seen: dict[str, str] = {}
    for i, tag in enumerate(tags):
        end = tags[i + 1].start() if i + 1 < len(tags) else len(text)
        if tag.group(1) in seen:
            raise _invalid()
        seen[tag.group(1)] = text[tag.end():end]
    for part in ('O', 'G'):
        if part in seen:
            _sid(ctx, seen[part])
    result = None
    if 'D' in seen:
        result = _acl(ctx, seen['D'])
    # The SACL is not read: .NET parses it too, but nothing the collection calls looks at it.
    return {'aces': result}
