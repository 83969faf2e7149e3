# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# A long-lived pwsh worker of the simulated lab (test machine only, PowerShell 7). It runs what a
# WinRM client sent to a Windows host the way Ansible's psrp connection runs it in a remote
# runspace: the (decoded) script with the stdin lines as pipeline input, under a host that records
# $host.SetShouldExit. Each request gets a fresh runspace, as every WinRM command gets a fresh
# process on Windows; the process environment and the working folder are put back afterwards,
# because Ansible's module_wrapper.ps1 sets the task's environment process-wide.
#
# Protocol, one JSON document per line on this process's own stdin/stdout (never Console.Out, which
# module_wrapper.ps1 redirects while a module runs):
#   in:  {"script": str, "input": [str], "env": {name: value}, "culture": "en-US"}
#   out: {"rc": int, "stdout": str, "stderr": str}
# The first line out is {"ready": true} once the worker's types are compiled.
param (
    # RecordingHost.cs,CompileCache.cs (one argument: -File passes arguments as plain strings)
    [Parameter(Mandatory = $true)]
    [string]
    $TypeSource
)
$ErrorActionPreference = 'Stop'
Add-Type -Path ($TypeSource -split ',')

$utf8 = [System.Text.UTF8Encoding]::new($false)
$requests = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $utf8)
$replies = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $utf8)
$replies.AutoFlush = $true
$replies.WriteLine('{"ready":true}')

function Invoke-WinSimRequest {
    param ([hashtable] $Request)
    $savedEnv = [Environment]::GetEnvironmentVariables()
    $savedLocation = [Environment]::CurrentDirectory
    $recorder = [WinSim.RecordingHost]::new([string]$Request.culture)
    $runspace = [runspacefactory]::CreateRunspace($recorder)
    $recorder.Runspace = $runspace
    $ps = $null
    $stdout = ''
    $stderr = [System.Text.StringBuilder]::new()
    $failed = $false
    try {
        foreach ($name in $Request.env.Keys) {
            [Environment]::SetEnvironmentVariable($name, [string]$Request.env[$name])
        }
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript([string]$Request.script)
        $pipelineInput = [System.Collections.Generic.List[object]]::new()
        foreach ($line in $Request.input) { $pipelineInput.Add([string]$line) }
        $output = $ps.Invoke($pipelineInput)
        $stdout = ($output | ForEach-Object { [string]$_ }) -join "`r`n"
        foreach ($record in $ps.Streams.Error) { $null = $stderr.AppendLine(($record | Out-String).TrimEnd()) }
        $failed = $ps.HadErrors
    }
    catch {
        # The script itself did not run to its end (a parse error, a terminating error): the shell reports it.
        $null = $stderr.AppendLine(($_ | Out-String).TrimEnd())
        $failed = $true
    }
    finally {
        if ($ps) { $ps.Dispose() }
        $runspace.Dispose()
        $now = [Environment]::GetEnvironmentVariables()
        foreach ($name in $now.Keys) {
            if (-not $savedEnv.Contains($name)) { [Environment]::SetEnvironmentVariable($name, $null) }
        }
        foreach ($name in $savedEnv.Keys) {
            if ($now[$name] -cne $savedEnv[$name]) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
        }
        [Environment]::CurrentDirectory = $savedLocation
    }
    $null = $stderr.Append($recorder.Recorder.Errors.ToString())
    # Ansible's psrp rule: the exit code asked for when it is not 0, else 1 if the pipeline had errors.
    $rc = if ($recorder.ExitCode) { $recorder.ExitCode } elseif ($failed) { 1 } else { 0 }
    @{ rc = $rc; stdout = $recorder.Recorder.Output.ToString() + $stdout; stderr = $stderr.ToString() }
}

while ($null -ne ($line = $requests.ReadLine())) {
    try {
        $reply = Invoke-WinSimRequest -Request ($line | ConvertFrom-Json -AsHashtable)
    }
    catch {
        $reply = @{ rc = 1; stdout = ''; stderr = 'winsim pwsh worker: ' + ($_ | Out-String) }
    }
    $replies.WriteLine(($reply | ConvertTo-Json -Compress -Depth 3))
}
