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

Function Get-DomainState {
    # Domain.GetDomain: a failure surfaces as PowerShell reports a failed .NET method call (windows-api.md 1.3).
    param ([string] $Name)
    try {
        Invoke-Boundary -Operation 'Directory.GetDomain' -Arguments @{ name = $Name }
    }
    catch {
        if ((Get-WinSimErrorKind -ErrorRecord $_) -ne 'not_found') { throw }
        throw [System.Management.Automation.MethodInvocationException]::new(
            ('Exception calling "GetDomain" with "1" argument(s): "{0}"' -f $_.Exception.Message), $_.Exception)
    }
}

Function Get-IpamDomainDnsName {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    (Get-DomainState -Name $Name).name
}

Function Get-IpamDomainDistinguishedName {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    (Get-DomainState -Name $Name).dn
}

Function ConvertTo-SidBytes {
    # SecurityIdentifier.GetBinaryForm: revision, sub-authority count, 48-bit authority (big-endian), sub-authorities (little-endian).
    param ([string] $Sid)
    $parts = $Sid.Split('-')
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.Add([byte]$parts[1])
    $bytes.Add([byte]($parts.Count - 3))
    $authority = [uint64]$parts[2]
    for ($shift = 40; $shift -ge 0; $shift -= 8) { $bytes.Add([byte](($authority -shr $shift) -band 0xFF)) }
    foreach ($sub in $parts[3..($parts.Count - 1)]) { $bytes.AddRange([System.BitConverter]::GetBytes([uint32]$sub)) }
    , $bytes.ToArray()
}

Function Find-IpamDirectoryObject {
    [CmdletBinding()]
    [OutputType([System.DirectoryServices.SearchResult])]
    param (
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] [string] $Filter,
        [Parameter(Mandatory = $true)] [string[]] $Property
    )
    $found = Invoke-Ldap -Operation 'Directory.FindOne' -Arguments @{ path = $Path; filter = $Filter; properties = $Property } -Method 'FindOne' -ArgumentCount 0
    if ($null -eq $found) {
        return $null
    }
    # SearchResult.Properties: lowercased names, each a collection of values; objectSid as byte[].
    $properties = @{}
    foreach ($name in $found.Keys) {
        $values = [System.Collections.Generic.List[object]]::new()
        foreach ($value in $found[$name]) {
            if ($name -eq 'objectsid') { $values.Add((ConvertTo-SidBytes -Sid $value)) } else { $values.Add($value) }
        }
        $properties[$name] = $values
    }
    $result = [PSCustomObject]@{ Path = [string]$found['adspath'][0]; Properties = $properties }
    $result.PSObject.TypeNames.Insert(0, 'System.DirectoryServices.SearchResult')
    $result
}

Function ConvertTo-IpamSidFromBytes {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [byte[]] $Bytes)
    $authority = [uint64]0
    foreach ($index in 2..7) { $authority = ($authority -shl 8) + $Bytes[$index] }
    $subs = foreach ($index in 0..($Bytes[1] - 1)) { [System.BitConverter]::ToUInt32($Bytes, 8 + 4 * $index) }
    'S-{0}-{1}-{2}' -f $Bytes[0], $authority, ($subs -join '-')
}

Function Invoke-WinNT {
    # One winapi WinNT call (winsim/winapi/groups.py). ADSI reports a failure as a COMException with the
    # HRESULT and the Win32 text as FormatMessage gives it (ending in CRLF); PowerShell wraps a failed .NET
    # method call in MethodInvocationException, and DirectoryEntry.Invoke puts a TargetInvocationException
    # in between (windows-api.md 1.3 and 7; DirectoryEntry.cs Invoke and COMExceptionHelper).
    param ([string] $Operation, [hashtable] $Arguments, [string] $Method, [int] $ArgumentCount, [switch] $Reflected)
    try {
        Invoke-WinSimApi -Operation $Operation -Arguments $Arguments
    }
    catch {
        if ($null -eq (Get-WinSimErrorKind -ErrorRecord $_)) { throw }
        $com = [System.Runtime.InteropServices.COMException]::new($_.Exception.Message + "`r`n", [int]$_.Exception.Data['hresult'])
        $inner = $com
        if ($Reflected) {
            $inner = [System.Reflection.TargetInvocationException]::new('Exception has been thrown by the target of an invocation.', $com)
        }
        throw [System.Management.Automation.MethodInvocationException]::new(
            ('Exception calling "{0}" with "{1}" argument(s): "{2}"' -f $Method, $ArgumentCount, $inner.Message), $inner)
    }
}

