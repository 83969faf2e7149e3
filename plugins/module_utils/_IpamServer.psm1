# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Internal helpers shared by the PowerShell halves of the IPAM server modules (ipam_*).
# Internal use only: the interface can change without notice. Like every module of this collection
# they only read state and apply changes planned by the Python action plugins (docs/design.md).

#AnsibleRequires -PowerShell ._IpamAccess

# Where IPAM keeps its scheduled tasks (ipam-facts.md section 9).
$script:IpamTaskPath = '\Microsoft\Windows\IPAM\'

Function Import-IpamServerModule {
    <#
    .SYNOPSIS
    Loads the IpamServer cmdlets, or fails the module clearly where the IPAM Server feature is missing.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module
    )
    try {
        # -Global: imported from inside this module, the cmdlets would otherwise be visible here only.
        Import-Module -Name IpamServer -Global -ErrorAction Stop
    }
    catch {
        $message = ("the IPAM Server feature is not installed on this host: Import-Module IpamServer failed ({0}). " +
            "Install it with Install-WindowsFeature IPAM -IncludeManagementTools and provision it with " +
            "Invoke-IpamServerProvisioning.") -f $_.Exception.Message
        $Module.Result.error = 'not_found'
        $Module.FailJson($message, $_)
    }
}

Function Get-IpamObjectValue {
    <#
    .SYNOPSIS
    The value of the first of these properties that the object has, or $null.
    .DESCRIPTION
    The IpamServer cmdlets are CDXML over WMI classes; property names differ between the cmdlet
    objects and the WMI classes (Name or ServerName, IPAMAccessStatus or IpamAccessStatus).
    #>
    [CmdletBinding()]
    param (
        [AllowNull()]
        [object]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string[]]
        $Name
    )
    if ($null -eq $InputObject) {
        return $null
    }
    foreach ($propertyName in $Name) {
        $property = $InputObject.PSObject.Properties[$propertyName]
        if ($null -ne $property) {
            return $property.Value
        }
    }
    $null
}

Function ConvertTo-IpamText {
    <#
    .SYNOPSIS
    An enum, string or number as text ($null stays $null); the action plugin normalizes the spelling.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowNull()]
        [object]
        $Value
    )
    if ($null -eq $Value) {
        return $null
    }
    [string]$Value
}

Function ConvertTo-IpamTextList {
    <#
    .SYNOPSIS
    An array (or one value) of enums or strings as a list of text.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[string]])]
    param (
        [AllowNull()]
        [object]
        $Value
    )
    $list = [System.Collections.Generic.List[string]]@()
    foreach ($item in @($Value)) {
        if ($null -ne $item) {
            $list.Add([string]$item)
        }
    }
    , $list
}

Function Join-IpamToken {
    <#
    .SYNOPSIS
    Compare-and-swap token: the entries sorted ordinally and joined with ';'. The simulator builds the same string.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyCollection()]
        [string[]]
        $Entry = @()
    )
    $sorted = [string[]]@($Entry)
    [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
    $sorted -join ';'
}

Function ConvertTo-IpamServerState {
    <#
    .SYNOPSIS
    One Get-IpamServerInventory object as the hashtable the IPAM server modules report.
    .DESCRIPTION
    Statuses and types are reported as the cmdlet prints them; the action plugin normalizes spelling.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Server
    )
    @{
        name = [string](Get-IpamObjectValue -InputObject $Server -Name 'Name', 'ServerName')
        exists = $true
        server_types = ConvertTo-IpamTextList -Value (Get-IpamObjectValue -InputObject $Server -Name 'ServerType')
        manageability = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'ManageabilityStatus')
        overall = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'IpamAccessStatus', 'IPAMAccessStatus', 'AccessStatus')
        dhcp_rpc = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'DhcpRpcAccessStatus')
        dns_rpc = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'DnsRpcAccessStatus')
        dhcp_audit_share = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'DhcpAuditShareAccessStatus')
        event_log = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'EventLogAccessStatus')
        recommended_action = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'RecommendedAction')
        domain = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $Server -Name 'DomainName')
    }
}

Function Get-IpamTaskState {
    <#
    .SYNOPSIS
    One entry per IPAM scheduled task name: {name, path, exists, enabled, state, last_run_time, last_task_result}.
    .DESCRIPTION
    last_run_time is UTC ISO 8601, or $null for a task that never ran (Task Scheduler reports 1999 then).
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[Hashtable]])]
    param (
        [Parameter(Mandatory = $true)]
        [object]
        $Module,

        [Parameter(Mandatory = $true)]
        [string[]]
        $Name
    )
    $tasks = [System.Collections.Generic.List[Hashtable]]@()
    foreach ($taskName in $Name) {
        $entry = @{
            name = $taskName; path = $script:IpamTaskPath; exists = $false; enabled = $false; state = $null
            last_run_time = $null; last_task_result = $null
        }
        # Only "not found" means missing: an access denied or a failed WMI provider is an error.
        # @() first: the lookup ends before Select-Object takes the first task.
        $task = @(Invoke-IpamCmdlet -Lookup -Module $Module -Description "Get-ScheduledTask $($script:IpamTaskPath)$taskName" -Action {
                Get-ScheduledTask -TaskPath $script:IpamTaskPath -TaskName $taskName -ErrorAction Stop
            }) | Select-Object -First 1
        if ($task) {
            $entry.name = $task.TaskName
            $entry.exists = $true
            $entry.state = [string]$task.State
            $entry.enabled = $entry.state -ne 'Disabled'
            # The time of the last run says how old IPAM's view is: a failure to read it is not "never ran".
            $info = Invoke-IpamCmdlet -Module $Module -Description "Get-ScheduledTaskInfo $($script:IpamTaskPath)$taskName" -Action {
                Get-ScheduledTaskInfo -InputObject $task -ErrorAction Stop
            }
            if ($info) {
                if ($info.LastRunTime -and $info.LastRunTime.Year -gt 1999) {
                    $entry.last_run_time = $info.LastRunTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
                }
                $entry.last_task_result = [int64]$info.LastTaskResult
            }
        }
        $tasks.Add($entry)
    }
    , $tasks
}

$exportMembers = @{
    Function = 'Import-IpamServerModule', 'Get-IpamObjectValue', 'ConvertTo-IpamText',
    'ConvertTo-IpamTextList', 'Join-IpamToken', 'ConvertTo-IpamServerState', 'Get-IpamTaskState'
}
Export-ModuleMember @exportMembers
