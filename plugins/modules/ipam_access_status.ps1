#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer

# Remote half of ipam.provisioning.ipam_access_status. Read only: one Get-IpamServerInventory of every
# server with its manageability and access statuses, and the state of the ServerDiscovery task that
# refreshes them. Waiting for the refresh and judging the statuses happen in the action plugin.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = @('read') }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Import-IpamServerModule -Module $module

$inventory = Invoke-IpamCmdlet -Module $module -Description 'Get-IpamServerInventory' -Action {
    Get-IpamServerInventory -ErrorAction Stop
}
$servers = [System.Collections.Generic.List[Hashtable]]@()
foreach ($server in @($inventory)) {
    if ($null -eq $server) {
        continue
    }
    $servers.Add((ConvertTo-IpamServerState -Server $server))
}

$discovery = (Get-IpamTaskState -Module $module -Name 'ServerDiscovery')[0]

$module.Result.host = Get-IpamHostInfo
$module.Result.servers = $servers
$module.Result.discovery_task = $discovery
$module.ExitJson()
