# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake System Center VMM module (tests only, pwsh 7): the cmdlets vmm_network_service.ps1 calls, with
# the parameters of the VMM help, answered from the simulated VMM server through winsim.winapi
# (winapi/vmm.py). Output objects carry the VMM type names. Labelled choices where windows-api.md 16
# says "unconfirmed":
# - Remove-SCNetworkService and Remove-SCRunAsAccount have ConfirmImpact High: without -Confirm:$false
#   they ask, and a WinRM host cannot answer (the worker's host throws on any prompt).
# - Get-SCRunAsAccount -Name with no match returns nothing, without an error.
# - VMM's own failures are terminating errors carrying VMM's text with its Error ID.
# The module exists only where VMM is installed: importing it elsewhere fails as Import-Module does
# for a module that is not there.

if (-not (Invoke-WinSimApi -Operation 'Vmm.Installed')) {
    throw [System.IO.FileNotFoundException]::new("The specified module 'virtualmachinemanager' was not loaded because no valid module file was found in any module directory.")
}

$script:TypePrefix = 'Microsoft.SystemCenter.VirtualMachineManager'

Function New-VmmObject {
    param ([hashtable] $Values, [string] $TypeName)
    if ($null -eq $Values) { return $null }
    $properties = [ordered]@{}
    foreach ($key in $Values.Keys) {
        $properties[$key] = $Values[$key]
    }
    if ($properties.Contains('ID')) { $properties['ID'] = [guid]$properties['ID'] }
    $object = [PSCustomObject]$properties
    $object.PSObject.TypeNames.Insert(0, $TypeName)
    $object
}

Function New-RunAsObject {
    param ([hashtable] $Values)
    New-VmmObject -Values $Values -TypeName "$script:TypePrefix.RunAsAccount"
}

Function New-HostGroupObject {
    param ([hashtable] $Values)
    New-VmmObject -Values $Values -TypeName "$script:TypePrefix.HostGroup"
}

Function New-NetworkServiceObject {
    param ([hashtable] $Values)
    $service = New-VmmObject -Values $Values -TypeName "$script:TypePrefix.NetworkService"
    $service.RunAsAccount = New-RunAsObject -Values $Values.RunAsAccount
    $service.VMHostGroups = @(foreach ($group in $Values.VMHostGroups) { New-HostGroupObject -Values $group })
    $service
}

Function Invoke-Vmm {
    # One winapi call for a VMM cmdlet; a failure becomes the cmdlet's terminating error.
    param ([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Operation, [hashtable] $Arguments = @{}, [object] $Target)
    try {
        Invoke-WinSimApi -Operation $Operation -Arguments $Arguments
    }
    catch {
        $kind = Get-WinSimErrorKind -ErrorRecord $_
        $message = $_.Exception.Message
        $class = 'Microsoft.SystemCenter.VirtualMachineManager.Cmdlets.{0}Cmdlet' -f ($Cmdlet.MyInvocation.MyCommand.Name -replace '-', '')
        if ($kind -eq 'access_denied') {
            $exception = [System.UnauthorizedAccessException]::new($message)
            $exception.HResult = -2147024891
            $record = [System.Management.Automation.ErrorRecord]::new($exception, "AccessDenied,$class",
                [System.Management.Automation.ErrorCategory]::PermissionDenied, $Target)
        }
        else {
            $category = switch ($kind) {
                'not_found' { [System.Management.Automation.ErrorCategory]::ObjectNotFound }
                'exists' { [System.Management.Automation.ErrorCategory]::ResourceExists }
                default { [System.Management.Automation.ErrorCategory]::InvalidOperation }
            }
            $record = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($message),
                "VmmError,$class", $category, $Target)
        }
        $Cmdlet.ThrowTerminatingError($record)
    }
}

