# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Services: Get-Service and the service security descriptor (sc.exe sdshow / sdset)."""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import ApiError, access_denied, operation, write

# sc.exe messages (Win32 error text after the code). https://learn.microsoft.com/windows-server/administration/windows-commands/sc-sdshow
NO_SERVICE = 1060
NO_SERVICE_TEXT = 'The specified service does not exist as an installed service.'
INVALID_ACL = 1336
INVALID_ACL_TEXT = 'The access control list (ACL) structure is invalid.'


def _find(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    # Service names are case-insensitive (the service control manager's database).
    for key, service in ctx.host['services'].items():
        if key.casefold() == name.casefold():
            return key, service
    return None


@operation('Service.Get')
def get_service(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-Service -Name: the service by short name (or display name), without regard to case;
    ObjectNotFound 'Cannot find any service with service name ...' when there is none.
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service"""
    name = str(args.get('name') or '')
    found = _find(ctx, name)
    if found is None:
        for key, service in ctx.host['services'].items():
            if str(service.get('display_name') or '').casefold() == name.casefold():
                found = key, service
    if found is None:
        raise ApiError('not_found', "Cannot find any service with service name '%s'." % name,
                       error_id='NoServiceFoundForGivenName')
    key, service = found
    return {'Name': key, 'DisplayName': service.get('display_name') or key,
            'Status': service.get('status') or 'Running', 'StartType': service.get('start_type') or 'Automatic'}


@operation('Service.SdShow')
def sdshow(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """sc.exe sdshow NAME: a blank line, then the SDDL; exit 1060 for an unknown service, 5 when the
    caller may not read the descriptor (QueryServiceObjectSecurity).
    https://learn.microsoft.com/windows-server/administration/windows-commands/sc-sdshow"""
    name = str(args.get('name') or '')
    found = _find(ctx, name)
    if found is None:
        return {'exit': NO_SERVICE, 'stdout': '[SC] OpenService FAILED %d:\n\n%s\n\n' % (NO_SERVICE, NO_SERVICE_TEXT)}
    return {'exit': 0, 'stdout': '\n%s\n' % (found[1].get('sddl') or '')}


def _looks_like_sddl(text: str) -> bool:
    """Enough of ConvertStringSecurityDescriptorToSecurityDescriptor to refuse text that is not SDDL."""
    depth = 0
    for char in text.strip():
        depth += {'(': 1, ')': -1}.get(char, 0)
        if depth not in (0, 1):
            return False
    return depth == 0 and text.strip()[:2] in ('O:', 'G:', 'D:', 'S:')


@operation('Service.SdSet')
def sdset(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """sc.exe sdset NAME SDDL: '[SC] SetServiceObjectSecurity SUCCESS', exit 1336 when the string does
    not convert (ConvertStringSecurityDescriptorToSecurityDescriptor), 1060, or 5 for access denied.
    https://learn.microsoft.com/windows-server/administration/windows-commands/sc-sdset"""
    name, sddl = str(args.get('name') or ''), str(args.get('sddl') or '')
    found = _find(ctx, name)
    if found is None:
        return {'exit': NO_SERVICE, 'stdout': '[SC] OpenService FAILED %d:\n\n%s\n\n' % (NO_SERVICE, NO_SERVICE_TEXT)}
    if not _looks_like_sddl(sddl):
        return {'exit': INVALID_ACL, 'stdout': '[SC] ConvertStringSecurityDescriptorToSecurityDescriptor FAILED %d:\n\n%s\n\n'
                % (INVALID_ACL, INVALID_ACL_TEXT)}
    try:
        write(ctx, 'service %s security descriptor' % found[0])
    except ApiError as exc:
        if exc.kind != 'access_denied':
            raise
        return {'exit': 5, 'stdout': '[SC] OpenService FAILED 5:\n\n%s\n\n' % access_denied(ctx).message}
    found[1]['sddl'] = sddl
    return {'exit': 0, 'stdout': '[SC] SetServiceObjectSecurity SUCCESS\n'}


@operation('Service.Restart')
def restart(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Restart-Service -Name NAME -Force: stops the service (and its dependents) and starts it, so it
    runs afterwards whatever it was; ObjectNotFound as Get-Service for an unknown name; access denied
    when the service may not be stopped (CouldNotStopService). The host counts `restarts`.
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-service"""
    name = str(args.get('name') or '')
    found = _find(ctx, name)
    if found is None:
        raise ApiError('not_found', "Cannot find any service with service name '%s'." % name,
                       error_id='NoServiceFoundForGivenName')
    key, service = found
    write(ctx, 'restart of service %s' % key)
    service['status'] = 'Running'
    service['restarts'] = service.get('restarts', 0) + 1
    return {'Name': key, 'DisplayName': service.get('display_name') or key}
