#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer

# Remote half of ipam.provisioning.ipam_utilization_threshold. It reports IPAM's address utilization
# thresholds and sets the values its action plugin planned.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        under_utilization = @{ type = 'int' }
        over_utilization = @{ type = 'int' }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Import-IpamServerModule -Module $module

Function Read-Threshold {
    <#
    .SYNOPSIS
    Sets under_utilization, over_utilization and token ('<under>/<over>') in the result.
    #>
    [CmdletBinding()]
    param ()
    # Indexing, not Select-Object -First: its early stop would reach the try/catch in Invoke-IpamCmdlet.
    $threshold = @(Invoke-IpamCmdlet -Module $module -Description 'Get-IpamAddressUtilizationThreshold' -Action {
            Get-IpamAddressUtilizationThreshold -ErrorAction Stop
        })[0]
    $module.Result.under_utilization = [int](Get-IpamObjectValue -InputObject $threshold -Name 'UnderUtilizationThreshold')
    $module.Result.over_utilization = [int](Get-IpamObjectValue -InputObject $threshold -Name 'OverUtilizationThreshold')
    $module.Result.token = '{0}/{1}' -f $module.Result.under_utilization, $module.Result.over_utilization
}

$module.Result.host = Get-IpamHostInfo
Read-Threshold

if ($module.Params.mode -eq 'read') {
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What 'The IPAM address utilization thresholds'

$setParams = @{}
if ($null -ne $module.Params.under_utilization) {
    $setParams.UnderUtilizationThreshold = [uint32]$module.Params.under_utilization
}
if ($null -ne $module.Params.over_utilization) {
    $setParams.OverUtilizationThreshold = [uint32]$module.Params.over_utilization
}
if (-not $module.CheckMode -and $setParams.Count -gt 0) {
    $null = Invoke-IpamCmdlet -Module $module -Description 'Set-IpamAddressUtilizationThreshold' -Action {
        Set-IpamAddressUtilizationThreshold @setParams -ErrorAction Stop
    }
    Read-Threshold
}
$module.Result.changed = $true
$module.ExitJson()