Function Get-IpamWinNTGroup {
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    Invoke-WinNT -Operation 'WinNT.GetGroup' -Arguments @{ name = $Name } -Method 'InvokeGet' -ArgumentCount 1
}

Function Get-IpamWinNTUser {
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    Invoke-WinNT -Operation 'WinNT.GetUser' -Arguments @{ name = $Name } -Method 'InvokeGet' -ArgumentCount 1
}

Function Get-IpamWinNTGroupMember {
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    # One hashtable per member on the pipeline, as the real loop writes them.
    foreach ($member in (Invoke-WinNT -Operation 'WinNT.GroupMembers' -Arguments @{ name = $Name } -Method 'Invoke' -ArgumentCount 1 -Reflected)) {
        $member
    }
}

Function Add-IpamWinNTGroupMember {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $Sid)
    $null = Invoke-WinNT -Operation 'WinNT.AddMember' -Arguments @{ name = $Name; member = "WinNT://$Sid" } -Method 'Invoke' -ArgumentCount 2 -Reflected
}

Function Remove-IpamWinNTGroupMember {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $Sid)
    $null = Invoke-WinNT -Operation 'WinNT.RemoveMember' -Arguments @{ name = $Name; member = "WinNT://$Sid" } -Method 'Invoke' -ArgumentCount 2 -Reflected
}

Function New-IpamWinNTGroup {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    # IADsContainer::Create only fills the property cache; SetInfo is the call that writes, and fails.
    $null = Invoke-WinNT -Operation 'WinNT.CreateGroup' -Arguments @{ name = $Name } -Method 'SetInfo' -ArgumentCount 0
}

Function Set-IpamWinNTGroupDescription {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [AllowEmptyString()] [string] $Description)
    $null = Invoke-WinNT -Operation 'WinNT.SetGroupDescription' -Arguments @{ name = $Name; description = $Description } -Method 'CommitChanges' -ArgumentCount 0
}

Function Remove-IpamWinNTGroup {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Name)
    $null = Invoke-WinNT -Operation 'WinNT.DeleteGroup' -Arguments @{ name = $Name } -Method 'Delete' -ArgumentCount 2
}

Function Test-IpamFolder {
    [CmdletBinding()]
    [OutputType([bool])]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    try {
        [bool](Invoke-Boundary -Operation 'FileSystem.TestFolder' -Arguments @{ path = $Path })
    }
    catch [System.UnauthorizedAccessException] {
        $false   # Test-Path answers $false, never an error, when it may not look
    }
}

