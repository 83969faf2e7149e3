# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Internal helpers shared by the group modules of ipam.provisioning (group_membership,
# dhcp_users_membership, local_group). Internal use only: the interface can change without notice.
#
# Groups are read and changed through ADSI's WinNT provider, as ansible.windows win_group and
# win_group_membership and Microsoft's ipamprovisioning.ps1 do; it is there on every Windows version
# (the LocalAccounts cmdlets are not on Server 2012 / 2012 R2). It addresses the machine's SAM on
# member servers and the domain's groups on domain controllers, and members are added and removed by
# SID ('WinNT://<SID>'), so localized names never matter. Members are enumerated through the group's
# Members method, reading each member's objectSid, so a member whose account was deleted (an orphaned
# SID, errors 1332/1788 in other tools) is listed instead of breaking the enumeration. The ADSI calls
# themselves are in _IpamWindows.psm1, one call per function.

#AnsibleRequires -PowerShell ._IpamWindows
#AnsibleRequires -PowerShell ._IpamAccess

# The HRESULTs a WinNT bind fails with when the object is not there: NERR_GroupNotFound (2220) and
# NERR_UserNotFound (2221). Everything else (access denied 0x80070005, RPC errors) is a real failure.
$script:IpamWinNTNotFound = @(-2147022676, -2147022675)  # 0x800708AC, 0x800708AD

Function Test-IpamWinNTName {
    <#
    .SYNOPSIS
    Whether a name can go into a WinNT ADsPath as the object name: '/' and ',' would change the path
    (another container, another class), and Windows allows neither in account names.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [AllowEmptyString()]
        [string]
        $Name
    )
    $Name.Trim() -ne '' -and $Name.IndexOfAny([char[]]'/,') -lt 0
}

Function Assert-IpamWinNTName {
    <#
    .SYNOPSIS
    Fails the module, before any call, for a group name that would inject into a WinNT ADsPath.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [AllowEmptyString()]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Option
    )
    if ($Name -and $Name.IndexOfAny([char[]]'/,') -ge 0) {
        $Module.FailJson("Option $Option`: '$Name' contains '/' or ',', which Windows does not allow in a group name and which would change the ADSI WinNT path the group is bound with.")
    }
}

Function Test-IpamWinNTNotFound {
    <#
    .SYNOPSIS
    Whether a failed WinNT bind means "no such group/user" rather than a real failure.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    $script:IpamWinNTNotFound -contains (Get-IpamInnermostException -Exception $Exception).HResult
}

