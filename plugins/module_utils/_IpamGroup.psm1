# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Internal helpers shared by the group-membership modules of ipam.provisioning.
# Internal use only: the interface can change without notice.
#
# Groups are read and changed through ADSI's WinNT provider, as ansible.windows.win_group_membership
# and Microsoft's ipamprovisioning.ps1 do: it addresses the machine's SAM on member servers and the
# domain's groups on domain controllers, and members are added and removed by SID
# ('WinNT://<SID>'), so localized names never matter. Members are enumerated through the group's
# Members method, reading each member's objectSid bytes, so a member whose account was deleted
# (an orphaned SID, errors 1332/1788 in other tools) is listed instead of breaking the enumeration.

Function ConvertTo-IpamMemberName {
    <#
    .SYNOPSIS
    The NTAccount name of a member SID, or $null when it does not translate (orphaned, trust broken).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Security.Principal.SecurityIdentifier]
        $Sid
    )
    try {
        $Sid.Translate([System.Security.Principal.NTAccount]).Value
    }
    catch {
        # IdentityNotMappedException for deleted accounts, SystemException (1788) when a trust is gone.
        $null
    }
}

Function Get-IpamGroupEntry {
    <#
    .SYNOPSIS
    The WinNT DirectoryEntry of the group with this short name on this computer, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.DirectoryServices.DirectoryEntry])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    $path = 'WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name
    try {
        if (-not [System.DirectoryServices.DirectoryEntry]::Exists($path)) {
            return $null
        }
        New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $path
    }
    catch {
        $null
    }
}

Function Get-IpamEntrySid {
    <#
    .SYNOPSIS
    The SID (string) of a WinNT DirectoryEntry, read from its objectSid bytes.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [System.DirectoryServices.DirectoryEntry]
        $Entry
    )
    $bytes = [byte[]]$Entry.psbase.InvokeGet('objectSid')
    (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $bytes, 0).Value
}

Function Get-IpamGroupScope {
    <#
    .SYNOPSIS
    'domain' on a domain controller (its groups live in AD, shared by every DC), else 'local'.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [int]
        $DomainRole
    )
    if ($DomainRole -in 4, 5) { 'domain' } else { 'local' }
}

Function Find-IpamGroup {
    <#
    .SYNOPSIS
    Finds a group by SID, then by each candidate name; returns @{ entry; name; sid; matched_by } or $null.
    .DESCRIPTION
    A SID is translated to its (localized) name, the group of that name is bound, and its own
    objectSid must equal the SID: on a member server a domain group's SID names a group that is not
    local, and the local group of the same name is a different group. A name containing a backslash
    (DOMAIN\name, BUILTIN\name) is translated to its SID first and then found the same way.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $Sid,

        [AllowEmptyCollection()]
        [string[]]
        $Name = @()
    )
    if ($Sid) {
        try {
            $sidObject = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $Sid
            $account = $sidObject.Translate([System.Security.Principal.NTAccount]).Value
        }
        catch {
            $account = $null
        }
        if ($account) {
            $entry = Get-IpamGroupEntry -Name ($account -split '\\')[-1]
            if ($entry -and (Get-IpamEntrySid -Entry $entry) -eq $sidObject.Value) {
                return @{ entry = $entry; name = [string]$entry.psbase.InvokeGet('Name'); sid = $sidObject.Value; matched_by = 'sid' }
            }
        }
    }
    foreach ($candidate in $Name) {
        if (-not $candidate) {
            continue
        }
        if ($candidate.Contains('\')) {
            try {
                $candidateSid = ([System.Security.Principal.NTAccount]$candidate).Translate([System.Security.Principal.SecurityIdentifier]).Value
            }
            catch {
                continue
            }
            $found = Find-IpamGroup -Sid $candidateSid
            if ($found) {
                $found.matched_by = 'name'
                return $found
            }
            continue
        }
        $entry = Get-IpamGroupEntry -Name $candidate
        if ($entry) {
            return @{ entry = $entry; name = [string]$entry.psbase.InvokeGet('Name'); sid = Get-IpamEntrySid -Entry $entry; matched_by = 'name' }
        }
    }
    $null
}

