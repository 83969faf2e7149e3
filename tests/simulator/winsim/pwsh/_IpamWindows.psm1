# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The simulated twin of plugins/module_utils/_IpamWindows.psm1 (tests only): the same functions and
# parameters (tests/unit/simulator/test_pwsh_boundary.py keeps them equal), answered from the
# simulated host through winsim.winapi, with the errors the real calls raise. The pwsh pool puts it
# in the module manifest in place of the real file; nothing else of the modules is replaced.

Function Invoke-Boundary {
    # One winapi call; its 'access_denied' becomes what the registry and LSA APIs throw for it.
    param ([string] $Operation, [hashtable] $Arguments = @{})
    try {
        Invoke-WinSimApi -Operation $Operation -Arguments $Arguments
    }
    catch {
        $kind = Get-WinSimErrorKind -ErrorRecord $_
        if ($kind -eq 'access_denied') {
            # https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.setvalue (UnauthorizedAccessException)
            $denied = [System.UnauthorizedAccessException]::new($_.Exception.Message)
            throw $denied
        }
        if ($kind -eq 'invalid') {
            throw [System.ArgumentException]::new($_.Exception.Message)
        }
        throw
    }
}

Function ConvertTo-IpamCanonicalSid {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Sid)
    Invoke-Boundary -Operation 'Account.ParseSid' -Arguments @{ sid = $Sid }
}

Function ConvertTo-IpamSidFromName {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    Invoke-Boundary -Operation 'Account.ToSid' -Arguments @{ name = $Name }
}

Function ConvertTo-IpamNameFromSid {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Sid)
    try {
        Invoke-Boundary -Operation 'Account.ToName' -Arguments @{ sid = $Sid }
    }
    catch {
        if ((Get-WinSimErrorKind -ErrorRecord $_) -ne 'not_mapped') { throw }
        $null
    }
}

Function Get-IpamComputerDomainSid {
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    Invoke-Boundary -Operation 'Computer.DomainSid'
}

Function Get-RegistryKeyState {
    # The key as winapi reports it, or ItemNotFoundException as Get-Item -ErrorAction Stop throws it.
    param ([string] $Path)
    $key = Invoke-Boundary -Operation 'Registry.ReadKey' -Arguments @{ path = $Path }
    if ($null -eq $key) {
        throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
    }
    $key
}

Function Test-IpamRegistryKey {
    [CmdletBinding()]
    [OutputType([bool])]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    $null -ne (Invoke-Boundary -Operation 'Registry.ReadKey' -Arguments @{ path = $Path })
}

Function Get-IpamRegistryValueName {
    [CmdletBinding()]
    [OutputType([string[]])]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    [string[]]@((Get-RegistryKeyState -Path $Path).values | ForEach-Object { $_.name })
}

Function Get-IpamRegistryValue {
    [CmdletBinding()]
    [OutputType([object])]
    param ([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Name)
    foreach ($value in (Get-RegistryKeyState -Path $Path).values) {
        if ($value.name -eq $Name) {
            # GetValue returns string[] for REG_MULTI_SZ, int for REG_DWORD, string for REG_SZ.
            switch ($value.kind) {
                'MultiString' { return , [string[]]@($value.value) }
                'DWord' { return [int]$value.value }
                default { return [string]$value.value }
            }
        }
    }
    $null
}

Function Get-IpamRegistryValueKind {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Name)
    foreach ($value in (Get-RegistryKeyState -Path $Path).values) {
        if ($value.name -eq $Name) { return [string]$value.kind }
    }
    # RegistryKey.GetValueKind: IOException 'The specified registry key does not exist.' for a missing value.
    throw [System.IO.IOException]::new('The specified registry key does not exist.')
}

Function New-IpamRegistryKey {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    $null = Invoke-Boundary -Operation 'Registry.CreateKey' -Arguments @{ path = $Path }
}

Function Set-IpamRegistryValue {
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] [string] $Name,
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [AllowEmptyString()] [object] $Value,
        [Parameter(Mandatory = $true)] [ValidateSet('String', 'MultiString', 'DWord')] [string] $Kind
    )
    $null = Invoke-Boundary -Operation 'Registry.SetValue' -Arguments @{ path = $Path; name = $Name; value = $Value; kind = $Kind }
}

Function Remove-IpamRegistryValue {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Name)
    if (-not (Invoke-Boundary -Operation 'Registry.DeleteValue' -Arguments @{ path = $Path; name = $Name })) {
        # Remove-ItemProperty -ErrorAction Stop on a missing value.
        throw [System.Management.Automation.PSArgumentException]::new("Property $Name does not exist at path $Path.")
    }
}

$exportMembers = @{
    Function = 'ConvertTo-IpamCanonicalSid', 'ConvertTo-IpamSidFromName', 'ConvertTo-IpamNameFromSid',
    'Get-IpamComputerDomainSid', 'Test-IpamRegistryKey', 'Get-IpamRegistryValueName', 'Get-IpamRegistryValue',
    'Get-IpamRegistryValueKind', 'New-IpamRegistryKey', 'Set-IpamRegistryValue', 'Remove-IpamRegistryValue'
}
Export-ModuleMember @exportMembers
