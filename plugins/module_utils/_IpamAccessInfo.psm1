# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.access_info, shared by its module (plugins/modules/access_info.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.access_info. Read only: it reports the host facts IPAM cares
# about (domain role, installed roles, services, DHCP audit folder), resolves the principals it is
# given, and changes nothing. Which server types that makes, whether the principals may be granted,
# and the audit of each access setting, are decided by the action plugin and the roles.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamWindows

Function Get-IpamAccessInfoSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of access_info.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = @('read') }
            principals = @{ type = 'list'; elements = 'str' }
        }
        supports_check_mode = $true
    }
    $spec
}

Function Get-LdapPath {
    <#
    .SYNOPSIS
    The ADsPath of a DN on a server; a '/' inside the DN is escaped as '\/'.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Server,

        [Parameter(Mandatory = $true)]
        [string]
        $DistinguishedName
    )
    'LDAP://{0}/{1}' -f $Server, $DistinguishedName.Replace('/', '\/')
}

Function Get-DomainInfo {
    <#
    .SYNOPSIS
    The computer's AD domain: DNS name, NetBIOS name and DN, or $null in a workgroup.
    .DESCRIPTION
    The DNS name comes from Win32_ComputerSystem and needs no domain controller. The NetBIOS name
    and the DN are read from the domain's crossRef object; without a reachable DC the NetBIOS name
    is $null and the DN is built from the DNS name (the domain naming context is named after it).
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $ComputerSystem
    )
    if (-not $ComputerSystem.PartOfDomain) {
        return $null
    }
    $dnsName = [string]$ComputerSystem.Domain
    $distinguishedName = ($dnsName.Split('.') | ForEach-Object { 'DC={0}' -f $_ }) -join ','
    $netbiosName = $null
    try {
        $rootDse = 'LDAP://{0}/RootDSE' -f $dnsName
        $namingContext = Get-IpamDirectoryAttribute -Path $rootDse -Name defaultNamingContext
        $configuration = Get-IpamDirectoryAttribute -Path $rootDse -Name configurationNamingContext
        if ($namingContext) {
            $distinguishedName = $namingContext
        }
        $partitions = Get-LdapPath -Server $dnsName -DistinguishedName ('CN=Partitions,{0}' -f $configuration)
        # The DN is a value inside the filter: escaped (RFC 4515), so that a '\', '*', '(' or ')' in it
        # matches itself instead of changing or breaking the filter.
        $filter = '(&(objectClass=crossRef)(nCName={0}))' -f (ConvertTo-IpamLdapFilterValue -Value $distinguishedName)
        $found = @(Find-IpamDirectoryValue -Path $partitions -Filter $filter -Property nETBIOSName)
        if ($found.Count -gt 0) {
            $netbiosName = $found[0]
        }
    }
    catch {
        $netbiosName = $null  # no DC reachable: the names Windows knows locally are still reported
    }
    @{ dns_name = $dnsName; netbios_name = $netbiosName; distinguished_name = $distinguishedName }
}

Function Get-DomainControllerName {
    <#
    .SYNOPSIS
    DNS host names of the domain's controllers (writable and read-only), read on a domain controller.
    .DESCRIPTION
    Asked of this DC's own directory (LDAP to itself), which a WinRM session can reach without
    delegating credentials; another DC would be a second hop. Writable DCs have primaryGroupID 516
    (Domain Controllers), read-only ones 521. Returns @{ names; self; error }: self is this DC's
    DNS host name as listed there; names $null when the directory could not be read, so the
    controller never mistakes "unknown" for "no other DC".
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $DistinguishedName
    )
    try {
        $selfName = (Get-IpamHostEntryName).ToLowerInvariant()
        $root = Get-LdapPath -Server $selfName -DistinguishedName $DistinguishedName
        $filter = '(&(objectCategory=computer)(|(primaryGroupID=516)(primaryGroupID=521)))'
        $found = @(Find-IpamDirectoryValue -Path $root -Filter $filter -Property dNSHostName)
        $names = [string[]]@($found | ForEach-Object { $_.ToLowerInvariant() } | Sort-Object -Unique)
        @{ names = $names; self = $selfName; error = $null }
    }
    catch {
        @{ names = $null; self = $null; error = Get-IpamAdsiErrorText -Exception $_.Exception }
    }
}