Function ConvertFrom-IpamSddlDacl {
    # ACE look-alikes of RawSecurityDescriptor.DiscretionaryAcl (the ACL classes throw
    # PlatformNotSupportedException on Linux): the same type names and properties, the real enums.
    [CmdletBinding()]
    [OutputType([System.Security.AccessControl.GenericAce])]
    param ([Parameter(Mandatory = $true)] [string] $Sddl)
    $dacl = Invoke-Boundary -Operation 'SecurityDescriptor.Dacl' -Arguments @{ sddl = $Sddl }
    if ($null -eq $dacl.aces) {
        return $null
    }
    foreach ($ace in $dacl.aces) {
        $sid = [PSCustomObject]@{ Value = [string]$ace.SecurityIdentifier }
        $sid.PSObject.TypeNames.Insert(0, 'System.Security.Principal.SecurityIdentifier')
        $sid.PSObject.TypeNames.Insert(1, 'System.Security.Principal.IdentityReference')
        $sid | Add-Member -MemberType ScriptMethod -Name ToString -Value { $this.Value } -Force
        $entry = [PSCustomObject]@{
            AceType = [System.Security.AccessControl.AceType]$ace.AceType
            AceQualifier = [System.Security.AccessControl.AceQualifier]$ace.AceQualifier
            AceFlags = [System.Security.AccessControl.AceFlags]$ace.AceFlags
            IsInherited = [bool]$ace.IsInherited
            IsCallback = [bool]$ace.IsCallback
            AccessMask = [int]$ace.AccessMask
            SecurityIdentifier = $sid
        }
        # CommonAce and ObjectAce both derive from QualifiedAce : KnownAce : GenericAce.
        $names = @("System.Security.AccessControl.$($ace.class)", 'System.Security.AccessControl.QualifiedAce',
            'System.Security.AccessControl.KnownAce', 'System.Security.AccessControl.GenericAce')
        for ($i = 0; $i -lt $names.Count; $i++) {
            $entry.PSObject.TypeNames.Insert($i, $names[$i])
        }
        $entry
    }
}

Function Get-IpamInstalledUICulture {
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    Invoke-Boundary -Operation 'Computer.InstalledUICulture'
}

Function Get-IpamHostEntryName {
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    Invoke-Boundary -Operation 'Computer.HostEntry'
}

Function New-LdapException {
    # What a failed ADSI call throws: a COMException that carries the HRESULT and FormatMessage's text
    # (ending in CRLF), which PowerShell wraps in a MethodInvocationException as it does for any failed .NET
    # method call (windows-api.md 1.3 and 8). The operation may name the method that failed (Data.method,
    # Data.count); an error without an HRESULT is the ArgumentException of that method.
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [string] $Method, [int] $ArgumentCount)
    $data = $ErrorRecord.Exception.Data
    if ($data.Contains('method')) {
        $Method = [string]$data['method']
        $ArgumentCount = if ($data.Contains('count')) { [int]$data['count'] } else { 0 }
    }
    if ($data.Contains('hresult')) {
        $inner = [System.Runtime.InteropServices.COMException]::new($ErrorRecord.Exception.Message + "`r`n", [int]$data['hresult'])
    }
    else {
        $inner = [System.ArgumentException]::new($ErrorRecord.Exception.Message)
    }
    [System.Management.Automation.MethodInvocationException]::new(
        ('Exception calling "{0}" with "{1}" argument(s): "{2}"' -f $Method, $ArgumentCount, $inner.Message), $inner)
}

Function Invoke-Ldap {
    # One winapi Ldap call (winsim/winapi/directory.py), failing as ADSI does.
    param ([string] $Operation, [hashtable] $Arguments, [string] $Method, [int] $ArgumentCount)
    try {
        Invoke-WinSimApi -Operation $Operation -Arguments $Arguments
    }
    catch {
        if ($null -eq (Get-WinSimErrorKind -ErrorRecord $_)) { throw }
        throw (New-LdapException -ErrorRecord $_ -Method $Method -ArgumentCount $ArgumentCount)
    }
}

Function Find-IpamWritableDomainController {
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    try {
        Invoke-WinSimApi -Operation 'Ldap.FindWritableDc' -Arguments @{}
    }
    catch {
        if ($null -eq (Get-WinSimErrorKind -ErrorRecord $_)) { throw }
        # ActiveDirectoryObjectNotFoundException cannot even be constructed on .NET for Linux (its type
        # initializer throws PlatformNotSupportedException): an Exception with its message stands in.
        $inner = [System.Exception]::new($_.Exception.Message)
        throw [System.Management.Automation.MethodInvocationException]::new(
            ('Exception calling "FindDomainController" with "1" argument(s): "{0}"' -f $inner.Message), $inner)
    }
}

