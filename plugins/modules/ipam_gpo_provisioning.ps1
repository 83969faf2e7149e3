#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamWindows

# Remote half of ipam.provisioning.ipam_gpo_provisioning, run on the IPAM server. It reports the IPAM
# configuration, the domain, the three provisioning GPOs with every permission (security filtering is
# the GpoApply entries), the computers and delegated principals named in the task, and applies
# exactly what its action plugin planned: Invoke-IpamGpoProvisioning, Set-GPPermission, Remove-GPO.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        domain = @{ type = 'str'; required = $true }
        gpo_prefix = @{ type = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        principals = @{ type = 'list'; elements = 'str'; default = @() }
        servers = @{ type = 'list'; elements = 'str'; default = @() }
        provision = @{ type = 'bool'; default = $false }
        ipam_server_fqdn = @{ type = 'str' }
        delegated_gpo_users = @{ type = 'list'; elements = 'str'; default = @() }
        delegated_gpo_groups = @{ type = 'list'; elements = 'str'; default = @() }
        permissions = @{
            type = 'list'
            elements = 'dict'
            default = @()
            options = @{
                gpo = @{ type = 'str'; required = $true }
                target = @{ type = 'str'; required = $true }
                target_type = @{ type = 'str'; required = $true; choices = 'Computer', 'User', 'Group' }
                level = @{ type = 'str'; required = $true; choices = 'GpoApply', 'GpoEditDeleteModifySecurity', 'None' }
            }
        }
        delete = @{ type = 'list'; elements = 'str'; default = @() }
        record_created = @{ type = 'bool' }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$domainName = $module.Params.domain
$prefix = $module.Params.gpo_prefix
# The suffixes Invoke-IpamGpoProvisioning gives its GPOs (ipam-facts.md section 7).
$suffixes = 'DHCP', 'DNS', 'DC_NPS'
# IDs of the GPOs this collection created with Invoke-IpamGpoProvisioning.
$recordName = 'GposCreated'
# GPOs about to be created have no IDs yet: 'pending:<domain>/<prefix>' is recorded before
# Invoke-IpamGpoProvisioning and replaced by their IDs after, so a run stopped in between (even with only
# part of the set created) leaves GPOs known as ours, which the next run makes again or deletes.
$pendingEntry = 'pending:{0}/{1}' -f $domainName.ToLowerInvariant(), $prefix.ToLowerInvariant()

Function Get-IpamConfigurationInfo {
    <#
    .SYNOPSIS
    {installed, provisioning_method, gpo_prefix} of this host's IPAM server (installed false without the feature).
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $info = @{ installed = $false; provisioning_method = $null; gpo_prefix = $null; error = $null }
    try {
        Import-Module -Name IpamServer -ErrorAction Stop
        $configuration = Get-IpamConfiguration -ErrorAction Stop
        $info.installed = $true
        $info.provisioning_method = [string]$configuration.ProvisioningMethod
        $info.gpo_prefix = $configuration.GpoPrefix
    }
    catch {
        $info.error = $_.Exception.Message
    }
    $info
}

Function Assert-NetworkCredential {
    <#
    .SYNOPSIS
    Fails the module, before anything is read or written, when the domain's DCs answer this logon as anonymous.
    .DESCRIPTION
    The GroupPolicy cmdlets and the LDAP lookups reach a DC with the caller's credentials: a second hop. A
    WinRM logon with NTLM, or with Kerberos without delegation, has none to pass on, so Active Directory
    sees an anonymous connection and answers everything but the rootDSE with an operations error
    (ERROR_DS_OPERATIONS_ERROR, 0x80072020). One search for this computer's own account tells that apart
    from every other failure; those are left to the reads that follow, which report them as before.
    .LINK
    https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop
    .LINK
    https://learn.microsoft.com/troubleshoot/windows-server/identity/anonymous-ldap-operations-active-directory-disabled
    #>
    [CmdletBinding()]
    param ()
    try {
        $ownAccount = '(sAMAccountName={0}$)' -f (ConvertTo-IpamLdapFilterValue -Value $env:COMPUTERNAME)
        $null = Find-IpamDirectoryObject -Path ('LDAP://{0}' -f $domainName) -Filter $ownAccount -Property 'objectSid'
    }
    catch {
        if (Test-IpamAnonymousRefusal -Exception $_.Exception) {
            $module.Result.error = Get-IpamAdsiErrorCode -Exception $_.Exception
            $hint = 'For this module, give the task become (the ipam_server role: ipam_gpo_become) with a domain account that may manage GPOs.'
            $module.FailJson(('Cannot reach Active Directory and Group Policy of {0} from {1}: {2}. {3}' -f
                    $domainName, $env:COMPUTERNAME, (Get-IpamAdsiErrorText -Exception $_.Exception), $hint), $_)
        }
    }
}

Function Get-DomainInfo {
    <#
    .SYNOPSIS
    {name, exists, dn, error} of the domain the GPOs live in.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    $info = @{ name = $Name; exists = $false; dn = $null; error = $null }
    try {
        $info.name = Get-IpamDomainDnsName -Name $Name
        $info.dn = Get-IpamDomainDistinguishedName -Name $Name
        $info.exists = $true
    }
    catch {
        $info.error = $_.Exception.Message
    }
    $info
}

Function Find-Gpo {
    <#
    .SYNOPSIS
    The GPO of that display name in the domain, or nothing when the domain has none.
    .DESCRIPTION
    Only Get-GPO's GpoWithNameNotFound means absent; whether it is terminating is not documented, so
    -ErrorAction Stop makes it so either way, and every other error (access denied, an unreachable
    domain) fails the module with its code instead of reading as "no GPO".
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    Invoke-IpamCmdlet -Module $module -Description "Get-GPO -Name $Name -Domain $domainName" -Action {
        try {
            Get-GPO -Name $Name -Domain $domainName -ErrorAction Stop
        }
        catch {
            if ($_.FullyQualifiedErrorId -notlike 'GpoWithNameNotFound,*') {
                throw
            }
        }
    }
}

Function Get-GpoInfo {
    <#
    .SYNOPSIS
    One provisioning GPO with every permission entry {sid, name, type, level}, or exists = false.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Suffix
    )
    $info = @{ name = $Name; suffix = $Suffix; exists = $false; id = $null; permissions = @() }
    $gpo = Find-Gpo -Name $Name
    if (-not $gpo) {
        return $info
    }
    $info.exists = $true
    $info.id = $gpo.Id.ToString()
    $entries = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($permission in (Get-GPPermission -Guid $gpo.Id -Domain $domainName -All)) {
        $trustee = $permission.Trustee
        $account = $trustee.Name
        if ($trustee.Domain) {
            $account = '{0}\{1}' -f $trustee.Domain, $trustee.Name
        }
        $entries.Add(@{ sid = $trustee.Sid.Value; name = $account; type = [string]$trustee.SidType; level = [string]$permission.Permission })
    }
    $info.permissions = $entries
    $info
}

