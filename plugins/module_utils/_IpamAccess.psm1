# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Internal helpers shared by the PowerShell halves of ipam.provisioning modules.
# Internal use only: the interface can change without notice. The modules only read state and
# apply changes planned by their Python action plugins (see docs/design.md). Every Windows-only
# .NET or registry call goes through _IpamWindows.psm1, the one file the test harness replaces.

#AnsibleRequires -PowerShell ._IpamWindows

$script:IpamRecordKey = 'HKLM:\SOFTWARE\ipam.provisioning'
# E_ACCESSDENIED (0x80070005), as .NET's Exception.HResult holds it.
$script:IpamEAccessDenied = -2147024891
# E_ACCESSDENIED and LDAP_INSUFFICIENT_RIGHTS (0x80072098): a failed ADSI call that is a refusal.
$script:IpamAccessDenied = @($script:IpamEAccessDenied, -2147016552)
# ERROR_DS_OPERATIONS_ERROR (0x80072020): Active Directory's answer to an anonymous connection for anything
# but a bind and the rootDSE, which is what a logon without network credentials reaches another machine as.
# https://learn.microsoft.com/troubleshoot/windows-server/identity/anonymous-ldap-operations-active-directory-disabled
$script:IpamAnonymousRefused = -2147016672
$script:IpamSecondHopText = 'the domain controller answered this connection as anonymous: the logon has no network ' +
    'credentials to pass on to another machine (the second hop of WinRM with NTLM, or Kerberos without delegation); ' +
    'use become (runas with a domain account), CredSSP or Kerberos delegation'

Function ConvertTo-IpamAccountName {
    <#
    .SYNOPSIS
    The NTAccount name of a SID (string or SecurityIdentifier), or $null when it no longer
    resolves (orphaned SID).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    ConvertTo-IpamNameFromSid -Sid $Sid
}

Function Resolve-IpamPrincipal {
    <#
    .SYNOPSIS
    Resolves each principal string on this host; never throws for one that does not resolve.
    .DESCRIPTION
    Accepts DOMAIN\name, DOMAIN\HOST$, name@domain, .\name and SID strings. A SID string that no
    longer maps to an account is returned with a null name (orphaned); a name that does not map
    is returned with a null SID and the Windows error text, so the controller can fail clearly.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[Hashtable]])]
    param (
        [AllowEmptyCollection()]
        [string[]]
        $Name = @()
    )
    $resolved = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($text in $Name) {
        $entry = @{ input = $text; sid = $null; name = $null; error = $null }
        try {
            if ($text -match '^S-1-[0-9-]+$') {
                $sid = ConvertTo-IpamCanonicalSid -Sid $text
            }
            else {
                $account = $text
                if ($account.StartsWith('.\')) {
                    $account = '{0}\{1}' -f $env:COMPUTERNAME, $account.Substring(2)
                }
                try {
                    $sid = ConvertTo-IpamSidFromName -Name $account
                }
                catch {
                    $notMapped = $_
                    # A builtin group (Event Log Readers) belongs to BUILTIN, not to the computer's own account
                    # domain, so '<COMPUTERNAME>\name' does not map; ansible.windows' Convert-ToSID looks local
                    # groups up by the bare name for that reason. Only a builtin SID is taken from the bare name, so
                    # a domain account of the same name is never picked up instead.
                    $prefix = '{0}\' -f $env:COMPUTERNAME
                    if (-not $account.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) {
                        throw $notMapped
                    }
                    $builtin = $null
                    try {
                        $builtin = ConvertTo-IpamSidFromName -Name $account.Substring($prefix.Length)
                    }
                    catch {
                        $builtin = $null
                    }
                    if (-not $builtin -or -not $builtin.StartsWith('S-1-5-32-')) {
                        throw $notMapped
                    }
                    $sid = $builtin
                }
            }
            $entry.sid = $sid
            $entry.name = ConvertTo-IpamAccountName -Sid $sid
        }
        catch {
            $entry.error = $_.Exception.Message
        }
        $resolved.Add($entry)
    }
    , $resolved
}