Function Get-IpamGroupMember {
    <#
    .SYNOPSIS
    The members of a group as @{ sid; name }, name $null for SIDs that no longer resolve.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[Hashtable]])]
    param (
        [Parameter(Mandatory = $true)]
        [System.DirectoryServices.DirectoryEntry]
        $Group
    )
    $members = [System.Collections.Generic.List[Hashtable]]@()
    # A plain loop with one cast per member: casting the raw COM objects in a pipeline fails at random
    # once one of them has been invoked (see ansible.windows win_group_membership).
    foreach ($rawMember in @($Group.psbase.Invoke('Members'))) {
        $member = [ADSI]$rawMember
        $sid = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList ([byte[]]$member.psbase.InvokeGet('objectSid')), 0
        $adsPath = [string]$member.psbase.InvokeGet('ADsPath')
        # ADSI itself could not name the member: its path is the bare SID, so do not ask again.
        if ($adsPath -match '^WinNT://S-1-[0-9-]+$') {
            $name = $null
        }
        else {
            $name = ConvertTo-IpamMemberName -Sid $sid
        }
        $members.Add(@{ sid = $sid.Value; name = $name })
    }
    , $members
}

Function Get-IpamGroupToken {
    <#
    .SYNOPSIS
    Compare-and-swap token of a membership: the member SIDs, sorted ordinally, joined with ','.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyCollection()]
        [object[]]
        $Member = @()
    )
    [string[]]$sids = @($Member | ForEach-Object { ([string]$_.sid).ToUpperInvariant() })
    [Array]::Sort($sids, [System.StringComparer]::Ordinal)
    $sids -join ','
}

Function Get-IpamInnermostException {
    <#
    .SYNOPSIS
    The COM or Win32 exception inside the wrappers PowerShell and reflection put around it.
    #>
    [CmdletBinding()]
    [OutputType([System.Exception])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    $inner = $Exception
    while ($null -ne $inner.InnerException) {
        $inner = $inner.InnerException
    }
    $inner
}

Function Invoke-IpamGroupChange {
    <#
    .SYNOPSIS
    Adds and removes members by SID; fails the module (error access_denied or invalid_state) on the first error.
    .DESCRIPTION
    Returns the SIDs actually added and removed so a partial failure can be reported exactly.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [Parameter(Mandatory = $true)]
        [System.DirectoryServices.DirectoryEntry]
        $Group,

        [Parameter(Mandatory = $true)]
        [string]
        $GroupName,

        [AllowEmptyCollection()]
        [string[]]
        $Add = @(),

        [AllowEmptyCollection()]
        [string[]]
        $Remove = @()
    )
    $done = @{ added = [System.Collections.Generic.List[string]]@(); removed = [System.Collections.Generic.List[string]]@() }
    $steps = @(
        foreach ($sid in $Add) { , @('Add', $sid, 'added') }
        foreach ($sid in $Remove) { , @('Remove', $sid, 'removed') }
    )
    foreach ($step in $steps) {
        $method, $sid, $key = $step
        try {
            $null = $Group.psbase.Invoke($method, [object[]]@("WinNT://$sid"))
        }
        catch {
            $cause = Get-IpamInnermostException -Exception $_.Exception
            $Module.Result.partial = $done
            $Module.Result.error = if ($cause -is [System.UnauthorizedAccessException] -or $cause.HResult -eq -2147024891) {
                'access_denied'
            }
            else {
                'invalid_state'
            }
            $verb = if ($method -eq 'Add') { 'adding' } else { 'removing' }
            $Module.FailJson("Failed $verb $sid $(if ($method -eq 'Add') { 'to' } else { 'from' }) group '$GroupName': $($cause.Message)", $_)
        }
        $done[$key].Add($sid)
    }
    $done
}

$exportMembers = @{
    Function = 'ConvertTo-IpamMemberName', 'Get-IpamGroupEntry', 'Get-IpamEntrySid', 'Get-IpamGroupScope', 'Find-IpamGroup',
    'Get-IpamGroupMember', 'Get-IpamGroupToken', 'Get-IpamInnermostException', 'Invoke-IpamGroupChange'
}
Export-ModuleMember @exportMembers