Function Get-SCVMMServer {
    <#
    .SYNOPSIS
    Connects to a VMM management server and returns the connection.
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scvmmserver
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true, Position = 0)]
        [string]
        $ComputerName,

        [int]
        $TCPPort = 8100,

        [pscredential]
        $Credential
    )
    $values = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.Server' -Arguments @{ computer_name = $ComputerName } -Target $ComputerName
    New-VmmObject -Values $values -TypeName "$script:TypePrefix.Remoting.ServerConnection"
}

Function Get-SCVMHostGroup {
    <#
    .SYNOPSIS
    Gets the host groups (all, or those of a name).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scvmhostgroup
    #>
    [CmdletBinding(DefaultParameterSetName = 'All')]
    param (
        [Parameter(Position = 0, ParameterSetName = 'All')]
        [string]
        $Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'ID')]
        [guid]
        $ID,

        [object]
        $VMMServer
    )
    $groups = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.HostGroups' -Arguments @{ name = $Name } -Target $Name
    foreach ($group in $groups) {
        if ($PSCmdlet.ParameterSetName -eq 'ID' -and [guid]$group.ID -ne $ID) { continue }
        New-HostGroupObject -Values $group
    }
}

Function Get-SCRunAsAccount {
    <#
    .SYNOPSIS
    Gets Run As accounts (all, or by Name with wildcards, or by ID).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scrunasaccount
    #>
    [CmdletBinding(DefaultParameterSetName = 'All')]
    param (
        [Parameter(Position = 0, ParameterSetName = 'All')]
        [string]
        $Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'ID')]
        [guid]
        $ID,

        [object]
        $VMMServer
    )
    $accounts = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.RunAsAccounts' -Arguments @{ name = $Name } -Target $Name
    foreach ($account in $accounts) {
        if ($PSCmdlet.ParameterSetName -eq 'ID' -and [guid]$account.ID -ne $ID) { continue }
        New-RunAsObject -Values $account
    }
}

Function New-SCRunAsAccount {
    <#
    .SYNOPSIS
    Creates a Run As account from a credential (validated in Active Directory unless -NoValidation).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/new-scrunasaccount
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true, Position = 0)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [pscredential]
        $Credential,

        [string]
        $Description,

        [switch]
        $NoValidation,

        [object]
        $VMMServer
    )
    $arguments = @{ name = $Name; username = $Credential.UserName; password = $Credential.GetNetworkCredential().Password }
    New-RunAsObject -Values (Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.NewRunAsAccount' -Arguments $arguments -Target $Name)
}

Function Set-SCRunAsAccount {
    <#
    .SYNOPSIS
    Changes a Run As account (here: its credential).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/set-scrunasaccount
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.RunAsAccount')]
        [object]
        $RunAsAccount,

        [pscredential]
        $Credential,

        [string]
        $Description,

        [switch]
        $NoValidation,

        [object]
        $VMMServer
    )
    process {
        $arguments = @{ id = $RunAsAccount.ID.ToString() }
        if ($Credential) {
            $arguments.username = $Credential.UserName
            $arguments.password = $Credential.GetNetworkCredential().Password
        }
        New-RunAsObject -Values (Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.SetRunAsAccount' -Arguments $arguments -Target $RunAsAccount.Name)
    }
}

Function Remove-SCRunAsAccount {
    <#
    .SYNOPSIS
    Removes a Run As account. ConfirmImpact High: see the header.
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/remove-scrunasaccount
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.RunAsAccount')]
        [object]
        $RunAsAccount,

        [object]
        $VMMServer
    )
    process {
        if ($PSCmdlet.ShouldProcess($RunAsAccount.Name, 'Remove-SCRunAsAccount')) {
            $null = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.RemoveRunAsAccount' -Arguments @{ id = $RunAsAccount.ID.ToString() } -Target $RunAsAccount.Name
        }
    }
}