Function Get-IpamHostInfo {
    <#
    .SYNOPSIS
    The host facts every read reports: name, Win32_ComputerSystem.DomainRole, the domain SID and whether the
    host is a read-only domain controller.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem -Property DomainRole, PartOfDomain
    # The domain SID lets the controller resolve domain-relative SDDL aliases such as DA or DU.
    $domainSid = $null
    if ($cs.PartOfDomain) {
        try {
            $domainSid = Get-IpamComputerDomainSid
        }
        catch {
            $domainSid = $null  # no DC reachable: aliases stay unresolved, which only makes comparisons stricter
        }
    }
    # DomainRole 4 (backup DC) covers read-only DCs too, which refer every write to a writable DC. An RODC's
    # rootDSE lists LDAP_CAP_ACTIVE_DIRECTORY_PARTIAL_SECRETS_OID (MS-ADTS 3.1.1.3.4.3); the PDC (5) never is one.
    $readOnly = $false
    if ($cs.DomainRole -eq 4) {
        try {
            $capabilities = Get-IpamDirectoryAttribute -Path "LDAP://$env:COMPUTERNAME/RootDSE" -Name supportedCapabilities
            $readOnly = ($capabilities -split ' ') -contains '1.2.840.113556.1.4.1920'
        }
        catch {
            $readOnly = $null  # unknown: the directory is unreadable, which the settings that need it report
        }
    }
    @{ name = $env:COMPUTERNAME; domain_role = [int]$cs.DomainRole; domain_sid = $domainSid; read_only_dc = $readOnly }
}

Function Assert-IpamToken {
    <#
    .SYNOPSIS
    Compare-and-swap: fails the module, writing nothing, when the state changed since it was read.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $Expected,

        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $Actual,

        [Parameter(Mandatory = $true)]
        [string]
        $What
    )
    if ($Expected -cne $Actual) {
        $Module.Result.error = 'changed_since_read'
        $Module.FailJson("$What changed between read and apply; nothing was written. Run the task again to plan against the new state.")
    }
}

Function Get-IpamRecord {
    <#
    .SYNOPSIS
    Reads a list this collection keeps on the host (what it created or enabled), for exact removal.
    .DESCRIPTION
    Writes each entry to the pipeline (none when nothing is recorded), so @(Get-IpamRecord ...) and
    Get-IpamRecord ... | Where-Object see one item per entry. A missing key or value is an empty
    record; any other failure to read (access denied) is an error, never an empty record.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    if (-not (Test-IpamRegistryKey -Path $script:IpamRecordKey)) {
        return
    }
    if ((Get-IpamRegistryValueName -Path $script:IpamRecordKey) -notcontains $Name) {
        return
    }
    # Get-IpamRegistryValue writes the REG_MULTI_SZ string[] as ONE object; @(...) around the call
    # would make that a one-item array and [string] would join the entries with spaces. Assigned, it
    # is the string[] itself, and foreach enumerates its entries.
    $value = Get-IpamRegistryValue -Path $script:IpamRecordKey -Name $Name
    foreach ($entry in $value) {
        [string]$entry
    }
}

Function Set-IpamRecord {
    <#
    .SYNOPSIS
    Writes a record list (REG_MULTI_SZ); an empty list removes the value.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [AllowEmptyCollection()]
        [string[]]
        $Value,

        # The module to fail, with error access_denied, when the account may not write the record.
        [Object]
        $Module
    )
    try {
        if ($Value.Count -eq 0) {
            $present = (Test-IpamRegistryKey -Path $script:IpamRecordKey) -and
            (Get-IpamRegistryValueName -Path $script:IpamRecordKey) -contains $Name
            if ($present) {
                Remove-IpamRegistryValue -Path $script:IpamRecordKey -Name $Name
            }
            return
        }
        if (-not (Test-IpamRegistryKey -Path $script:IpamRecordKey)) {
            New-IpamRegistryKey -Path $script:IpamRecordKey
        }
        Set-IpamRegistryValue -Path $script:IpamRecordKey -Name $Name -Value $Value -Kind MultiString
    }
    catch [System.UnauthorizedAccessException], [System.Security.SecurityException] {
        if ($null -eq $Module) {
            throw
        }
        $Module.Result.error = 'access_denied'
        $Module.FailJson("Access is denied writing the ownership record $($script:IpamRecordKey)\$Name.", $_)
    }
}

Function Set-IpamRecordEntry {
    <#
    .SYNOPSIS
    Adds entries to, or removes them from, a record list (what this collection created or enabled), in one write.
    .DESCRIPTION
    Entries in -Replace are dropped in the same write (a pending entry swapped for the SID or IDs it stood for).
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        # Several at once (the GPOs of one provisioning set); none drops only -Replace.
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]]
        $Entry,

        [Parameter(Mandatory = $true)]
        [bool]
        $Present,

        [AllowEmptyCollection()]
        [string[]]
        $Replace = @(),

        # The module to fail, with error access_denied, when the account may not write the record.
        [Object]
        $Module
    )
    $kept = [System.Collections.Generic.List[string]]@()
    foreach ($item in (Get-IpamRecord -Name $Name)) {
        if ($item -and $Entry -notcontains $item -and $Replace -notcontains $item) {
            $kept.Add($item)
        }
    }
    if ($Present) {
        $kept.AddRange($Entry)
    }
    Set-IpamRecord -Name $Name -Value $kept.ToArray() -Module $Module
}