Function Get-IpamGroup {
    <#
    .SYNOPSIS
    The group of this short name on this computer (its SAM; the domain's on a DC) as
    @{ name; sid; description }, or $null when there is none. Other failures (access denied) throw.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    if (-not (Test-IpamWinNTName -Name $Name)) {
        throw [System.ArgumentException]::new("'$Name' is not a group name that can be bound through ADSI WinNT ('/' and ',' are not allowed).")
    }
    try {
        Get-IpamWinNTGroup -Name $Name
    }
    catch {
        if (Test-IpamWinNTNotFound -Exception $_.Exception) {
            return $null
        }
        throw
    }
}

Function Test-IpamLocalUser {
    <#
    .SYNOPSIS
    Whether a user of this name exists on this computer (its SAM; the domain's on a DC).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    if (-not (Test-IpamWinNTName -Name $Name)) {
        return $false
    }
    try {
        $null = Get-IpamWinNTUser -Name $Name
        $true
    }
    catch {
        if (Test-IpamWinNTNotFound -Exception $_.Exception) {
            return $false
        }
        throw
    }
}

Function ConvertTo-IpamMemberName {
    <#
    .SYNOPSIS
    The NTAccount name of a member SID, or $null when it does not translate (orphaned, trust broken).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    try {
        ConvertTo-IpamNameFromSid -Sid $Sid
    }
    catch {
        # IdentityNotMappedException is $null already; SystemException (1788) when a trust is gone.
        $null
    }
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
    Finds a group by SID, then by each candidate name; returns @{ name; sid; description; matched_by } or $null.
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
            $canonical = ConvertTo-IpamCanonicalSid -Sid $Sid
        }
        catch {
            $canonical = $null  # not a SID: nothing to find by it
        }
        $account = if ($canonical) { ConvertTo-IpamMemberName -Sid $canonical } else { $null }
        if ($account) {
            $shortName = ($account -split '\\')[-1]
            if (Test-IpamWinNTName -Name $shortName) {
                $group = Get-IpamGroup -Name $shortName
                if ($group -and $group.sid -eq $canonical) {
                    $group.matched_by = 'sid'
                    return $group
                }
            }
        }
    }
    foreach ($candidate in $Name) {
        if (-not $candidate) {
            continue
        }
        if ($candidate.Contains('\')) {
            try {
                $candidateSid = ConvertTo-IpamSidFromName -Name $candidate
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
        $group = Get-IpamGroup -Name $candidate
        if ($group) {
            $group.matched_by = 'name'
            return $group
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
        [string]
        $Name
    )
    $members = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($member in @(Get-IpamWinNTGroupMember -Name $Name)) {
        # ADSI itself could not name the member: its path is the bare SID, so do not ask again.
        if ($member.path -match '^WinNT://S-1-[0-9-]+$') {
            $memberName = $null
        }
        else {
            $memberName = ConvertTo-IpamMemberName -Sid $member.sid
        }
        $members.Add(@{ sid = ([string]$member.sid).ToUpperInvariant(); name = $memberName })
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

Function Invoke-IpamAdsi {
    <#
    .SYNOPSIS
    Runs ADSI calls (a read or a write); on failure fails the module with error access_denied or
    invalid_state and '<Description> failed: <Windows text>' ('Access is denied: <Description>.').
    .DESCRIPTION
    The script block runs in the caller's scope (it sees the caller's variables). Its output is returned.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [Parameter(Mandatory = $true)]
        [string]
        $Description,

        [Parameter(Mandatory = $true)]
        [scriptblock]
        $Action
    )
    try {
        & $Action
    }
    catch {
        $Module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
        $text = Get-IpamAdsiErrorText -Exception $_.Exception
        if ($Module.Result.error -eq 'access_denied') {
            $Module.FailJson("Access is denied: $Description.", $_)
        }
        $Module.FailJson("$Description failed: $text", $_)
    }
}

Function Invoke-IpamGroupChange {
    <#
    .SYNOPSIS
    Adds and removes members by SID; fails the module (error access_denied or invalid_state) on the first error.
    .DESCRIPTION
    Returns the SIDs actually added and removed so a partial failure can be reported exactly
    (Result.partial).
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

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
            if ($method -eq 'Add') {
                Add-IpamWinNTGroupMember -Name $GroupName -Sid $sid
            }
            else {
                Remove-IpamWinNTGroupMember -Name $GroupName -Sid $sid
            }
        }
        catch {
            $Module.Result.partial = $done
            $Module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
            $verb = if ($method -eq 'Add') { 'adding' } else { 'removing' }
            $preposition = if ($method -eq 'Add') { 'to' } else { 'from' }
            $Module.FailJson("Failed $verb $sid $preposition group '$GroupName': $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
        }
        $done[$key].Add($sid)
    }
    $done
}

$exportMembers = @{
    Function = 'Test-IpamWinNTName', 'Assert-IpamWinNTName', 'Test-IpamWinNTNotFound', 'Get-IpamGroup', 'Test-IpamLocalUser', 'ConvertTo-IpamMemberName',
    'Get-IpamGroupScope', 'Find-IpamGroup', 'Get-IpamGroupMember', 'Get-IpamGroupToken', 'Invoke-IpamAdsi',
    'Invoke-IpamGroupChange'
}
Export-ModuleMember @exportMembers
