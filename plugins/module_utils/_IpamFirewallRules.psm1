# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.firewall_rules, shared by its module (plugins/modules/firewall_rules.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.firewall_rules. It reports predefined rules by their invariant
# Name (never DisplayName, which is localized) and the record of the Names this collection enabled,
# and enables/disables exactly the rules its action plugin planned. No other rule property is touched.
# Rules are read from the effective policy (the ActiveStore, where a rule Group Policy delivers
# replaces the local rule of the same Name) and changed in the local persistent store only.

#AnsibleRequires -PowerShell ._IpamAccess

Function Get-IpamFirewallRulesSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of firewall_rules.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            names = @{ type = 'list'; elements = 'str'; required = $true }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            enable = @{ type = 'list'; elements = 'str'; default = @() }
            disable = @{ type = 'list'; elements = 'str'; default = @() }
            record_add = @{ type = 'list'; elements = 'str'; default = @() }
            record_remove = @{ type = 'list'; elements = 'str'; default = @() }
        }
        required_if = @(
            , @('mode', 'apply', @('token'))
        )
        supports_check_mode = $true
    }
    $spec
}

Function Get-RuleState {
    <#
    .SYNOPSIS
    One entry per requested Name: {name, exists, enabled, display_name, group, display_group, source}.
    .DESCRIPTION
    From the ActiveStore: enabled is whether the rule is in force, and source its
    PolicyStoreSourceType ('Local', or 'GroupPolicy' when a GPO delivers it). The default store of
    Get-NetFirewallRule, the PersistentStore, would report a rule Group Policy enables as disabled.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[Hashtable]])]
    param (
        [Parameter(Mandatory = $true)]
        [string[]]
        $Name
    )
    $rules = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($ruleName in $Name) {
        $entry = @{
            name = $ruleName; exists = $false; enabled = $false; display_name = $null; group = $null; display_group = $null; source = $null
        }
        # One Name at a time: a missing rule must be reported, not end the lookup of the others.
        # -TracePolicyStore: MSFT_NetFirewallRule documents PolicyStoreSourceType as set for ActiveStore
        # reads with the trace option.
        # Only "not found" means missing: an access denied or a failed WMI provider is an error.
        # @() first: the lookup ends before Select-Object takes the first rule.
        $rule = @(Invoke-IpamCmdlet -Lookup -Module $module -Description "Get-NetFirewallRule -Name $ruleName -PolicyStore ActiveStore" -Action {
                Get-NetFirewallRule -Name $ruleName -PolicyStore ActiveStore -TracePolicyStore -ErrorAction Stop
            }) | Select-Object -First 1
        if ($rule) {
            $entry.name = $rule.Name
            $entry.exists = $true
            # Enabled is the NetSecurity.Enabled enum (True = 1, False = 2), not a [bool].
            $entry.enabled = [string]$rule.Enabled -eq 'True'
            $entry.display_name = $rule.DisplayName
            $entry.group = $rule.Group
            $entry.display_group = $rule.DisplayGroup
            $entry.source = [string]$rule.PolicyStoreSourceType
        }
        $rules.Add($entry)
    }
    , $rules
}

Function Get-RuleToken {
    <#
    .SYNOPSIS
    Compare-and-swap token: '<name>=<1|0|missing>' per rule and the record, each sorted ordinally.
    The simulator computes the same string.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyCollection()]
        [object[]]
        $Rules = @(),

        [AllowEmptyCollection()]
        [string[]]
        $Recorded = @()
    )
    $ruleText = [string[]]@(
        foreach ($rule in $Rules) {
            $value = 'missing'
            if ($rule.exists) {
                $value = if ($rule.enabled) { '1' } else { '0' }
            }
            '{0}={1}' -f $rule.name, $value
        }
    )
    $recordText = [string[]]@($Recorded)
    [System.Array]::Sort($ruleText, [System.StringComparer]::Ordinal)
    [System.Array]::Sort($recordText, [System.StringComparer]::Ordinal)
    '{0}#{1}' -f ($ruleText -join ';'), ($recordText -join ';')
}

Function Get-NewRecord {
    <#
    .SYNOPSIS
    The record with record_add added and, when asked, record_remove taken out (rule Names compare without case).
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param (
        [switch]
        $WithoutRemoved
    )
    $newRecord = [System.Collections.Generic.List[string]]@()
    foreach ($entry in $recorded) {
        # -contains compares case-insensitively, as Windows compares rule Names.
        $removed = $WithoutRemoved -and ($module.Params.record_remove -contains $entry)
        if ($entry -and -not $removed -and -not ($newRecord -contains $entry)) {
            $newRecord.Add($entry)
        }
    }
    foreach ($entry in $module.Params.record_add) {
        if (-not ($newRecord -contains $entry)) {
            $newRecord.Add($entry)
        }
    }
    , $newRecord.ToArray()
}

Function Invoke-IpamFirewallRules {
    <#
    .SYNOPSIS
    Runs firewall_rules for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $recordName = 'FirewallRulesEnabled'

    $names = [string[]]@($module.Params.names)
    $module.Result.host = Get-IpamHostInfo
    $rules = Get-RuleState -Name $names
    # @(): no entry is an empty list, not $null (Get-IpamRecord writes nothing for an empty record).
    [string[]]$recorded = @(Get-IpamRecord -Name $recordName)
    $module.Result.rules = $rules
    $module.Result.recorded = $recorded
    $module.Result.token = Get-RuleToken -Rules $rules -Recorded $recorded

    if ($module.Params.mode -eq 'read') {
        $module.ExitJson()
    }

    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The firewall rules $($names -join ', ')"

    $enable = [string[]]@($module.Params.enable)
    $disable = [string[]]@($module.Params.disable)

    # Write-ahead: what we are about to enable is recorded before the rules change, and a rule is taken out
    # of the record only after it is disabled. A run that stops in between leaves a record that names more
    # than is enabled, which the next run finishes (provision enables, deprovision forgets a disabled one),
    # never an enabled rule that no record names.
    if (-not $module.CheckMode) {
        if ($module.Params.record_add.Count -gt 0) {
            Set-IpamRecord -Name $recordName -Value (Get-NewRecord) -Module $module
        }
        if ($enable.Count -gt 0) {
            $null = Invoke-IpamCmdlet -Module $module -Description "Enable-NetFirewallRule -Name $($enable -join ', ')" -Action {
                Enable-NetFirewallRule -Name $enable -PolicyStore PersistentStore -ErrorAction Stop
            }
        }
        if ($disable.Count -gt 0) {
            $null = Invoke-IpamCmdlet -Module $module -Description "Disable-NetFirewallRule -Name $($disable -join ', ')" -Action {
                Disable-NetFirewallRule -Name $disable -PolicyStore PersistentStore -ErrorAction Stop
            }
        }
        if ($module.Params.record_remove.Count -gt 0) {
            Set-IpamRecord -Name $recordName -Value (Get-NewRecord -WithoutRemoved) -Module $module
        }
    }

    if (-not $module.CheckMode) {
        $rules = Get-RuleState -Name $names
        [string[]]$recorded = @(Get-IpamRecord -Name $recordName)
        $module.Result.rules = $rules
        $module.Result.recorded = $recorded
        $module.Result.token = Get-RuleToken -Rules $rules -Recorded $recorded
    }
    $module.Result.changed = $true
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamFirewallRulesSpec, Invoke-IpamFirewallRules
