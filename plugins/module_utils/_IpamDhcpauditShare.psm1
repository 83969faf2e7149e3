# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.dhcpaudit_share, shared by its module (plugins/modules/dhcpaudit_share.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.dhcpaudit_share. It reports the DHCP audit folder and the share
# (access list by SID), and applies exactly the create/grant/revoke/delete its action plugin planned.
# The SMB cmdlets do not honour -WhatIf, so every one of them sits behind a check-mode guard.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamWindows

Function Get-IpamDhcpauditShareSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of dhcpaudit_share.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            name = @{ type = 'str'; required = $true }
            path = @{ type = 'str' }
            principals = @{ type = 'list'; elements = 'str'; default = @() }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            create = @{ type = 'bool'; default = $false }
            grant = @{ type = 'list'; elements = 'str'; default = @() }
            revoke = @{ type = 'list'; elements = 'str'; default = @() }
            delete = @{ type = 'bool'; default = $false }
            record_created = @{ type = 'bool' }
            record_add = @{ type = 'list'; elements = 'str'; default = @() }
            record_remove = @{ type = 'list'; elements = 'str'; default = @() }
        }
        required_if = @(
            , @('mode', 'apply', @('token'))
        )
        supports_check_mode = $true
    }
    $spec
}

Function Get-DhcpLogFilePath {
    <#
    .SYNOPSIS
    DhcpLogFilePath as Get-ItemProperty reads it (a REG_EXPAND_SZ expanded), or $null when the key or
    the value is missing.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()
    try {
        if (-not (Test-IpamRegistryKey -Path $dhcpParametersKey)) {
            return $null
        }
        $value = Get-IpamRegistryValue -Path $dhcpParametersKey -Name $dhcpLogPathValue
        if ($null -eq $value) {
            return $null
        }
        $text = [string]$value
        if ((Get-IpamRegistryValueKind -Path $dhcpParametersKey -Name $dhcpLogPathValue) -eq 'ExpandString') {
            $text = [System.Environment]::ExpandEnvironmentVariables($text)
        }
        $text
    }
    catch [System.Security.SecurityException], [System.UnauthorizedAccessException] {
        $module.Result.error = 'access_denied'
        $module.FailJson("Access is denied reading $dhcpLogPathValue of $($dhcpParametersKey.Replace('HKLM:', 'HKLM')).", $_)
    }
}

Function Get-AuditFolder {
    <#
    .SYNOPSIS
    The folder to share: the path option, else the DHCP server's audit log folder from the registry.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [AllowNull()]
        [string]
        $Path
    )
    $folder = @{ value = $null; source = 'option'; exists = $false }
    if ($Path) {
        $folder.value = $Path
    }
    else {
        $folder.source = 'registry'
        $folder.value = Get-DhcpLogFilePath
    }
    if ($folder.value) {
        $folder.exists = Test-IpamFolder -Path $folder.value
    }
    $folder
}

Function ConvertTo-ShareAccessEntry {
    <#
    .SYNOPSIS
    One share ACE as {sid, name, type, right}; the name is null for an orphaned SID.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Ace
    )
    # MSFT_SmbShareAccessControlEntry.AccessRight from the share-level mask (decimal: AccessMask is an Int32).
    $right = switch ($Ace.AccessMask) {
        2032127 { 'Full' }          # 0x1F01FF
        268435456 { 'Full' }        # 0x10000000 GENERIC_ALL
        1245631 { 'Change' }        # 0x1301BF
        1179817 { 'Read' }          # 0x1200A9, the mask Microsoft's provisioning script grants
        -1610612736 { 'Read' }      # 0xA0000000 GENERIC_READ | GENERIC_EXECUTE
        default { 'Custom' }
    }
    $type = 'Allow'
    if ($Ace.AceQualifier -eq [System.Security.AccessControl.AceQualifier]::AccessDenied) {
        $type = 'Deny'
    }
    $sid = [string]$Ace.SecurityIdentifier.Value
    @{
        sid = $sid
        name = ConvertTo-IpamAccountName -Sid $sid
        type = $type
        right = $right
        # The mask itself, unsigned: the action plugin decides from its bits whether it lets the account read.
        mask = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int32]$Ace.AccessMask), 0)
    }
}

