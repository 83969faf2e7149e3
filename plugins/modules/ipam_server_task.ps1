#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer

# Remote half of ipam.provisioning.ipam_server_task. It reports IPAM's scheduled tasks under
# \Microsoft\Windows\IPAM\ and starts exactly the ones its action plugin planned.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        names = @{ type = 'list'; elements = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        start = @{ type = 'list'; elements = 'str'; default = @() }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
# The tasks exist only where IPAM is installed and provisioned; the module says so when it is not.
Import-IpamServerModule -Module $module
$taskPath = '\Microsoft\Windows\IPAM\'

Function Get-TaskToken {
    <#
    .SYNOPSIS
    '<name>=enabled|disabled|missing' per task, sorted and joined (running or not does not matter to a start).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyCollection()]
        [object[]]
        $Tasks = @()
    )
    $entries = foreach ($task in $Tasks) {
        $value = 'missing'
        if ($task.exists) {
            $value = if ($task.enabled) { 'enabled' } else { 'disabled' }
        }
        '{0}={1}' -f $task.name, $value
    }
    Join-IpamToken -Entry ([string[]]@($entries))
}

$names = [string[]]@($module.Params.names)
$module.Result.host = Get-IpamHostInfo
$tasks = Get-IpamTaskState -Module $module -Name $names
$module.Result.tasks = $tasks
$module.Result.token = Get-TaskToken -Tasks $tasks

if ($module.Params.mode -eq 'read') {
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The IPAM scheduled tasks $($names -join ', ')"

if (-not $module.CheckMode) {
    foreach ($taskName in $module.Params.start) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Start-ScheduledTask $taskPath$taskName" -Action {
            Start-ScheduledTask -TaskPath $taskPath -TaskName $taskName -ErrorAction Stop
        }
    }
    $tasks = Get-IpamTaskState -Module $module -Name $names
    $module.Result.tasks = $tasks
    $module.Result.token = Get-TaskToken -Tasks $tasks
}
$module.Result.changed = $true
$module.ExitJson()
