#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer
#AnsibleRequires -PowerShell ..module_utils._IpamWindows

# Remote half of ipam.provisioning.ipam_discovery_domain. It reports one IPAM discovery domain and
# whether AD knows that domain, and adds, sets or removes it exactly as its action plugin planned.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        name = @{ type = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        change = @{ type = 'str'; choices = 'add', 'set', 'remove' }
        discover_dc = @{ type = 'bool' }
        discover_dns = @{ type = 'bool' }
        discover_dhcp = @{ type = 'bool' }
    }
    required_if = @(
        , @('mode', 'apply', @('token', 'change'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Import-IpamServerModule -Module $module
$name = $module.Params.name

Function Get-DiscoveryDomainState {
    <#
    .SYNOPSIS
    Every configured discovery domain as {name, discover_dc, discover_dns, discover_dhcp}.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[Hashtable]])]
    param ()
    $domains = [System.Collections.Generic.List[Hashtable]]@()
    $found = Invoke-IpamCmdlet -Module $module -Description 'Get-IpamDiscoveryDomain' -Action {
        Get-IpamDiscoveryDomain -ErrorAction Stop
    }
    foreach ($entry in @($found)) {
        if ($null -eq $entry) {
            continue
        }
        $domains.Add(@{
                name = [string](Get-IpamObjectValue -InputObject $entry -Name 'DomainName', 'Name')
                discover_dc = [bool](Get-IpamObjectValue -InputObject $entry -Name 'DiscoverDc')
                discover_dns = [bool](Get-IpamObjectValue -InputObject $entry -Name 'DiscoverDns')
                discover_dhcp = [bool](Get-IpamObjectValue -InputObject $entry -Name 'DiscoverDhcp')
            })
    }
    , $domains
}

Function Get-DomainToken {
    <#
    .SYNOPSIS
    '<name lowercased>|<dc>|<dns>|<dhcp>' (1/0) or 'absent'; the simulator builds the same string.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowNull()]
        [Hashtable]
        $Domain
    )
    if ($null -eq $Domain) {
        return 'absent'
    }
    $switches = foreach ($key in 'discover_dc', 'discover_dns', 'discover_dhcp') {
        if ($Domain[$key]) { '1' } else { '0' }
    }
    '{0}|{1}' -f $Domain.name.ToLowerInvariant(), ($switches -join '|')
}

Function Read-DiscoveryDomain {
    <#
    .SYNOPSIS
    Sets domain, domains and token in the result from a fresh Get-IpamDiscoveryDomain.
    #>
    [CmdletBinding()]
    param ()
    $all = Get-DiscoveryDomainState
    $wanted = $name.TrimEnd('.')
    $domain = $null
    foreach ($entry in $all) {
        # -eq on strings ignores case, as domain names do.
        if ($entry.name.TrimEnd('.') -eq $wanted) {
            $domain = $entry
        }
    }
    $module.Result.domain = $domain
    $module.Result.domains = [string[]]@($all | ForEach-Object { $_.name })
    $module.Result.token = Get-DomainToken -Domain $domain
}

Function Test-AdDomain {
    <#
    .SYNOPSIS
    Whether AD can be contacted for this domain name: {name, reachable, error}.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $DomainName
    )
    try {
        $null = Get-IpamDomainDnsName -Name $DomainName
        @{ name = $DomainName; reachable = $true; error = $null }
    }
    catch {
        # Domain.GetDomain's ActiveDirectoryObjectNotFoundException arrives wrapped in the
        # MethodInvocationException of a .NET call ('Exception calling "GetDomain" ...'): report AD's text.
        $exception = $_.Exception
        if ($exception -is [System.Management.Automation.MethodInvocationException] -and $exception.InnerException) {
            $exception = $exception.InnerException
        }
        @{ name = $DomainName; reachable = $false; error = $exception.Message }
    }
}

$module.Result.host = Get-IpamHostInfo
Read-DiscoveryDomain

if ($module.Params.mode -eq 'read') {
    $computer = Get-CimInstance -ClassName Win32_ComputerSystem -Property Domain, PartOfDomain
    $module.Result.computer_domain = if ($computer.PartOfDomain) { $computer.Domain } else { $null }
    $module.Result.ad_domain = Test-AdDomain -DomainName $name
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The IPAM discovery domain '$name'"

$switchParams = @{}
foreach ($option in @(
        @{ key = 'discover_dc'; parameter = 'DiscoverDc' },
        @{ key = 'discover_dns'; parameter = 'DiscoverDns' },
        @{ key = 'discover_dhcp'; parameter = 'DiscoverDhcp' }
    )) {
    if ($null -ne $module.Params[$option.key]) {
        $switchParams[$option.parameter] = [bool]$module.Params[$option.key]
    }
}
$target = if ($module.Result.domain) { $module.Result.domain.name } else { $name }

if (-not $module.CheckMode) {
    switch ($module.Params.change) {
        'add' {
            $null = Invoke-IpamCmdlet -Module $module -Description "Add-IpamDiscoveryDomain -Name $name" -Action {
                Add-IpamDiscoveryDomain -Name $name @switchParams -ErrorAction Stop
            }
        }
        'set' {
            $null = Invoke-IpamCmdlet -Module $module -Description "Set-IpamDiscoveryDomain -Name $target" -Action {
                Set-IpamDiscoveryDomain -Name $target @switchParams -ErrorAction Stop
            }
        }
        'remove' {
            $null = Invoke-IpamCmdlet -Module $module -Description "Remove-IpamDiscoveryDomain -Name $target" -Action {
                Remove-IpamDiscoveryDomain -Name $target -Force -Confirm:$false -ErrorAction Stop
            }
        }
    }
    Read-DiscoveryDomain
}
$module.Result.changed = $true
$module.ExitJson()
