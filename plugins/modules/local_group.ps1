#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess

# Remote half of ipam.provisioning.local_group. It reports a local group (and whether this collection
# created it) and creates, describes or deletes exactly as its action plugin planned.

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
$recordName = 'LocalGroupsCreated'

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
    $group = Get-LocalGroup -Name $Name -ErrorAction SilentlyContinue
    if (-not $group) {
        return $null
    }
    @{ name = $group.Name; sid = $group.SID.Value; description = [string]$group.Description }
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

$hostInfo = Get-IpamHostInfo
$module.Result.host = $hostInfo
# A domain controller has no local SAM; the LocalAccounts cmdlets are not asked there at all.
$isDomainController = $hostInfo.domain_role -ge 4
$state = $null
$module.Result.name_conflict = $null
if (-not $isDomainController) {
    $state = Get-LocalGroupState -Name $name
    if (-not $state -and (Get-LocalUser -Name $name -ErrorAction SilentlyContinue)) {
        $module.Result.name_conflict = 'user'
    }
}
$module.Result.group = $state
$module.Result.created_by_collection = $null -ne $state -and (Get-IpamRecord -Name $recordName) -contains $state.sid
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
    if (-not $module.CheckMode) {
        $newParams = @{ Name = $name; ErrorAction = 'Stop' }
        if ($null -ne $description) {
            $newParams.Description = $description
        }
        $created = Invoke-IpamCmdlet -Module $module -Description "New-LocalGroup -Name $name" -Action { New-LocalGroup @newParams }
        if ($module.Params.record_created -eq $true) {
            Set-IpamRecordEntry -Name $recordName -Entry $created.SID.Value -Present $true
        }
    }
}
elseif (-not $state) {
    if (-not $module.Params.delete) {
        $module.Result.error = 'not_found'
        $module.FailJson("Local group '$name' was not found on $($hostInfo.name).")
    }
}
elseif ($module.Params.delete) {
    if (-not $module.CheckMode) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Remove-LocalGroup -Name $name" -Action { Remove-LocalGroup -SID $state.sid -ErrorAction Stop }
        if ($module.Params.record_created -eq $false) {
            Set-IpamRecordEntry -Name $recordName -Entry $state.sid -Present $false
        }
    }
}
elseif ($null -ne $description) {
    if (-not $module.CheckMode) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Set-LocalGroup -Name $name -Description" -Action {
            Set-LocalGroup -SID $state.sid -Description $description -ErrorAction Stop
        }
    }
}

if (-not $module.CheckMode) {
    $state = Get-LocalGroupState -Name $name
    $module.Result.group = $state
    $module.Result.created_by_collection = $null -ne $state -and (Get-IpamRecord -Name $recordName) -contains $state.sid
    $module.Result.token = Get-LocalGroupToken -State $state
}
$module.Result.changed = $true
$module.ExitJson()
