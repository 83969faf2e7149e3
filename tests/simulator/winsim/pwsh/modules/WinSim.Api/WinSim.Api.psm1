# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# The fakes' way to the simulated host (tests only, pwsh 7): one JSON line to the Unix socket of
# tests/simulator/winsim/pwsh/api.py, one JSON line back. Operations are those of winsim/winapi.

Function Invoke-WinSimApi {
    <#
    .SYNOPSIS
    Runs one winsim.winapi operation for the round trip in progress; throws a WinSim API error
    (Exception.Data: kind, hresult, win32, error_id) when the simulated Windows API fails.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Operation,

        [hashtable]
        $Arguments = @{}
    )
    if (-not $env:WINSIM_API_SOCKET) {
        throw "winsim: `$env:WINSIM_API_SOCKET is not set: $Operation was called outside a winsim round trip"
    }
    $request = @{ token = $env:WINSIM_API_TOKEN; op = $Operation; args = $Arguments } | ConvertTo-Json -Compress -Depth 20
    $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix,
        [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
    try {
        $socket.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($env:WINSIM_API_SOCKET))
        $stream = [System.Net.Sockets.NetworkStream]::new($socket, $true)
        $utf8 = [System.Text.UTF8Encoding]::new($false)
        $writer = [System.IO.StreamWriter]::new($stream, $utf8)
        $writer.WriteLine($request)
        $writer.Flush()
        $line = [System.IO.StreamReader]::new($stream, $utf8).ReadLine()
    }
    finally {
        $socket.Dispose()
    }
    $reply = ConvertFrom-Json -InputObject $line -AsHashtable -NoEnumerate -DateKind String
    if ($reply.ok) {
        return , $reply.result
    }
    $exception = [System.Exception]::new([string]$reply.error.message)
    foreach ($key in $reply.error.Keys) {
        $exception.Data[$key] = $reply.error[$key]
    }
    throw $exception
}

Function Get-WinSimErrorKind {
    <#
    .SYNOPSIS
    The winapi error kind of a caught error ($_), or $null when it did not come from the simulated API.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord
    )
    $exception = $ErrorRecord.Exception
    while ($exception) {
        if ($exception.Data.Contains('kind')) {
            if ($exception.Data['kind'] -eq 'winsim') {
                throw $ErrorRecord   # the simulator refused (e.g. a write in check mode): never hide that
            }
            return $exception.Data['kind']
        }
        $exception = $exception.InnerException
    }
    $null
}

Function New-WinSimErrorRecord {
    <#
    .SYNOPSIS
    The ErrorRecord a CIM-based cmdlet (SmbShare, NetSecurity, ...) writes for a simulated API error:
    a CimException-like record with 'Windows System Error N,<cmdlet>' for Win32 errors.
    .LINK
    https://learn.microsoft.com/windows/win32/wmisdk/wmi-error-constants
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord,

        [Parameter(Mandatory = $true)]
        [string]
        $Command,

        [string]
        $NotFoundId = 'ObjectNotFound',

        [object]
        $Target
    )
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $message = $ErrorRecord.Exception.Message
    switch ($kind) {
        'access_denied' {
            $exception = [System.UnauthorizedAccessException]::new($message)
            $exception.HResult = -2147024891   # 0x80070005
            return [System.Management.Automation.ErrorRecord]::new($exception, "Windows System Error 5,$Command",
                [System.Management.Automation.ErrorCategory]::PermissionDenied, $Target)
        }
        'not_found' {
            $exception = [System.Management.Automation.ItemNotFoundException]::new($message)
            return [System.Management.Automation.ErrorRecord]::new($exception, "$NotFoundId,$Command",
                [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Target)
        }
        'exists' {
            return [System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), "Windows System Error 183,$Command",
                [System.Management.Automation.ErrorCategory]::ResourceExists, $Target)
        }
        default {
            return [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new($message), "InvalidArgument,$Command",
                [System.Management.Automation.ErrorCategory]::InvalidArgument, $Target)
        }
    }
}

Export-ModuleMember -Function Invoke-WinSimApi, Get-WinSimErrorKind, New-WinSimErrorRecord
