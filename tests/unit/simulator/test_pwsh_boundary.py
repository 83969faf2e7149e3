# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The boundary util and its simulated twin offer the same functions with the same parameters, and
the real one holds nothing but those functions: one Windows call each."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from winsim.pwsh.pool import BOUNDARY_FAKE, find_pwsh

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BOUNDARY_REAL = os.path.join(REPO, 'plugins', 'module_utils', '_IpamWindows.psm1')

# PowerShell's own parser: each function's name, its parameters (name, type, mandatory), and how many
# statements its body has besides the param block.
_SIGNATURES = r'''
param([string]$Path)
$ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$null, [ref]$null)
$functions = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)
$result = foreach ($f in $functions) {
    $params = @()
    if ($f.Body.ParamBlock) {
        $params = @($f.Body.ParamBlock.Parameters | ForEach-Object {
                $mandatory = [bool]($_.Attributes | Where-Object { $_.TypeName.Name -eq 'Parameter' } |
                        ForEach-Object { $_.NamedArguments | Where-Object { $_.ArgumentName -eq 'Mandatory' } })
                @{ name = $_.Name.VariablePath.UserPath; type = $_.StaticType.Name; mandatory = $mandatory }
            })
    }
    $statements = @($f.Body.EndBlock.Statements).Count
    @{ name = $f.Name; params = $params; statements = $statements }
}
ConvertTo-Json -InputObject @($result) -Depth 5 -Compress
'''


def signatures(path: str) -> dict[str, dict]:
    pwsh = find_pwsh()
    if pwsh is None:
        if os.environ.get('CI'):
            pytest.fail('pwsh is not installed; CI must check the boundary with PowerShell\'s parser')
        pytest.skip('pwsh is not installed')
    out = subprocess.run([pwsh, '-NoProfile', '-NonInteractive', '-Command', _SIGNATURES.replace('param([string]$Path)', '$Path = "%s"' % path)],
                         capture_output=True, text=True, check=True).stdout
    return {f['name']: f for f in json.loads(out)}


def public(functions: dict[str, dict]) -> dict[str, list]:
    return {name: f['params'] for name, f in functions.items() if '-Ipam' in name}


def test_the_twin_offers_exactly_the_functions_and_parameters_of_the_real_boundary():
    real, fake = signatures(BOUNDARY_REAL), signatures(BOUNDARY_FAKE)
    assert public(real), 'no boundary function found: the parser script is broken'
    assert public(fake) == public(real)


def test_every_real_boundary_function_is_one_call():
    # One statement in the body (the call), or a try/catch around it that maps one documented exception.
    for name, function in signatures(BOUNDARY_REAL).items():
        assert '-Ipam' in name, '%s: only boundary functions belong in _IpamWindows.psm1' % name
        assert function['statements'] == 1, '%s has %d statements; the boundary holds one call per function' % (
            name, function['statements'])
