# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake IpamServer module (tests only, pwsh 7): the IPAM server cmdlets the modules call, answered from
# the simulated host through winsim.winapi. Shared by the engineers of the IPAM server modules: add a
# cmdlet with a small edit, each citing its learn.microsoft.com page.

# The module exists only where the IPAM Server feature is installed: importing it elsewhere fails as
# Import-Module does for a module that is not there (windows-api.md 12).
if (-not (Invoke-WinSimApi -Operation 'IpamGpo.FeatureInstalled')) {
    throw [System.IO.FileNotFoundException]::new("The specified module 'IpamServer' was not loaded because no valid module file was found in any module directory.")
}

Function Get-IpamConfiguration {
    <#
    .SYNOPSIS
    The IPAM server's configuration: Version, Port, ProvisioningMethod, GpoPrefix (CDXML over
    MSFT_IPAM_Configuration; [unconfirmed] the CIM class name in the type name).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamconfiguration
    #>
    [CmdletBinding()]
    param (
        # CimSession[] in the real CDXML cmdlet; the session is this host here.
        [object[]]
        $CimSession
    )
    $values = Invoke-WinSimApi -Operation 'IpamGpo.Configuration'
    $configuration = [PSCustomObject]$values
    $configuration.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/ipam/MSFT_IPAM_Configuration')
    $configuration
}

Function Invoke-IpamGpoProvisioning {
    <#
    .SYNOPSIS
    Creates the three IPAM provisioning GPOs <prefix>_DHCP, _DNS and _DC_NPS in a domain (winapi/gpo.py
    IpamGpo.InvokeProvisioning). A script function in the real module (IpamGpo.psm1); -Force skips its
    confirmation, which a WinRM host could not answer. Output only with -PassThru (the GPOs).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/invoke-ipamgpoprovisioning
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0)]
        [string]
        $Domain,

        [Parameter(Mandatory = $true, Position = 1)]
        [string]
        $GpoPrefixName,

        [Parameter(Position = 2)]
        [string]
        $IpamServerFqdn,

        [string[]]
        $DelegatedGpoUser,

        [string[]]
        $DelegatedGpoGroup,

        [switch]
        $PassThru,

        [switch]
        $Force
    )
    if (-not ($Force -or $PSCmdlet.ShouldProcess($Domain, "Create the GPOs $($GpoPrefixName)_DHCP, $($GpoPrefixName)_DNS and $($GpoPrefixName)_DC_NPS"))) {
        return
    }
    $arguments = @{
        domain = $Domain
        prefix = $GpoPrefixName
        ipam_server_fqdn = $IpamServerFqdn
        users = @($DelegatedGpoUser | Where-Object { $_ })
        groups = @($DelegatedGpoGroup | Where-Object { $_ })
    }
    try {
        $null = Invoke-WinSimApi -Operation 'IpamGpo.InvokeProvisioning' -Arguments $arguments
    }
    catch {
        # A script function: its failures are terminating errors (Write-Error -ErrorAction Stop / throw).
        $kind = Get-WinSimErrorKind -ErrorRecord $_
        if ($kind -eq 'access_denied') {
            $exception = [System.UnauthorizedAccessException]::new($_.Exception.Message)
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'AccessDenied,Invoke-IpamGpoProvisioning',
                    [System.Management.Automation.ErrorCategory]::PermissionDenied, $Domain))
        }
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($_.Exception.Message),
                'InvokeIpamGpoProvisioning,Invoke-IpamGpoProvisioning', [System.Management.Automation.ErrorCategory]::InvalidOperation, $Domain))
    }
    if ($PassThru) {
        foreach ($suffix in 'DHCP', 'DNS', 'DC_NPS') {
            Get-GPO -Name ('{0}_{1}' -f $GpoPrefixName, $suffix) -Domain $Domain
        }
    }
}

# --- Import-Module IpamServer, and the IPAM server inventory, discovery domains, custom fields and
# address utilization thresholds (winapi/ipam.py, over the IPAM model of winsim/ipam_server.py).
# The cmdlets are CDXML over Root\Microsoft\IPAM: their failures are non-terminating CimException
# records (windows-api.md 1.4); IPAM's own message ids are not published, so the error ids follow
# the cmdletization rule for a CIM error without one (MiClientApiError_<NativeErrorCode>), and access
# denied is 'Windows System Error 5'. Only the parameters the collection passes are declared.

