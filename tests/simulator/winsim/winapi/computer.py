# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The computer itself: Win32_ComputerSystem, Win32_OperatingSystem, its language, its DNS host name and
the domain it is joined to."""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from ..context import Context
from . import ApiError, operation


@operation('Computer.System')
def computer_system(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-CimInstance -ClassName Win32_ComputerSystem: Name, Domain, DomainRole (0 standalone
    workstation ... 4 backup DC, 5 primary DC), PartOfDomain, Workgroup.
    https://learn.microsoft.com/windows/win32/cimwin32prov/win32-computersystem"""
    del args
    host, domain = ctx.host, ctx.domain
    return {
        'Name': host['hostname'].upper(),
        'DNSHostName': host['hostname'].lower(),
        'Domain': domain['dns_name'] if domain else 'WORKGROUP',
        'DomainRole': int(host['domain_role']),
        'PartOfDomain': domain is not None,
        'Workgroup': None if domain else 'WORKGROUP',
    }


@operation('Computer.DomainSid')
def domain_sid(ctx: Context, args: dict[str, Any]) -> str:
    """The domain part of the computer account's SID (NTAccount('NAME$').Translate(SecurityIdentifier)
    .AccountDomainSid, through LSA over the secure channel, so no second hop is involved). A computer that
    is not joined has no such account: IdentityNotMappedException ("Some or all identity references could
    not be translated.").
    https://learn.microsoft.com/dotnet/api/system.security.principal.ntaccount.translate"""
    del args
    if ctx.domain is None:
        raise ApiError('not_found', 'Some or all identity references could not be translated.')
    return ctx.domain['sid']


@operation('Computer.OperatingSystem')
def operating_system(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-CimInstance -ClassName Win32_OperatingSystem: Caption (e.g. 'Microsoft Windows Server 2022
    Datacenter') and Version ('10.0.20348'): the host state's 'os', else defaults.DEFAULT_OS [I].
    https://learn.microsoft.com/windows/win32/cimwin32prov/win32-operatingsystem"""
    del args
    info = dict(d.DEFAULT_OS)
    info.update(ctx.host.get('os') or {})
    return {'Caption': info['caption'], 'Version': info['version'], 'CSName': ctx.host['hostname'].upper()}


@operation('Computer.InstalledUICulture')
def installed_ui_culture(ctx: Context, args: dict[str, Any]) -> str:
    """CultureInfo.InstalledUICulture.Name: the language Windows was installed in (the host's language).
    https://learn.microsoft.com/dotnet/api/system.globalization.cultureinfo.installeduiculture"""
    del args
    return ctx.language


@operation('Computer.HostEntry')
def host_entry(ctx: Context, args: dict[str, Any]) -> str:
    """Dns.GetHostEntry('').HostName: this computer's name as DNS resolves it, its FQDN in a domain (the
    primary DNS suffix), the bare host name in a workgroup; lower-case as registered [I: windows-api.md 6
    leaves the FQDN unconfirmed].
    https://learn.microsoft.com/dotnet/api/system.net.dns.gethostentry"""
    del args
    return ctx.host.get('fqdn') or ctx.host['hostname'].lower()