Function Get-GpoToken {
    <#
    .SYNOPSIS
    Compare-and-swap token: per GPO 'name=absent' or 'name=<id>:<sid>=<level>,...' (sorted ordinally), joined by ';'.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [object[]]
        $Gpos
    )
    $parts = foreach ($gpo in $Gpos) {
        if (-not $gpo.exists) {
            '{0}=absent' -f $gpo.name
            continue
        }
        $entries = [string[]]@($gpo.permissions | ForEach-Object { '{0}={1}' -f $_.sid, $_.level })
        [System.Array]::Sort($entries, [System.StringComparer]::Ordinal)
        '{0}={1}:{2}' -f $gpo.name, $gpo.id, ($entries -join ',')
    }
    $parts -join ';'
}

Function Resolve-Computer {
    <#
    .SYNOPSIS
    Each server FQDN as its computer account in the domain: {input, sid, name, sam, error}.
    #>
    [CmdletBinding()]
    param (
        [AllowEmptyCollection()]
        [string[]]
        $Fqdn,

        [AllowNull()]
        [string]
        $DomainDn
    )
    $resolved = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($text in $Fqdn) {
        $entry = @{ input = $text; sid = $null; name = $null; sam = $null; error = $null }
        try {
            $searchParams = @{
                Path = 'LDAP://{0}/{1}' -f $domainName, $DomainDn
                # RFC 4515: the name is a value, so '*', '(', ')' and '\' in it are escaped, never read as filter syntax.
                Filter = '(&(objectCategory=computer)(dNSHostName={0}))' -f (ConvertTo-IpamLdapFilterValue -Value $text.TrimEnd('.'))
                Property = 'objectSid', 'sAMAccountName'
            }
            $found = Find-IpamDirectoryObject @searchParams
            if ($found) {
                $sid = ConvertTo-IpamSidFromBytes -Bytes ([byte[]]$found.Properties['objectsid'][0])
                $entry.sid = $sid
                $entry.sam = [string]$found.Properties['samaccountname'][0]
                $entry.name = ConvertTo-IpamAccountName -Sid $sid
            }
            else {
                $entry.error = "No computer account with dNSHostName $text in domain $domainName."
            }
        }
        catch {
            $entry.error = $_.Exception.Message
        }
        $resolved.Add($entry)
    }
    , $resolved
}

Function Get-ProvisioningState {
    <#
    .SYNOPSIS
    The three GPOs, which of them this collection created, and the token.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $recorded = @(Get-IpamRecord -Name $recordName)
    $pending = $recorded -contains $pendingEntry
    $gpos = foreach ($suffix in $suffixes) {
        $info = Get-GpoInfo -Name ('{0}_{1}' -f $prefix, $suffix) -Suffix $suffix
        $info.created_by_collection = $info.exists -and ($recorded -contains $info.id -or $pending)
        $info
    }
    @{ gpos = @($gpos); token = Get-GpoToken -Gpos @($gpos); record_pending = $pending }
}

Function Get-SetId {
    <#
    .SYNOPSIS
    The IDs of the GPOs of this prefix that exist now.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    foreach ($suffix in $suffixes) {
        $found = Find-Gpo -Name ('{0}_{1}' -f $prefix, $suffix)
        if ($found) {
            $found.Id.ToString()
        }
    }
}