# The ServerRole and ManageabilityStatus enums of the cmdlets' parameters (accepted values DC, DNS,
# DHCP, NPS and Unspecified, Managed, Unmanaged; numbers as MSFT_IPAM_ServerInventory documents them,
# Unspecified = 0 unconfirmed). The real types live in a Microsoft.PowerShell.Cmdletization.GeneratedTypes
# namespace, so a binding error names them with that prefix.
# https://learn.microsoft.com/previous-versions/windows/desktop/ipamserverpsprov/msft-ipam-serverinventory
enum ServerRole {
    DC = 1
    DNS = 2
    DHCP = 3
    NPS = 4
}

enum ManageabilityStatus {
    Unspecified = 0
    Managed = 1
    Unmanaged = 2
}

Function New-IpamCimObject {
    # A CIM instance of Root\Microsoft\IPAM as the cmdlets return it: the class's properties.
    param ([System.Collections.IDictionary] $Property, [string] $ClassName)
    $instance = [PSCustomObject]$Property
    $instance.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/IPAM/$ClassName")
    $instance.PSObject.TypeNames.Insert(1, "Microsoft.Management.Infrastructure.CimInstance#$ClassName")
    $instance.PSObject.TypeNames.Insert(2, 'Microsoft.Management.Infrastructure.CimInstance')
    $instance
}

Function New-IpamCimErrorRecord {
    # The record of a failed IPAM provider call (windows-api.md 1.4: CimException; the category from
    # the native error code).
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [string] $Command, [object] $Target)
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $id, $category = switch ($kind) {
        'access_denied' { 'Windows System Error 5', 'PermissionDenied' }
        'not_found' { 'MiClientApiError_NotFound', 'ObjectNotFound' }
        'exists' { 'MiClientApiError_AlreadyExists', 'ResourceExists' }
        'invalid' { 'MiClientApiError_InvalidParameter', 'InvalidArgument' }
        default { throw $ErrorRecord }
    }
    [System.Management.Automation.ErrorRecord]::new([Microsoft.Management.Infrastructure.CimException]::new($ErrorRecord.Exception.Message),
        "$id,$Command", [System.Management.Automation.ErrorCategory]$category, $Target)
}

Function New-IpamNotFoundRecord {
    # A CDXML query that matched nothing (windows-api.md 1.4): CimJobException, non-terminating.
    param ([string] $ClassName, [string] $Property, [string] $Value, [string] $Command)
    $message = "No $ClassName objects found with property '$Property' equal to '$Value'.  Verify the value of the property and retry."
    [System.Management.Automation.ErrorRecord]::new([Microsoft.PowerShell.Cmdletization.Cim.CimJobException]::new($message),
        "CmdletizationQuery_NotFound_$Property,$Command", [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Value)
}

Function Get-IpamServerInventory {
    <#
    .SYNOPSIS
    MSFT_IPAM_ServerInventory objects: Name and ServerName (the FQDN), ServerType (ServerRole[]),
    ManageabilityStatus, the access statuses (IPAMAccessStatus, DhcpRpcAccessStatus, DnsRpcAccessStatus,
    DhcpAuditShareAccessStatus, EventLogAccessStatus), RecommendedAction, DomainName, ForestName,
    IPv4Address. [unconfirmed] How the cmdlet prints the uint16 access statuses is not documented:
    they come as the console spells them (Unblocked, Blocked, Not applicable, Not checked).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamserverinventory
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByAddressFamily')]
    param (
        [Parameter(Mandatory = $true, ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [Alias('ServerName')]
        [string]
        $Name,

        [Parameter(ParameterSetName = 'ByAddressFamily')]
        [ServerRole[]]
        $ServerType
    )
    process {
        try {
            $servers = Invoke-WinSimApi -Operation 'Ipam.GetServerInventory'
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Get-IpamServerInventory' -Target $Name))
            return
        }
        $found = $false
        foreach ($server in $servers) {
            $roles = [ServerRole[]]@($server.ServerType)
            if ($PSCmdlet.ParameterSetName -eq 'ByName' -and $server.Name -ne $Name) {
                continue
            }
            if ($ServerType -and -not ($roles | Where-Object { $ServerType -contains $_ })) {
                continue
            }
            $found = $true
            $server.ServerType = $roles
            $server.ManageabilityStatus = [ManageabilityStatus]$server.ManageabilityStatus
            if ($server.Contains('IPv4Address')) {
                $server.IPv4Address = [string[]]@($server.IPv4Address)
            }
            New-IpamCimObject -Property $server -ClassName 'MSFT_IPAM_ServerInventory'
        }
        if ($PSCmdlet.ParameterSetName -eq 'ByName' -and -not $found) {
            $PSCmdlet.WriteError((New-IpamNotFoundRecord -ClassName 'MSFT_IPAM_ServerInventory' -Property 'Name' -Value $Name -Command 'Get-IpamServerInventory'))
        }
    }
}

Function Add-IpamServerInventory {
    <#
    .SYNOPSIS
    Adds a server (by FQDN) with its types; every access status is Not checked until ServerDiscovery
    runs. No output (the real cmdlet writes the object only with -PassThru, not declared here).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamserverinventory
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('ServerName')]
        [string]
        $Name,

        [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [ServerRole[]]
        $ServerType,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [ManageabilityStatus]
        $ManageabilityStatus
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Add to the IPAM server inventory')) {
            return
        }
        $arguments = @{ name = $Name; server_types = [string[]]@($ServerType | ForEach-Object { $_.ToString() }) }
        if ($PSBoundParameters.ContainsKey('ManageabilityStatus')) {
            $arguments.manageability = $ManageabilityStatus.ToString()
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.AddServerInventory' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Add-IpamServerInventory' -Target $Name))
        }
    }
}

