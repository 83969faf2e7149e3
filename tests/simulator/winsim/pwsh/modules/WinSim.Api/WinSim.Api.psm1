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

Export-ModuleMember -Function Invoke-WinSimApi, Get-WinSimErrorKind
