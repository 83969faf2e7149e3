# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake GroupPolicy module (tests only, pwsh 7): the cmdlets ipam_gpo_provisioning.ps1 calls, with the
# parameter sets of Microsoft.GroupPolicy.Commands.dll as its help documents them, answered from the
# simulated domain through winsim.winapi (winapi/gpo.py). Output objects carry the real type names.
# Labelled choices where windows-api.md 15 says "unconfirmed":
# - Get-GPO's not-found error is NON-terminating (WriteError) by default, and terminating
#   (ThrowTerminatingError, which -ErrorAction SilentlyContinue does not hide) under the host fault
#   gpo_not_found_terminating, so that a module can be held to both; FQID GpoWithNameNotFound /
#   GpoWithIdNotFound (windows-api.md 15, [TF-AD] [PC-GPONF]), category ObjectNotFound, ArgumentException.
# - Remove-GPO's ConfirmImpact is High: without -Confirm:$false it asks, and a WinRM host cannot
#   answer (the worker's host throws on any prompt), so a module that forgets it fails here.

Function New-GpoObject {
    # Microsoft.GroupPolicy.Gpo (https://learn.microsoft.com/powershell/module/grouppolicy/get-gpo, example output).
    param ([hashtable] $Values)
    $gpo = [PSCustomObject]@{
        DisplayName = [string]$Values.DisplayName
        DomainName = [string]$Values.DomainName
        Owner = [string]$Values.Owner
        Id = [guid]$Values.Id
        GpoStatus = [string]$Values.GpoStatus
        Description = $Values.Description
    }
    $gpo.PSObject.TypeNames.Insert(0, 'Microsoft.GroupPolicy.Gpo')
    $gpo
}

Function New-GroupPolicyError {
    # The ErrorRecord the GroupPolicy cmdlets write for a simulated API error.
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [string] $CommandClass, [object] $Target)
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $message = $ErrorRecord.Exception.Message
    switch ($kind) {
        'not_found' {
            $id = $ErrorRecord.Exception.Data['error_id']
            if (-not $id) { $id = 'GpoWithNameNotFound' }
            return [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new($message),
                "$id,Microsoft.GroupPolicy.Commands.$CommandClass", [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Target)
        }
        'access_denied' {
            # [unconfirmed] COM E_ACCESSDENIED from GPMC as UnauthorizedAccessException (windows-api.md 15).
            $exception = [System.UnauthorizedAccessException]::new($message)
            $exception.HResult = -2147024891
            return [System.Management.Automation.ErrorRecord]::new($exception,
                "System.UnauthorizedAccessException,Microsoft.GroupPolicy.Commands.$CommandClass",
                [System.Management.Automation.ErrorCategory]::PermissionDenied, $Target)
        }
        default {
            return [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new($message),
                "System.ArgumentException,Microsoft.GroupPolicy.Commands.$CommandClass",
                [System.Management.Automation.ErrorCategory]::InvalidArgument, $Target)
        }
    }
}

Function Get-GPO {
    <#
    .SYNOPSIS
    Gets one GPO or all the GPOs in a domain.
    .LINK
    https://learn.microsoft.com/powershell/module/grouppolicy/get-gpo
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByGUID')]
    [OutputType('Microsoft.GroupPolicy.Gpo')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]
        $Guid,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [Alias('DisplayName')]
        [string]
        $Name,

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]
        $Domain,

        [Parameter(Position = 2)]
        [Alias('DC')]
        [string]
        $Server,

        [Parameter(Mandatory = $true, ParameterSetName = 'All')]
        [switch]
        $All
    )
    process {
        $arguments = @{ domain = $Domain }
        switch ($PSCmdlet.ParameterSetName) {
            'ByGUID' { $arguments.id = $Guid.ToString(); $target = $Guid }
            'ByName' { $arguments.name = $Name; $target = $Name }
            'All' { $arguments.all = $true; $target = $Domain }
        }
        try {
            $found = Invoke-WinSimApi -Operation 'GroupPolicy.GetGpo' -Arguments $arguments
        }
        catch {
            $record = New-GroupPolicyError -ErrorRecord $_ -CommandClass GetGpoCommand -Target $target
            if ($_.Exception.Data['terminating']) {
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $PSCmdlet.WriteError($record)
            return
        }
        foreach ($values in $found) {
            New-GpoObject -Values $values
        }
    }
}