Function Get-ShareState {
    <#
    .SYNOPSIS
    The share {exists, path, access} or $null. Access comes from the share's security descriptor,
    so every entry carries its SID (account names are localized and may not translate back).
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    # Only "not found" means absent: an access denied or a failed WMI provider is not a missing share.
    $share = Invoke-IpamCmdlet -Lookup -Module $module -Description "Get-SmbShare -Name $Name" -Action {
        Get-SmbShare -Name $Name -ErrorAction Stop
    }
    if (-not $share) {
        return $null
    }
    $access = [System.Collections.Generic.List[Hashtable]]@()
    if ($share.SecurityDescriptor) {
        foreach ($ace in @(ConvertFrom-IpamSddlDacl -Sddl $share.SecurityDescriptor)) {
            # Explicit allow and deny ACEs (CommonAce), matched by type name as PowerShell lists it
            # for the object (the class and its bases).
            if ($null -ne $ace -and $ace.PSObject.TypeNames -contains 'System.Security.AccessControl.CommonAce') {
                $access.Add((ConvertTo-ShareAccessEntry -Ace $ace))
            }
        }
    }
    @{ exists = $true; path = $share.Path; access = $access }
}

Function Get-ShareToken {
    <#
    .SYNOPSIS
    Compare-and-swap token: 'absent', or 'present|<path>|<sid>:<type>:<mask in hex>,...' sorted ordinally.
    The mask, not its name: one custom right changed into another between read and apply must be seen.
    The simulator computes the same string.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowNull()]
        [Hashtable]
        $State
    )
    if ($null -eq $State) {
        return 'absent'
    }
    $entries = [string[]]@($State.access | ForEach-Object { '{0}:{1}:{2:X}' -f $_.sid, $_.type, $_.mask })
    [System.Array]::Sort($entries, [System.StringComparer]::Ordinal)
    'present|{0}|{1}' -f $State.path, ($entries -join ',')
}

Function Get-AccountNameForSid {
    <#
    .SYNOPSIS
    The name the SMB cmdlets need for a SID (they take -AccountName only); the SID text for an orphan.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Sid
    )
    $account = ConvertTo-IpamAccountName -Sid $Sid
    if ($account) {
        return $account
    }
    $Sid
}

