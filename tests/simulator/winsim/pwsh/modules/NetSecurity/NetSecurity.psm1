# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fake NetSecurity (tests only): the firewall rule cmdlets the modules call, over the simulated
# host's rules (winsim/winapi/firewall.py). On Windows these are CDXML cmdlets generated over
# root/StandardCimv2 MSFT_NetFirewallRule; only the parameter sets the collection can reach are here
# (GetAll and ByName), with the real parameter names, positions and aliases. -CimSession,
# -ThrottleLimit and -AsJob are left out on purpose: a call that uses them fails to bind here
# instead of silently running locally and synchronously.
# https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
# https://learn.microsoft.com/powershell/module/netsecurity/enable-netfirewallrule
# https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule
# https://learn.microsoft.com/windows/win32/fwp/wmi/wfascimprov/msft-netfirewallrule

# The enums the cmdletization engine generates from NetSecurity's CDXML. Member names are those the
# cmdlets accept and print (Enabled True/False, not a [bool]). Numeric values: Enabled 1/2,
# Direction 1/2, Action 2/3/4 (Allow/AllowBypass/Block) and PrimaryStatus 0-3 are the documented
# MSFT_NetFirewallRule values; the other enums' numbers are not documented and only keep the order
# of the documented member lists. Nothing in the collection reads the numbers. EnforcementStatus
# stays a string: the cmdlet prints members (NotApplicable) that the class page does not list.
if (-not ('Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled' -as [type])) {
    Add-Type -TypeDefinition @'
namespace Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity
{
    public enum Enabled : ushort { True = 1, False = 2 }
    public enum Direction : ushort { Inbound = 1, Outbound = 2 }
    public enum Action : ushort { NotConfigured = 0, Allow = 2, Block = 4 }
    public enum PrimaryStatus : ushort { Unknown = 0, OK = 1, Inactive = 2, Error = 3 }
    public enum EdgeTraversal : ushort { Block = 0, Allow = 1, DeferToUser = 2, DeferToApp = 3 }
    public enum PolicyStoreType : ushort { None = 0, Local = 1, GroupPolicy = 2, Dynamic = 3, Generated = 4, Hardcoded = 5 }
    [System.Flags]
    public enum Profile : ushort { Any = 0, Domain = 1, Private = 2, Public = 4, NotApplicable = 65535 }
}
'@
}

$script:EnumTypes = @{
    Enabled = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled]
    Direction = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction]
    Action = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]
    PrimaryStatus = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PrimaryStatus]
    EdgeTraversalPolicy = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal]
    PolicyStoreSourceType = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType]
    Profile = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile]
}

Function ConvertTo-NetFirewallRuleInstance {
    # One rule as the cmdlets output it: a CimInstance of MSFT_NetFirewallRule with Name (= InstanceID)
    # and Group (= RuleGroup) and the enum-typed properties.
    param ([Parameter(Mandatory = $true)] [System.Collections.IDictionary] $Values)
    $properties = [ordered]@{}
    foreach ($key in $Values.Keys) {
        $value = $Values[$key]
        if ($script:EnumTypes.ContainsKey($key) -and $null -ne $value) {
            $value = $value -as $script:EnumTypes[$key]
        }
        $properties[$key] = $value
    }
    $rule = [PSCustomObject]$properties
    $rule.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#MSFT_NetFirewallRule')
    $rule.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/StandardCimv2/MSFT_NetFirewallRule')
    $rule
}

Function New-NetFirewallRuleNotFound {
    # The cmdletization engine's error for a -Name value that matched no instance: the CDXML maps
    # -Name to the InstanceID property, so that is the property the text and the error id name.
    # Non-terminating, written after the instances that were found. Only the en-US text is modelled
    # (the template is localized; its German form is known only in part).
    # https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
    param ([string] $Name)
    $message = "No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to '{0}'.  Verify the value of the property and retry." -f $Name
    [System.Management.Automation.ErrorRecord]::new(
        [Microsoft.PowerShell.Cmdletization.Cim.CimJobException]::new($message),
        'CmdletizationQuery_NotFound_InstanceID', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Name)
}

Function New-NetFirewallRuleProviderError {
    # A failure of the MSFT_NetFirewallRule provider: a CimException whose error id is the CIM
    # error's MessageId ('Windows System Error 5' for access denied, PermissionDenied). PowerShell
    # appends ',<cmdlet>' when the cmdlet writes it. https://learn.microsoft.com/windows/win32/wmisdk/wmi-error-constants
    param ([System.Management.Automation.ErrorRecord] $ErrorRecord, [object] $Target)
    $kind = Get-WinSimErrorKind -ErrorRecord $ErrorRecord
    $exception = [Microsoft.Management.Infrastructure.CimException]::new($ErrorRecord.Exception.Message)
    if ($kind -eq 'access_denied') {
        $exception.HResult = -2147024891   # 0x80070005
        return [System.Management.Automation.ErrorRecord]::new($exception, 'Windows System Error 5',
            [System.Management.Automation.ErrorCategory]::PermissionDenied, $Target)
    }
    [System.Management.Automation.ErrorRecord]::new($exception, 'Windows System Error 87',
        [System.Management.Automation.ErrorCategory]::InvalidArgument, $Target)
}

