# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

<#
.SYNOPSIS
The real-parser half of the PowerShell syntax gate: parse files with PowerShell's own parser and
report what Windows PowerShell 5.1 cannot run.

.DESCRIPTION
Runs on the test machine only, under pwsh 7 (its parser knows every construct 5.1 lacks, so it can
build the syntax tree the 5.1 check walks). For each file:

1. [System.Management.Automation.Language.Parser]::ParseFile; every parse error is reported as
   path:line:col: <message>.
2. The syntax tree and the tokens are checked for what pwsh 7 accepts but Windows PowerShell 5.1
   cannot run (it fails to parse, or it silently means something else there), reported as
   path:line:col: not Windows PowerShell 5.1: <what>. The rules are in $Rules below, each with the
   Microsoft page that says the feature came after 5.1 (-ListRules prints them).

The last line is "pwsh_syntax: N file(s) checked, E error(s)"; the exit status is 1 when anything
was reported, 0 when nothing was, 2 on a usage error.

Not checked: parameters passed by splatting (@params), the encoding of the file (Ansible sends a
module's text as a string, so how 5.1 reads a BOM-less file from disk does not apply), .NET APIs
that .NET Framework 4.x lacks, and behaviour that differs at run time without a syntax trace.
Nothing to check for `using namespace`/`using module`/`using assembly`: Windows PowerShell 5.1 has
all three, with the same rule that they come first in the script (about_Using,
https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_using?view=powershell-5.1),
and a misplaced one is already a parse error here.

tools/pwsh_syntax.py is the gate's driver: it runs this script once over every file with -Json and
adds the tree-sitter-pwsh check, the allowlist and the files that run on pwsh 7 only.

.PARAMETER Path
Files to check.

.PARAMETER ListFile
A UTF-8 file naming more files to check, one path per line (paths that start with '-' cannot be
passed on the command line).

.PARAMETER Json
Print one JSON document instead of text lines:
{"powershell": "<version>", "files": N, "rules": [names], "findings": [{"path", "line", "col",
"kind": "parse"|"compat", "rule", "message"}]}.

.PARAMETER ListRules
Print the rule names and what each reports, then exit.

.EXAMPLE
pwsh -NoProfile -NonInteractive -File tools/pwsh_syntax.ps1 plugins/modules/service_acl.ps1
#>
[CmdletBinding()]
param (
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [string[]]
    $Path = @(),

    [string]
    $ListFile,

    [switch]
    $Json,

    [switch]
    $ListRules
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if ($PSVersionTable.PSVersion.Major -lt 7) {
    [Console]::Error.WriteLine(('pwsh_syntax.ps1: needs PowerShell 7 or later (this is {0}): only its parser knows ' +
            'the syntax that Windows PowerShell 5.1 lacks') -f $PSVersionTable.PSVersion)
    exit 2
}

$TokenKind = [System.Management.Automation.Language.TokenKind]

# --- the rules -----------------------------------------------------------------------------------
# Name = what it reports. Every rule cites the Microsoft page that dates the feature after 5.1.
# W70 = What's New in PowerShell 7.0
#       https://learn.microsoft.com/powershell/scripting/whats-new/what-s-new-in-powershell-70
# DIFF = Differences between Windows PowerShell 5.1 and PowerShell 7.x
#       https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell
# W60 = What's New in PowerShell Core 6.0
#       https://learn.microsoft.com/previous-versions/powershell/scripting/whats-new/what-s-new-in-powershell-core-60
$Rules = [ordered]@{
    # W70, "New operators ... Null conditional operators: ?? and ??="; DIFF, "Null-coalescing operator ??";
    # see also about_Operators, https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_operators
    'null-coalescing' = "the null-coalescing operator '??' (PowerShell 7.0)"
    # W70 and DIFF, "Null-coalescing assignment operator ??="
    'null-coalescing-assignment' = "the null-coalescing assignment operator '??=' (PowerShell 7.0)"
    # DIFF, "Null-conditional operators ... moved from experimental to mainstream in PowerShell 7.1";
    # W70 ("conditional operators ?. and ?[]", then experimental); see also about_Operators
    'null-conditional-member' = "the null-conditional member access operator '?.' (PowerShell 7.1)"
    'null-conditional-index' = "the null-conditional index operator '?[]' (PowerShell 7.1)"
    # W70, "Ternary operator: a ? b : c"; DIFF links the same; see also about_Operators
    'ternary' = "the ternary operator '? :' (PowerShell 7.0)"
    # W70, "Pipeline chain operators: || and &&"; about_Pipeline_Chain_Operators ("Beginning in PowerShell 7"),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_pipeline_chain_operators
    'pipeline-chain' = "the pipeline chain operators '&&' and '||' (PowerShell 7.0)"
    # W60, "Support backgrounding of pipelines with ampersand (&)"; DIFF, "Added & operator for job control"
    'background-operator' = "the background operator '&' at the end of a pipeline (PowerShell 6.0)"
    # about_Functions_Advanced_Methods ("PowerShell 7.3 adds a clean block process method"),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_advanced_methods;
    # What's New in PowerShell 7.3 ("Add clean block to script block as a peer to begin, process, and end")
    'clean-block' = "a 'clean' block (PowerShell 7.3)"
    # about_Calling_Generic_Methods ("Beginning with PowerShell 7.3, you can specify the types for a generic method"),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_calling_generic_methods
    'generic-method-call' = "a generic method call with explicit type arguments, [type]::Method[T]() (PowerShell 7.3)"
    # W70 and DIFF, "Parallel execution added to ForEach-Object" (with ThrottleLimit and more); ForEach-Object
    # for 5.1 has only InputObject, Begin, Process, End, RemainingScripts, MemberName, ArgumentList (alias Args),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/foreach-object?view=powershell-5.1
    'foreach-object-parameter' = 'a ForEach-Object parameter that 5.1 lacks, such as -Parallel (PowerShell 7.0)'
    # ConvertFrom-Json for 5.1 has only -InputObject (7.x adds AsHashtable, Depth, NoEnumerate, DateKind),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json?view=powershell-5.1
    'convertfrom-json-parameter' = 'a ConvertFrom-Json parameter that 5.1 lacks, such as -AsHashtable'
    # ConvertTo-Json for 5.1 has only -InputObject, -Depth, -Compress (7.x adds AsArray, EnumsAsStrings, EscapeHandling),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json?view=powershell-5.1
    'convertto-json-parameter' = 'a ConvertTo-Json parameter that 5.1 lacks, such as -AsArray'
    # DIFF, "New cmdlets": Get-Uptime, Remove-Alias, Remove-Service (6.0), the Markdown cmdlets and Test-Json
    # (6.1), the ExperimentalFeature cmdlets and Join-String (6.2), Get-Error (7.0)
    'cmdlet-after-5.1' = 'a cmdlet that Windows PowerShell 5.1 does not have, such as Join-String, Get-Error or Test-Json'
    # about_CommonParameters for 5.1: ActionPreference is SilentlyContinue, Stop, Continue, Inquire, Ignore,
    # Suspend (0-5), https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters?view=powershell-5.1;
    # for 7.x the table adds Break (6),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters?view=powershell-7.4
    'action-preference-break' = "the action preference 'Break', e.g. -ErrorAction Break (PowerShell 7.x)"
    # about_CommonParameters: "The ProgressAction parameter was added in PowerShell 7.4."
    'progress-action' = 'the -ProgressAction common parameter (PowerShell 7.4)'
    # $PSStyle: about_ANSI_Terminals ("PowerShell 7.2 added a new automatic variable, $PSStyle"),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_ansi_terminals;
    # $IsWindows, $IsLinux, $IsMacOS: W60, "Added three new automatic variables to determine whether
    # PowerShell is running in a given OS"; $IsCoreCLR: about_Automatic_Variables for 7.x only,
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables
    # (5.1 has none of them, so any use, guarded or not, reads $null there: flagged)
    'automatic-variable' = 'an automatic variable 5.1 does not have: $PSStyle, $IsWindows, $IsLinux, $IsMacOS, $IsCoreCLR'
    # W60, "Added new escape character for ESC: `e" and "Implement Unicode escape parsing" (`u{...});
    # 5.1 reads `e as a plain 'e' and `u{41} as 'u{41}', silently
    'escape-sequence' = 'the escape sequences `e and `u{...} in a double-quoted string (PowerShell 6.0)'
    # about_Requires: a script with #Requires -Version N does not run on an older version, and
    # -PSEdition Core does not run on Windows PowerShell (Desktop),
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    'requires-version' = 'a #Requires statement that Windows PowerShell 5.1 does not meet (-Version 6+, -PSEdition Core)'
    # PowerShell/PowerShell#13361 (7.1): "the runtime no longer applies $ErrorActionPreference if the ErrorRecord
    # comes from a native command" (stderr). Windows PowerShell 5.1 still does: under Ansible's
    # $ErrorActionPreference = 'Stop' the first stderr line of `x.exe 2>&1` is a terminating error, raised
    # before $LASTEXITCODE can be read. A function that sets $ErrorActionPreference to Continue (or
    # SilentlyContinue, Ignore) for itself may redirect.
    'native-stderr-under-stop' = "a native command's stderr redirected (2>&1, 2>) where `$ErrorActionPreference may be Stop"
}

if ($ListRules) {
    foreach ($name in $Rules.Keys) {
        Write-Output ('{0}: {1}' -f $name, $Rules[$name])
    }
    exit 0
}

# Cmdlets that Windows PowerShell 5.1 lacks (rule cmdlet-after-5.1, sources above).
$NewCmdlets = @{
    'get-uptime' = 'Get-Uptime (PowerShell 6.0)'
    'remove-alias' = 'Remove-Alias (PowerShell 6.0)'
    'remove-service' = 'Remove-Service (PowerShell 6.0)'
    'convertfrom-markdown' = 'ConvertFrom-Markdown (PowerShell 6.1)'
    'get-markdownoption' = 'Get-MarkdownOption (PowerShell 6.1)'
    'set-markdownoption' = 'Set-MarkdownOption (PowerShell 6.1)'
    'show-markdown' = 'Show-Markdown (PowerShell 6.1)'
    'test-json' = 'Test-Json (PowerShell 6.1)'
    'disable-experimentalfeature' = 'Disable-ExperimentalFeature (PowerShell 6.2)'
    'enable-experimentalfeature' = 'Enable-ExperimentalFeature (PowerShell 6.2)'
    'get-experimentalfeature' = 'Get-ExperimentalFeature (PowerShell 6.2)'
    'join-string' = 'Join-String (PowerShell 6.2)'
    'get-error' = 'Get-Error (PowerShell 7.0)'
}

# The common parameters of Windows PowerShell 5.1 and their aliases (about_CommonParameters, 5.1),
# with the risk mitigation parameters; ProgressAction is not one of them (rule progress-action).
$CommonParameters51 = @('Debug', 'ErrorAction', 'ErrorVariable', 'InformationAction', 'InformationVariable',
    'OutVariable', 'OutBuffer', 'PipelineVariable', 'Verbose', 'WarningAction', 'WarningVariable', 'WhatIf', 'Confirm')
$CommonAliases51 = @('db', 'ea', 'ev', 'infa', 'iv', 'ov', 'ob', 'pv', 'vb', 'wa', 'wv', 'wi', 'cf')

# Every parameter of these cmdlets in 5.1 (sources at the rules); any other is reported.
$Parameters51 = @{
    'foreach-object' = @{
        Rule = 'foreach-object-parameter'; Name = 'ForEach-Object'
        Parameters = @('InputObject', 'Begin', 'Process', 'End', 'RemainingScripts', 'MemberName', 'ArgumentList')
        Aliases = @('Args')
    }
    'convertfrom-json' = @{
        Rule = 'convertfrom-json-parameter'; Name = 'ConvertFrom-Json'
        Parameters = @('InputObject'); Aliases = @()
    }
    'convertto-json' = @{
        Rule = 'convertto-json-parameter'; Name = 'ConvertTo-Json'
        Parameters = @('InputObject', 'Depth', 'Compress'); Aliases = @()
    }
}
$CommandAliases = @{ '%' = 'foreach-object'; 'foreach' = 'foreach-object' }

# The *Action common parameters, with the shortest unambiguous prefix PowerShell accepts for each.
$ActionParameters = @(
    @{ Name = 'ErrorAction'; Alias = 'ea'; MinPrefix = 6 }
    @{ Name = 'WarningAction'; Alias = 'wa'; MinPrefix = 8 }
    @{ Name = 'InformationAction'; Alias = 'infa'; MinPrefix = 12 }
    @{ Name = 'ProgressAction'; Alias = 'proga'; MinPrefix = 9 }
)
$PreferenceVariables = @('ErrorActionPreference', 'WarningPreference', 'InformationPreference', 'VerbosePreference',
    'DebugPreference', 'ProgressPreference')
$NewAutomaticVariables = @{
    'psstyle' = '$PSStyle (PowerShell 7.2)'
    'iswindows' = '$IsWindows (PowerShell 6.0)'
    'islinux' = '$IsLinux (PowerShell 6.0)'
    'ismacos' = '$IsMacOS (PowerShell 6.0)'
    'iscoreclr' = '$IsCoreCLR (PowerShell 6.0)'
}
# An unescaped `e or `u{ (an odd run of backticks before it): case-sensitive, as PowerShell is.
$EscapePattern = [regex]'(?<!`)(?:``)*`(e|u\{)'

# --- helpers -------------------------------------------------------------------------------------
Function Test-ParameterName {
    <# Whether the parameter name as written (maybe abbreviated) names $Full or is its alias. #>
    param ([string]$Written, [string]$Full, [string]$Alias, [int]$MinPrefix)
    if (-not $Written) {
        return $false
    }
    if ($Alias -and $Written -eq $Alias) {
        return $true
    }
    return $Written.Length -ge $MinPrefix -and $Full.StartsWith($Written, [StringComparison]::OrdinalIgnoreCase)
}

Function Test-BreakValue {
    <# Whether an argument AST is the action preference Break written as a word, a string or its value 6. #>
    param ($Ast)
    if ($null -eq $Ast) {
        return $false
    }
    if ($Ast -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
        return $Ast.Value -eq 'Break'
    }
    if ($Ast -is [System.Management.Automation.Language.ConstantExpressionAst]) {
        return $Ast.Value -is [int] -and $Ast.Value -eq 6
    }
    if ($Ast -is [System.Management.Automation.Language.ExpandableStringExpressionAst]) {
        return $Ast.NestedExpressions.Count -eq 0 -and $Ast.Value -eq 'Break'
    }
    if ($Ast -is [System.Management.Automation.Language.CommandExpressionAst]) {
        return Test-BreakValue -Ast $Ast.Expression
    }
    if ($Ast -is [System.Management.Automation.Language.PipelineAst] -and $Ast.PipelineElements.Count -eq 1) {
        return Test-BreakValue -Ast $Ast.PipelineElements[0]
    }
    return $false
}

Function Test-StderrRedirection {
    <#
    .SYNOPSIS
    Whether a command redirects its error stream (2>&1, 2>file, *>...).
    #>
    param ($Command)
    foreach ($redirection in $Command.Redirections) {
        if ($redirection.FromStream -eq [System.Management.Automation.Language.RedirectionStream]::Error -or
            $redirection.FromStream -eq [System.Management.Automation.Language.RedirectionStream]::All) {
            return $true
        }
    }
    return $false
}

Function Test-ContinueOnError {
    <#
    .SYNOPSIS
    Whether the function around an AST node sets $ErrorActionPreference to Continue, SilentlyContinue or Ignore.
    #>
    param ($Ast)
    $scope = $Ast.Parent
    while ($null -ne $scope -and $scope -isnot [System.Management.Automation.Language.FunctionDefinitionAst]) {
        $scope = $scope.Parent
    }
    if ($null -eq $scope) {
        return $false
    }
    $assignments = $scope.Body.FindAll({
            param($n)
            $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and
            $n.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
            $n.Left.VariablePath.UserPath -eq 'ErrorActionPreference'
        }, $true)
    foreach ($assignment in $assignments) {
        if ($assignment.Right.Extent.Text -match "^['`"]?(Continue|SilentlyContinue|Ignore)['`"]?$") {
            return $true
        }
    }
    return $false
}

Function Get-LineColumn {
    <# Line and column of a character offset inside a token that starts at $Extent. #>
    param ($Extent, [string]$Text, [int]$Index)
    $before = $Text.Substring(0, $Index)
    $newlines = ([regex]::Matches($before, "`n")).Count
    if ($newlines -eq 0) {
        return @($Extent.StartLineNumber, ($Extent.StartColumnNumber + $Index))
    }
    return @(($Extent.StartLineNumber + $newlines), ($Index - $before.LastIndexOf("`n")))
}

Function Get-CompatibilityFinding {
    <#
    .SYNOPSIS
    The 5.1 findings of one parsed file, as hashtables with line, col, rule and what.
    #>
    param ($Ast, $Tokens)
    $found = [System.Collections.Generic.List[hashtable]]::new()
    $add = {
        param ([int]$Line, [int]$Col, [string]$Rule, [string]$What)
        $found.Add(@{ line = $Line; col = $Col; rule = $Rule; what = $What })
    }

    # Functions the file defines itself (a 5.1 polyfill named Test-Json is fine).
    $ownFunctions = @{}
    foreach ($function in $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
        $ownFunctions[$function.Name.ToLowerInvariant()] = $true
    }

    foreach ($node in $Ast.FindAll({ $true }, $true)) {
        $line = $node.Extent.StartLineNumber
        $col = $node.Extent.StartColumnNumber
        if ($node -is [System.Management.Automation.Language.BinaryExpressionAst]) {
            if ($node.Operator -eq $TokenKind::QuestionQuestion) {
                & $add $line $col 'null-coalescing' "null-coalescing operator '??' (PowerShell 7.0)"
            }
        }
        elseif ($node -is [System.Management.Automation.Language.AssignmentStatementAst]) {
            if ($node.Operator -eq $TokenKind::QuestionQuestionEquals) {
                & $add $line $col 'null-coalescing-assignment' "null-coalescing assignment operator '??=' (PowerShell 7.0)"
            }
            $left = $node.Left
            if ($left -is [System.Management.Automation.Language.ConvertExpressionAst]) {
                $left = $left.Child
            }
            if ($left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                $PreferenceVariables -contains ($left.VariablePath.UserPath -replace '^.*:', '') -and
                (Test-BreakValue -Ast $node.Right)) {
                & $add $line $col 'action-preference-break' ("`${0} = 'Break' (5.1's ActionPreference has no Break)" -f
                    ($left.VariablePath.UserPath -replace '^.*:', ''))
            }
        }
        elseif ($node -is [System.Management.Automation.Language.MemberExpressionAst]) {
            if ($node.NullConditional) {
                & $add $line $col 'null-conditional-member' "null-conditional member access '?.' (PowerShell 7.1)"
            }
            if ($node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and
                $null -ne $node.GenericTypeArguments -and $node.GenericTypeArguments.Count -gt 0) {
                $callText = $node.Extent.Text -replace '\s+', ' '
                if ($callText.Length -gt 80) {
                    $callText = $callText.Substring(0, 77) + '...'
                }
                & $add $line $col 'generic-method-call' ('generic method call with type arguments {0} (PowerShell 7.3)' -f
                    $callText)
            }
            if ($node.Static -and $node.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and
                $node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and
                $node.Member.Value -eq 'Break' -and $node.Expression.TypeName.FullName -match '(^|\.)ActionPreference$') {
                & $add $line $col 'action-preference-break' ('{0} (5.1''s ActionPreference has no Break)' -f
                    $node.Extent.Text)
            }
        }
        elseif ($node -is [System.Management.Automation.Language.IndexExpressionAst]) {
            if ($node.NullConditional) {
                & $add $line $col 'null-conditional-index' "null-conditional index '?[]' (PowerShell 7.1)"
            }
        }
        elseif ($node -is [System.Management.Automation.Language.TernaryExpressionAst]) {
            & $add $line $col 'ternary' "ternary operator '<condition> ? <if-true> : <if-false>' (PowerShell 7.0)"
        }
        elseif ($node -is [System.Management.Automation.Language.PipelineChainAst]) {
            $operator = if ($node.Operator -eq $TokenKind::AndAnd) { '&&' } else { '||' }
            & $add $line $col 'pipeline-chain' ("pipeline chain operator '{0}' (PowerShell 7.0)" -f $operator)
            if ($node.Background) {
                & $add $line $col 'background-operator' "background operator '&' after a pipeline (PowerShell 6.0)"
            }
        }
        elseif ($node -is [System.Management.Automation.Language.PipelineAst]) {
            if ($node.Background) {
                & $add $line $col 'background-operator' "background operator '&' after a pipeline (PowerShell 6.0)"
            }
        }
        elseif ($node -is [System.Management.Automation.Language.NamedBlockAst]) {
            if ("$($node.BlockKind)" -eq 'Clean') {
                & $add $line $col 'clean-block' "'clean' block (PowerShell 7.3)"
            }
        }
        elseif ($node -is [System.Management.Automation.Language.VariableExpressionAst]) {
            $variablePath = $node.VariablePath
            if ($variablePath.IsDriveQualified -and $variablePath.DriveName -ne 'variable') {
                continue  # $env:IsWindows is an environment variable
            }
            $key = $variablePath.UserPath  # maybe scope-qualified: $global:IsWindows
            $key = $key.Substring($key.LastIndexOf(':') + 1).ToLowerInvariant()
            if ($NewAutomaticVariables.ContainsKey($key)) {
                & $add $line $col 'automatic-variable' ('automatic variable {0}; 5.1 has no such variable' -f
                    $NewAutomaticVariables[$key])
            }
        }
        elseif ($node -is [System.Management.Automation.Language.CommandAst]) {
            $commandName = $node.GetCommandName()
            $key = $null
            if ($commandName) {
                $key = ($commandName -replace '^.*\\', '').ToLowerInvariant()
                if ($CommandAliases.ContainsKey($key)) {
                    $key = $CommandAliases[$key]
                }
            }
            if ($key -and $NewCmdlets.ContainsKey($key) -and -not $ownFunctions.ContainsKey($key)) {
                & $add $line $col 'cmdlet-after-5.1' ('cmdlet {0}; Windows PowerShell 5.1 has no such command' -f $NewCmdlets[$key])
            }
            if ($key -and $key -match '\.(exe|com)$' -and (Test-StderrRedirection -Command $node) -and
                -not (Test-ContinueOnError -Ast $node)) {
                & $add $line $col 'native-stderr-under-stop' ("{0} with stderr redirected; in 5.1 under `$ErrorActionPreference = 'Stop' each stderr line is a terminating error: set `$ErrorActionPreference = 'Continue' in the function that runs it" -f $commandName)
            }
            $elements = $node.CommandElements
            for ($i = 1; $i -lt $elements.Count; $i++) {
                $parameter = $elements[$i]
                if ($parameter -isnot [System.Management.Automation.Language.CommandParameterAst]) {
                    continue
                }
                $written = $parameter.ParameterName
                $pLine = $parameter.Extent.StartLineNumber
                $pCol = $parameter.Extent.StartColumnNumber
                $value = $parameter.Argument
                if ($null -eq $value -and $i + 1 -lt $elements.Count -and
                    $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) {
                    $value = $elements[$i + 1]
                }
                $isProgressAction = $false
                foreach ($action in $ActionParameters) {
                    if (Test-ParameterName -Written $written -Full $action.Name -Alias $action.Alias -MinPrefix $action.MinPrefix) {
                        if ($action.Name -eq 'ProgressAction') {
                            $isProgressAction = $true
                            & $add $pLine $pCol 'progress-action' ('-{0}: the ProgressAction common parameter is PowerShell 7.4' -f $written)
                        }
                        if (Test-BreakValue -Ast $value) {
                            & $add $pLine $pCol 'action-preference-break' ('-{0} Break (5.1''s ActionPreference has no Break)' -f
                                $written)
                        }
                    }
                }
                if ($isProgressAction -or -not $key -or -not $Parameters51.ContainsKey($key) -or $ownFunctions.ContainsKey($key)) {
                    continue
                }
                $known = $Parameters51[$key]
                $ok = $false
                foreach ($name in @($known.Parameters) + $CommonParameters51) {
                    if ($written -and $name.StartsWith($written, [StringComparison]::OrdinalIgnoreCase)) {
                        $ok = $true
                        break
                    }
                }
                if (-not $ok -and $written -and (@($known.Aliases) + $CommonAliases51) -contains $written) {
                    $ok = $true
                }
                if (-not $ok -and $written) {
                    & $add $pLine $pCol $known.Rule ('{0} -{1}: no such parameter in 5.1 (it has {2})' -f
                        $known.Name, $written, ((@($known.Parameters) | ForEach-Object { "-$_" }) -join ', '))
                }
            }
        }
    }

    # `e and `u{...} in expandable strings and barewords.
    foreach ($token in $Tokens) {
        if ($token.Kind -ne $TokenKind::StringExpandable -and $token.Kind -ne $TokenKind::HereStringExpandable -and
            $token.Kind -ne $TokenKind::Generic) {
            continue
        }
        foreach ($match in $EscapePattern.Matches($token.Text)) {
            $escape = $match.Groups[1].Value
            $at = $match.Index + $match.Length - $escape.Length - 1
            $lineCol = Get-LineColumn -Extent $token.Extent -Text $token.Text -Index $at
            $what = if ($escape -eq 'e') { '`e (ESC); 5.1 reads it as a plain e' } else { '`u{...} (a Unicode code point); 5.1 reads it as the text u{...}' }
            & $add $lineCol[0] $lineCol[1] 'escape-sequence' ('escape sequence {0} (PowerShell 6.0)' -f $what)
        }
    }

    # #Requires that 5.1 does not meet.
    $requirements = $Ast.ScriptRequirements
    if ($null -ne $requirements) {
        $requiresToken = $Tokens | Where-Object { $_.Kind -eq $TokenKind::Comment -and $_.Text -match '^#requires\b' } |
            Select-Object -First 1
        $rLine = 1
        $rCol = 1
        if ($requiresToken) {
            $rLine = $requiresToken.Extent.StartLineNumber
            $rCol = $requiresToken.Extent.StartColumnNumber
        }
        if ($null -ne $requirements.RequiredPSVersion -and $requirements.RequiredPSVersion -gt [version]'5.1') {
            & $add $rLine $rCol 'requires-version' ('#Requires -Version {0}; Windows PowerShell is 5.1' -f $requirements.RequiredPSVersion)
        }
        $editions = @($requirements.RequiredPSEditions)
        if ($editions.Count -gt 0 -and -not ($editions -contains 'Desktop')) {
            & $add $rLine $rCol 'requires-version' ('#Requires -PSEdition {0}; Windows PowerShell is the Desktop edition' -f ($editions -join ','))
        }
    }
    return , $found
}

# --- main ----------------------------------------------------------------------------------------
$files = [System.Collections.Generic.List[string]]::new()
foreach ($p in $Path) {
    if ($p) {
        $files.Add($p)
    }
}
if ($ListFile) {
    foreach ($p in [System.IO.File]::ReadAllLines($ListFile, [System.Text.UTF8Encoding]::new($false))) {
        if ($p.Trim()) {
            $files.Add($p)
        }
    }
}
if ($files.Count -eq 0) {
    [Console]::Error.WriteLine('usage: pwsh -File tools/pwsh_syntax.ps1 [-Json] [-ListFile FILE] [PATH ...] | -ListRules')
    exit 2
}

$findings = [System.Collections.Generic.List[object]]::new()
foreach ($file in $files) {
    $perFile = [System.Collections.Generic.List[object]]::new()
    try {
        $full = [System.IO.Path]::GetFullPath($file, (Get-Location).ProviderPath)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($full, [ref]$tokens, [ref]$errors)
        foreach ($parseError in $errors) {
            $perFile.Add([ordered]@{
                    path = $file; line = $parseError.Extent.StartLineNumber; col = $parseError.Extent.StartColumnNumber
                    kind = 'parse'; rule = $parseError.ErrorId
                    message = ($parseError.Message -replace '\s*\r?\n\s*', ' ').Trim()
                })
        }
        foreach ($item in (Get-CompatibilityFinding -Ast $ast -Tokens $tokens)) {
            $perFile.Add([ordered]@{
                    path = $file; line = $item.line; col = $item.col; kind = 'compat'; rule = $item.rule
                    message = 'not Windows PowerShell 5.1: ' + $item.what
                })
        }
    }
    catch {
        $perFile.Add([ordered]@{
                path = $file; line = 1; col = 1; kind = 'parse'; rule = 'unreadable'
                message = 'cannot parse: ' + ($_.Exception.Message -replace '\s*\r?\n\s*', ' ')
            })
    }
    $seen = @{}
    foreach ($finding in ($perFile | Sort-Object -Property { $_.line }, { $_.col }, { $_.message })) {
        $id = '{0}:{1}:{2}' -f $finding.line, $finding.col, $finding.message
        if (-not $seen.ContainsKey($id)) {
            $seen[$id] = $true
            $findings.Add($finding)
        }
    }
}

if ($Json) {
    $document = [ordered]@{
        powershell = $PSVersionTable.PSVersion.ToString()
        files = $files.Count
        rules = @($Rules.Keys)
        findings = $findings.ToArray()
    }
    Write-Output (ConvertTo-Json -InputObject $document -Depth 4 -Compress)
}
else {
    foreach ($finding in $findings) {
        Write-Output ('{0}:{1}:{2}: {3}' -f $finding.path, $finding.line, $finding.col, $finding.message)
    }
    Write-Output ('pwsh_syntax: {0} file(s) checked, {1} error(s)' -f $files.Count, $findings.Count)
}
exit $(if ($findings.Count -gt 0) { 1 } else { 0 })
