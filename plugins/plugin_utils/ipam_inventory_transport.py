# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the ipam.provisioning.ipam_inventory plugin reads IPAM's server inventory: one read-only
PowerShell script over WinRM (pywinrm), run on the IPAM server.

The script carries the line ``# ipam-contract: ipam_inventory.v1`` (the simulator answers scripts by
that marker) and prints one JSON object on stdout:

    {"contract": "ipam_inventory.v1", "records": [{"ServerName": ..., "ServerType": [...], ...}]}
    {"contract": "ipam_inventory.v1", "error": "ipam_module_missing" | "query_failed", "message": "..."}

with exit code 0, 2 (no IpamServer module) or 3 (Get-IpamServerInventory failed).

Enum values are printed as text (ConvertTo-Json would print their numbers); everything else about
the spelling is normalized in Python (ipam_inventory_records). Every failure becomes an
IpamInventoryError whose message names the server, the user and the problem, never the password.
"""
from __future__ import annotations

import json
import typing as t
from dataclasses import dataclass

# Requirements of the collection (requirements.txt); missing ones fail when used, not on import.
try:
    import requests.exceptions
except ImportError:  # pragma: no cover
    requests = None
try:
    import winrm
    import winrm.exceptions
except ImportError:  # pragma: no cover
    winrm = None

from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_inventory_records import IpamInventoryError

CONTRACT = 'ipam_inventory.v1'
TRANSPORTS = ('ntlm', 'kerberos', 'credssp', 'basic')
SCHEMES = ('http', 'https')
# Windows limits a command line to 8191 characters; -EncodedCommand makes the script ~2.7 times longer.
MAX_COMMAND_LINE = 8191

# Keep it short (see MAX_COMMAND_LINE) and read-only. Properties are copied by name when present,
# arrays (ServerType, IPv4Address) as lists of text.
SCRIPT = r'''# ipam-contract: ipam_inventory.v1
# Read-only: Get-IpamServerInventory as JSON for the ipam.provisioning.ipam_inventory plugin.
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false } catch { $null = 0 }
Function Write-Reply ([Hashtable]$Reply, [int]$Code) {
    $Reply.contract = 'ipam_inventory.v1'
    [Console]::Out.Write((ConvertTo-Json -InputObject $Reply -Depth 5 -Compress))
    exit $Code
}
try { Import-Module -Name IpamServer -ErrorAction Stop }
catch { Write-Reply @{ error = 'ipam_module_missing'; message = $_.Exception.Message } 2 }
try { $servers = @(Get-IpamServerInventory -ErrorAction Stop) }
catch { Write-Reply @{ error = 'query_failed'; message = $_.Exception.Message } 3 }
$wanted = 'ServerName', 'Name', 'ServerType', 'ManageabilityStatus', 'IPAMAccessStatus', 'DhcpRpcAccessStatus',
'DnsRpcAccessStatus', 'DhcpAuditShareAccessStatus', 'EventLogAccessStatus', 'RecommendedAction', 'DomainName',
'ForestName', 'IPv4Address', 'IPv6Address', 'Owner', 'Description'
$records = [System.Collections.Generic.List[Hashtable]]@()
foreach ($server in $servers) {
    $record = @{}
    foreach ($property in $server.PSObject.Properties) {
        $value = $property.Value
        if ($wanted -notcontains $property.Name -or $null -eq $value) { continue }
        if ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) {
            $record[$property.Name] = [string[]]@($value | ForEach-Object { [string]$_ })
        }
        else { $record[$property.Name] = [string]$value }
    }
    $records.Add($record)
}
Write-Reply @{ records = $records } 0
'''


@dataclass(frozen=True)
class Settings:
    """Where and how to connect; repr leaves the password out."""
    server: str
    port: int
    scheme: str
    transport: str
    username: str | None
    password: str | None
    validate_certs: bool
    connection_timeout: int

    def __repr__(self) -> str:
        return 'Settings(server=%r, port=%r, scheme=%r, transport=%r, username=%r, password=%s)' % (
            self.server, self.port, self.scheme, self.transport, self.username, '<hidden>' if self.password else None)

    @property
    def endpoint(self) -> str:
        host = '[%s]' % self.server if ':' in self.server else self.server
        return '%s://%s:%d/wsman' % (self.scheme, host, self.port)

    @property
    def who(self) -> str:
        return 'as %s' % self.username if self.username else 'with the default Kerberos ticket'


def check_settings(settings: Settings) -> None:
    """IpamInventoryError for settings that cannot work, before anything is sent."""
    if not settings.server or not settings.server.strip():
        raise IpamInventoryError('option server is required: the IPAM server to read (or set IPAM_INVENTORY_SERVER)')
    if settings.transport not in TRANSPORTS:
        raise IpamInventoryError("option transport must be one of %s, not '%s'" % (', '.join(TRANSPORTS), settings.transport))
    if settings.scheme not in SCHEMES:
        raise IpamInventoryError("option scheme must be one of %s, not '%s'" % (', '.join(SCHEMES), settings.scheme))
    if not 0 < settings.port < 65536:
        raise IpamInventoryError('option port must be between 1 and 65535, not %d' % settings.port)
    if settings.connection_timeout < 2:
        raise IpamInventoryError('option connection_timeout must be at least 2 seconds, not %d' % settings.connection_timeout)
    if settings.transport != 'kerberos':
        missing = [o for o, v in (('username', settings.username), ('password', settings.password)) if not v]
        if missing:
            raise IpamInventoryError('transport %s needs %s (options, or IPAM_INVENTORY_USERNAME and IPAM_INVENTORY_PASSWORD)'
                                     % (settings.transport, ' and '.join(missing)))


def open_session(settings: Settings) -> t.Any:
    """A pywinrm Session for the IPAM server (no traffic yet)."""
    if winrm is None:
        raise IpamInventoryError('the Python library pywinrm is required on the controller (pip install pywinrm; '
                                 'pywinrm[kerberos] or pywinrm[credssp] for those transports)')
    # pywinrm needs the read timeout above the WS-Management operation timeout.
    operation_timeout = max(1, min(20, settings.connection_timeout - 1))
    return winrm.Session(settings.endpoint, auth=(settings.username or '', settings.password or ''),
                         transport=settings.transport,
                         server_cert_validation='validate' if settings.validate_certs else 'ignore',
                         read_timeout_sec=settings.connection_timeout, operation_timeout_sec=operation_timeout)


def _scrub(text: t.Any, settings: Settings) -> str:
    """One line of text without the password, whatever a library put in it."""
    line = ' '.join(str(text).split())
    if settings.password:
        line = line.replace(settings.password, '********')
    return line


def _transport_error(error: BaseException, settings: Settings) -> IpamInventoryError:
    where = 'the IPAM server %s (%s)' % (settings.server, settings.endpoint)
    if winrm is not None and isinstance(error, winrm.exceptions.InvalidCredentialsError):
        return IpamInventoryError('%s rejected the credentials (HTTP 401) %s over %s: check username and password '
                                  '(the user needs to be in the IPAM Users group on the IPAM server and allowed to use '
                                  'WinRM): %s' % (where, settings.who, settings.transport, _scrub(error, settings)))
    if requests is not None and isinstance(error, requests.exceptions.SSLError):
        return IpamInventoryError('cannot reach %s over HTTPS: certificate problem (%s); fix the certificate or set '
                                  'validate_certs: false for a test server' % (where, _scrub(error, settings)))
    if requests is not None and isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return IpamInventoryError('cannot reach %s: the IPAM server is unreachable (%s). Check server, port, scheme and '
                                  'that WinRM listens there (winrm quickconfig).' % (where, _scrub(error, settings)))
    if winrm is not None and isinstance(error, winrm.exceptions.WinRMTransportError):
        return IpamInventoryError('%s answered HTTP %s (%s)' % (where, error.code, _scrub(error.response_text or error, settings)))
    return IpamInventoryError('reading the server inventory from %s failed: %s: %s'
                              % (where, type(error).__name__, _scrub(error, settings)))


def parse_reply(status_code: int, stdout: bytes, stderr: bytes, settings: Settings) -> list[t.Any]:
    """The raw records of the script's reply; IpamInventoryError for an error reply or a malformed one."""
    where = 'the IPAM server %s' % settings.server
    text = stdout.decode('utf-8', errors='replace').lstrip('\ufeff').strip()
    err = _scrub(stderr.decode('utf-8', errors='replace'), settings)
    try:
        reply = json.loads(text) if text else None
    except ValueError:
        raise IpamInventoryError('the reply of %s is not JSON (exit code %d): %s%s' % (
            where, status_code, _scrub(text[:200], settings), '; stderr: %s' % err[:300] if err else '')) from None
    if not isinstance(reply, dict):
        raise IpamInventoryError('the server inventory script failed on %s (exit code %d) without a reply%s' % (
            where, status_code, ': %s' % err[:500] if err else ''))
    if reply.get('error') == 'ipam_module_missing':
        raise IpamInventoryError('%s has no IPAM Server module (Import-Module IpamServer failed: %s). Check that option '
                                 'server names the IPAM server, or install the IPAM Server feature there '
                                 '(Install-WindowsFeature IPAM -IncludeManagementTools).'
                                 % (where, _scrub(reply.get('message'), settings)))
    if reply.get('error'):
        raise IpamInventoryError('Get-IpamServerInventory failed on %s %s: %s (the user needs to be in the IPAM Users '
                                 'group, or a higher IPAM group, on the IPAM server)'
                                 % (where, settings.who, _scrub(reply.get('message'), settings)))
    if reply.get('contract') != CONTRACT:
        raise IpamInventoryError('the reply of %s is not an %s reply (contract: %r)' % (where, CONTRACT, reply.get('contract')))
    if 'records' not in reply:
        raise IpamInventoryError('the reply of %s has no records' % where)
    records = reply['records']
    if records is None:
        return []
    return records


def fetch_records(settings: Settings) -> list[t.Any]:
    """The raw Get-IpamServerInventory records of the IPAM server: one WinRM command."""
    check_settings(settings)
    session = open_session(settings)
    try:
        response = session.run_ps(SCRIPT)
    except IpamInventoryError:
        raise
    except Exception as e:  # pylint: disable=broad-except  # pywinrm, requests and the auth libraries raise many kinds
        raise _transport_error(e, settings) from None
    return parse_reply(int(response.status_code), response.std_out or b'', response.std_err or b'', settings)