Function Get-InstalledRole {
    <#
    .SYNOPSIS
    Which of the given Windows features are installed (Get-WindowsFeature, Windows Server only).
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param (
        [Parameter(Mandatory = $true)]
        [string[]]
        $Name
    )
    if (-not (Get-Command -Name Get-WindowsFeature -ErrorAction SilentlyContinue)) {
        $module.Result.error = 'invalid_state'
        $module.FailJson('Get-WindowsFeature (module ServerManager) is not available on this host; access_info supports Windows Server only.')
    }
    $installed = @(Get-WindowsFeature -Name $Name | Where-Object { $_.Installed } | ForEach-Object { [string]$_.Name })
    # Report in the order asked for, so results do not depend on the cmdlet's ordering.
    , [string[]]@($Name | Where-Object { $installed -contains $_ })
}

Function Get-ServiceState {
    <#
    .SYNOPSIS
    {exists, status} of each service short name.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string[]]
        $Name
    )
    $states = @{}
    foreach ($serviceName in $Name) {
        # Get-Service -Name also matches display names; keep only the service of that short name.
        $service = Get-Service -Name $serviceName -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq $serviceName }
        $status = $null
        if ($service) {
            $status = $service.Status.ToString()
        }
        $states[$serviceName] = @{ exists = $null -ne $service; status = $status }
    }
    $states
}

Function Get-DhcpAuditPath {
    <#
    .SYNOPSIS
    The DHCP audit log folder (DhcpLogFilePath) and whether it exists.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    # As Get-ItemProperty reads it: a REG_EXPAND_SZ expanded; $null when the key or the value is missing,
    # or when the key may not be read (the fact is then unknown, as -ErrorAction SilentlyContinue made it).
    $value = $null
    try {
        if (Test-IpamRegistryKey -Path $dhcpParametersKey) {
            $raw = Get-IpamRegistryValue -Path $dhcpParametersKey -Name $dhcpLogPathValue
            if ($null -ne $raw) {
                $value = [string]$raw
                if ((Get-IpamRegistryValueKind -Path $dhcpParametersKey -Name $dhcpLogPathValue) -eq 'ExpandString') {
                    $value = [System.Environment]::ExpandEnvironmentVariables($value)
                }
            }
        }
    }
    catch [System.Security.SecurityException], [System.UnauthorizedAccessException] {
        $value = $null
    }
    $exists = $false
    if ($value) {
        $exists = Test-IpamFolder -Path $value
    }
    @{ value = $value; exists = $exists }
}

Function Invoke-IpamAccessInfo {
    <#
    .SYNOPSIS
    Runs access_info for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    # Install-WindowsFeature names of the roles IPAM manages (NPAS = Network Policy and Access Services).
    $featureNames = @('DHCP', 'DNS', 'NPAS', 'AD-Domain-Services', 'IPAM')
    # Service short names: DHCP Server, DNS Server, Network Policy Server.
    $serviceNames = @('DHCPServer', 'DNS', 'IAS')
    $dhcpParametersKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\DHCPServer\Parameters'
    $dhcpLogPathValue = 'DhcpLogFilePath'

    $computerSystem = Get-CimInstance -ClassName Win32_ComputerSystem -Property Domain, PartOfDomain
    $operatingSystem = Get-CimInstance -ClassName Win32_OperatingSystem -Property Caption, Version

    $module.Result.host = Get-IpamHostInfo
    $module.Result.domain = Get-DomainInfo -ComputerSystem $computerSystem
    # Only a DC can list the domain's controllers without a second hop (see Get-DomainControllerName).
    # DomainRole 4 and 5 are the backup and primary domain controller.
    if ($null -ne $module.Result.domain -and $module.Result.host.domain_role -ge 4) {
        $controllers = Get-DomainControllerName -DistinguishedName $module.Result.domain.distinguished_name
        $module.Result.domain.controllers = $controllers.names
        $module.Result.domain.this_controller = $controllers.self
        $module.Result.domain.controllers_error = $controllers.error
    }
    $module.Result.os = @{
        caption = [string]$operatingSystem.Caption
        version = [string]$operatingSystem.Version
        # The language Windows was installed in: it decides the localized group and rule display names.
        ui_language = Get-IpamInstalledUICulture
    }
    $installedRoles = Get-InstalledRole -Name $featureNames
    $module.Result.installed_roles = $installedRoles
    $module.Result.services = Get-ServiceState -Name $serviceNames
    $module.Result.dhcp_audit_path = $null
    if ($installedRoles -contains 'DHCP') {
        $module.Result.dhcp_audit_path = Get-DhcpAuditPath
    }
    # The roles resolve the principals here, before their first write, so that one that does not resolve
    # or turns out broad (a localized name of Everyone) refuses the host instead of failing setting by setting.
    if ($module.Params.principals) {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
    }
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamAccessInfoSpec, Invoke-IpamAccessInfo