Function Get-IpamOwnedEntry {
    <#
    .SYNOPSIS
    The entries an ownership record holds for one object (a group, a security descriptor, a share).
    .DESCRIPTION
    Ownership records list what this collection added to an object someone else owns (a member of a
    group, an ACE, a share right) as '<object>|<entry>' lines of one REG_MULTI_SZ value, so removal
    takes away only those and leaves what was there before. Writes each entry without its object prefix.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Object
    )
    $prefix = "$Object|"
    foreach ($item in (Get-IpamRecord -Name $Name)) {
        if ($item.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) {
            $item.Substring($prefix.Length)
        }
    }
}

Function Set-IpamOwnedEntry {
    <#
    .SYNOPSIS
    Adds entries of one object to an ownership record, or drops them; writes nothing when nothing changes.
    .DESCRIPTION
    Callers add the entries before they make the change and drop them after they undo it
    (write-ahead), so a run that stops in between leaves a record the next run can act on: an entry
    whose grant is missing is re-granted by provisioning and forgotten by removal.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [string]
        $Object,

        [AllowEmptyCollection()]
        [string[]]
        $Add = @(),

        [AllowEmptyCollection()]
        [string[]]
        $Remove = @(),

        # The module to fail, with error access_denied, when the account may not write the record.
        [Object]
        $Module
    )
    $prefix = "$Object|"
    $before = [string[]]@(Get-IpamRecord -Name $Name)
    $kept = [System.Collections.Generic.List[string]]@()
    foreach ($item in $before) {
        $mine = $item.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)
        if ($item -and -not ($mine -and $Remove -contains $item.Substring($prefix.Length))) {
            $kept.Add($item)
        }
    }
    foreach ($entry in $Add) {
        if ($entry -and -not $kept.Contains("$prefix$entry")) {
            $kept.Add("$prefix$entry")
        }
    }
    # Compared by hand: Compare-Object refuses an empty list.
    $unchanged = $kept.Count -eq $before.Count
    for ($i = 0; $unchanged -and $i -lt $kept.Count; $i++) {
        $unchanged = $kept[$i] -ceq $before[$i]
    }
    if (-not $unchanged) {
        Set-IpamRecord -Name $Name -Value $kept.ToArray() -Module $Module
    }
}

Function Stop-IpamCmdletFailure {
    <#
    .SYNOPSIS
    Fails a module for a cmdlet's error record, with error code access_denied when Windows refused the
    caller, else invalid_state.
    .DESCRIPTION
    Cmdlets report ERROR_ACCESS_DENIED in several ways: the category PermissionDenied, a .NET
    UnauthorizedAccessException (also wrapped by a method call) or HResult 0x80070005, a CIM error
    'Windows System Error 5,<cmdlet>' (SMB, NetSecurity) or 'HRESULT 0x80070005,<cmdlet>' (ScheduledTasks),
    or an error id that says so (IpamServer). Categories, HResults and ids are never localized; the
    message is, so the English text is only the last resort.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [Parameter(Mandatory = $true)]
        [string]
        $Description,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord
    )
    $exception = $ErrorRecord.Exception
    $cause = Get-IpamInnermostException -Exception $exception
    $message = $exception.Message
    $denied = $ErrorRecord.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::PermissionDenied -or
    $exception -is [System.UnauthorizedAccessException] -or
    $cause -is [System.UnauthorizedAccessException] -or
    $exception.HResult -eq $script:IpamEAccessDenied -or
    $cause.HResult -eq $script:IpamEAccessDenied -or
    $ErrorRecord.FullyQualifiedErrorId -like 'Windows System Error 5,*' -or
    $ErrorRecord.FullyQualifiedErrorId -like 'HRESULT 0x80070005,*' -or
    $ErrorRecord.FullyQualifiedErrorId -like '*AccessDenied*' -or
    $message -like '*Access is denied*'
    if ($denied) {
        $Module.Result.error = 'access_denied'
        $Module.FailJson("Access is denied: $Description.", $ErrorRecord)
    }
    $Module.Result.error = 'invalid_state'
    $Module.FailJson("$Description failed: $message", $ErrorRecord)
}

