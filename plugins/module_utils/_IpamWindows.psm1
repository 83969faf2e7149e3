# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The Windows-only calls of ipam.provisioning's PowerShell: SID translation, the registry and the
# computer's domain. Each function makes one call and nothing else, so that the test harness can
# replace this one file (on .NET for Linux these APIs throw PlatformNotSupportedException, and pwsh
# has no HKLM: drive) while every other line of the modules runs for real. The replacement is
# tests/simulator/winsim/pwsh/_IpamWindows.psm1; a contract test keeps the two interfaces equal.
# Callers handle the exceptions each call documents.

Function ConvertTo-IpamCanonicalSid {
    <#
    .SYNOPSIS
    The canonical form of a SID string; ArgumentException when the text is not a SID.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.-ctor
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $Sid).Value
}

Function ConvertTo-IpamSidFromName {
    <#
    .SYNOPSIS
    The SID of an account name (LookupAccountName); IdentityNotMappedException when none maps.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.ntaccount.translate
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    ([System.Security.Principal.NTAccount]$Name).Translate([System.Security.Principal.SecurityIdentifier]).Value
}

Function ConvertTo-IpamNameFromSid {
    <#
    .SYNOPSIS
    The DOMAIN\name of a SID (LookupAccountSid), or $null when nothing owns it (an orphaned SID:
    IdentityNotMappedException, a type .NET for Linux cannot even construct, so it is caught here).
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.translate
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    try {
        ([System.Security.Principal.SecurityIdentifier]$Sid).Translate([System.Security.Principal.NTAccount]).Value
    }
    catch [System.Security.Principal.IdentityNotMappedException] {
        $null
    }
}

Function Get-IpamComputerDomainSid {
    <#
    .SYNOPSIS
    The SID of the domain this computer is joined to: the domain part of its own account's SID.
    .DESCRIPTION
    Translated through LSA, which asks a domain controller over the computer's secure channel with the
    computer's credentials. An LDAP bind would use the caller's, which a WinRM logon with NTLM (or
    Kerberos without delegation) cannot pass on: the second hop.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.ntaccount.translate
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.accountdomainsid
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    (New-Object -TypeName System.Security.Principal.NTAccount -ArgumentList "$env:COMPUTERNAME`$").Translate(
        [System.Security.Principal.SecurityIdentifier]).AccountDomainSid.Value
}

Function Test-IpamRegistryKey {
    <#
    .SYNOPSIS
    Whether the registry key exists.
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/test-path
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    Test-Path -LiteralPath $Path -PathType Container
}

Function Get-IpamRegistryValueName {
    <#
    .SYNOPSIS
    The names of the values of an existing key (RegistryKey.GetValueNames).
    .LINK
    https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.getvaluenames
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    (Get-Item -LiteralPath $Path -ErrorAction Stop).GetValueNames()
}

Function Get-IpamRegistryValue {
    <#
    .SYNOPSIS
    A value of an existing key as stored (RegistryKey.GetValue, environment names not expanded); $null when absent.
    .LINK
    https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.getvalue
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    , (Get-Item -LiteralPath $Path -ErrorAction Stop).GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
}

Function Get-IpamRegistryValueKind {
    <#
    .SYNOPSIS
    The kind of a value of an existing key (String, ExpandString, MultiString, DWord, ...).
    .LINK
    https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.getvaluekind
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    (Get-Item -LiteralPath $Path -ErrorAction Stop).GetValueKind($Name).ToString()
}

Function New-IpamRegistryKey {
    <#
    .SYNOPSIS
    Creates the registry key (and its missing parents); an existing key is left as it is.
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-item
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    $null = New-Item -Path $Path -Force -ErrorAction Stop
}

Function Set-IpamRegistryValue {
    <#
    .SYNOPSIS
    Writes one value of an existing key with the given kind (String, MultiString, DWord).
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-itemproperty
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [object]
        $Value,

        [Parameter(Mandatory = $true)]
        [ValidateSet('String', 'MultiString', 'DWord')]
        [string]
        $Kind
    )
    $null = New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType $Kind -Value $Value -Force -ErrorAction Stop
}

Function Remove-IpamRegistryValue {
    <#
    .SYNOPSIS
    Removes one value of an existing key; ItemNotFound-style error when it is not there.
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/remove-itemproperty
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    Remove-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction Stop
}