Function Invoke-IpamDhcpauditShare {
    <#
    .SYNOPSIS
    Runs dhcpaudit_share for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $name = $module.Params.name

    # Same key and value as catalog.DHCP_LOG_PATH_KEY / DHCP_LOG_PATH_VALUE (ipam-facts.md section 3).
    $dhcpParametersKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\DHCPServer\Parameters'
    $dhcpLogPathValue = 'DhcpLogFilePath'
    $recordName = 'SharesCreated'
    # The accounts this collection granted Read on a share: '<share>|<SID>' (docs/design.md 3).
    $grantRecordName = 'ShareRightsGranted'

    $module.Result.host = Get-IpamHostInfo
    $folder = Get-AuditFolder -Path $module.Params.path
    $state = Get-ShareState -Name $name
    $module.Result.path = $folder
    $module.Result.share = $state
    $module.Result.created_by_collection = (Get-IpamRecord -Name $recordName) -contains $name
    # @(): one recorded grant is still a list.
    $module.Result.recorded = @(Get-IpamOwnedEntry -Name $grantRecordName -Object $name)
    $module.Result.token = Get-ShareToken -State $state

    if ($module.Params.mode -eq 'read') {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
        $module.ExitJson()
    }

    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "Share '$name'"

    # Every account to grant must have a name before anything is written (the SMB cmdlets take names only).
    $grantAccounts = [System.Collections.Generic.List[string]]@()
    foreach ($sid in $module.Params.grant) {
        $account = Get-AccountNameForSid -Sid $sid
        if ($account -eq $sid) {
            $module.Result.error = 'unresolved_principal'
            $module.FailJson("Cannot grant Read on share '$name' to $($sid): the SID does not map to an account name.")
        }
        $grantAccounts.Add($account)
    }

    if ($module.Params.create) {
        if (-not $folder.exists) {
            $module.Result.error = 'not_found'
            $module.FailJson("Cannot create share '$name': folder '$($folder.value)' does not exist.")
        }
        if (-not $module.CheckMode) {
            # The record goes first (write-ahead): a run that stops after it, before the share exists, leaves a
            # record the next run acts on (provision creates the share, deprovision forgets the record); a share
            # created without its record would stay forever. A failed New-SmbShare takes the record back.
            $recorded = $module.Params.record_created -eq $true
            if ($recorded) {
                Set-IpamRecordEntry -Name $recordName -Entry $name -Present $true -Module $module
            }
            $created = $false
            try {
                # No access parameters: Windows grants Everyone Read; the planned grants/revokes follow.
                $null = Invoke-IpamCmdlet -Module $module -Description "New-SmbShare -Name $name -Path $($folder.value)" -Action {
                    New-SmbShare -Name $name -Path $folder.value -ErrorAction Stop
                }
                $created = $true
            }
            finally {
                if ($recorded -and -not $created) {
                    Set-IpamRecordEntry -Name $recordName -Entry $name -Present $false -Module $module
                }
            }
        }
    }
    elseif (-not $state -and -not $module.Params.delete -and ($module.Params.grant.Count -or $module.Params.revoke.Count)) {
        $module.Result.error = 'not_found'
        $module.FailJson("Share '$name' does not exist.")
    }

    if (-not $module.CheckMode) {
        # Write-ahead: the grants are recorded before they are made, and forgotten after they are revoked (below).
        Set-IpamOwnedEntry -Name $grantRecordName -Object $name -Add $module.Params.record_add -Module $module
    }
    foreach ($account in $grantAccounts) {
        if (-not $module.CheckMode) {
            $null = Invoke-IpamCmdlet -Module $module -Description "Grant-SmbShareAccess -Name $name -AccountName $account -AccessRight Read" -Action {
                Grant-SmbShareAccess -Name $name -AccountName $account -AccessRight Read -Force -ErrorAction Stop
            }
        }
    }

    foreach ($sid in $module.Params.revoke) {
        $account = Get-AccountNameForSid -Sid $sid
        if (-not $module.CheckMode) {
            try {
                $null = Revoke-SmbShareAccess -Name $name -AccountName $account -Force -ErrorAction Stop
            }
            catch {
                # An account that no longer exists has only its SID, and Microsoft documents -AccountName as an
                # account name (windows-api.md R6): if the cmdlet refuses the SID string (error 1332), say so, and
                # what is left to do, rather than a bare "no mapping". Its record stays, so a later run tries again.
                if ($account -eq $sid -and $_.FullyQualifiedErrorId -like 'Windows System Error 1332,*') {
                    $module.Result.error = 'unresolved_principal'
                    $module.FailJson(("Cannot revoke the access of $sid on share '$name': the account no longer exists, and " +
                            "Revoke-SmbShareAccess does not take its SID ($($_.Exception.Message)). Remove that entry in the " +
                            "share's permissions (Computer Management, Shared Folders), then run again."), $_)
                }
                Stop-IpamCmdletFailure -Module $module -Description "Revoke-SmbShareAccess -Name $name -AccountName $account" -ErrorRecord $_
            }
        }
    }

    if ($module.Params.delete -and $state) {
        if (-not $module.CheckMode) {
            $null = Invoke-IpamCmdlet -Module $module -Description "Remove-SmbShare -Name $name" -Action {
                Remove-SmbShare -Name $name -Force -ErrorAction Stop
            }
        }
    }
    if (-not $module.CheckMode) {
        Set-IpamOwnedEntry -Name $grantRecordName -Object $name -Remove $module.Params.record_remove -Module $module
    }
    if ($module.Params.record_created -eq $false -and -not $module.CheckMode) {
        Set-IpamRecordEntry -Name $recordName -Entry $name -Present $false -Module $module
    }

    if (-not $module.CheckMode) {
        $module.Result.share = Get-ShareState -Name $name
        $module.Result.created_by_collection = (Get-IpamRecord -Name $recordName) -contains $name
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $grantRecordName -Object $name)
        $module.Result.token = Get-ShareToken -State $module.Result.share
    }
    $module.Result.changed = $true
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamDhcpauditShareSpec, Invoke-IpamDhcpauditShare
