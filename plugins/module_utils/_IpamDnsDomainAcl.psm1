# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.dns_domain_acl, shared by its module (plugins/modules/dns_domain_acl.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.dns_domain_acl. It reads the DACL of the domain's
# CN=MicrosoftDNS,CN=System object (IPAM's domain-wide "DNS DACL") and writes the exact DACL its
# action plugin planned; owner, group and SACL are never written. It makes no decisions of its own.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamWindows

Function Get-IpamDnsDomainAclSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of dns_domain_acl.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            distinguished_name = @{ type = 'str' }
            principals = @{ type = 'list'; elements = 'str'; default = @() }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            sddl = @{ type = 'str' }
            server = @{ type = 'str' }
            record_add = @{ type = 'list'; elements = 'str'; default = @() }
            record_remove = @{ type = 'list'; elements = 'str'; default = @() }
        }
        required_if = @(
            , @('mode', 'apply', @('token', 'sddl', 'distinguished_name'))
        )
        supports_check_mode = $true
    }
    $spec
}

Function Get-AdPath {
    <#
    .SYNOPSIS
    The ADSI path of a DN on one domain controller, so that read, check and write all see one replica.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $DistinguishedName,

        # Empty off a domain, where there is no DC to pin: the bind then fails as Windows fails it.
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $Server
    )
    $escaped = $DistinguishedName.Replace('/', '\/')
    if ($Server) {
        return "LDAP://$Server/$escaped"
    }
    "LDAP://$escaped"
}

Function Get-PinnedServer {
    <#
    .SYNOPSIS
    The domain controller every bind of this run goes to: this one on a writable DC, the one the read used
    (option server) on apply, else a writable DC the locator finds.
    .DESCRIPTION
    Each serverless DirectoryEntry locates a DC of its own, so a read, the compare-and-swap and the write
    could otherwise land on different replicas, and uSNChanged means something only on one. A read-only DC,
    which a serverless bind may also reach from a member, refers the write elsewhere: only a writable one will do.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [bool]
        $OnWritableDomainController
    )
    if ($OnWritableDomainController) {
        return $env:COMPUTERNAME
    }
    if ($module.Params.server) {
        return $module.Params.server
    }
    try {
        $located = Find-IpamWritableDomainController
    }
    catch {
        $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
        $module.FailJson("Cannot locate a writable domain controller of the computer's domain: $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
    }
    $located
}

Function Get-ObjectUsn {
    <#
    .SYNOPSIS
    uSNChanged of the object on the pinned DC: it moves on every write, even one that leaves the DACL text as it was.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $DistinguishedName
    )
    $filter = '(distinguishedName={0})' -f (ConvertTo-IpamLdapFilterValue -Value $DistinguishedName)
    try {
        # A search, not RefreshCache: it returns the large integer as a number, ADSI's cache as a COM object.
        @(Find-IpamDirectoryValue -Path (Get-AdPath -DistinguishedName $DistinguishedName -Server $server) -Filter $filter -Property uSNChanged) -join ''
    }
    catch {
        $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
        $module.FailJson("Cannot read uSNChanged of '$DistinguishedName': $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
    }
}

Function Get-DomainDn {
    <#
    .SYNOPSIS
    The DN of the computer's domain, from rootDSE defaultNamingContext.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    try {
        $rootDsePath = Get-AdPath -DistinguishedName 'RootDSE' -Server $server
        $namingContext = Get-IpamDirectoryAttribute -Path $rootDsePath -Name defaultNamingContext
    }
    catch {
        $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
        $module.FailJson("Cannot read the domain naming context from Active Directory: $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
    }
    if (-not $namingContext) {
        $module.Result.error = 'invalid_state'
        $module.FailJson("Cannot read the domain naming context from Active Directory: the rootDSE of '$rootDsePath' has no defaultNamingContext.")
    }
    $namingContext
}

