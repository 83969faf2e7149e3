# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Test-only module for the simulated lab transport (tests/e2e). On the simulator the handler
# tests/simulator/winsim/handlers/winsim_echo.py answers instead; this is what a real host runs.

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options = @{
        data = @{ type = 'str'; default = 'pong' }
        write = @{ type = 'bool'; default = $false }
        principals = @{ type = 'list'; elements = 'str'; default = @() }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

$key = 'HKLM:\SOFTWARE\winsim'
$data = $module.Params.data
$module.Result.echo = $data
$module.Result.check_mode = $module.CheckMode
$cs = Get-CimInstance -ClassName Win32_ComputerSystem
$module.Result.host = @{ name = $cs.Name; domain_role = [int]$cs.DomainRole }
$module.Result.language = (Get-Culture).Name

$resolved = foreach ($principal in $module.Params.principals) {
    $entry = @{ input = $principal; sid = $null; name = $null; error = $null }
    try {
        if ($principal -match '^S-1-\d+(-\d+)+$') {
            $sid = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $principal
        }
        else {
            $account = New-Object -TypeName System.Security.Principal.NTAccount -ArgumentList $principal
            $sid = $account.Translate([System.Security.Principal.SecurityIdentifier])
        }
        $entry.sid = $sid.Value
        try {
            $entry.name = $sid.Translate([System.Security.Principal.NTAccount]).Value
        }
        catch [System.Security.Principal.IdentityNotMappedException] {
            $entry.name = $null
        }
    }
    catch {
        $entry.error = 'No mapping between account names and security IDs was done.'
    }
    $entry
}
$module.Result.principals = @($resolved)

if ($module.Params.write) {
    $current = (Get-ItemProperty -LiteralPath $key -Name Echo -ErrorAction SilentlyContinue).Echo
    if ($current -ne $data) {
        if (-not $module.CheckMode) {
            if (-not (Test-Path -LiteralPath $key)) {
                New-Item -Path $key -Force | Out-Null
            }
            Set-ItemProperty -LiteralPath $key -Name Echo -Value $data
        }
        $module.Result.changed = $true
    }
}

$module.ExitJson()
