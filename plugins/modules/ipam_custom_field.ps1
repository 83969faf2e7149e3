#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccess
#AnsibleRequires -PowerShell ..module_utils._IpamServer

# Remote half of ipam.provisioning.ipam_custom_field. It reports one IPAM custom field with its
# values, and creates it, adds or removes values, or removes it, exactly as its action plugin planned.

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        name = @{ type = 'str'; required = $true }
        token = @{ type = 'str'; no_log = $false }  # a compare-and-swap fingerprint of the state read, not a secret
        create = @{ type = 'bool'; default = $false }
        multivalue = @{ type = 'bool'; default = $false }
        add_values = @{ type = 'list'; elements = 'str'; default = @() }
        remove_values = @{ type = 'list'; elements = 'str'; default = @() }
        delete = @{ type = 'bool'; default = $false }
    }
    required_if = @(
        , @('mode', 'apply', @('token'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Import-IpamServerModule -Module $module
$name = $module.Params.name

Function Get-CustomFieldState {
    <#
    .SYNOPSIS
    The field as {name, category, multivalue, values: [{value, category}]}, or $null when IPAM has none of that name.
    #>
    [CmdletBinding()]
    [OutputType([Hashtable])]
    param ()
    $fields = Invoke-IpamCmdlet -Module $module -Description 'Get-IpamCustomField' -Action {
        Get-IpamCustomField -ErrorAction Stop
    }
    foreach ($field in @($fields)) {
        $fieldName = [string](Get-IpamObjectValue -InputObject $field -Name 'Name')
        # -eq on strings ignores case, as IPAM does for field names.
        if ($null -eq $field -or $fieldName -ne $name) {
            continue
        }
        $values = [System.Collections.Generic.List[Hashtable]]@()
        foreach ($value in @(Get-IpamObjectValue -InputObject $field -Name 'CustomValue', 'Value')) {
            if ($null -eq $value) {
                continue
            }
            # Custom values are objects with Value and Category; older versions print plain strings.
            $text = Get-IpamObjectValue -InputObject $value -Name 'Value'
            if ($null -eq $text) {
                $text = [string]$value
            }
            $values.Add(@{
                    value = [string]$text
                    category = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $value -Name 'Category')
                })
        }
        return @{
            name = $fieldName
            category = ConvertTo-IpamText -Value (Get-IpamObjectValue -InputObject $field -Name 'Category')
            multivalue = [bool](Get-IpamObjectValue -InputObject $field -Name 'Multivalue', 'MultiValue')
            values = $values
        }
    }
    $null
}

Function Get-FieldToken {
    <#
    .SYNOPSIS
    '<name>|<category>|<1|0>|<values lowercased, sorted, comma>' or 'absent'; the simulator builds the same string.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowNull()]
        [Hashtable]
        $Field
    )
    if ($null -eq $Field) {
        return 'absent'
    }
    $values = [string[]]@($Field.values | ForEach-Object { $_.value.ToLowerInvariant() })
    [System.Array]::Sort($values, [System.StringComparer]::Ordinal)
    $multivalue = if ($Field.multivalue) { '1' } else { '0' }
    '{0}|{1}|{2}|{3}' -f $Field.name.ToLowerInvariant(), $Field.category, $multivalue, ($values -join ',')
}

$module.Result.host = Get-IpamHostInfo
$field = Get-CustomFieldState
$module.Result.field = $field
$module.Result.token = Get-FieldToken -Field $field

if ($module.Params.mode -eq 'read') {
    $module.ExitJson()
}

Assert-IpamToken -Module $module -Expected $module.Params.token -Actual $module.Result.token -What "The IPAM custom field '$name'"

if (-not $module.CheckMode) {
    if ($module.Params.create) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Add-IpamCustomField -Name $name" -Action {
            Add-IpamCustomField -Name $name -MultiValue:([bool]$module.Params.multivalue) -ErrorAction Stop
        }
    }
    foreach ($value in $module.Params.add_values) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Add-IpamCustomValue -Name $name -Value $value" -Action {
            Add-IpamCustomValue -Name $name -Value $value -ErrorAction Stop
        }
    }
    foreach ($value in $module.Params.remove_values) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Remove-IpamCustomValue -Name $name -Value $value" -Action {
            Remove-IpamCustomValue -Name $name -Value $value -Force -Confirm:$false -ErrorAction Stop
        }
    }
    if ($module.Params.delete) {
        $null = Invoke-IpamCmdlet -Module $module -Description "Remove-IpamCustomField -Name $name" -Action {
            Remove-IpamCustomField -Name $name -Force -Confirm:$false -ErrorAction Stop
        }
    }
    $field = Get-CustomFieldState
    $module.Result.field = $field
    $module.Result.token = Get-FieldToken -Field $field
}
$module.Result.changed = $true
$module.ExitJson()
