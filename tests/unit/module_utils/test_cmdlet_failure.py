# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a cmdlet's error becomes a module failure (plugins/module_utils/_IpamAccess.psm1), run by PowerShell's
own engine: an access denied is access_denied whatever language its text is in (#13 item 5), and a lookup
treats only ObjectNotFound as absent (#13 item 4).

The error records are made the way cmdlets write them, with German text, so that nothing but the category,
the HResult or the error id can tell a refusal apart.
"""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from winsim.pwsh.pool import find_pwsh

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ACCESS_UTIL = os.path.join(REPO, 'plugins', 'module_utils', '_IpamAccess.psm1')

# Each case: a script block that fails the way a cmdlet does. $null = ... keeps output out of the answer.
ERRORS = {
    'category': "Write-Error -Message 'Zugriff verweigert' -Category PermissionDenied -ErrorId 'Fehler1' -ErrorAction Stop",
    'hresult': ("throw [System.Management.Automation.ErrorRecord]::new("
                "[System.Runtime.InteropServices.COMException]::new('Zugriff verweigert', -2147024891), "
                "'Fehler2', 'NotSpecified', $null)"),
    'wrapped': ("throw [System.Management.Automation.ErrorRecord]::new([System.Management.Automation.MethodInvocationException]::new("
                "'Ausnahme beim Aufrufen', [System.UnauthorizedAccessException]::new('Zugriff verweigert')), "
                "'Fehler3', 'NotSpecified', $null)"),
    'other': "Write-Error -Message 'Der RPC-Server ist nicht verfuegbar' -Category ConnectionError -ErrorId 'Fehler4' -ErrorAction Stop",
    'not_found': "Write-Error -Message 'Nicht gefunden' -Category ObjectNotFound -ErrorId 'Fehler5' -ErrorAction Stop",
}
SCRIPT = r"""
Import-Module -Name '%s'
$cases = [Console]::In.ReadToEnd() | ConvertFrom-Json
$answers = @{}
foreach ($case in $cases.PSObject.Properties) {
    foreach ($variant in 'act', 'lookup') {
        $module = [PSCustomObject]@{ Result = @{} }
        $module | Add-Member -MemberType ScriptMethod -Name FailJson -Value { param ($Message, $ErrorRecord) throw "failed: $Message" }
        $action = [scriptblock]::Create($case.Value)
        $answer = 'no failure'
        try {
            $null = Invoke-IpamCmdlet -Module $module -Description 'Get-Something' -Action $action -Lookup:($variant -eq 'lookup')
        }
        catch {
            # FailJson's throw arrives wrapped by the method call.
            $cause = $_.Exception
            while ($cause.InnerException) { $cause = $cause.InnerException }
            $answer = '{0}: {1}' -f $module.Result.error, $cause.Message
        }
        $answers['{0} {1}' -f $variant, $case.Name] = $answer
    }
}
ConvertTo-Json -Compress -InputObject $answers
""" % ACCESS_UTIL


@pytest.fixture(scope='module')
def answers():
    pwsh = find_pwsh()
    if pwsh is None:
        if os.environ.get('CI'):
            pytest.fail('pwsh is not installed; CI must run the module util in PowerShell')
        pytest.skip('pwsh is not installed')
    out = subprocess.run([pwsh, '-NoProfile', '-NonInteractive', '-Command', SCRIPT], input=json.dumps(ERRORS),
                         capture_output=True, text=True, check=True, encoding='utf-8').stdout
    return json.loads(out)


@pytest.mark.parametrize('case', ['category', 'hresult', 'wrapped'])
@pytest.mark.parametrize('variant', ['act', 'lookup'])
def test_a_refusal_in_any_language_is_access_denied(answers, variant, case):
    assert answers['%s %s' % (variant, case)] == 'access_denied: failed: Access is denied: Get-Something.'


@pytest.mark.parametrize('variant', ['act', 'lookup'])
def test_any_other_error_is_invalid_state_with_its_text(answers, variant):
    assert answers['%s other' % variant] == 'invalid_state: failed: Get-Something failed: Der RPC-Server ist nicht verfuegbar'


def test_only_a_lookup_reads_not_found_as_absent(answers):
    assert answers['lookup not_found'] == 'no failure'
    assert answers['act not_found'] == 'invalid_state: failed: Get-Something failed: Nicht gefunden'
