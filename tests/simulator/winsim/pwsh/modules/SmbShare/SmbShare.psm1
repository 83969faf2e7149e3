# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake SmbShare module (tests only, pwsh 7): the SMB share cmdlets the collection calls, answered from
# the simulated host's shares (winsim/winapi/smb.py). The real cmdlets are CDXML over the CIM class
# ROOT/Microsoft/Windows/SMB/MSFT_SmbShare; their errors follow PowerShell's cmdletization engine
# (windows-api.md 1.4 and 9):
# - a -Name that matches no share: non-terminating CimJobException, ObjectNotFound,
#   'CmdletizationQuery_NotFound_Name,<cmdlet>', target the name, so -ErrorAction SilentlyContinue hides it;
# - a failing CIM method (access denied, unknown account, ...): non-terminating CimException,
#   'Windows System Error <n>,<cmdlet>', category from the CIM result (AccessDenied -> PermissionDenied).
# Parameters the collection does not pass (-CimSession, -AsJob, -InputObject, the filters of Get-SmbShare...)
# are left out on purpose: a call that uses one fails loudly instead of being half answered.

$script:Namespace = 'ROOT/Microsoft/Windows/SMB'

Function New-SmbCimObject {
    # A CIM instance look-alike: the properties of the class and its CimInstance type names.
    param ([System.Collections.IDictionary] $Values, [string] $ClassName)
    $instance = [PSCustomObject]$Values
    $instance.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance')
    $instance.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#$ClassName")
    $instance.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#$script:Namespace/$ClassName")
    $instance
}

Function New-SmbErrorRecord {
    # The ErrorRecord the cmdletization engine writes for a failed winapi call (the cmdlet name is
    # appended to the error id by PowerShell itself, as for the real CDXML cmdlets).
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [object] $Target)
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $data = $ErrorRecord.Exception.Data
    $message = $ErrorRecord.Exception.Message
    if ($kind -eq 'not_found' -and $data['error_id'] -eq 'CmdletizationQuery_NotFound_Name') {
        $exception = [Microsoft.PowerShell.Cmdletization.Cim.CimJobException]::new($message)
        return [System.Management.Automation.ErrorRecord]::new($exception, 'CmdletizationQuery_NotFound_Name',
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Target)
    }
    # CimException carries the MI result of the failed method; its message is the Win32 error text.
    $result, $category = switch ($kind) {
        'access_denied' { 'MI_RESULT_ACCESS_DENIED', 'PermissionDenied' }
        'not_found' { 'MI_RESULT_NOT_FOUND', 'ObjectNotFound' }
        'exists' { 'MI_RESULT_ALREADY_EXISTS', 'ResourceExists' }
        'invalid' { 'MI_RESULT_INVALID_PARAMETER', 'InvalidArgument' }
        default { 'MI_RESULT_FAILED', 'NotSpecified' }   # 1332 (unknown account): category unconfirmed
    }
    $resultType = [Microsoft.Management.Infrastructure.CimException].Assembly.GetType('Microsoft.Management.Infrastructure.Native.MI_Result')
    $constructor = [Microsoft.Management.Infrastructure.CimException].GetConstructors([System.Reflection.BindingFlags]'NonPublic,Instance') |
        Where-Object { $_.GetParameters().Count -eq 4 } | Select-Object -First 1
    if ($resultType -and $constructor) {
        $exception = $constructor.Invoke(@([enum]::Parse($resultType, $result), $message, $null, $message))
    }
    else {
        $exception = [Microsoft.Management.Infrastructure.CimException]::new($message)
    }
    $errorId = 'MiClientApiError_{0}' -f $result
    if ($data.Contains('win32') -and $null -ne $data['win32']) {
        $errorId = 'Windows System Error {0}' -f $data['win32']
    }
    [System.Management.Automation.ErrorRecord]::new($exception, $errorId, [System.Management.Automation.ErrorCategory]$category, $Target)
}

Function Invoke-SmbApi {
    # One winapi call for a cmdlet; a failure becomes the cmdlet's non-terminating error and $null.
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Operation, [hashtable] $Arguments, [object] $Target)
    try {
        , (Invoke-WinSimApi -Operation $Operation -Arguments $Arguments)
    }
    catch {
        $Cmdlet.WriteError((New-SmbErrorRecord -ErrorRecord $_ -Target $Target))
    }
}

Function Test-SmbConfirm {
    # -Force skips the confirmation these cmdlets ask for (ConfirmImpact High); -WhatIf is still honoured.
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [bool] $Force, [string] $Target, [string] $Action)
    # $WhatIfPreference: the calling cmdlet's, by PowerShell's dynamic scoping.
    if ($Force -and -not $WhatIfPreference) {
        return $true
    }
    $Cmdlet.ShouldProcess($Target, $Action)
}