Function Get-GPPermission {
    <#
    .SYNOPSIS
    Gets the permission level for one or more security principals on a GPO (-All: every trustee).
    .LINK
    https://learn.microsoft.com/powershell/module/grouppolicy/get-gppermission
    #>
    [CmdletBinding(DefaultParameterSetName = 'PermissionOneByGuid')]
    [OutputType('Microsoft.GroupPolicy.GPPermission')]
    param (
        [Parameter(Mandatory = $true, ParameterSetName = 'AllByGuid', ValueFromPipelineByPropertyName = $true)]
        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByGuid', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]
        $Guid,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'AllByName')]
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'PermissionOneByName')]
        [Alias('DisplayName')]
        [string]
        $Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByGuid')]
        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByName')]
        [string]
        $TargetName,

        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByGuid')]
        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByName')]
        [ValidateSet('Computer', 'User', 'Group')]
        [string]
        $TargetType,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('Domain')]
        [string]
        $DomainName,

        [Alias('DC')]
        [string]
        $Server,

        [Parameter(Mandatory = $true, ParameterSetName = 'AllByGuid')]
        [Parameter(Mandatory = $true, ParameterSetName = 'AllByName')]
        [switch]
        $All
    )
    process {
        $arguments = @{ domain = $DomainName }
        $target = $Name
        if ($PSCmdlet.ParameterSetName -like '*ByGuid') {
            $arguments.id = $Guid.ToString()
            $target = $Guid
        }
        else {
            $arguments.name = $Name
        }
        try {
            $entries = Invoke-WinSimApi -Operation 'GroupPolicy.GetPermissions' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-GroupPolicyError -ErrorRecord $_ -CommandClass GetGPPermissionCommand -Target $target))
            return
        }
        foreach ($entry in $entries) {
            if (-not $All) {
                $wanted = $TargetName.Split('\')[-1]
                if ($entry.Trustee.Name -ne $wanted) { continue }
            }
            # GPTrustee.Sid is a SecurityIdentifier; .NET for Linux cannot build one, so Value and ToString() stand in.
            $sid = [PSCustomObject]@{ Value = [string]$entry.Trustee.Sid }
            $sid.PSObject.TypeNames.Insert(0, 'System.Security.Principal.SecurityIdentifier')
            $sid | Add-Member -MemberType ScriptMethod -Name ToString -Value { $this.Value } -Force
            $trustee = [PSCustomObject]@{
                Name = [string]$entry.Trustee.Name
                Domain = $entry.Trustee.Domain
                Sid = $sid
                SidType = [string]$entry.Trustee.SidType
            }
            $trustee.PSObject.TypeNames.Insert(0, 'Microsoft.GroupPolicy.GPTrustee')
            $permission = [PSCustomObject]@{
                Trustee = $trustee
                Permission = [string]$entry.Permission
                Inherited = [bool]$entry.Inherited
                Denied = [bool]$entry.Denied
            }
            $permission.PSObject.TypeNames.Insert(0, 'Microsoft.GroupPolicy.GPPermission')
            $permission
        }
    }
}

Function Set-GPPermission {
    <#
    .SYNOPSIS
    Grants a level of permissions to a security principal for one GPO; without -Replace a lower level
    than the principal has is not applied.
    .LINK
    https://learn.microsoft.com/powershell/module/grouppolicy/set-gppermission
    #>
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'PermissionOneByGuid')]
    [OutputType('Microsoft.GroupPolicy.Gpo')]
    param (
        [Parameter(Mandatory = $true, ParameterSetName = 'PermissionOneByGuid', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]
        $Guid,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'PermissionOneByName')]
        [Alias('DisplayName')]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [ValidateSet('None', 'GpoApply', 'GpoRead', 'GpoEdit', 'GpoEditDeleteModifySecurity', 'GpoCustom',
            'WmiFilterEdit', 'WmiFilterFullControl', 'WmiFilterCustom', 'StarterGpoRead', 'StarterGpoEdit',
            'StarterGpoFullControl', 'StarterGpoCustom', 'SomCreateWmiFilter', 'SomWmiFilterFullControl',
            'SomCreateGpo', 'SomCreateStarterGpo', 'SomLogging', 'SomPlanning', 'SomLink')]
        [string]
        $PermissionLevel,

        [Parameter(Mandatory = $true)]
        [string]
        $TargetName,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Computer', 'User', 'Group')]
        [string]
        $TargetType,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('Domain')]
        [string]
        $DomainName,

        [Alias('DC')]
        [string]
        $Server,

        [switch]
        $Replace
    )
    process {
        $arguments = @{ domain = $DomainName; target = $TargetName; target_type = $TargetType; level = $PermissionLevel; replace = [bool]$Replace }
        $target = $Name
        if ($PSCmdlet.ParameterSetName -eq 'PermissionOneByGuid') {
            $arguments.id = $Guid.ToString()
            $target = $Guid
        }
        else {
            $arguments.name = $Name
        }
        if (-not $PSCmdlet.ShouldProcess([string]$target, 'Set-GPPermission')) {
            return
        }
        try {
            $values = Invoke-WinSimApi -Operation 'GroupPolicy.SetPermission' -Arguments $arguments
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((New-GroupPolicyError -ErrorRecord $_ -CommandClass SetGPPermissionCommand -Target $target))
        }
        New-GpoObject -Values $values
    }
}

Function Remove-GPO {
    <#
    .SYNOPSIS
    Deletes a GPO (container and SYSVOL data). ConfirmImpact High: see the header.
    .LINK
    https://learn.microsoft.com/powershell/module/grouppolicy/remove-gpo
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'ByGUID')]
    param (
        [Parameter(Mandatory = $true, ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id', 'GPOID')]
        [guid]
        $Guid,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')]
        [Alias('DisplayName')]
        [string]
        $Name,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]
        $Domain,

        [Alias('DC')]
        [string]
        $Server,

        [switch]
        $KeepLinks
    )
    process {
        $arguments = @{ domain = $Domain }
        $target = $Name
        if ($PSCmdlet.ParameterSetName -eq 'ByGUID') {
            $arguments.id = $Guid.ToString()
            $target = $Guid
        }
        else {
            $arguments.name = $Name
        }
        if (-not $PSCmdlet.ShouldProcess([string]$target, 'Remove-GPO')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'GroupPolicy.RemoveGpo' -Arguments $arguments
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((New-GroupPolicyError -ErrorRecord $_ -CommandClass RemoveGpoCommand -Target $target))
        }
    }
}

Export-ModuleMember -Function Get-GPO, Get-GPPermission, Set-GPPermission, Remove-GPO
