# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake CimCmdlets (tests only): pwsh on Linux has no CIM. Only the classes the modules read.
# https://learn.microsoft.com/powershell/module/cimcmdlets/get-ciminstance

Function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameComputerSet')]
        [string]
        $ClassName,

        [Parameter(ParameterSetName = 'ClassNameComputerSet')]
        [string]
        $Namespace = 'root/cimv2',

        [string[]]
        $Property,

        [string]
        $Filter
    )
    switch ($ClassName) {
        'Win32_ComputerSystem' {
            # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-computersystem
            $values = Invoke-WinSimApi -Operation 'Computer.System'
            $instance = [PSCustomObject]$values
            $instance.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_ComputerSystem')
            $instance.DomainRole = [uint16]$instance.DomainRole
            $instance
        }
        'Win32_OperatingSystem' {
            # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-operatingsystem (Caption, Version: strings)
            $values = Invoke-WinSimApi -Operation 'Computer.OperatingSystem'
            $instance = [PSCustomObject]$values
            $instance.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_OperatingSystem')
            $instance
        }
        default {
            # What CIM says for a class it does not have: 'Invalid class' (WBEM_E_INVALID_CLASS).
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.Exception]::new('Invalid class '), 'HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand',
                    [System.Management.Automation.ErrorCategory]::MetadataError, $ClassName))
        }
    }
}

Export-ModuleMember -Function Get-CimInstance