Function Get-SmbShare {
    <#
    .SYNOPSIS
    The shares, all or by name (wildcards allowed); a literal name that matches none is a non-terminating error.
    .LINK
    https://learn.microsoft.com/powershell/module/smbshare/get-smbshare
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/SMB/MSFT_SmbShare')]
    param (
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]]
        $Name,

        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]]
        $ScopeName
    )
    process {
        $found = [System.Collections.Generic.List[object]]::new()
        if (-not $Name) {
            foreach ($share in (Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.ListShares' -Arguments @{})) { $found.Add($share) }
        }
        foreach ($one in $Name) {
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($one)) {
                # A wildcard that matches nothing is no error (the engine reports literal names only).
                foreach ($share in (Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.ListShares' -Arguments @{ pattern = $one })) { $found.Add($share) }
                continue
            }
            $share = Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.GetShare' -Arguments @{ name = $one } -Target $one
            if ($null -ne $share) { $found.Add($share) }
        }
        foreach ($share in $found) {
            if ($ScopeName -and -not ($ScopeName | Where-Object { $share.ScopeName -like $_ })) { continue }
            New-SmbCimObject -Values $share -ClassName 'MSFT_SmbShare'
        }
    }
}

Function New-SmbShare {
    <#
    .SYNOPSIS
    Creates a share of an existing folder. Without -FullAccess/-ChangeAccess/-ReadAccess/-NoAccess
    Windows grants Everyone Read. The documentation says -WhatIf does not work with this cmdlet: the
    share is created anyway (the collection guards every call with check mode instead).
    .LINK
    https://learn.microsoft.com/powershell/module/smbshare/new-smbshare
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/SMB/MSFT_SmbShare')]
    param (
        [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Path,

        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [string]
        $ScopeName,

        [string]
        $Description,

        [string[]]
        $FullAccess,

        [string[]]
        $ChangeAccess,

        [string[]]
        $ReadAccess,

        [string[]]
        $NoAccess
    )
    process {
        $arguments = @{ name = $Name; path = $Path; description = $Description }
        foreach ($list in @(@('full_access', $FullAccess), @('change_access', $ChangeAccess), @('read_access', $ReadAccess), @('no_access', $NoAccess))) {
            if ($list[1]) { $arguments[$list[0]] = @($list[1]) }
        }
        $share = Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.NewShare' -Arguments $arguments -Target $Name
        if ($null -ne $share) {
            New-SmbCimObject -Values $share -ClassName 'MSFT_SmbShare'
        }
    }
}

Function Write-SmbAccessEntry {
    param ([object[]] $Entries)
    foreach ($entry in $Entries) {
        New-SmbCimObject -Values $entry -ClassName 'MSFT_SmbShareAccessControlEntry'
    }
}

Function Grant-SmbShareAccess {
    <#
    .SYNOPSIS
    Replaces every Allow ACE of the accounts with one Allow ACE of the right; returns the share's whole ACL.
    Asks for confirmation (operation 'Modify' on '<scope>,<name>') unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/smbshare/grant-smbshareaccess
    #>
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/SMB/MSFT_SmbShareAccessControlEntry')]
    param (
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $Name,

        [Parameter(ParameterSetName = 'Query', Position = 2, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $ScopeName,

        [string[]]
        $AccountName,

        [ValidateSet('Full', 'Change', 'Read', 'Custom')]
        [string]
        $AccessRight,

        [switch]
        $Force
    )
    process {
        foreach ($one in $Name) {
            if (-not (Test-SmbConfirm -Cmdlet $PSCmdlet -Force $Force.IsPresent -Target "*,$one" -Action 'Modify')) { continue }
            $arguments = @{ name = $one; accounts = @($AccountName); right = $AccessRight }
            Write-SmbAccessEntry -Entries (Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.GrantAccess' -Arguments $arguments -Target $one)
        }
    }
}

Function Revoke-SmbShareAccess {
    <#
    .SYNOPSIS
    Removes every Allow ACE of the accounts (Deny ACEs stay); returns the share's whole ACL.
    Asks for confirmation (operation 'Modify' on '<scope>,<name>') unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/smbshare/revoke-smbshareaccess
    #>
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/SMB/MSFT_SmbShareAccessControlEntry')]
    param (
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $Name,

        [Parameter(ParameterSetName = 'Query', Position = 2, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $ScopeName,

        [string[]]
        $AccountName,

        [switch]
        $Force
    )
    process {
        foreach ($one in $Name) {
            if (-not (Test-SmbConfirm -Cmdlet $PSCmdlet -Force $Force.IsPresent -Target "*,$one" -Action 'Modify')) { continue }
            $arguments = @{ name = $one; accounts = @($AccountName) }
            Write-SmbAccessEntry -Entries (Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.RevokeAccess' -Arguments $arguments -Target $one)
        }
    }
}

Function Remove-SmbShare {
    <#
    .SYNOPSIS
    Deletes the shares (the folders stay). Asks for confirmation (operation 'Remove-Share' on
    '<scope>,<name>') unless -Force or -Confirm:$false; -PassThru returns the removed share.
    .LINK
    https://learn.microsoft.com/powershell/module/smbshare/remove-smbshare
    #>
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/SMB/MSFT_SmbShare')]
    param (
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $Name,

        [Parameter(ParameterSetName = 'Query', Position = 2, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $ScopeName,

        [switch]
        $Force,

        [switch]
        $PassThru
    )
    process {
        foreach ($one in $Name) {
            if (-not (Test-SmbConfirm -Cmdlet $PSCmdlet -Force $Force.IsPresent -Target "*,$one" -Action 'Remove-Share')) { continue }
            $share = Invoke-SmbApi -Cmdlet $PSCmdlet -Operation 'Smb.RemoveShare' -Arguments @{ name = $one } -Target $one
            if ($PassThru -and $null -ne $share) {
                New-SmbCimObject -Values $share -ClassName 'MSFT_SmbShare'
            }
        }
    }
}

Export-ModuleMember -Function Get-SmbShare, New-SmbShare, Grant-SmbShareAccess, Revoke-SmbShareAccess, Remove-SmbShare
