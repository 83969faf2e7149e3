# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Runs a module of this collection as one call of a batch (managed_server_access). Internal use
# only: the interface can change without notice.
#
# Each call gets its own Ansible.Basic module object, made from that module's own spec and the
# call's options, and runs that module's own read or apply (module_utils/_Ipam<Name>.psm1). Its reply
# is what the module alone would have printed. Ansible.Basic ends a module through two public static
# hooks, WriteLine (the JSON result) and Exit; for the length of one call they keep the line and
# unwind to here instead of ending the process, and they are put back afterwards.

Function Invoke-IpamModuleCall {
    <#
    .SYNOPSIS
    Runs one module call; returns its reply as a dictionary (failed with a message when the module threw).
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.IDictionary])]
    param (
        # The batch's own module object: the call inherits its check mode, diff mode, verbosity and no_log.
        [Parameter(Mandatory = $true)]
        [object]
        $Parent,

        # The Ansible.Basic argument spec of the module called.
        [Parameter(Mandatory = $true)]
        [Hashtable]
        $Spec,

        # The function that runs the module for a module object (Invoke-Ipam<Name>).
        [Parameter(Mandatory = $true)]
        [string]
        $Command,

        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $Options
    )
    # Ansible.Basic reads a module's options from $complex_args when it is given no arguments file.
    $complex_args = @{
        _ansible_check_mode = $Parent.CheckMode
        _ansible_diff = $Parent.DiffMode
        _ansible_verbosity = $Parent.Verbosity
        _ansible_debug = $Parent.DebugMode
        _ansible_no_log = $Parent.NoLog
    }
    foreach ($key in $Options.Keys) {
        $complex_args[$key] = $Options[$key]
    }
    $written = [System.Collections.Generic.List[string]]::new()
    $savedExit = [Ansible.Basic.AnsibleModule]::Exit
    $savedWriteLine = [Ansible.Basic.AnsibleModule]::WriteLine
    $thrown = $null
    try {
        [Ansible.Basic.AnsibleModule]::WriteLine = { param ([string] $Line) $written.Add($Line) }.GetNewClosure()
        [Ansible.Basic.AnsibleModule]::Exit = { param ([int] $ExitCode) throw 'ipam-module-call-ended' }
        $call = [Ansible.Basic.AnsibleModule]::Create([string[]]@(), $Spec)
        & $Command -Module $call
    }
    catch {
        $thrown = $_
    }
    finally {
        [Ansible.Basic.AnsibleModule]::Exit = $savedExit
        [Ansible.Basic.AnsibleModule]::WriteLine = $savedWriteLine
    }
    if ($written.Count -gt 0) {
        # The first line is the module's result; a module never writes a second one.
        $reply = [Ansible.Basic.AnsibleModule]::FromJson($written[0])
    }
    elseif ($thrown) {
        # As the exec wrapper reports an error a module did not handle.
        $reply = @{
            failed = $true
            msg = "Unhandled exception while executing module: $($thrown.Exception.Message)"
            exception = "$($thrown.Exception.Message)`r`n$($thrown.InvocationInfo.PositionMessage)`r`n$($thrown.ScriptStackTrace)"
        }
    }
    else {
        $reply = @{ failed = $true; msg = "internal error: $Command ended without a result" }
    }
    $null = $reply.Remove('invocation')  # the batch's own invocation already lists every call's options
    # The comma: PowerShell would send a generic dictionary down the pipeline one entry at a time.
    , $reply
}

Export-ModuleMember -Function Invoke-IpamModuleCall
