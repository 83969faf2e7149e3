# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.service_acl, shared by its module (plugins/modules/service_acl.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.service_acl. It reads a service's security descriptor and
# writes the exact descriptor its action plugin planned; it makes no decisions of its own.

#AnsibleRequires -PowerShell ._IpamAccess

Function Get-IpamServiceAclSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of service_acl.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            name = @{ type = 'str'; required = $true }
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

Function Invoke-ScExe {
    <#
    .SYNOPSIS
    Runs sc.exe; @{ exit_code; stdout = lines; stderr = text }, decided on by the exit code only.
    .DESCRIPTION
    Windows PowerShell 5.1 makes each stderr line of a native command an ErrorRecord that the module
    wrapper's $ErrorActionPreference = 'Stop' turns into a terminating error before $LASTEXITCODE can be
    read (PowerShell 7.1 stopped that, PowerShell/PowerShell#13361), so this function continues on error.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string[]]
        $Arguments
    )
    $ErrorActionPreference = 'Continue'
    $output = & sc.exe @Arguments 2>&1
    $exitCode = $LASTEXITCODE
    $stdout = @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { [string]$_ })
    $stderr = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.ToString() })
    @{ exit_code = $exitCode; stdout = $stdout; stderr = ($stderr -join ' ').Trim() }
}

Function Get-ServiceSddl {
    <#
    .SYNOPSIS
    The service's descriptor as sc.exe sdshow prints it (leading blank line dropped), or $null.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    $run = Invoke-ScExe -Arguments 'sdshow', $Name
    if ($run.exit_code -eq 5) {
        $module.Result.error = 'access_denied'
        $module.FailJson("Access is denied reading the security descriptor of service '$Name'.")
    }
    if ($run.exit_code -ne 0) {
        $module.Result.error = 'invalid_state'
        $module.FailJson("sc.exe sdshow $Name failed ($($run.exit_code)): $((@($run.stdout) + $run.stderr) -join ' ')")
    }
    # The descriptor is what stdout holds; a line on stderr is never part of it.
    (($run.stdout | Where-Object { $_ -and $_.Trim() }) -join '').Trim()
}

Function Invoke-IpamServiceAcl {
    <#
    .SYNOPSIS
    Runs service_acl for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $name = $module.Params.name
    # The ACEs this collection added, per object: '<object>|<ACE>' (docs/design.md 3).
    $recordName = 'AcesAdded'

    $service = Get-Service -Name $name -ErrorAction SilentlyContinue
    $module.Result.host = Get-IpamHostInfo
    $module.Result.exists = $null -ne $service
    $module.Result.display_name = $null
    $module.Result.sddl = $null
    $module.Result.recorded = @()
    if ($service) {
        $recordObject = "service:$($service.Name)"
        $module.Result.display_name = $service.DisplayName
        $module.Result.sddl = Get-ServiceSddl -Name $service.Name
        # @(): one recorded ACE is still a list.
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)
    }
    $module.Result.token = $module.Result.sddl

    if ($module.Params.mode -eq 'read') {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
        $module.ExitJson()
    }

    if (-not $service) {
        $module.Result.error = 'not_found'
        $module.FailJson("Service '$name' was not found.")
    }
    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.sddl -What "The security descriptor of service '$name'"

    # An identical descriptor is not written again: nothing would change but the write itself.
    $changed = $module.Params.sddl -cne $module.Result.sddl
    if (-not $module.CheckMode) {
        # Write-ahead: the ACEs about to be added are recorded first and the removed ones forgotten last.
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Add $module.Params.record_add -Module $module
    }
    if ($changed -and -not $module.CheckMode) {
        $run = Invoke-ScExe -Arguments 'sdset', $service.Name, $module.Params.sddl
        if ($run.exit_code -eq 5) {
            $module.Result.error = 'access_denied'
            $module.FailJson("Access is denied writing the security descriptor of service '$name'.")
        }
        if ($run.exit_code -ne 0) {
            $module.Result.error = 'invalid_state'
            $module.FailJson("sc.exe sdset $name failed ($($run.exit_code)): $((@($run.stdout) + $run.stderr) -join ' ')")
        }
        $module.Result.sddl = Get-ServiceSddl -Name $service.Name
    }
    if (-not $module.CheckMode) {
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Remove $module.Params.record_remove -Module $module
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)
    }
    $module.Result.changed = $changed
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamServiceAclSpec, Invoke-IpamServiceAcl