Function Get-IpamDirectoryAttribute {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Name)
    $values = @(Invoke-Ldap -Operation 'Ldap.ReadAttribute' -Arguments @{ path = $Path; name = $Name } -Method 'RefreshCache' -ArgumentCount 1)
    # PropertyValueCollection.Value: $null for no value, the value for one, object[] for several ([string] joins them).
    [string]$(if ($values.Count -eq 1) { $values[0] } elseif ($values.Count -gt 1) { , [object[]]$values } else { $null })
}

Function Find-IpamDirectoryValue {
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] [string] $Filter,
        [Parameter(Mandatory = $true)] [string] $Property
    )
    try {
        $results = Invoke-WinSimApi -Operation 'Ldap.FindAll' -Arguments @{ path = $Path; filter = $Filter; properties = @($Property) }
    }
    catch {
        $kind = Get-WinSimErrorKind -ErrorRecord $_
        if ($null -eq $kind) { throw }
        if ($kind -eq 'invalid' -and -not $_.Exception.Data.Contains('hresult')) {
            # Thrown by the result enumerator's MoveNext inside the foreach: the ArgumentException itself.
            throw [System.ArgumentException]::new($_.Exception.Message)
        }
        throw (New-LdapException -ErrorRecord $_ -Method 'FindAll' -ArgumentCount 0)
    }
    # One string per value on the pipeline, as the real loop writes them.
    foreach ($found in $results) { foreach ($value in $found[$Property.ToLowerInvariant()]) { [string]$value } }
}

Function Test-IpamDirectoryObject {
    [CmdletBinding()]
    [OutputType([bool])]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    [bool](Invoke-Ldap -Operation 'Ldap.Exists' -Arguments @{ path = $Path } -Method 'Exists' -ArgumentCount 1)
}

Function Get-IpamDirectoryObjectDacl {
    [CmdletBinding()]
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)] [string] $Path)
    (Invoke-Ldap -Operation 'Ldap.ReadDacl' -Arguments @{ path = $Path } -Method 'get_ObjectSecurity' -ArgumentCount 0).sddl
}

Function Set-IpamDirectoryObjectDacl {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Sddl)
    $null = Invoke-Ldap -Operation 'Ldap.WriteDacl' -Arguments @{ path = $Path; sddl = $Sddl } -Method 'CommitChanges' -ArgumentCount 0
}

$exportMembers = @{
    Function = 'ConvertTo-IpamCanonicalSid', 'ConvertTo-IpamSidFromName', 'ConvertTo-IpamNameFromSid',
    'Get-IpamWinNTGroup', 'Get-IpamWinNTUser', 'Get-IpamWinNTGroupMember', 'Add-IpamWinNTGroupMember',
    'Remove-IpamWinNTGroupMember', 'New-IpamWinNTGroup', 'Set-IpamWinNTGroupDescription', 'Remove-IpamWinNTGroup',
    'Get-IpamComputerDomainSid', 'Test-IpamRegistryKey', 'Get-IpamRegistryValueName', 'Get-IpamRegistryValue',
    'Get-IpamRegistryValueKind', 'New-IpamRegistryKey', 'Set-IpamRegistryValue', 'Remove-IpamRegistryValue',
    'Get-IpamDomainDnsName', 'Get-IpamDomainDistinguishedName', 'Find-IpamDirectoryObject', 'ConvertTo-IpamSidFromBytes',
    'Test-IpamFolder', 'ConvertFrom-IpamSddlDacl', 'Get-IpamInstalledUICulture', 'Get-IpamHostEntryName',
    'Get-IpamDirectoryAttribute', 'Find-IpamDirectoryValue', 'Test-IpamDirectoryObject', 'Get-IpamDirectoryObjectDacl',
    'Set-IpamDirectoryObjectDacl', 'Find-IpamWritableDomainController'
}
Export-ModuleMember @exportMembers
