#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess

# Remote half of ipam.provisioning.vmm_network_service, run on the System Center VMM server. It reads
# the network service, the Run As account and the host groups, and applies exactly the change its
# action plugin planned. The Run As password arrives only with an apply that sets a credential; it is
# no_log here too and never put in the result.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        name = @{ type = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        run_as_account = @{ type = 'str' }
        host_groups = @{ type = 'list'; elements = 'str'; default = @() }
        run_as_username = @{ type = 'str' }
        run_as_password = @{ type = 'str'; no_log = $true }
        run_as_action = @{ type = 'str'; choices = 'create', 'update', 'remove' }
        record_run_as = @{ type = 'bool' }
        # Turn a pending record entry into the account's ID (the account exists) or forget it (it does not).
        settle_pending = @{ type = 'bool'; default = $false }
        service_action = @{ type = 'str'; choices = 'add', 'update', 'remove' }
        connection_string = @{ type = 'str' }
        manufacturer = @{ type = 'str' }
        model = @{ type = 'str' }
        set_run_as = @{ type = 'bool'; default = $false }
        add_host_groups = @{ type = 'list'; elements = 'str'; default = @() }
        remove_host_groups = @{ type = 'list'; elements = 'str'; default = @() }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$name = $module.Params.name
# IDs of the Run As accounts this collection created on this VMM server.
$recordName = 'VmmRunAsAccountsCreated'
# An account about to be created has no ID yet: 'pending:<name>' is recorded first and replaced by the ID, so
# that a run stopped in between leaves an account known as ours, or an entry the next run forgets.
$pendingEntry = "pending:$($module.Params.run_as_account)"

Function Get-ServiceHostGroupObject {
    <#
    .SYNOPSIS
    The host groups a network service is available to.
    .DESCRIPTION
    [I] The property is not documented; VMM objects name it VMHostGroups or HostGroups, so both are read.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Service
    )
    foreach ($property in 'VMHostGroups', 'HostGroups', 'VMHostGroup') {
        if ($Service.PSObject.Properties.Name -contains $property) {
            return @($Service.$property | Where-Object { $null -ne $_ })
        }
    }
    @()
}

Function ConvertTo-HostGroupInfo {
    <#
    .SYNOPSIS
    One host group as {id, name, path}.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Group
    )
    @{ id = $Group.ID.ToString(); name = $Group.Name; path = $Group.Path }
}

Function ConvertTo-RunAsInfo {
    <#
    .SYNOPSIS
    A Run As account as {id, name, username, sid, used_by}; the credential's password is never read.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Account,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $Services
    )
    $username = $Account.UserName
    if ($Account.Domain) {
        $username = '{0}\{1}' -f $Account.Domain, $Account.UserName
    }
    $users = [System.Collections.Generic.List[string]]@()
    foreach ($service in $Services) {
        if ($service.RunAsAccount -and $service.RunAsAccount.ID -eq $Account.ID) {
            $users.Add($service.Name)
        }
    }
    # The user's SID lets the controller compare DOMAIN\user, user@domain and SID spellings.
    $sid = (Resolve-IpamPrincipal -Name @($username))[0].sid
    @{ id = $Account.ID.ToString(); name = $Account.Name; username = $username; sid = $sid; used_by = @($users | Sort-Object) }
}

Function Get-VmmState {
    <#
    .SYNOPSIS
    The network service, the Run As account and the compare-and-swap token.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [string]
        $ServiceName,

        [AllowNull()]
        [string]
        $RunAsName
    )
    $services = @(Get-SCNetworkService -All | Where-Object { $null -ne $_ })
    $service = $services | Where-Object { $_.Name -eq $ServiceName } | Select-Object -First 1
    $serviceInfo = $null
    if ($service) {
        $runAsRef = $null
        if ($service.RunAsAccount) {
            $runAsRef = @{ id = $service.RunAsAccount.ID.ToString(); name = $service.RunAsAccount.Name }
        }
        $groups = @(Get-ServiceHostGroupObject -Service $service | ForEach-Object { ConvertTo-HostGroupInfo -Group $_ })
        $serviceInfo = @{
            id = $service.ID.ToString()
            name = $service.Name
            manufacturer = $service.Manufacturer
            model = $service.Model
            connection_string = $service.ConnectionString
            run_as_account = $runAsRef
            host_groups = $groups
        }
    }
    # The account the task names, else the one the service uses (so removal can find it).
    if (-not $RunAsName -and $serviceInfo -and $serviceInfo.run_as_account) {
        $RunAsName = $serviceInfo.run_as_account.name
    }
    $runAsInfo = $null
    if ($RunAsName) {
        $account = Get-SCRunAsAccount -Name $RunAsName -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($account) {
            $runAsInfo = ConvertTo-RunAsInfo -Account $account -Services $services
        }
    }
    $serviceToken = 'absent'
    if ($serviceInfo) {
        $groupIds = [string[]]@($serviceInfo.host_groups | ForEach-Object { $_.id })
        [System.Array]::Sort($groupIds, [System.StringComparer]::Ordinal)
        $runAsId = ''
        if ($serviceInfo.run_as_account) {
            $runAsId = $serviceInfo.run_as_account.id
        }
        $serviceToken = '{0}|{1}|{2}|{3}' -f $serviceInfo.id, $serviceInfo.connection_string, $runAsId, ($groupIds -join ',')
    }
    $runAsToken = 'absent'
    if ($runAsInfo) {
        $runAsToken = '{0}|{1}' -f $runAsInfo.id, $runAsInfo.username
    }
    @{
        service = $serviceInfo
        run_as = $runAsInfo
        token = 'service={0};run_as={1}' -f $serviceToken, $runAsToken
    }
}

