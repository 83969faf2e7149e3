# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Name <-> SID translation as the host's LSA does it (NTAccount.Translate, SecurityIdentifier.Translate)."""
from __future__ import annotations

from typing import Any

from ..accounts import NO_MAPPING as NOT_MAPPED
from ..accounts import is_sid, normalize_sid
from ..context import Context
from . import ApiError, operation


@operation('Account.ParseSid')
def parse_sid(ctx: Context, args: dict[str, Any]) -> str:
    """new SecurityIdentifier(string): the canonical form, ArgumentException for text that is not a SID.
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.-ctor"""
    del ctx
    text = str(args.get('sid') or '')
    if not is_sid(text):
        raise ApiError('invalid', 'Value was invalid. (Parameter \'sddlForm\')')
    return normalize_sid(text)


@operation('Account.ToSid')
def to_sid(ctx: Context, args: dict[str, Any]) -> str:
    """NTAccount(name).Translate(typeof(SecurityIdentifier)) (LookupAccountName).
    https://learn.microsoft.com/dotnet/api/system.security.principal.ntaccount.translate"""
    sid = ctx.directory.lookup(str(args.get('name') or ''))
    if sid is None:
        raise ApiError('not_mapped', NOT_MAPPED)
    return sid


@operation('Account.ToName')
def to_name(ctx: Context, args: dict[str, Any]) -> str:
    """SecurityIdentifier(sid).Translate(typeof(NTAccount)) (LookupAccountSid): DOMAIN\\name in the
    host's language; IdentityNotMappedException for a SID nothing owns (orphaned).
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.translate"""
    name = ctx.name_of(normalize_sid(str(args.get('sid') or '')))
    if name is None:
        raise ApiError('not_mapped', NOT_MAPPED)
    return name