Function Get-IpamDomainDnsName {
    <#
    .SYNOPSIS
    The DNS name of a domain, through one of its DCs; ActiveDirectoryObjectNotFoundException when none
    can be contacted.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.domain.getdomain
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    [System.DirectoryServices.ActiveDirectory.Domain]::GetDomain((New-Object -TypeName System.DirectoryServices.ActiveDirectory.DirectoryContext -ArgumentList 'Domain', $Name)).Name
}

Function Get-IpamDomainDistinguishedName {
    <#
    .SYNOPSIS
    The distinguished name of a domain's head object (Domain.GetDirectoryEntry()); the same exception
    as Get-IpamDomainDnsName when the domain cannot be contacted.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.domain.getdirectoryentry
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    [System.DirectoryServices.ActiveDirectory.Domain]::GetDomain((New-Object -TypeName System.DirectoryServices.ActiveDirectory.DirectoryContext -ArgumentList 'Domain', $Name)).GetDirectoryEntry().distinguishedName.Value
}

Function Find-IpamDirectoryObject {
    <#
    .SYNOPSIS
    The first SearchResult of an LDAP search under Path (LDAP://server/DN) with Filter, loading
    Property; $null when nothing matches. Properties are keyed by lowercased attribute name.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directorysearcher.findone
    #>
    [CmdletBinding()]
    [OutputType([System.DirectoryServices.SearchResult])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Filter,

        [Parameter(Mandatory = $true)]
        [string[]]
        $Property
    )
    (New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList @(
            (New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $Path), $Filter, $Property)).FindOne()
}

Function ConvertTo-IpamSidFromBytes {
    <#
    .SYNOPSIS
    The S-1-... string of a binary SID (an objectSid attribute value).
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier.-ctor
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [byte[]]
        $Bytes
    )
    (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $Bytes, 0).Value
}

Function Get-IpamWinNTGroup {
    <#
    .SYNOPSIS
    The group WinNT://<this computer>/<Name>,group (the SAM's groups; the domain's on a domain
    controller) as @{ name; sid; description }, read from one bind's property cache.
    .DESCRIPTION
    COMException 0x800708AC (NERR_GroupNotFound) when there is no such group, 0x80070005 when access
    is denied; PowerShell wraps either in a MethodInvocationException. The caller keeps '/' and ','
    out of Name: they would change the path.
    .LINK
    https://learn.microsoft.com/windows/win32/adsi/winnt-binding-string--adspath-
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    foreach ($entry in , [ADSI]('WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name)) {
        @{
            name = [string]$entry.psbase.InvokeGet('Name')
            sid = (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList ([byte[]]$entry.psbase.InvokeGet('objectSid')), 0).Value
            description = [string]$entry.psbase.InvokeGet('Description')
        }
    }
}

Function Get-IpamWinNTUser {
    <#
    .SYNOPSIS
    The user WinNT://<this computer>/<Name>,user as @{ name; sid }; COMException 0x800708AD
    (NERR_UserNotFound) when there is none.
    .LINK
    https://learn.microsoft.com/windows/win32/adsi/winnt-binding-string--adspath-
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    foreach ($entry in , [ADSI]('WinNT://{0}/{1},user' -f $env:COMPUTERNAME, $Name)) {
        @{
            name = [string]$entry.psbase.InvokeGet('Name')
            sid = (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList ([byte[]]$entry.psbase.InvokeGet('objectSid')), 0).Value
        }
    }
}

