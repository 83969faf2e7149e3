# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# The Windows-only cmdlets of Microsoft.PowerShell.Management (tests only). pwsh on Linux has that
# module without them; a fake of the same name would hide the cmdlets Linux does have (Get-Item...),
# so these live under another name and are found by command discovery on PSModulePath.

Function Get-Service {
    <#
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param (
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true, ParameterSetName = 'Default')]
        [Alias('ServiceName')]
        [string[]]
        $Name
    )
    process {
        foreach ($one in $Name) {
            try {
                $values = Invoke-WinSimApi -Operation 'Service.Get' -Arguments @{ name = $one }
            }
            catch {
                if ((Get-WinSimErrorKind -ErrorRecord $_) -ne 'not_found') { throw }
                # Not found is a non-terminating error: -ErrorAction SilentlyContinue hides it. PowerShell
                # appends the command's name to the id, as it appends the cmdlet class to the real one's.
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.InvalidOperationException]::new($_.Exception.Message),
                        'NoServiceFoundForGivenName',
                        [System.Management.Automation.ErrorCategory]::ObjectNotFound, $one))
                continue
            }
            $service = [PSCustomObject]$values
            $service.PSObject.TypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
            $service
        }
    }
}

Function Restart-Service {
    <#
    .LINK
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-service
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true)]
    param (
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true, ParameterSetName = 'Default')]
        [Alias('ServiceName')]
        [string[]]
        $Name,

        [switch]
        $Force,

        [switch]
        $PassThru
    )
    process {
        foreach ($one in $Name) {
            try {
                $values = Invoke-WinSimApi -Operation 'Service.Restart' -Arguments @{ name = $one }
            }
            catch {
                $kind = Get-WinSimErrorKind -ErrorRecord $_
                if ($kind -eq 'not_found') {
                    # The same non-terminating error as Get-Service (windows-api.md 2); PowerShell appends
                    # the command's name to the id, as it appends the cmdlet class to the real one's.
                    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                            [System.InvalidOperationException]::new($_.Exception.Message),
                            'NoServiceFoundForGivenName',
                            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $one))
                    continue
                }
                if ($kind -ne 'access_denied') { throw }
                # Stopping failed: ServiceCommandException 'Service ... cannot be stopped due to the following
                # error: Cannot open <name> service on computer '.'.' over Win32Exception 5 (windows-api.md 2).
                # The ServiceCommandException type is not in pwsh on Linux: InvalidOperationException stands in.
                $win32 = [System.ComponentModel.Win32Exception]::new(5, $_.Exception.Message)
                $open = [System.InvalidOperationException]::new("Cannot open $one service on computer '.'.", $win32)
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.InvalidOperationException]::new(
                            "Service '$one ($one)' cannot be stopped due to the following error: $($open.Message)", $open),
                        'CouldNotStopService',
                        [System.Management.Automation.ErrorCategory]::CloseError, $one))
                continue
            }
            if ($PassThru) {
                $service = [PSCustomObject]@{ Name = $values.Name; DisplayName = $values.DisplayName; Status = 'Running' }
                $service.PSObject.TypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
                $service
            }
        }
    }
}

Export-ModuleMember -Function Get-Service, Restart-Service
