# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake ScheduledTasks module (tests only, pwsh 7): pwsh on Linux has no Task Scheduler. The cmdlets
# the modules call, answered from the simulated host's tasks (winsim/winapi/tasks.py). The real
# module is CDXML over Root/Microsoft/Windows/TaskScheduler (windows-api.md 13): a query that finds
# nothing writes the cmdletization not-found error, a Task Scheduler failure a CimException whose
# error id is 'HRESULT 0x<code>,<cmdlet>'. Only the parameters the collection passes are declared.
# https://learn.microsoft.com/powershell/module/scheduledtasks/

# TASK_STATE, printed by name (windows-api.md 13).
# https://learn.microsoft.com/windows/win32/api/taskschd/ne-taskschd-task_state
enum StateEnum {
    Unknown = 0
    Disabled = 1
    Queued = 2
    Ready = 3
    Running = 4
}

Function New-TaskCimObject {
    param ([System.Collections.IDictionary] $Property, [string] $ClassName)
    $instance = [PSCustomObject]$Property
    $instance.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#Root/Microsoft/Windows/TaskScheduler/$ClassName")
    $instance.PSObject.TypeNames.Insert(1, "Microsoft.Management.Infrastructure.CimInstance#$ClassName")
    $instance.PSObject.TypeNames.Insert(2, 'Microsoft.Management.Infrastructure.CimInstance')
    $instance
}

Function New-TaskErrorRecord {
    # A Task Scheduler failure: CimException, 'HRESULT 0x80070005,Register-ScheduledTask' style error id.
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [string] $Command, [object] $Target)
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $category = switch ($kind) {
        'access_denied' { 'PermissionDenied' }
        'not_found' { 'ObjectNotFound' }
        'invalid' { 'InvalidOperation' }
        default { throw $ErrorRecord }
    }
    $hresult = [int]$ErrorRecord.Exception.Data['hresult']
    [System.Management.Automation.ErrorRecord]::new([Microsoft.Management.Infrastructure.CimException]::new($ErrorRecord.Exception.Message),
        ('HRESULT 0x{0:x8},{1}' -f $hresult, $Command), [System.Management.Automation.ErrorCategory]$category, $Target)
}

Function Get-ScheduledTask {
    <#
    .SYNOPSIS
    MSFT_ScheduledTask objects (TaskName, TaskPath, State, URI) whose name and folder match the
    filters (wildcards allowed; a folder path starts and ends with '\'); a name that matches nothing
    writes 'No MSFT_ScheduledTask objects found with property 'TaskName' equal to ...'.
    .LINK
    https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtask
    #>
    [CmdletBinding()]
    param (
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $TaskName,

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [string[]]
        $TaskPath
    )
    process {
        try {
            $tasks = Invoke-WinSimApi -Operation 'Task.List'
        }
        catch {
            $PSCmdlet.WriteError((New-TaskErrorRecord -ErrorRecord $_ -Command 'Get-ScheduledTask' -Target $TaskName))
            return
        }
        $inPath = @(foreach ($task in $tasks) {
                if (-not $TaskPath -or ($TaskPath | Where-Object { $task.TaskPath -like $_ })) { $task }
            })
        foreach ($task in $inPath) {
            if ($TaskName -and -not ($TaskName | Where-Object { $task.TaskName -like $_ })) {
                continue
            }
            $task.State = [StateEnum]$task.State
            New-TaskCimObject -Property $task -ClassName 'MSFT_ScheduledTask'
        }
        foreach ($wanted in $TaskName) {
            if (-not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($wanted) -and
                -not ($inPath | Where-Object { $_.TaskName -eq $wanted })) {
                $message = "No MSFT_ScheduledTask objects found with property 'TaskName' equal to '$wanted'.  Verify the value of the property and retry."
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [Microsoft.PowerShell.Cmdletization.Cim.CimJobException]::new($message), 'CmdletizationQuery_NotFound_TaskName,Get-ScheduledTask',
                        [System.Management.Automation.ErrorCategory]::ObjectNotFound, $wanted))
            }
        }
    }
}

Function Get-ScheduledTaskInfo {
    <#
    .SYNOPSIS
    MSFT_TaskDynamicInfo of a task: LastRunTime (local time; 11/30/1999 for a task that never ran),
    LastTaskResult (UInt32; 267011 = SCHED_S_TASK_HAS_NOT_RUN), NextRunTime, NumberOfMissedRuns,
    TaskName, TaskPath.
    .LINK
    https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtaskinfo
    #>
    [CmdletBinding(DefaultParameterSetName = 'Object')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'Object')]
        [PSObject]
        $InputObject
    )
    process {
        try {
            $info = Invoke-WinSimApi -Operation 'Task.Info' -Arguments @{ path = [string]$InputObject.TaskPath; name = [string]$InputObject.TaskName }
        }
        catch {
            $PSCmdlet.WriteError((New-TaskErrorRecord -ErrorRecord $_ -Command 'Get-ScheduledTaskInfo' -Target $InputObject))
            return
        }
        if ($info.LastRunTime) {
            $info.LastRunTime = [DateTime]::Parse($info.LastRunTime, [System.Globalization.CultureInfo]::InvariantCulture,
                [System.Globalization.DateTimeStyles]::RoundtripKind).ToLocalTime()
        }
        else {
            $info.LastRunTime = [DateTime]::new(1999, 11, 30, 0, 0, 0, [System.DateTimeKind]::Local)
        }
        $info.LastTaskResult = [uint32]$info.LastTaskResult
        $info.NumberOfMissedRuns = [uint32]$info.NumberOfMissedRuns
        New-TaskCimObject -Property $info -ClassName 'MSFT_TaskDynamicInfo'
    }
}

Function Start-ScheduledTask {
    <#
    .SYNOPSIS
    Start-ScheduledTask [-TaskName] <String> [[-TaskPath] <String>]: runs a registered task now; no output. A disabled task: 'The task is disabled.' (SCHED_E_TASK_DISABLED,
    text as FormatMessage gives it; the record itself is unconfirmed); a missing one: 'The system cannot
    find the file specified.' (HRESULT 0x80070002).
    .LINK
    https://learn.microsoft.com/powershell/module/scheduledtasks/start-scheduledtask
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param (
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Path', ValueFromPipelineByPropertyName = $true)]
        [string]
        $TaskName,

        # "If you do not specify a path, the cmdlet uses the root folder."
        [Parameter(Position = 1, ParameterSetName = 'Path', ValueFromPipelineByPropertyName = $true)]
        [string]
        $TaskPath = '\'
    )
    process {
        try {
            $null = Invoke-WinSimApi -Operation 'Task.Start' -Arguments @{ path = $TaskPath; name = $TaskName }
        }
        catch {
            $PSCmdlet.WriteError((New-TaskErrorRecord -ErrorRecord $_ -Command 'Start-ScheduledTask' -Target $TaskName))
        }
    }
}

Export-ModuleMember -Function Get-ScheduledTask, Get-ScheduledTaskInfo, Start-ScheduledTask
