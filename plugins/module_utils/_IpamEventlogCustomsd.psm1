# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.eventlog_customsd, shared by its module (plugins/modules/eventlog_customsd.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.eventlog_customsd. It reads the CustomSD value (REG_SZ SDDL)
# of a classic event log and writes the exact string its action plugin planned; it makes no
# decisions of its own and never writes a value that was not there.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamWindows

Function Get-IpamEventlogCustomsdSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of eventlog_customsd.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            log = @{ type = 'str'; required = $true }
            principals = @{ type = 'list'; elements = 'str'; default = @() }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            sddl = @{ type = 'str' }
            record_add = @{ type = 'list'; elements = 'str'; default = @() }
            record_remove = @{ type = 'list'; elements = 'str'; default = @() }
        }
        required_if = @(
            , @('mode', 'apply', @('token', 'sddl'))
        )
        supports_check_mode = $true
    }
    $spec
}

Function Get-CustomSd {
    <#
    .SYNOPSIS
    The CustomSD string of the log key, or $null when the value is not set.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    try {
        if ((Get-IpamRegistryValueName -Path $Path) -notcontains $valueName) {
            return $null  # the key exists but the value does not
        }
        $value = Get-IpamRegistryValue -Path $Path -Name $valueName
    }
    catch [System.Security.SecurityException], [System.UnauthorizedAccessException] {
        $module.Result.error = 'access_denied'
        $module.FailJson("Access is denied reading $valueName of $keyLabel.", $_)
    }
    if ($value -isnot [string]) {
        # A CustomSD that is not REG_SZ/REG_EXPAND_SZ is not SDDL; report it instead of guessing.
        $module.Result.error = 'invalid_state'
        $kind = Get-IpamRegistryValueKind -Path $Path -Name $valueName
        $module.FailJson("$valueName of $keyLabel is not a string value (it is $kind); it must be REG_SZ SDDL.")
    }
    $value
}

Function Invoke-IpamEventlogCustomsd {
    <#
    .SYNOPSIS
    Runs eventlog_customsd for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $log = $module.Params.log
    $valueName = 'CustomSD'
    $keyPath = "HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\$log"
    $keyLabel = "HKLM\SYSTEM\CurrentControlSet\Services\EventLog\$log"
    # The ACEs this collection added, per object: '<object>|<ACE>' (docs/design.md 3).
    $recordName = 'AcesAdded'
    $recordObject = "eventlog:$log"

    $exists = Test-IpamRegistryKey -Path $keyPath
    $module.Result.host = Get-IpamHostInfo
    $module.Result.exists = $exists
    $module.Result.sddl = $null
    if ($exists) {
        $module.Result.sddl = Get-CustomSd -Path $keyPath
    }
    $module.Result.token = $module.Result.sddl
    # @(): one recorded ACE is still a list.
    $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)

    if ($module.Params.mode -eq 'read') {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
        $module.ExitJson()
    }

    if (-not $exists) {
        $module.Result.error = 'not_found'
        $module.FailJson("Event log '$log' was not found: there is no registry key $keyLabel.")
    }
    if ($null -eq $module.Result.sddl) {
        $module.Result.error = 'not_found'
        $module.FailJson("Event log '$log' has no $valueName value in $keyLabel; nothing was written.")
    }
    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.sddl -What "$valueName of event log '$log'"

    $changed = $module.Params.sddl -cne $module.Result.sddl
    if (-not $module.CheckMode) {
        # Write-ahead: the ACEs about to be added are recorded first and the removed ones forgotten last.
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Add $module.Params.record_add -Module $module
        if ($changed) {
            try {
                Set-IpamRegistryValue -Path $keyPath -Name $valueName -Value $module.Params.sddl -Kind String
            }
            catch [System.Security.SecurityException], [System.UnauthorizedAccessException] {
                $module.Result.error = 'access_denied'
                $module.FailJson("Access is denied writing $valueName of $keyLabel.", $_)
            }
            $module.Result.sddl = Get-CustomSd -Path $keyPath
        }
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Remove $module.Params.record_remove -Module $module
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)
    }
    $module.Result.changed = $changed
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamEventlogCustomsdSpec, Invoke-IpamEventlogCustomsd
