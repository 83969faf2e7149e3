# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The read and apply of ipam.provisioning.dhcp_users_membership, shared by its module (plugins/modules/dhcp_users_membership.ps1)
# and by managed_server_access, which runs it as one item of a batch. Internal use only: the
# interface can change without notice.

# Remote half of ipam.provisioning.dhcp_users_membership. The DHCP role's groups have no
# well-known SID and a localized name, so the action plugin sends a SID or the candidate names to
# try. This module reports the group's members and the DHCP Server service, adds or removes
# exactly the planned member SIDs and restarts the service when told to; it decides nothing.

#AnsibleRequires -PowerShell ._IpamAccess
#AnsibleRequires -PowerShell ._IpamGroup

Function Get-IpamDhcpUsersMembershipSpec {
    <#
    .SYNOPSIS
    The Ansible.Basic argument spec of dhcp_users_membership.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $spec = @{
        options = @{
            mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
            group_sid = @{ type = 'str' }
            group_names = @{ type = 'list'; elements = 'str'; default = @() }
            principals = @{ type = 'list'; elements = 'str'; default = @() }
            token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
            add = @{ type = 'list'; elements = 'str'; default = @() }
            remove = @{ type = 'list'; elements = 'str'; default = @() }
            record_add = @{ type = 'list'; elements = 'str'; default = @() }
            record_remove = @{ type = 'list'; elements = 'str'; default = @() }
            restart_service = @{ type = 'bool'; default = $false }
        }
        required_one_of = @(
            , @('group_sid', 'group_names')
        )
        required_if = @(
            , @('mode', 'apply', @('token'))
        )
        supports_check_mode = $true
    }
    $spec
}

Function Get-DhcpServiceState {
    <#
    .SYNOPSIS
    @{ exists; status } of the DHCP Server service.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $service = Get-Service -Name $serviceName -ErrorAction SilentlyContinue
    if ($service) {
        @{ exists = $true; status = [string]$service.Status }
    }
    else {
        @{ exists = $false; status = $null }
    }
}

Function Invoke-IpamDhcpUsersMembership {
    <#
    .SYNOPSIS
    Runs dhcp_users_membership for the module object given (its mode read or apply); ends in ExitJson or FailJson.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    $serviceName = 'DHCPServer'
    # The members this collection added, per group: '<group SID>|<member SID>' (docs/design.md 3).
    $recordName = 'GroupMembersAdded'

    # The spec's required_one_of never fires: Ansible.Basic sets the default of group_names (an empty
    # list) before it checks, so the module checks that it was given something to look for.
    if (-not $module.Params.group_sid -and @($module.Params.group_names | Where-Object { $_ }).Count -eq 0) {
        $module.FailJson('one of the following is required: group_sid, group_names')
    }
    # Candidate names are bound as WinNT://<computer>/<name>,group; DOMAIN\name ones are translated first.
    foreach ($candidate in $module.Params.group_names) {
        Assert-IpamWinNTName -Module $module -Name $candidate -Option 'group_names'
    }

    $hostInfo = Get-IpamHostInfo
    $module.Result.host = $hostInfo
    $module.Result.service = Get-DhcpServiceState
    $found = Invoke-IpamAdsi -Module $module -Description 'Reading the DHCP group' -Action {
        Find-IpamGroup -Sid $module.Params.group_sid -Name $module.Params.group_names
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
            matched_by = $found.matched_by
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

    $module.Result.restarted = $false
    if (-not $found) {
        $wanted = @($module.Params.group_names)
        if ($module.Params.group_sid) {
            $wanted = @($module.Params.group_sid) + $wanted
        }
        $module.Result.error = 'not_found'
        $module.FailJson("The DHCP group ($($wanted -join ', ')) was not found on $($hostInfo.name).")
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
        if ($module.Params.restart_service) {
            # The service reads group membership when it starts (M-DHCP); a failed restart is reported,
            # not thrown: the membership is already written and the controller says so.
            try {
                Restart-Service -Name $serviceName -Force -ErrorAction Stop
                $module.Result.restarted = $true
            }
            catch {
                $module.Result.restart_error = $_.Exception.Message
            }
            $module.Result.service = Get-DhcpServiceState
        }
    }
    $module.Result.changed = $true
    $module.ExitJson()
}

Export-ModuleMember -Function Get-IpamDhcpUsersMembershipSpec, Invoke-IpamDhcpUsersMembership
