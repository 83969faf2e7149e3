#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamGroup

# Remote half of ipam.provisioning.local_group. It reports a local group (and whether this collection
# created it) and creates, describes or deletes exactly as its action plugin planned. The group is read
# and written through ADSI's WinNT provider (_IpamGroup.psm1), as ansible.windows win_group does: the
# Microsoft.PowerShell.LocalAccounts cmdlets are missing on Windows Server 2012 and 2012 R2.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        name = @{ type = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        description = @{ type = 'str' }
        create = @{ type = 'bool'; default = $false }
        delete = @{ type = 'bool'; default = $false }
        record_created = @{ type = 'bool' }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$name = $module.Params.name
# SIDs of the groups this collection created (a group re-created later by someone else has a new SID).
# A group about to be created has no SID yet: 'pending:<name>' is recorded first and replaced by the SID.
$recordName = 'LocalGroupsCreated'
$pendingEntry = "pending:$name"

Function Get-LocalGroupState {
    <#
    .SYNOPSIS
    The local group {name, sid, description}, or $null when there is none of that name.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )
    $group = Get-IpamGroup -Name $Name
    if (-not $group) {
        return $null
    }
    @{ name = $group.name; sid = $group.sid; description = [string]$group.description }
}

Function Get-LocalGroupToken {
    <#
    .SYNOPSIS
    Compare-and-swap token: 'absent' or 'present|<SID>|<description>'. The simulator computes the same.
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
    'present|{0}|{1}' -f $State.sid, $State.description
}

Function Read-LocalGroup {
    <#
    .SYNOPSIS
    The group's state (or $null) through Invoke-IpamAdsi, which fails the module on access denied.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    Invoke-IpamAdsi -Module $module -Description "Reading local group '$name'" -Action { Get-LocalGroupState -Name $name }
}

# The name goes into the WinNT path WinNT://<computer>/<name>,group: no '/' or ',' (the action plugin refuses them too).
Assert-IpamWinNTName -Module $module -Name $name -Option 'name'

$hostInfo = Get-IpamHostInfo
$module.Result.host = $hostInfo
# A domain controller has no local SAM (WinNT would address the domain's groups): it is not asked at all.
$isDomainController = $hostInfo.domain_role -ge 4
$state = $null
$module.Result.name_conflict = $null
if (-not $isDomainController) {
    $state = Read-LocalGroup
    $userHasName = -not $state -and (Invoke-IpamAdsi -Module $module -Description "Reading local user '$name'" -Action {
            Test-IpamLocalUser -Name $name
        })
    if ($userHasName) {
        $module.Result.name_conflict = 'user'
    }
}
$module.Result.group = $state
$recordEntries = [string[]]@(Get-IpamRecord -Name $recordName)
# A pending entry: a run recorded that it would create the group, and stopped before it recorded the SID.
$module.Result.record_pending = $recordEntries -contains $pendingEntry
$module.Result.created_by_collection = $null -ne $state -and ($recordEntries -contains $state.sid -or $module.Result.record_pending)
$module.Result.token = Get-LocalGroupToken -State $state

if ($module.Params.mode -eq 'read') {
    $module.ExitJson()
}

if ($isDomainController) {
    $module.Result.error = 'invalid_state'
    $module.FailJson("$($hostInfo.name) is a domain controller, which has no local groups.")
}
Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "Local group '$name'"

$description = $module.Params.description
if ($module.Params.create) {
    if ($module.Result.name_conflict -eq 'user') {
        # NetLocalGroupAdd would refuse with NERR_UserExists ('The account already exists.'): say what it means.
        $module.Result.error = 'invalid_state'
        $module.FailJson("Local group '$name' cannot be created on $($hostInfo.name): the name $name is already in use by a local user.")
    }
    if (-not $module.CheckMode) {
        # Write-ahead: the intent is recorded before the group exists, and replaced by its SID right after, so
        # a run that stops in between leaves a group known as ours (or a pending entry the next run forgets).
        $record = $module.Params.record_created -eq $true
        if ($record) {
            Set-IpamRecordEntry -Name $recordName -Entry $pendingEntry -Present $true -Module $module
        }
        $null = Invoke-IpamAdsi -Module $module -Description "Creating local group '$name'" -Action { New-IpamWinNTGroup -Name $name }
        $created = Read-LocalGroup
        if ($record -and $created) {
            Set-IpamRecordEntry -Name $recordName -Entry $created.sid -Present $true -Replace $pendingEntry -Module $module
        }
        if ($description) {
            $null = Invoke-IpamAdsi -Module $module -Description "Setting the description of local group '$name'" -Action {
                Set-IpamWinNTGroupDescription -Name $name -Description $description
            }
        }
    }
}
elseif (-not $state) {
    if ($module.Params.record_created -eq $false) {
        # Forget a pending entry: the run that wrote it stopped before the group was created.
        if (-not $module.CheckMode) {
            Set-IpamRecordEntry -Name $recordName -Entry $pendingEntry -Present $false -Module $module
        }
    }
    elseif (-not $module.Params.delete) {
        $module.Result.error = 'not_found'
        $module.FailJson("Local group '$name' was not found on $($hostInfo.name).")
    }
}
elseif ($module.Params.delete) {
    if (-not $module.CheckMode) {
        $null = Invoke-IpamAdsi -Module $module -Description "Deleting local group '$($state.name)'" -Action { Remove-IpamWinNTGroup -Name $state.name }
        if ($module.Params.record_created -eq $false) {
            Set-IpamRecordEntry -Name $recordName -Entry $state.sid -Present $false -Replace $pendingEntry -Module $module
        }
    }
}
elseif ($null -ne $description -and $description -cne $state.description) {
    if (-not $module.CheckMode) {
        $null = Invoke-IpamAdsi -Module $module -Description "Setting the description of local group '$($state.name)'" -Action {
            Set-IpamWinNTGroupDescription -Name $state.name -Description $description
        }
    }
}

$confirm = $state -and -not $module.Params.create -and -not $module.Params.delete -and $module.Params.record_created -eq $true
if ($confirm -and $module.Result.record_pending -and -not $module.CheckMode) {
    # The group a stopped run created: its pending entry becomes its SID.
    Set-IpamRecordEntry -Name $recordName -Entry $state.sid -Present $true -Replace $pendingEntry -Module $module
}

if (-not $module.CheckMode) {
    $state = Read-LocalGroup
    $module.Result.group = $state
    $recordEntries = [string[]]@(Get-IpamRecord -Name $recordName)
    $module.Result.record_pending = $recordEntries -contains $pendingEntry
    $module.Result.created_by_collection = $null -ne $state -and ($recordEntries -contains $state.sid -or $module.Result.record_pending)
    $module.Result.token = Get-LocalGroupToken -State $state
}
$module.Result.changed = $true
$module.ExitJson()