Function Resolve-HostGroup {
    <#
    .SYNOPSIS
    Each requested host group by Name, or by Path when it holds a backslash: {input, id, name, path, error, candidates}.
    #>
    [CmdletBinding()]
    param (
        [AllowEmptyCollection()]
        [string[]]
        $Requested,

        [AllowEmptyCollection()]
        [object[]]
        $All
    )
    $resolved = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($text in $Requested) {
        $entry = @{ input = $text; id = $null; name = $null; path = $null; error = $null; candidates = @() }
        if ($text.Contains('\')) {
            $found = @($All | Where-Object { $_.Path -eq $text.Trim() })
        }
        else {
            $found = @($All | Where-Object { $_.Name -eq $text.Trim() })
        }
        if ($found.Count -eq 1) {
            $info = ConvertTo-HostGroupInfo -Group $found[0]
            $entry.id = $info.id
            $entry.name = $info.name
            $entry.path = $info.path
        }
        elseif ($found.Count -eq 0) {
            $entry.error = 'not_found'
        }
        else {
            $entry.error = 'ambiguous'
            $entry.candidates = @($found | ForEach-Object { $_.Path } | Sort-Object)
        }
        $resolved.Add($entry)
    }
    , $resolved
}

$module.Result.host = Get-IpamHostInfo
try {
    Import-Module -Name virtualmachinemanager -ErrorAction Stop
}
catch {
    $module.Result.error = 'not_found'
    $module.FailJson("The System Center VMM PowerShell module 'virtualmachinemanager' is not available on $($env:COMPUTERNAME): $($_.Exception.Message) Run this task on the VMM server.", $_)
}
$vmmServer = Invoke-IpamCmdlet -Module $module -Description 'Get-SCVMMServer -ComputerName localhost' -Action { Get-SCVMMServer -ComputerName localhost -ErrorAction Stop }
$module.Result.vmm = @{ server = $vmmServer.FQDN }

$allGroups = @(Get-SCVMHostGroup | Where-Object { $null -ne $_ })
$state = Get-VmmState -ServiceName $name -RunAsName $module.Params.run_as_account
$module.Result.service = $state.service
$module.Result.run_as = $state.run_as
$recordEntries = @(Get-IpamRecord -Name $recordName)
$module.Result.record_pending = [bool]$module.Params.run_as_account -and $recordEntries -contains $pendingEntry
$module.Result.run_as_created_by_collection = $null -ne $state.run_as -and (
    $recordEntries -contains $state.run_as.id -or $module.Result.record_pending)
$module.Result.token = $state.token

if ($module.Params.mode -eq 'read') {
    $module.Result.host_groups = Resolve-HostGroup -Requested $module.Params.host_groups -All $allGroups
    $module.Result.known_host_groups = @($allGroups | ForEach-Object { $_.Path } | Sort-Object)
    $module.Result.run_as_user = $null
    if ($module.Params.run_as_username) {
        $module.Result.run_as_user = (Resolve-IpamPrincipal -Name @($module.Params.run_as_username))[0]
    }
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $state.token -What "Network service '$name' or its Run As account"

$runAsName = $module.Params.run_as_account
$runAs = $null
if ($runAsName) {
    $runAs = Get-SCRunAsAccount -Name $runAsName -ErrorAction SilentlyContinue | Select-Object -First 1
}
$runAsAction = $module.Params.run_as_action
if ($runAsAction -in 'create', 'update') {
    $secure = ConvertTo-SecureString -String $module.Params.run_as_password -AsPlainText -Force
    $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $module.Params.run_as_username, $secure
    if (-not $module.CheckMode) {
        if ($runAsAction -eq 'create') {
            $record = $module.Params.record_run_as -eq $true
            if ($record) {
                Set-IpamRecordEntry -Name $recordName -Entry $pendingEntry -Present $true -Module $module
            }
            $runAs = Invoke-IpamCmdlet -Module $module -Description "New-SCRunAsAccount -Name $runAsName" -Action {
                New-SCRunAsAccount -Name $runAsName -Credential $credential -ErrorAction Stop
            }
            if ($record) {
                Set-IpamRecordEntry -Name $recordName -Entry $runAs.ID.ToString() -Present $true -Replace $pendingEntry -Module $module
            }
        }
        else {
            $null = Invoke-IpamCmdlet -Module $module -Description "Set-SCRunAsAccount -Name $runAsName -Credential" -Action {
                Set-SCRunAsAccount -RunAsAccount $runAs -Credential $credential -ErrorAction Stop
            }
        }
    }
}

$service = Get-SCNetworkService -All | Where-Object { $_.Name -eq $name } | Select-Object -First 1
$addGroups = @($allGroups | Where-Object { $module.Params.add_host_groups -contains $_.ID.ToString() })
$removeGroups = @($allGroups | Where-Object { $module.Params.remove_host_groups -contains $_.ID.ToString() })
switch ($module.Params.service_action) {
    'add' {
        if (-not $module.CheckMode) {
            $addParams = @{
                Name = $name
                ConnectionString = $module.Params.connection_string
                Manufacturer = $module.Params.manufacturer
                Model = $module.Params.model
                RunAsAccount = $runAs
                VMHostGroup = $addGroups
                ErrorAction = 'Stop'
            }
            $null = Invoke-IpamCmdlet -Module $module -Description "Add-SCNetworkService -Name $name" -Action { Add-SCNetworkService @addParams }
        }
    }
    'update' {
        if (-not $service) {
            $module.Result.error = 'not_found'
            $module.FailJson("Network service '$name' was not found on the VMM server.")
        }
        if (-not $module.CheckMode) {
            $setParams = @{ NetworkService = $service; ErrorAction = 'Stop' }
            if ($null -ne $module.Params.connection_string) {
                $setParams.ConnectionString = $module.Params.connection_string
            }
            if ($module.Params.set_run_as) {
                $setParams.RunAsAccount = $runAs
            }
            if ($addGroups.Count) {
                $setParams.AddVMHostGroup = $addGroups
            }
            if ($removeGroups.Count) {
                $setParams.RemoveVMHostGroup = $removeGroups
            }
            $null = Invoke-IpamCmdlet -Module $module -Description "Set-SCNetworkService -Name $name" -Action { Set-SCNetworkService @setParams }
        }
    }
    'remove' {
        if ($service -and -not $module.CheckMode) {
            $null = Invoke-IpamCmdlet -Module $module -Description "Remove-SCNetworkService -Name $name" -Action {
                Remove-SCNetworkService -NetworkService $service -Confirm:$false -ErrorAction Stop
            }
        }
    }
}

if ($runAsAction -eq 'remove' -and $runAs -and -not $module.CheckMode) {
    $removedId = $runAs.ID.ToString()
    $null = Invoke-IpamCmdlet -Module $module -Description "Remove-SCRunAsAccount -Name $runAsName" -Action {
        Remove-SCRunAsAccount -RunAsAccount $runAs -Confirm:$false -ErrorAction Stop
    }
    if ($module.Params.record_run_as -eq $false) {
        Set-IpamRecordEntry -Name $recordName -Entry $removedId -Present $false -Replace $pendingEntry -Module $module
    }
}

if ($module.Params.settle_pending -and $module.Result.record_pending -and -not $module.CheckMode) {
    if ($runAs) {
        # The account a stopped run created: its pending entry becomes its ID.
        Set-IpamRecordEntry -Name $recordName -Entry $runAs.ID.ToString() -Present $true -Replace $pendingEntry -Module $module
    }
    else {
        # The run that wrote it stopped before the account was created.
        Set-IpamRecordEntry -Name $recordName -Entry $pendingEntry -Present $false -Module $module
    }
}

if (-not $module.CheckMode) {
    $state = Get-VmmState -ServiceName $name -RunAsName $runAsName
    $module.Result.service = $state.service
    $module.Result.run_as = $state.run_as
    $recordEntries = @(Get-IpamRecord -Name $recordName)
    $module.Result.record_pending = [bool]$module.Params.run_as_account -and $recordEntries -contains $pendingEntry
    $module.Result.run_as_created_by_collection = $null -ne $state.run_as -and (
        $recordEntries -contains $state.run_as.id -or $module.Result.record_pending)
    $module.Result.token = $state.token
}
$module.Result.changed = $true
$module.ExitJson()
