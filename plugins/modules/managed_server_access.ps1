#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamBatch
#AnsibleRequires -PowerShell ..module_utils._IpamAccessInfo
#AnsibleRequires -PowerShell ..module_utils._IpamGroupMembership
#AnsibleRequires -PowerShell ..module_utils._IpamDhcpUsersMembership
#AnsibleRequires -PowerShell ..module_utils._IpamServiceAcl
#AnsibleRequires -PowerShell ..module_utils._IpamDhcpauditShare
#AnsibleRequires -PowerShell ..module_utils._IpamFirewallRules
#AnsibleRequires -PowerShell ..module_utils._IpamEventlogCustomsd
#AnsibleRequires -PowerShell ..module_utils._IpamDnsDomainAcl

# Remote half of ipam.provisioning.managed_server_access: one round trip runs several calls of this
# collection's access modules, in order, each exactly as that module would run alone, and returns
# one reply per call. A read batch runs only reads. It decides nothing: the action plugin plans.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        calls = @{ type = 'list'; elements = 'dict'; required = $true }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

# The modules a batch can call, by name: the suffix of their functions in module_utils/_Ipam<Name>.psm1.
$callable = @{
    access_info = 'AccessInfo'
    group_membership = 'GroupMembership'
    dhcp_users_membership = 'DhcpUsersMembership'
    service_acl = 'ServiceAcl'
    dhcpaudit_share = 'DhcpauditShare'
    firewall_rules = 'FirewallRules'
    eventlog_customsd = 'EventlogCustomsd'
    dns_domain_acl = 'DnsDomainAcl'
}

# Every call is checked before the first one runs, so a malformed batch changes nothing.
$index = 0
foreach ($call in $module.Params.calls) {
    $name = [string]$call.module
    if (-not $callable.ContainsKey($name)) {
        $module.FailJson("Call $index names module '$name', which a batch cannot run; it can run $(($callable.Keys | Sort-Object) -join ', ').")
    }
    if ($call.options -isnot [System.Collections.IDictionary]) {
        $module.FailJson("Call $index ($name) has no options dictionary.")
    }
    if ([string]$call.options.mode -ne $module.Params.mode) {
        $module.FailJson("Call $index ($name) has mode '$($call.options.mode)' in a $($module.Params.mode) batch; every call of a batch has the batch's mode.")
    }
    $index++
}

$replies = [System.Collections.Generic.List[object]]::new()
foreach ($call in $module.Params.calls) {
    $suffix = $callable[[string]$call.module]
    $replies.Add((Invoke-IpamModuleCall -Parent $module -Spec (& "Get-Ipam$($suffix)Spec") -Command "Invoke-Ipam$suffix" -Options $call.options))
}
$module.Result.replies = $replies
$module.Result.changed = @($replies | Where-Object { $_['changed'] -eq $true }).Count -gt 0
$module.ExitJson()