Function Get-ObjectDacl {
    <#
    .SYNOPSIS
    The DACL of an AD object as GetSecurityDescriptorSddlForm('Access') prints it, or $null when the object does not exist;
    fails with access_denied when the account may not read it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )
    try {
        if (-not (Test-IpamDirectoryObject -Path $Path)) {
            return $null
        }
        $sddl = Get-IpamDirectoryObjectDacl -Path $Path
    }
    catch {
        $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
        $module.FailJson("Cannot read the security descriptor of '$Path': $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
    }
    if ($null -eq $sddl) {
        # The object exists, but ObjectSecurity is $null: Active Directory leaves nTSecurityDescriptor out,
        # without an error, when the caller may not read the parts asked for. That is a refusal, not an
        # absent object (which would make an apply fail as not_found) nor a broken one.
        $module.Result.error = 'access_denied'
        $module.FailJson("Cannot read the security descriptor of '$Path': Active Directory returned none, which it does when the account may not read the object's permissions.")
    }
    $sddl
}

Function Invoke-IpamDnsDomainAcl {
    <#
    .SYNOPSIS
    Runs dns_domain_acl for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    # The ACEs this collection added, per object: '<object>|<ACE>' (docs/design.md 3).
    $recordName = 'AcesAdded'

    $hostInfo = Get-IpamHostInfo
    # A read-only DC binds like a member, to a writable DC. One that could not tell ($null: its own directory
    # did not answer) binds to itself, and reports why that fails.
    $onWritableDomainController = $hostInfo.domain_role -in @(4, 5) -and $hostInfo.read_only_dc -ne $true
    $inDomain = $hostInfo.domain_role -in @(1, 3, 4, 5)
    $dn = $module.Params.distinguished_name
    $module.Result.distinguished_name = $null
    $module.Result.exists = $false
    $module.Result.sddl = $null
    $module.Result.server = $null
    $server = $null
    if ($inDomain) {
        $server = Get-PinnedServer -OnWritableDomainController $onWritableDomainController
        $module.Result.server = $server
        $hostInfo.domain_dn = Get-DomainDn
        if (-not $dn) {
            $dn = "CN=MicrosoftDNS,CN=System,$($hostInfo.domain_dn)"
        }
    }
    $module.Result.host = $hostInfo
    $module.Result.token = $null
    if ($dn) {
        $path = Get-AdPath -DistinguishedName $dn -Server $server
        $module.Result.distinguished_name = $dn
        $module.Result.sddl = Get-ObjectDacl -Path $path
        $module.Result.exists = $null -ne $module.Result.sddl
        if ($module.Result.exists) {
            # A write that puts the same text back (A, B, A) still moves uSNChanged: the token sees it.
            $module.Result.token = '{0}|{1}' -f (Get-ObjectUsn -DistinguishedName $dn), $module.Result.sddl
        }
    }
    $module.Result.recorded = @()
    if ($dn) {
        # Recorded on the host that made the change (on a domain controller, that DC); @(): one entry is still a list.
        $recordObject = "directory:$dn"
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)
    }

    if ($module.Params.mode -eq 'read') {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
        $module.ExitJson()
    }

    if (-not $module.Result.exists) {
        $module.Result.error = 'not_found'
        $module.FailJson("The Active Directory object '$dn' was not found.")
    }
    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The DACL of '$dn' (on $server)"

    $changed = $module.Params.sddl -cne $module.Result.sddl
    if (-not $module.CheckMode) {
        # Write-ahead: the ACEs about to be added are recorded first and the removed ones forgotten last.
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Add $module.Params.record_add -Module $module
        if ($changed) {
            try {
                # Only the DACL is written: owner, group and SACL stay as they are (and need no extra privilege).
                Set-IpamDirectoryObjectDacl -Path $path -Sddl $module.Params.sddl
            }
            catch {
                $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
                $module.FailJson("Cannot write the DACL of '$dn': $(Get-IpamAdsiErrorText -Exception $_.Exception)", $_)
            }
            $module.Result.sddl = Get-ObjectDacl -Path $path
            $module.Result.token = '{0}|{1}' -f (Get-ObjectUsn -DistinguishedName $dn), $module.Result.sddl
        }
        Set-IpamOwnedEntry -Name $recordName -Object $recordObject -Remove $module.Params.record_remove -Module $module
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $recordObject)
    }
    $module.Result.changed = $changed
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamDnsDomainAclSpec, Invoke-IpamDnsDomainAcl