Function Get-IpamWinNTGroupMember {
    <#
    .SYNOPSIS
    IADsGroup::Members of the group: one @{ sid; path } per member (objectSid as a SID string, and the
    ADsPath, which is 'WinNT://<SID>' when ADSI could not name the member: an orphaned SID).
    .DESCRIPTION
    A plain loop with one cast per member: casting the raw COM objects in a pipeline fails at random
    once one of them has been invoked (ansible.windows win_group_membership).
    .LINK
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-members
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    foreach ($raw in @(([ADSI]('WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name)).psbase.Invoke('Members'))) {
        $member = [ADSI]$raw
        @{
            sid = (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList ([byte[]]$member.psbase.InvokeGet('objectSid')), 0).Value
            path = [string]$member.psbase.InvokeGet('ADsPath')
        }
    }
}

Function Add-IpamWinNTGroupMember {
    <#
    .SYNOPSIS
    IADsGroup::Add('WinNT://<Sid>'). The COMException (0x80070562 already a member, 0x8007056B no such
    member, 0x80070005 access denied) arrives inside TargetInvocationException and MethodInvocationException.
    .LINK
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-add
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    $null = ([ADSI]('WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name)).psbase.Invoke('Add', [object[]]@("WinNT://$Sid"))
}

Function Remove-IpamWinNTGroupMember {
    <#
    .SYNOPSIS
    IADsGroup::Remove('WinNT://<Sid>'); 0x80070561 when the SID is not a member, wrapped as for Add.
    .LINK
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadsgroup-remove
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    $null = ([ADSI]('WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name)).psbase.Invoke('Remove', [object[]]@("WinNT://$Sid"))
}

Function New-IpamWinNTGroup {
    <#
    .SYNOPSIS
    Creates the local group: IADsContainer::Create('group', Name) on WinNT://<this computer>, then
    IADs::SetInfo, which writes it (NetLocalGroupAdd: 0x80070563 ERROR_ALIAS_EXISTS, 0x800708B0
    NERR_UserExists when a user has the name, 0x80070005).
    .LINK
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadscontainer-create
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    ([ADSI]('WinNT://{0},computer' -f $env:COMPUTERNAME)).Create('group', $Name).SetInfo()
}

Function Set-IpamWinNTGroupDescription {
    <#
    .SYNOPSIS
    Writes the group's Description: DirectoryEntry.InvokeSet into the property cache, then
    CommitChanges (IADs::SetInfo) on the same bound entry.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.invokeset
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Description
    )
    foreach ($entry in , [ADSI]('WinNT://{0}/{1},group' -f $env:COMPUTERNAME, $Name)) {
        $entry.psbase.InvokeSet('Description', $Description)
        $entry.psbase.CommitChanges()
    }
}

Function Remove-IpamWinNTGroup {
    <#
    .SYNOPSIS
    Deletes the local group: IADsContainer::Delete('group', Name) on WinNT://<this computer>
    (0x800708AC when there is none, 0x8007055B ERROR_SPECIAL_ACCOUNT for a builtin group, 0x80070005).
    .LINK
    https://learn.microsoft.com/windows/win32/api/iads/nf-iads-iadscontainer-delete
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    ([ADSI]('WinNT://{0},computer' -f $env:COMPUTERNAME)).Delete('group', $Name)
}

Function Test-IpamFolder {
    <#
    .SYNOPSIS
    Whether the path is an existing folder; $false for a missing folder or drive.
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/test-path
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    Test-Path -LiteralPath $Path -PathType Container
}

Function ConvertFrom-IpamSddlDacl {
    <#
    .SYNOPSIS
    The ACEs of the DACL of an SDDL security descriptor, in order (GenericAce objects: CommonAce for
    allow and deny ACEs); nothing (a $null) when the descriptor has no DACL. ArgumentException when the
    text is not SDDL.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.security.accesscontrol.rawsecuritydescriptor.-ctor
    #>
    [CmdletBinding()]
    [OutputType([System.Security.AccessControl.GenericAce])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sddl
    )
    (New-Object -TypeName System.Security.AccessControl.RawSecurityDescriptor -ArgumentList $Sddl).DiscretionaryAcl
}

Function Get-IpamInstalledUICulture {
    <#
    .SYNOPSIS
    The name of the UI culture Windows was installed with (CultureInfo.InstalledUICulture), e.g. de-DE.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.globalization.cultureinfo.installeduiculture
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    [System.Globalization.CultureInfo]::InstalledUICulture.Name
}

Function Get-IpamHostEntryName {
    <#
    .SYNOPSIS
    This computer's host name as DNS resolves it (Dns.GetHostEntry('').HostName); SocketException when
    the name does not resolve.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.net.dns.gethostentry
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    [System.Net.Dns]::GetHostEntry([string]::Empty).HostName
}

Function Find-IpamWritableDomainController {
    <#
    .SYNOPSIS
    The DNS name of a writable domain controller of the computer's domain (this computer when it is one).
    .DESCRIPTION
    A serverless LDAP bind may reach a read-only DC, which refers every write elsewhere (0x8007202B). The DC
    locator with WriteableRequired (DS_WRITABLE_REQUIRED) answers without a bind; it throws
    ActiveDirectoryObjectNotFoundException off a domain or when no writable DC answers.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.domain.finddomaincontroller
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain().FindDomainController(
        [System.DirectoryServices.ActiveDirectory.LocatorOptions]::WriteableRequired).Name
}

Function Get-IpamDirectoryAttribute {
    <#
    .SYNOPSIS
    One attribute of the object at an LDAP ADsPath (LDAP://<server>/RootDSE for the rootDSE) as a string,
    '' when the object has no value.
    .DESCRIPTION
    RefreshCache(name) loads the attribute from the server, so a failed bind throws (COMException in a
    MethodInvocationException: 0x8007203A server not operational, 0x8007054B no such domain, 0x80072030 no
    such object) where reading .Properties alone would give $null: PowerShell drops the exceptions of
    property getters.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.refreshcache
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    foreach ($entry in , (New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $Path)) {
        $entry.psbase.RefreshCache([string[]]@($Name))
        [string]$entry.psbase.Properties[$Name].Value
    }
}

Function Find-IpamDirectoryValue {
    <#
    .SYNOPSIS
    The values of one attribute of every object a subtree search under an LDAP ADsPath finds with Filter
    (DirectorySearcher.FindAll, paged by 500), one string each on the pipeline; an object without the
    attribute adds none.
    .DESCRIPTION
    A failed bind throws from FindAll (COMException in a MethodInvocationException, as for
    Get-IpamDirectoryAttribute); an invalid filter throws ArgumentException 'The <filter> search filter is
    invalid.' while the results are read. Values put into Filter must be escaped (RFC 4515).
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directorysearcher.findall
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Filter,

        [Parameter(Mandatory = $true)]
        [string]
        $Property
    )
    foreach ($found in (New-Object -TypeName System.DirectoryServices.DirectorySearcher -Property @{ PageSize = 500 } -ArgumentList @(
                (New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $Path), $Filter, [string[]]@($Property))).FindAll()) {
        foreach ($value in $found.Properties[$Property]) {
            [string]$value
        }
    }
}

Function Test-IpamDirectoryObject {
    <#
    .SYNOPSIS
    Whether the object at an LDAP ADsPath exists (DirectoryEntry.Exists): $false for 0x80072030 no such
    object; any other bind failure throws (COMException in a MethodInvocationException).
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.exists
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    [System.DirectoryServices.DirectoryEntry]::Exists($Path)
}

Function Get-IpamDirectoryObjectDacl {
    <#
    .SYNOPSIS
    The DACL of the object at an LDAP ADsPath as GetSecurityDescriptorSddlForm('Access') prints it, read
    with SecurityMasks.Dacl; $null when ObjectSecurity is $null: Active Directory leaves
    nTSecurityDescriptor out, without an error, when the caller may not read it.
    .DESCRIPTION
    The getters are called as methods so that their exceptions surface (a bind failure from get_Options,
    a failed read from get_ObjectSecurity: COMException in a MethodInvocationException).
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.objectsecurity
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    foreach ($entry in , (New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $Path)) {
        $entry.psbase.get_Options().SecurityMasks = [System.DirectoryServices.SecurityMasks]::Dacl
        $security = $entry.psbase.get_ObjectSecurity()
        if ($null -ne $security) {
            $security.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::Access)
        }
    }
}

Function Set-IpamDirectoryObjectDacl {
    <#
    .SYNOPSIS
    Replaces the DACL of the object at an LDAP ADsPath with the DACL of an SDDL string; owner, group and
    SACL are not written (SecurityMasks.Dacl sends the SD flags control for the DACL only).
    .DESCRIPTION
    ArgumentException from SetSecurityDescriptorSddlForm for text that is not SDDL; CommitChanges throws
    the directory's refusal (COMException 0x80070005 access denied, 0x80072030 no such object) in a
    MethodInvocationException.
    .LINK
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.commitchanges
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Sddl
    )
    foreach ($entry in , (New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList $Path)) {
        $entry.psbase.get_Options().SecurityMasks = [System.DirectoryServices.SecurityMasks]::Dacl
        $security = New-Object -TypeName System.DirectoryServices.ActiveDirectorySecurity
        $security.SetSecurityDescriptorSddlForm($Sddl, [System.Security.AccessControl.AccessControlSections]::Access)
        $entry.psbase.set_ObjectSecurity($security)
        $entry.psbase.CommitChanges()
    }
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