Function Invoke-IpamCmdlet {
    <#
    .SYNOPSIS
    Runs one cmdlet for a module, turning its failure into a module failure with an error code.
    .DESCRIPTION
    Returns the cmdlet's output (callers that only act discard it with $null =). The script block
    runs in the caller's scope, so it sees the caller's variables; it must use -ErrorAction Stop so
    that a cmdlet's non-terminating error reaches the catch.
    With -Lookup the cmdlet looks an object up, and an error of the category ObjectNotFound (never
    localized) returns nothing: the object is absent. -ErrorAction SilentlyContinue would hide an access
    denied, RPC or WMI failure as well, and the plan would then create what may well be there.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [Parameter(Mandatory = $true)]
        [string]
        $Description,

        [Parameter(Mandatory = $true)]
        [scriptblock]
        $Action,

        [switch]
        $Lookup
    )
    try {
        & $Action
    }
    catch {
        if (-not ($Lookup -and $_.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound)) {
            Stop-IpamCmdletFailure -Module $Module -Description $Description -ErrorRecord $_
        }
    }
}

Function ConvertTo-IpamLdapFilterValue {
    <#
    .SYNOPSIS
    A value escaped for an LDAP search filter (RFC 4515 section 3): '\' '*' '(' ')' and NUL as \5c \2a \28
    \29 \00, so that a value put into a filter with -f matches itself and cannot change the filter.
    .LINK
    https://www.rfc-editor.org/rfc/rfc4515#section-3
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Value
    )
    # The backslash first, so the escapes added after it are not escaped again.
    $Value.Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29').Replace([string][char]0, '\00')
}

Function Get-IpamInnermostException {
    <#
    .SYNOPSIS
    The COM or Win32 exception inside the wrappers PowerShell and reflection put around it.
    #>
    [CmdletBinding()]
    [OutputType([System.Exception])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    $inner = $Exception
    while ($null -ne $inner.InnerException) {
        $inner = $inner.InnerException
    }
    $inner
}

Function Test-IpamAnonymousRefusal {
    <#
    .SYNOPSIS
    Whether a failed ADSI call is Active Directory refusing an anonymous connection (0x80072020): a logon
    without network credentials reaching another machine, the second hop.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    (Get-IpamInnermostException -Exception $Exception).HResult -eq $script:IpamAnonymousRefused
}

Function Get-IpamAdsiErrorCode {
    <#
    .SYNOPSIS
    The collection's error code for a failed ADSI (WinNT or LDAP) call: access_denied for E_ACCESSDENIED (a
    COMException or an UnauthorizedAccessException, both HResult 0x80070005), LDAP_INSUFFICIENT_RIGHTS
    (0x80072098) or an anonymous connection refused (0x80072020), else invalid_state.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    $cause = Get-IpamInnermostException -Exception $Exception
    if ($cause -is [System.UnauthorizedAccessException] -or $script:IpamAccessDenied -contains $cause.HResult -or
        (Test-IpamAnonymousRefusal -Exception $Exception)) {
        'access_denied'
    }
    else {
        'invalid_state'
    }
}

Function Get-IpamAdsiErrorText {
    <#
    .SYNOPSIS
    The Windows text of a failed ADSI call (the innermost exception's, without FormatMessage's line end),
    and what it means when Active Directory refused an anonymous connection: the second hop.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [System.Exception]
        $Exception
    )
    $cause = Get-IpamInnermostException -Exception $Exception
    if (Test-IpamAnonymousRefusal -Exception $Exception) {
        '{0} ({1})' -f $cause.Message.Trim(), $script:IpamSecondHopText
    }
    else {
        $cause.Message.Trim()
    }
}

$exportMembers = @{
    Function = 'ConvertTo-IpamAccountName', 'Resolve-IpamPrincipal', 'Get-IpamHostInfo', 'Assert-IpamToken',
    'Get-IpamRecord', 'Set-IpamRecord', 'Set-IpamRecordEntry', 'Get-IpamOwnedEntry', 'Set-IpamOwnedEntry', 'Stop-IpamCmdletFailure', 'Invoke-IpamCmdlet', 'ConvertTo-IpamLdapFilterValue',
    'Get-IpamInnermostException', 'Test-IpamAnonymousRefusal', 'Get-IpamAdsiErrorCode', 'Get-IpamAdsiErrorText'
}
Export-ModuleMember @exportMembers
