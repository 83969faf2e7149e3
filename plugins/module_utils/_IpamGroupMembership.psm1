# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.group_membership, shared by its module (plugins/modules/group_membership.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.group_membership. It reports a group's members and adds or
# removes exactly the member SIDs its action plugin planned; it makes no decisions of its own.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamGroup

Function Get-IpamGroupMembershipSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of group_membership.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            group = @{ type = 'str'; required = $true }
            principals = @{ type = 'list'; elements = 'str'; default = @() }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            add = @{ type = 'list'; elements = 'str'; default = @() }
            remove = @{ type = 'list'; elements = 'str'; default = @() }
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


Function Invoke-IpamGroupMembership {
    <#
    .SYNOPSIS
    Runs group_membership for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $groupText = $module.Params.group
    # The members this collection added, per group: '<group SID>|<member SID>' (docs/design.md 3).
    $recordName = 'GroupMembersAdded'

    $isSid = $groupText -match '^S-1-[0-9-]+$'
    if (-not $isSid) {
        Assert-IpamWinNTName -Module $module -Name $groupText -Option 'group'
    }

    $hostInfo = Get-IpamHostInfo
    $module.Result.host = $hostInfo
    $found = Invoke-IpamAdsi -Module $module -Description "Reading group '$groupText'" -Action {
        if ($isSid) {
            Find-IpamGroup -Sid $groupText
        }
        else {
            Find-IpamGroup -Name $groupText
        }
    }

    $module.Result.group = $null
    $module.Result.members = @()
    $module.Result.token = $null
    $module.Result.recorded = @()
    if ($found) {
        $module.Result.group = @{
            name = $found.name
            sid = $found.sid
            scope = Get-IpamGroupScope -DomainRole $hostInfo.domain_role
        }
        $members = Invoke-IpamAdsi -Module $module -Description "Reading the members of group '$($found.name)'" -Action {
            Get-IpamGroupMember -Name $found.name
        }
        $module.Result.members = $members
        $module.Result.token = Get-IpamGroupToken -Member $members
        # @(): one recorded member is still a list.
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $found.sid)
    }

    if ($module.Params.mode -eq 'read') {
        $module.Result.principals = Resolve-IpamPrincipal -Name $module.Params.principals
        $module.ExitJson()
    }

    if (-not $found) {
        $module.Result.error = 'not_found'
        $module.FailJson("Group '$groupText' was not found on $($hostInfo.name).")
    }
    Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The members of group '$($found.name)'"

    if (-not $module.CheckMode) {
        # Write-ahead: the members about to be added are recorded first and the removed ones forgotten
        # last, so a run that stops in between leaves a record the next run finishes or undoes.
        Set-IpamOwnedEntry -Name $recordName -Object $found.sid -Add $module.Params.record_add -Module $module
        $null = Invoke-IpamGroupChange -Module $module -GroupName $found.name -Add $module.Params.add -Remove $module.Params.remove
        Set-IpamOwnedEntry -Name $recordName -Object $found.sid -Remove $module.Params.record_remove -Module $module
        $module.Result.recorded = @(Get-IpamOwnedEntry -Name $recordName -Object $found.sid)
        $members = Get-IpamGroupMember -Name $found.name
        $module.Result.members = $members
        $module.Result.token = Get-IpamGroupToken -Member $members
    }
    $module.Result.changed = $true
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamGroupMembershipSpec, Invoke-IpamGroupMembership
