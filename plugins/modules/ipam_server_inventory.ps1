#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer

# Remote half of ipam.provisioning.ipam_server_inventory. It reports the requested servers of the
# IPAM server inventory and adds, sets or removes exactly the entries its action plugin planned.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        names = @{ type = 'list'; elements = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        add = @{
            type = 'list'; elements = 'dict'; default = @()
            options = @{
                name = @{ type = 'str'; required = $true }
                server_types = @{ type = 'list'; elements = 'str' }
                manageability = @{ type = 'str' }
            }
        }
        set = @{
            type = 'list'; elements = 'dict'; default = @()
            options = @{
                name = @{ type = 'str'; required = $true }
                server_types = @{ type = 'list'; elements = 'str' }
                manageability = @{ type = 'str' }
            }
        }
        remove = @{ type = 'list'; elements = 'str'; default = @() }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Import-IpamServerModule -Module $module

Function Read-ServerInventory {
    <#
    .SYNOPSIS
    Sets servers and token in the result: one entry per requested name, from one Get-IpamServerInventory.
    #>
    [CmdletBinding()]
    param ()
    $inventory = Invoke-IpamCmdlet -Module $module -Description 'Get-IpamServerInventory' -Action {
        Get-IpamServerInventory -ErrorAction Stop
    }
    $byName = @{}
    foreach ($server in @($inventory)) {
        if ($null -ne $server) {
            $state = ConvertTo-IpamServerState -Server $server
            $byName[$state.name.ToLowerInvariant()] = $state
        }
    }
    $servers = [System.Collections.Generic.List[Hashtable]]@()
    $tokenEntries = [System.Collections.Generic.List[string]]@()
    foreach ($requested in $module.Params.names) {
        $key = $requested.TrimEnd('.').ToLowerInvariant()
        if ($byName.ContainsKey($key)) {
            $state = $byName[$key]
            $types = [string[]]@($state.server_types)
            [System.Array]::Sort($types, [System.StringComparer]::Ordinal)
            $tokenEntries.Add(('{0}={1}/{2}' -f $key, ($types -join ','), $state.manageability))
            $servers.Add($state)
        }
        else {
            $tokenEntries.Add(('{0}=absent' -f $key))
            $servers.Add(@{ name = $requested; exists = $false })
        }
    }
    $module.Result.servers = $servers
    $module.Result.token = Join-IpamToken -Entry $tokenEntries.ToArray()
}

$module.Result.host = Get-IpamHostInfo
Read-ServerInventory

if ($module.Params.mode -eq 'read') {
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The IPAM server inventory entries of $($module.Params.names -join ', ')"

if (-not $module.CheckMode) {
    foreach ($entry in $module.Params.add) {
        # Without types the cmdlet's mandatory ServerType gets $null and says so ([string[]]@($null)
        # would pass one empty string, which fails as an unknown ServerRole name).
        $serverTypes = $null
        if ($null -ne $entry.server_types) {
            $serverTypes = [string[]]@($entry.server_types)
        }
        $addParams = @{ Name = $entry.name; ServerType = $serverTypes }
        if ($entry.manageability) {
            $addParams.ManageabilityStatus = $entry.manageability
        }
        $null = Invoke-IpamCmdlet -Module $module -Description "Add-IpamServerInventory -Name $($entry.name)" -Action {
            Add-IpamServerInventory @addParams -ErrorAction Stop
        }
    }
    foreach ($entry in $module.Params.set) {
        $setParams = @{ Name = $entry.name }
        if ($null -ne $entry.server_types) {
            $setParams.ServerType = [string[]]@($entry.server_types)
        }
        if ($entry.manageability) {
            $setParams.ManageabilityStatus = $entry.manageability
        }
        $null = Invoke-IpamCmdlet -Module $module -Description "Set-IpamServerInventory -Name $($entry.name)" -Action {
            Set-IpamServerInventory @setParams -Force -Confirm:$false -ErrorAction Stop
        }
    }
    foreach ($serverName in $module.Params.remove) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Remove-IpamServerInventory -Name $serverName" -Action {
            Remove-IpamServerInventory -Name $serverName -Force -Confirm:$false -ErrorAction Stop
        }
    }
    Read-ServerInventory
}
$module.Result.changed = $true
$module.ExitJson()