Function Set-IpamServerInventory {
    <#
    .SYNOPSIS
    Changes a server's types (its access status is Not checked until ServerDiscovery runs again) or
    manageability (Unmanaged purges the server's data).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamserverinventory
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('ServerName')]
        [string]
        $Name,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [ManageabilityStatus]
        $ManageabilityStatus,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [ServerRole[]]
        $ServerType,

        [switch]
        $Force
    )
    process {
        if ($Force -and -not $WhatIfPreference) {
            $ConfirmPreference = 'None'
        }
        if (-not $PSCmdlet.ShouldProcess($Name, 'Modify the IPAM server inventory entry')) {
            return
        }
        $arguments = @{ name = $Name }
        if ($PSBoundParameters.ContainsKey('ServerType')) {
            $arguments.server_types = [string[]]@($ServerType | ForEach-Object { $_.ToString() })
        }
        if ($PSBoundParameters.ContainsKey('ManageabilityStatus')) {
            $arguments.manageability = $ManageabilityStatus.ToString()
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.SetServerInventory' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Set-IpamServerInventory' -Target $Name))
        }
    }
}

Function Remove-IpamServerInventory {
    <#
    .SYNOPSIS
    Removes servers from the inventory; IPAM deletes their data. Asks for confirmation (the help's
    example prompts) unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamserverinventory
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('ServerName')]
        [string[]]
        $Name,

        [switch]
        $Force
    )
    process {
        if ($Force -and -not $WhatIfPreference) {
            $ConfirmPreference = 'None'
        }
        foreach ($one in $Name) {
            if (-not $PSCmdlet.ShouldProcess($one, 'Delete the server from the IPAM server inventory')) {
                continue
            }
            try {
                $null = Invoke-WinSimApi -Operation 'Ipam.RemoveServerInventory' -Arguments @{ name = $one }
            }
            catch {
                $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Remove-IpamServerInventory' -Target $one))
            }
        }
    }
}