$module.Result.host = Get-IpamHostInfo
$ipam = Get-IpamConfigurationInfo
$module.Result.ipam = $ipam
Assert-NetworkCredential
$domainInfo = Get-DomainInfo -Name $domainName
$module.Result.domain = $domainInfo
$module.Result.gpos = @()
$module.Result.token = 'unavailable'
if ($domainInfo.exists) {
    try {
        Import-Module -Name GroupPolicy -ErrorAction Stop
    }
    catch {
        $module.Result.error = 'not_found'
        $module.FailJson("The GroupPolicy PowerShell module is not available on $($env:COMPUTERNAME) (install the GPMC feature): $($_.Exception.Message)", $_)
    }
    $state = Get-ProvisioningState
    $module.Result.gpos = $state.gpos
    $module.Result.token = $state.token
    $module.Result.record_pending = $state.record_pending
}

if ($module.Params.mode -eq 'read') {
    $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
    $module.Result.servers = @()
    # Every GPO named like an IPAM provisioning GPO, so the controller can see other prefixes.
    $module.Result.ipam_like_gpos = @()
    if ($domainInfo.exists) {
        $module.Result.servers = Resolve-Computer -Fqdn $module.Params.servers -DomainDn $domainInfo.dn
        $module.Result.ipam_like_gpos = @(Get-GPO -All -Domain $domainName | Where-Object {
                $_.DisplayName -like '*_DHCP' -or $_.DisplayName -like '*_DNS' -or $_.DisplayName -like '*_DC_NPS'
            } | ForEach-Object { $_.DisplayName } | Sort-Object)
    }
    $module.ExitJson()
}

if (-not $domainInfo.exists) {
    $module.Result.error = 'not_found'
    $module.FailJson("Domain '$domainName' does not exist or cannot be contacted: $($domainInfo.error)")
}
Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $state.token -What "The GPOs $($prefix)_DHCP, $($prefix)_DNS and $($prefix)_DC_NPS"

# Deletions come first: a part of the set that a stopped run created must go before
# Invoke-IpamGpoProvisioning, which fails when any of the three GPOs exists.
foreach ($id in $module.Params.delete) {
    if (-not $module.CheckMode) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Remove-GPO -Guid $id" -Action { Remove-GPO -Guid $id -Domain $domainName -Confirm:$false -ErrorAction Stop }
    }
}
if ($module.Params.record_created -eq $false -and -not $module.CheckMode -and ($module.Params.delete.Count -or $state.record_pending)) {
    Set-IpamRecordEntry -Name $recordName -Entry $module.Params.delete -Present $false -Replace $pendingEntry -Module $module
}

if ($module.Params.provision -and -not $module.CheckMode) {
    $invokeParams = @{ Domain = $domainName; GpoPrefixName = $prefix; Force = $true; ErrorAction = 'Stop' }
    if ($module.Params.ipam_server_fqdn) {
        $invokeParams.IpamServerFqdn = $module.Params.ipam_server_fqdn
    }
    if ($module.Params.delegated_gpo_users.Count) {
        $invokeParams.DelegatedGpoUser = [string[]]$module.Params.delegated_gpo_users
    }
    if ($module.Params.delegated_gpo_groups.Count) {
        $invokeParams.DelegatedGpoGroup = [string[]]$module.Params.delegated_gpo_groups
    }
    if ($module.Params.record_created -eq $true) {
        Set-IpamRecordEntry -Name $recordName -Entry $pendingEntry -Present $true -Module $module
    }
    $null = Invoke-IpamCmdlet -Module $module -Description "Invoke-IpamGpoProvisioning -Domain $domainName -GpoPrefixName $prefix" -Action {
        Invoke-IpamGpoProvisioning @invokeParams
    }
    if ($module.Params.record_created -eq $true) {
        Set-IpamRecordEntry -Name $recordName -Entry @(Get-SetId) -Present $true -Replace $pendingEntry -Module $module
    }
}

foreach ($permission in $module.Params.permissions) {
    if ($module.CheckMode) {
        continue
    }
    $permissionParams = @{
        Name = $permission.gpo
        Domain = $domainName
        TargetName = $permission.target
        TargetType = $permission.target_type
        PermissionLevel = $permission.level
        ErrorAction = 'Stop'
    }
    if ($permission.level -eq 'None') {
        # Removing a permission needs -Replace (Set-GPPermission help).
        $permissionParams.Replace = $true
    }
    $null = Invoke-IpamCmdlet -Module $module -Description "Set-GPPermission -Name $($permission.gpo) -TargetName $($permission.target) -PermissionLevel $($permission.level)" -Action {
        Set-GPPermission @permissionParams
    }
}

if (-not $module.CheckMode) {
    $state = Get-ProvisioningState
    $module.Result.gpos = $state.gpos
    $module.Result.token = $state.token
    $module.Result.record_pending = $state.record_pending
}
$module.Result.changed = $true
$module.ExitJson()