Function Get-SCNetworkService {
    <#
    .SYNOPSIS
    Gets network services (-All, or by Name).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scnetworkservice
    #>
    [CmdletBinding(DefaultParameterSetName = 'Global')]
    param (
        [Parameter(ParameterSetName = 'Global')]
        [switch]
        $All,

        [Parameter(Mandatory = $true, ParameterSetName = 'Name')]
        [string]
        $Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'ID')]
        [guid]
        $ID,

        [object]
        $VMMServer
    )
    $services = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.NetworkServices' -Arguments @{ name = $Name } -Target $Name
    foreach ($service in $services) {
        if ($PSCmdlet.ParameterSetName -eq 'ID' -and [guid]$service.ID -ne $ID) { continue }
        New-NetworkServiceObject -Values $service
    }
}

Function Add-SCNetworkService {
    <#
    .SYNOPSIS
    Adds a network service (ByModel: VMM picks the configuration provider from Manufacturer and Model).
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/add-scnetworkservice
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByModel')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByModel')]
        [string]
        $ConnectionString,

        [Parameter(Mandatory = $true, ParameterSetName = 'ByModel')]
        [string]
        $Manufacturer,

        [Parameter(Mandatory = $true, ParameterSetName = 'ByModel')]
        [string]
        $Model,

        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.RunAsAccount')]
        [object]
        $RunAsAccount,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.HostGroup')]
        [object[]]
        $VMHostGroup,

        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [string]
        $Description,

        [object]
        $VMMServer
    )
    $arguments = @{
        name = $Name
        connection_string = $ConnectionString
        manufacturer = $Manufacturer
        model = $Model
        run_as_id = $RunAsAccount.ID.ToString()
        host_group_ids = @($VMHostGroup | ForEach-Object { $_.ID.ToString() })
    }
    New-NetworkServiceObject -Values (Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.AddNetworkService' -Arguments $arguments -Target $Name)
}

Function Set-SCNetworkService {
    <#
    .SYNOPSIS
    Changes a network service: connection string, Run As account, host groups added or removed.
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/set-scnetworkservice
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.NetworkService')]
        [object]
        $NetworkService,

        [string]
        $ConnectionString,

        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.RunAsAccount')]
        [object]
        $RunAsAccount,

        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.HostGroup')]
        [object[]]
        $AddVMHostGroup,

        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.HostGroup')]
        [object[]]
        $RemoveVMHostGroup,

        [string]
        $Name,

        [string]
        $Description,

        [object]
        $VMMServer
    )
    process {
        $arguments = @{
            id = $NetworkService.ID.ToString()
            add_ids = @($AddVMHostGroup | Where-Object { $_ } | ForEach-Object { $_.ID.ToString() })
            remove_ids = @($RemoveVMHostGroup | Where-Object { $_ } | ForEach-Object { $_.ID.ToString() })
        }
        if ($PSBoundParameters.ContainsKey('ConnectionString')) {
            $arguments.connection_string = $ConnectionString
        }
        if ($PSBoundParameters.ContainsKey('RunAsAccount')) {
            $arguments.run_as_id = $RunAsAccount.ID.ToString()
        }
        New-NetworkServiceObject -Values (Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.SetNetworkService' -Arguments $arguments -Target $NetworkService.Name)
    }
}

Function Remove-SCNetworkService {
    <#
    .SYNOPSIS
    Removes a network service. ConfirmImpact High: see the header.
    .LINK
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/remove-scnetworkservice
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [PSTypeName('Microsoft.SystemCenter.VirtualMachineManager.NetworkService')]
        [object]
        $NetworkService,

        [object]
        $VMMServer
    )
    process {
        if ($PSCmdlet.ShouldProcess($NetworkService.Name, 'Remove-SCNetworkService')) {
            $null = Invoke-Vmm -Cmdlet $PSCmdlet -Operation 'Vmm.RemoveNetworkService' -Arguments @{ id = $NetworkService.ID.ToString() } -Target $NetworkService.Name
        }
    }
}

Export-ModuleMember -Function Get-SCVMMServer, Get-SCVMHostGroup, Get-SCRunAsAccount, New-SCRunAsAccount, Set-SCRunAsAccount,
Remove-SCRunAsAccount, Get-SCNetworkService, Add-SCNetworkService, Set-SCNetworkService, Remove-SCNetworkService
