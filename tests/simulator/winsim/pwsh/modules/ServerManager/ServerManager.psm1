# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake ServerManager module (tests only): pwsh on Linux has no Server Manager. Only Get-WindowsFeature,
# answered from the simulated host's roles (winsim/winapi/features.py).

Function Get-WindowsFeature {
    <#
    .SYNOPSIS
    The roles, role services and features of the server, installed or not, as
    Microsoft.Windows.ServerManager.Commands.Feature objects.
    .DESCRIPTION
    -Name takes feature names (the command IDs, e.g. DHCP, AD-Domain-Services) and wildcards (AD*); a
    name no feature has gives no output and no error (windows-api.md 12). Features come out in the
    server's order, each once. -Vhd, -ComputerName, -Credential and -LogPath are accepted and not
    modelled: the local server answers. InstallState is the enum's name as a string (the ServerManager
    InstallState type does not exist on Linux).
    .LINK
    https://learn.microsoft.com/powershell/module/servermanager/get-windowsfeature
    #>
    [CmdletBinding()]
    param (
        [Parameter(Position = 0, ValueFromPipeline = $true)]
        [string[]]
        $Name,

        [string]
        $Vhd,

        [Alias('Cn')]
        [string]
        $ComputerName,

        [System.Management.Automation.PSCredential]
        $Credential,

        [string]
        $LogPath
    )
    begin {
        $features = Invoke-WinSimApi -Operation 'ServerManager.GetFeatures'
        $all = -not $PSBoundParameters.ContainsKey('Name')
        $seen = @{}
    }
    process {
        foreach ($feature in $features) {
            $wanted = $all -or @($Name | Where-Object { $feature.Name -like $_ }).Count -gt 0
            if (-not $wanted -or $seen.ContainsKey($feature.Name)) {
                continue
            }
            $seen[$feature.Name] = $true
            $output = [PSCustomObject]@{
                DisplayName = [string]$feature.DisplayName
                Name = [string]$feature.Name
                Installed = [bool]$feature.Installed
                InstallState = [string]$feature.InstallState
                FeatureType = [string]$feature.FeatureType
                Path = [string]$feature.Path
                Depth = [int]$feature.Depth
                DependsOn = [string[]]@()
                Parent = $null
                SubFeatures = [string[]]@()
            }
            $output.PSObject.TypeNames.Insert(0, 'Microsoft.Windows.ServerManager.Commands.Feature')
            $output
        }
    }
}

Export-ModuleMember -Function Get-WindowsFeature