Function Get-IpamDiscoveryDomain {
    <#
    .SYNOPSIS
    MSFT_IPAM_DiscoveryDomain objects: Name (the help's table heads it DomainName), DiscoverDc,
    DiscoverDns, DiscoverDhcp (Boolean).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamdiscoverydomain
    #>
    [CmdletBinding()]
    param (
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $Name
    )
    process {
        try {
            $domains = Invoke-WinSimApi -Operation 'Ipam.GetDiscoveryDomain'
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Get-IpamDiscoveryDomain' -Target $Name))
            return
        }
        foreach ($domain in $domains) {
            if ($Name -and -not ($Name | Where-Object { $domain.Name -like $_ })) {
                continue
            }
            New-IpamCimObject -Property $domain -ClassName 'MSFT_IPAM_DiscoveryDomain'
        }
        foreach ($wanted in $Name) {
            if (-not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($wanted) -and
                -not ($domains | Where-Object { $_.Name -eq $wanted })) {
                $PSCmdlet.WriteError((New-IpamNotFoundRecord -ClassName 'MSFT_IPAM_DiscoveryDomain' -Property 'Name' -Value $wanted -Command 'Get-IpamDiscoveryDomain'))
            }
        }
    }
}

Function Add-IpamDiscoveryDomain {
    <#
    .SYNOPSIS
    Adds an AD domain to discover servers in; each -Discover* switch is $true unless given. Fails for a
    domain already configured, or one AD does not know.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamdiscoverydomain
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDc,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDns,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDhcp
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Add the discovery domain')) {
            return
        }
        $arguments = @{ name = $Name }
        foreach ($pair in @(@('DiscoverDc', 'discover_dc'), @('DiscoverDns', 'discover_dns'), @('DiscoverDhcp', 'discover_dhcp'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) {
                $arguments[$pair[1]] = [bool]$PSBoundParameters[$pair[0]]
            }
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.AddDiscoveryDomain' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Add-IpamDiscoveryDomain' -Target $Name))
        }
    }
}

Function Set-IpamDiscoveryDomain {
    <#
    .SYNOPSIS
    Changes the -Discover* switches given of a configured discovery domain.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamdiscoverydomain
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDc,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDns,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [bool]
        $DiscoverDhcp
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Modify the discovery domain')) {
            return
        }
        $arguments = @{ name = $Name }
        foreach ($pair in @(@('DiscoverDc', 'discover_dc'), @('DiscoverDns', 'discover_dns'), @('DiscoverDhcp', 'discover_dhcp'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) {
                $arguments[$pair[1]] = [bool]$PSBoundParameters[$pair[0]]
            }
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.SetDiscoveryDomain' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Set-IpamDiscoveryDomain' -Target $Name))
        }
    }
}

Function Remove-IpamDiscoveryDomain {
    <#
    .SYNOPSIS
    Removes a discovery domain ("If the specified domain is not configured in IPAM server, an error
    occurs"); asks for confirmation unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamdiscoverydomain
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [switch]
        $Force
    )
    process {
        if ($Force -and -not $WhatIfPreference) {
            $ConfirmPreference = 'None'
        }
        if (-not $PSCmdlet.ShouldProcess($Name, 'Delete the discovery domain from IPAM')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.RemoveDiscoveryDomain' -Arguments @{ name = $Name }
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Remove-IpamDiscoveryDomain' -Target $Name))
        }
    }
}

Function Get-IpamCustomField {
    <#
    .SYNOPSIS
    MSFT_IPAM_CustomField objects: Name, Category (BuiltIn or UserDefined), MultiValue, and CustomValue
    (MSFT_IPAM_CustomValue objects: Value, Category, CustomField) of a multivalued field.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamcustomfield
    #>
    [CmdletBinding()]
    param (
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name
    )
    process {
        try {
            $fields = Invoke-WinSimApi -Operation 'Ipam.GetCustomField'
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Get-IpamCustomField' -Target $Name))
            return
        }
        $found = $false
        foreach ($field in $fields) {
            if ($Name -and $field.Name -ne $Name) {
                continue
            }
            $found = $true
            $field.CustomValue = @(foreach ($value in $field.CustomValue) { New-IpamCimObject -Property $value -ClassName 'MSFT_IPAM_CustomValue' })
            New-IpamCimObject -Property $field -ClassName 'MSFT_IPAM_CustomField'
        }
        if ($Name -and -not $found) {
            $PSCmdlet.WriteError((New-IpamNotFoundRecord -ClassName 'MSFT_IPAM_CustomField' -Property 'Name' -Value $Name -Command 'Get-IpamCustomField'))
        }
    }
}

Function Add-IpamCustomField {
    <#
    .SYNOPSIS
    Adds a user-defined custom field, free-form unless -MultiValue.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamcustomfield
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [switch]
        $MultiValue
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Add the custom field')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.AddCustomField' -Arguments @{ name = $Name; multivalue = [bool]$MultiValue }
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Add-IpamCustomField' -Target $Name))
        }
    }
}