Function Get-NetFirewallRule {
    <#
    .SYNOPSIS
    Retrieves firewall rules from the target computer (GetAll and ByName sets).
    .DESCRIPTION
    -Name takes wildcards; a literal Name that matches no rule is a non-terminating ObjectNotFound
    error (FQID CmdletizationQuery_NotFound_InstanceID,Get-NetFirewallRule), so -ErrorAction
    SilentlyContinue hides it. Without -PolicyStore the PersistentStore is read.
    .LINK
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
    #>
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#root/StandardCimv2/MSFT_NetFirewallRule')]
    param (
        [Parameter(ParameterSetName = 'GetAll')]
        [switch]
        $All,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')]
        [Alias('ID')]
        [string[]]
        $Name,

        [string]
        $PolicyStore,

        [switch]
        $TracePolicyStore
    )
    $names = if ($PSCmdlet.ParameterSetName -eq 'ByName') { $Name } else { @('*') }
    try {
        $reply = Invoke-WinSimApi -Operation 'Firewall.GetRules' -Arguments @{
            names = @($names); policy_store = $PolicyStore; trace = $TracePolicyStore.IsPresent
        }
    }
    catch {
        $PSCmdlet.WriteError((New-NetFirewallRuleProviderError -ErrorRecord $_ -Target 'MSFT_NetFirewallRule'))
        return
    }
    foreach ($values in $reply.rules) {
        ConvertTo-NetFirewallRuleInstance -Values $values
    }
    foreach ($missing in $reply.missing) {
        $PSCmdlet.WriteError((New-NetFirewallRuleNotFound -Name $missing))
    }
}

Function Set-NetFirewallRuleEnabled {
    # Enable-/Disable-NetFirewallRule: the Enable/Disable method of each rule the query finds.
    param ($Cmdlet, [string[]] $Names, [string] $PolicyStore, [bool] $Trace, [bool] $Enabled, [bool] $PassThru)
    $verb = if ($Enabled) { 'Enable' } else { 'Disable' }
    if (-not $Cmdlet.ShouldProcess(($Names -join ', '), $verb)) {
        return
    }
    try {
        $reply = Invoke-WinSimApi -Operation 'Firewall.SetEnabled' -Arguments @{
            names = @($Names); policy_store = $PolicyStore; trace = $Trace; enabled = $Enabled
        }
    }
    catch {
        $Cmdlet.WriteError((New-NetFirewallRuleProviderError -ErrorRecord $_ -Target 'MSFT_NetFirewallRule'))
        return
    }
    if ($PassThru) {
        foreach ($values in $reply.rules) {
            ConvertTo-NetFirewallRuleInstance -Values $values
        }
    }
    foreach ($missing in $reply.missing) {
        $Cmdlet.WriteError((New-NetFirewallRuleNotFound -Name $missing))
    }
}

Function Enable-NetFirewallRule {
    <#
    .SYNOPSIS
    Enables firewall rules (GetAll and ByName sets); no output unless -PassThru.
    .DESCRIPTION
    Without -Name every rule of the store is enabled, as the real cmdlet does. A literal Name that
    matches no rule is the same non-terminating ObjectNotFound error as Get-NetFirewallRule's, with
    FQID CmdletizationQuery_NotFound_InstanceID,Enable-NetFirewallRule; access denied is
    'Windows System Error 5,Enable-NetFirewallRule' (CimException, PermissionDenied).
    .LINK
    https://learn.microsoft.com/powershell/module/netsecurity/enable-netfirewallrule
    #>
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess = $true)]
    param (
        [Parameter(ParameterSetName = 'GetAll')]
        [switch]
        $All,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')]
        [Alias('ID')]
        [string[]]
        $Name,

        [string]
        $PolicyStore,

        [switch]
        $TracePolicyStore,

        [switch]
        $PassThru
    )
    $names = if ($PSCmdlet.ParameterSetName -eq 'ByName') { $Name } else { @('*') }
    Set-NetFirewallRuleEnabled -Cmdlet $PSCmdlet -Names $names -PolicyStore $PolicyStore -Trace $TracePolicyStore.IsPresent -Enabled $true -PassThru $PassThru.IsPresent
}

Function Disable-NetFirewallRule {
    <#
    .SYNOPSIS
    Disables firewall rules (GetAll and ByName sets); no output unless -PassThru.
    .DESCRIPTION
    As Enable-NetFirewallRule, with the Disable method; errors name Disable-NetFirewallRule.
    .LINK
    https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule
    #>
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess = $true)]
    param (
        [Parameter(ParameterSetName = 'GetAll')]
        [switch]
        $All,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')]
        [Alias('ID')]
        [string[]]
        $Name,

        [string]
        $PolicyStore,

        [switch]
        $TracePolicyStore,

        [switch]
        $PassThru
    )
    $names = if ($PSCmdlet.ParameterSetName -eq 'ByName') { $Name } else { @('*') }
    Set-NetFirewallRuleEnabled -Cmdlet $PSCmdlet -Names $names -PolicyStore $PolicyStore -Trace $TracePolicyStore.IsPresent -Enabled $false -PassThru $PassThru.IsPresent
}

Export-ModuleMember -Function Get-NetFirewallRule, Enable-NetFirewallRule, Disable-NetFirewallRule