Function Remove-IpamCustomField {
    <#
    .SYNOPSIS
    Removes a user-defined custom field (built-in ones cannot be removed); asks for confirmation
    unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamcustomfield
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [switch]
        $Force
    )
    process {
        if ($Force -and -not $WhatIfPreference) {
            $ConfirmPreference = 'None'
        }
        if (-not $PSCmdlet.ShouldProcess($Name, 'Delete the custom field')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.RemoveCustomField' -Arguments @{ name = $Name }
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Remove-IpamCustomField' -Target $Name))
        }
    }
}

Function Add-IpamCustomValue {
    <#
    .SYNOPSIS
    Adds a value to a multivalued custom field, built-in or user-defined.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/add-ipamcustomvalue
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Value
    )
    process {
        if (-not $PSCmdlet.ShouldProcess("$Name $Value", 'Add the custom value')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.AddCustomValue' -Arguments @{ name = $Name; value = $Value }
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Add-IpamCustomValue' -Target $Value))
        }
    }
}

Function Remove-IpamCustomValue {
    <#
    .SYNOPSIS
    Removes a value from a multivalued custom field; built-in values of built-in fields cannot be
    removed. Asks for confirmation (the help's example prompts) unless -Force or -Confirm:$false.
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/remove-ipamcustomvalue
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string]
        $Value,

        [switch]
        $Force
    )
    process {
        if ($Force -and -not $WhatIfPreference) {
            $ConfirmPreference = 'None'
        }
        if (-not $PSCmdlet.ShouldProcess("$Name $Value", 'Delete the custom value')) {
            return
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.RemoveCustomValue' -Arguments @{ name = $Name; value = $Value }
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Remove-IpamCustomValue' -Target $Value))
        }
    }
}

Function Get-IpamAddressUtilizationThreshold {
    <#
    .SYNOPSIS
    MSFT_IPAM_IPAddressUtilizationThreshold: UnderUtilizationThreshold, OverUtilizationThreshold (UInt32).
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/get-ipamaddressutilizationthreshold
    #>
    [CmdletBinding()]
    param ()
    try {
        $threshold = Invoke-WinSimApi -Operation 'Ipam.GetUtilizationThreshold'
    }
    catch {
        $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Get-IpamAddressUtilizationThreshold' -Target $null))
        return
    }
    $threshold.UnderUtilizationThreshold = [uint32]$threshold.UnderUtilizationThreshold
    $threshold.OverUtilizationThreshold = [uint32]$threshold.OverUtilizationThreshold
    New-IpamCimObject -Property $threshold -ClassName 'MSFT_IPAM_IPAddressUtilizationThreshold'
}

Function Set-IpamAddressUtilizationThreshold {
    <#
    .SYNOPSIS
    Sets the thresholds given ("Do not specify an overutilization threshold lower than the underutilization").
    .LINK
    https://learn.microsoft.com/powershell/module/ipamserver/set-ipamaddressutilizationthreshold
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param (
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [uint32]
        $UnderUtilizationThreshold,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [uint32]
        $OverUtilizationThreshold
    )
    process {
        if (-not $PSCmdlet.ShouldProcess('IPAM', 'Set the address utilization thresholds')) {
            return
        }
        $arguments = @{}
        if ($PSBoundParameters.ContainsKey('UnderUtilizationThreshold')) {
            $arguments.under = $UnderUtilizationThreshold
        }
        if ($PSBoundParameters.ContainsKey('OverUtilizationThreshold')) {
            $arguments.over = $OverUtilizationThreshold
        }
        try {
            $null = Invoke-WinSimApi -Operation 'Ipam.SetUtilizationThreshold' -Arguments $arguments
        }
        catch {
            $PSCmdlet.WriteError((New-IpamCimErrorRecord -ErrorRecord $_ -Command 'Set-IpamAddressUtilizationThreshold' -Target $null))
        }
    }
}

Export-ModuleMember -Function Get-IpamConfiguration, Invoke-IpamGpoProvisioning, Get-IpamServerInventory, Add-IpamServerInventory,
    Set-IpamServerInventory, Remove-IpamServerInventory, Get-IpamDiscoveryDomain, Add-IpamDiscoveryDomain,
    Set-IpamDiscoveryDomain, Remove-IpamDiscoveryDomain, Get-IpamCustomField, Add-IpamCustomField, Remove-IpamCustomField,
    Add-IpamCustomValue, Remove-IpamCustomValue, Get-IpamAddressUtilizationThreshold, Set-IpamAddressUtilizationThreshold
