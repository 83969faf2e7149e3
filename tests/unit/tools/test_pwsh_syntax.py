# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PowerShell syntax gate: tools/pwsh_syntax.py (driver, tree-sitter-pwsh) and tools/pwsh_syntax.ps1
(PowerShell's parser and the Windows PowerShell 5.1 check).

Tests that need pwsh find it as the driver does ($PWSH, PATH, ~/.dotnet/tools/pwsh); without it they
skip, except under CI (the environment variable CI set), where they fail.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(REPO, 'tools', 'pwsh_syntax.py')
PS_SCRIPT = os.path.join(REPO, 'tools', 'pwsh_syntax.ps1')
_spec = importlib.util.spec_from_file_location('pwsh_syntax', SCRIPT)
pwsh_syntax = importlib.util.module_from_spec(_spec)
sys.modules.setdefault('pwsh_syntax', pwsh_syntax)  # dataclasses look their module up there
_spec.loader.exec_module(pwsh_syntax)

VALID_MODULE = r'''#!powershell

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options = @{
        mode = @{ type = 'str'; required = $true; choices = 'read', 'apply' }
        name = @{ type = 'str'; required = $true }
        principals = @{ type = 'list'; elements = 'str'; default = @() }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

Function Get-Thing {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $text = @"
Name: $Name
"@
    try {
        $value = [System.Collections.Generic.List[string]]::new()
        $value.Add($text)
    }
    catch [System.UnauthorizedAccessException] {
        $module.Result.error = 'access_denied'
        $module.FailJson("Access denied: $($_.Exception.Message)", $_)
    }
    $value
}

$module.Result.things = @(Get-Thing -Name $module.Params.name | ForEach-Object { $_.Trim() })
if (-not $module.CheckMode) {
    $module.Result.changed = $true
}
$module.ExitJson()
'''

BROKEN = {
    'missing_paren': VALID_MODULE.replace("if (-not $module.CheckMode) {", "if (-not $module.CheckMode {"),
    'missing_brace': VALID_MODULE.replace("        $module.Result.error = 'access_denied'\n", "        $x = @{ a = 1\n"),
    'unterminated_here_string': VALID_MODULE.replace('Name: $Name\n"@\n', 'Name: $Name\n'),
}

# A module that Windows PowerShell 5.1 runs, full of look-alikes of what the 5.1 check reports.
CLEAN_51 = r'''#!powershell
#Requires -Version 5.1
using namespace System.Text

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options = @{ name = @{ type = 'str'; required = $true } }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$builder = [StringBuilder]::new()
$isDesktop = $PSVersionTable.PSEdition -eq 'Desktop'
$onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
$variable = Get-Variable -Name IsWindows -ErrorAction SilentlyContinue
$env:IsWindows = '1'
$doubled = 1..3 | ForEach-Object -Process { $_ * 2 } -End { 'done' }
$lengths = 'a', 'bb' | ForEach-Object -MemberName Length
$lengths = 'a', 'bb' | % Length
$json = @{ a = 1 } | ConvertTo-Json -Depth 5 -Compress
$back = $json | ConvertFrom-Json
$object = ConvertFrom-Json -InputObject $json -ErrorAction Stop -ev failures
Get-Item -Path . -ErrorAction Ignore -WarningAction SilentlyContinue -InformationAction Continue
$ErrorActionPreference = 'Stop'
$preference = [System.Management.Automation.ActionPreference]::Stop
$text = "tab`t newline`n escaped ``e and a `$literal, question? marks and ?? in a string"
$single = 'single-quoted `e stays as it is'
# a comment with ?? and ?. and $IsWindows and && and ||
$first = @(1, 2)[0]
$flag = if ($first) { 'yes' } else { 'no' }
$items = @(1, 2).Where({ $_ -gt 1 })
$ordered = [ordered]@{ b = 2 }
$list = [System.Collections.Generic.List[string]]::new()
class Thing {
    [string]$Name
}
enum Color {
    Red
}
Function Get-Thing {
    [CmdletBinding()]
    param ([Parameter(Mandatory = $true)][string]$Name)
    begin { }
    process { $Name }
    end { }
}
Function Test-Json {
    param ($Json)
    $true
}
$valid = Test-Json -Json '{}'
$greeting = "$($module.Params.name) is ${first}?"
$job = Start-Job -ScriptBlock { 1 } | Wait-Job | Receive-Job
$module.ExitJson()
'''

# A real syntax error tree-sitter-pwsh does not see: a key twice in a hashtable literal (an
# argument spec with an option listed twice).
DUPLICATE_KEY = VALID_MODULE.replace(
    "        name = @{ type = 'str'; required = $true }\n",
    "        name = @{ type = 'str'; required = $true }\n        name = @{ type = 'str' }\n")
DUPLICATE_KEY_LINE = DUPLICATE_KEY.splitlines().index("        name = @{ type = 'str' }") + 1

# One case per construct of the 5.1 check: (rule, code). The line that ends with "# <-" must be
# reported, and no other line.
RULE_CASES = {
    'null_coalescing': ('null-coalescing', "$name = $module.Params.name ?? 'default'  # <-"),
    'null_coalescing_assignment': ('null-coalescing-assignment', "$name ??= 'default'  # <-"),
    'null_conditional_member': ('null-conditional-member', "$status = ${service}?.Status  # <-"),
    'null_conditional_method': ('null-conditional-member', "$text = ${service}?.ToString()  # <-"),
    'null_conditional_index': ('null-conditional-index', "$first = ${items}?[0]  # <-"),
    'ternary': ('ternary', "$state = $module.CheckMode ? 'check' : 'apply'  # <-"),
    'pipeline_chain_and': ('pipeline-chain', "Get-Service -Name WinRM && Write-Output 'running'  # <-"),
    'pipeline_chain_or': ('pipeline-chain', "Get-Service -Name WinRM || Write-Output 'missing'  # <-"),
    'background_operator': ('background-operator', 'Start-Sleep -Seconds 1 &  # <-'),
    'clean_block': ('clean-block', textwrap.dedent('''\
        Function Get-Thing {
            process { $_ }
            clean { $null = 1 }  # <-
        }''')),
    'generic_method_call': ('generic-method-call', '$none = [System.Linq.Enumerable]::Empty[int]()  # <-'),
    'foreach_object_parallel': ('foreach-object-parameter', '$all = 1..3 | ForEach-Object -Parallel { $_ }  # <-'),
    'foreach_alias_parallel': ('foreach-object-parameter', '$all = 1..3 | % -Parallel { $_ }  # <-'),
    'convertfrom_json_ashashtable': ('convertfrom-json-parameter', "$data = '{}' | ConvertFrom-Json -AsHashtable  # <-"),
    'convertto_json_asarray': ('convertto-json-parameter', '$text = @(1) | ConvertTo-Json -AsArray -Depth 2  # <-'),
    'join_string': ('cmdlet-after-5.1', "$joined = 'a', 'b' | Join-String -Separator ','  # <-"),
    'get_error': ('cmdlet-after-5.1', 'Get-Error -Newest 1  # <-'),
    'test_json': ('cmdlet-after-5.1', "$valid = Test-Json -Json '{}'  # <-"),
    'erroraction_break': ('action-preference-break', 'Get-Item -Path . -ErrorAction Break  # <-'),
    'erroraction_alias_colon_break': ('action-preference-break', 'Get-Item -Path . -ea:Break  # <-'),
    'preference_variable_break': ('action-preference-break', "$ErrorActionPreference = 'Break'  # <-"),
    'actionpreference_break': ('action-preference-break',
                               '$p = [System.Management.Automation.ActionPreference]::Break  # <-'),
    'progress_action': ('progress-action', 'Get-Item -Path . -ProgressAction SilentlyContinue  # <-'),
    'psstyle': ('automatic-variable', '$reset = $PSStyle.Reset  # <-'),
    'iswindows': ('automatic-variable', "if ($IsWindows) { $module.Result.os = 'windows' }  # <-"),
    'islinux': ('automatic-variable', '$linux = $IsLinux  # <-'),
    'ismacos': ('automatic-variable', '$mac = "on macOS: $IsMacOS"  # <-'),
    'iscoreclr': ('automatic-variable', '$core = $global:IsCoreCLR  # <-'),
    'escape_e': ('escape-sequence', '$red = "`e[31mred"  # <-'),
    'escape_u': ('escape-sequence', '$check = "`u{2713}"  # <-'),
    'requires_version': ('requires-version', '#Requires -Version 7.0  # <-'),
    'requires_core': ('requires-version', '#Requires -PSEdition Core  # <-'),
    'native_stderr_merged': ('native-stderr-under-stop', '$out = & sc.exe sdshow DNS 2>&1  # <-'),
    'native_stderr_to_file': ('native-stderr-under-stop', "$out = sc.exe query 2> 'errors.txt'  # <-"),
    # Only the line marked is reported: the same call in a function that continues on error is fine.
    'native_stderr_in_continue_function': ('native-stderr-under-stop', textwrap.dedent('''\
        Function Invoke-Sc {
            $ErrorActionPreference = 'Continue'
            & sc.exe query 2>&1
        }
        $out = & netsh.exe dhcp show server 2>&1  # <-''')),
}
PREAMBLE = '#!powershell\n\n#AnsibleRequires -CSharpUtil Ansible.Basic\n\n$items = @(1, 2)\n$service = $null\n'
POSTAMBLE = '$done = $true\n'


def _case_source(name):
    return PREAMBLE + RULE_CASES[name][1] + '\n' + POSTAMBLE


def _marked_lines(source):
    return [number for number, line in enumerate(source.splitlines(), start=1) if line.endswith('# <-')]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding='utf-8')
    return str(path)


def _pwsh():
    pwsh, reason = pwsh_syntax.find_pwsh()
    if pwsh:
        return pwsh
    if os.environ.get('CI'):
        pytest.fail('CI is set, and the PowerShell parser tests need pwsh: %s' % reason)
    pytest.skip(reason)
    return None  # not reached


@pytest.fixture(scope='module')
def pwsh():
    return _pwsh()


@pytest.fixture(scope='module')
def checked(pwsh, tmp_path_factory):  # pylint: disable=redefined-outer-name
    """tools/pwsh_syntax.ps1 -Json run once over every case, CLEAN_51 and DUPLICATE_KEY: {name: [finding]}."""
    base = tmp_path_factory.mktemp('pwsh_cases')
    sources = {name: _case_source(name) for name in RULE_CASES}
    sources.update(clean=CLEAN_51, duplicate_key=DUPLICATE_KEY)
    paths = {name: _write(base, name + '.ps1', text) for name, text in sources.items()}
    proc = subprocess.run([pwsh, '-NoProfile', '-NonInteractive', '-File', PS_SCRIPT, '-Json'] + sorted(paths.values()),
                          capture_output=True, text=True, check=False, env=pwsh_syntax.pwsh_env(), timeout=600)
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    assert document['files'] == len(paths)
    by_path = {path: [] for path in paths.values()}
    for finding in document['findings']:
        by_path[finding['path']].append(finding)
    results = {name: by_path[path] for name, path in paths.items()}
    results['rules'] = document['rules']
    return results


# --- tree-sitter-pwsh ----------------------------------------------------------------------------
def test_valid_module_has_no_findings(tmp_path):
    assert pwsh_syntax.check_file(_write(tmp_path, 'ok.ps1', VALID_MODULE)) == []


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / 'bom.ps1'
    path.write_bytes(b'\xef\xbb\xbf' + VALID_MODULE.encode())
    assert pwsh_syntax.check_file(str(path)) == []


@pytest.mark.parametrize('name', sorted(BROKEN))
def test_broken_module_is_reported(tmp_path, name):
    findings = pwsh_syntax.check_file(_write(tmp_path, name + '.ps1', BROKEN[name]), name + '.ps1')
    assert findings, name
    for finding in findings:
        assert finding.path == name + '.ps1'
        assert finding.line >= 1 and finding.col >= 1
        assert finding.message == 'syntax error' or finding.message.startswith('missing ')


def test_missing_paren_is_located_on_its_line(tmp_path):
    findings = pwsh_syntax.check_file(_write(tmp_path, 'p.ps1', BROKEN['missing_paren']), 'p.ps1')
    line = BROKEN['missing_paren'].splitlines().index('if (-not $module.CheckMode {') + 1
    assert any(f.line == line for f in findings), findings


def test_tree_sitter_misses_a_duplicate_hashtable_key(tmp_path):
    """Why the real parser is needed: this is an error on every PowerShell, and tree-sitter sees none."""
    assert pwsh_syntax.check_file(_write(tmp_path, 'dup.ps1', DUPLICATE_KEY)) == []


def test_clean_51_module_passes_tree_sitter(tmp_path):
    assert pwsh_syntax.check_file(_write(tmp_path, 'clean.ps1', CLEAN_51)) == []


@pytest.mark.parametrize('name', ['null_coalescing', 'ternary', 'pipeline_chain_and', 'foreach_object_parallel',
                                  'convertfrom_json_ashashtable', 'iswindows', 'erroraction_break', 'escape_e'])
def test_tree_sitter_accepts_what_51_cannot_run(tmp_path, name):
    """Why the 5.1 check is needed: tree-sitter-pwsh parses pwsh 7 and finds nothing wrong here."""
    assert pwsh_syntax.check_file(_write(tmp_path, name + '.ps1', _case_source(name))) == []


# --- the 5.1 check and the real parser (tools/pwsh_syntax.ps1) -----------------------------------
@pytest.mark.parametrize('name', sorted(RULE_CASES))
def test_rule_is_reported_on_its_line(checked, name):  # pylint: disable=redefined-outer-name
    rule = RULE_CASES[name][0]
    findings = checked[name]
    assert [f for f in findings if f['kind'] == 'parse'] == [], findings
    compat = [f for f in findings if f['kind'] == 'compat']
    assert compat, 'nothing reported for %s' % name
    assert {f['rule'] for f in compat} == {rule}, compat
    assert sorted({f['line'] for f in compat}) == _marked_lines(_case_source(name)), compat
    for finding in compat:
        assert finding['message'].startswith('not Windows PowerShell 5.1: ')
        assert finding['col'] >= 1


def test_every_rule_has_a_case(checked):  # pylint: disable=redefined-outer-name
    assert set(checked['rules']) == {rule for rule, _code in RULE_CASES.values()}


def test_clean_51_module_has_no_findings(checked):  # pylint: disable=redefined-outer-name
    assert checked['clean'] == []


def test_real_parser_reports_the_duplicate_key(checked):  # pylint: disable=redefined-outer-name
    findings = checked['duplicate_key']
    assert [(f['kind'], f['line'], f['rule']) for f in findings] == [('parse', DUPLICATE_KEY_LINE, 'DuplicateKeyInHashLiteral')]
    assert "Duplicate keys 'name'" in findings[0]['message']


def test_ps1_text_output_and_exit_status(pwsh, tmp_path):  # pylint: disable=redefined-outer-name
    clean = _write(tmp_path, 'clean.ps1', CLEAN_51)
    case = _write(tmp_path, 'case.ps1', _case_source('ternary'))
    run = subprocess.run([pwsh, '-NoProfile', '-NonInteractive', '-File', PS_SCRIPT, clean, case],
                         capture_output=True, text=True, check=False, env=pwsh_syntax.pwsh_env(), timeout=600)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    line = _marked_lines(_case_source('ternary'))[0]
    assert lines[0].startswith('%s:%d:' % (case, line)), lines
    assert ': not Windows PowerShell 5.1: ternary operator' in lines[0]
    assert lines[-1] == 'pwsh_syntax: 2 file(s) checked, 1 error(s)'
    assert len(lines) == 2


# --- the driver (tools/pwsh_syntax.py) -----------------------------------------------------------
def _no_pwsh_env(tmp_path, pwsh_value='/nonexistent/pwsh'):
    """An environment in which the driver finds no pwsh: PWSH bad (or unset), PATH and HOME without one."""
    empty = tmp_path / 'empty-bin'
    empty.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != 'PWSH'}
    env.update(PATH=str(empty), HOME=str(tmp_path))
    if pwsh_value is not None:
        env['PWSH'] = pwsh_value
    return env


@pytest.mark.parametrize('pwsh_value', ['/nonexistent/pwsh', None], ids=['PWSH-nonexistent', 'PWSH-unset'])
def test_skip_without_pwsh(tmp_path, pwsh_value):
    good = _write(tmp_path, 'good.ps1', VALID_MODULE)
    allow = _write(tmp_path, 'allow.txt', '')
    run = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good], capture_output=True, text=True,
                         check=False, env=_no_pwsh_env(tmp_path, pwsh_value))
    assert run.returncode == 3, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith('pwsh_syntax: SKIP real parser and 5.1 check: ')
    assert ('PWSH=/nonexistent/pwsh is not an executable file' if pwsh_value else 'no pwsh') in lines[0]
    assert lines[-1].startswith('pwsh_syntax: checked 1 file(s) with tree-sitter-pwsh only: 0 with errors')
    assert 'PASS' not in run.stdout


def test_skip_does_not_hide_a_tree_sitter_error(tmp_path):
    bad = _write(tmp_path, 'bad.ps1', BROKEN['missing_brace'])
    allow = _write(tmp_path, 'allow.txt', '')
    run = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, bad], capture_output=True, text=True,
                         check=False, env=_no_pwsh_env(tmp_path))
    assert run.returncode == 1
    assert 'pwsh_syntax: SKIP real parser and 5.1 check: ' in run.stdout


def test_cli_output_format_and_exit_codes_without_pwsh(tmp_path):
    good = _write(tmp_path, 'good.ps1', VALID_MODULE)
    bad = _write(tmp_path, 'bad.psm1', BROKEN['missing_brace'])
    allow = _write(tmp_path, 'allow.txt', '')
    env = _no_pwsh_env(tmp_path)

    ok = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good], capture_output=True, text=True,
                        check=False, env=env)
    assert ok.returncode == 3, ok.stdout
    assert 'checked 1 file(s)' in ok.stdout

    ko = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good, bad], capture_output=True, text=True,
                        check=False, env=env)
    assert ko.returncode == 1
    error_lines = [line for line in ko.stdout.splitlines() if not line.startswith('pwsh_syntax:')]
    assert error_lines
    for line in error_lines:
        path, lineno, col, message = line.split(':', 3)
        assert path == bad and lineno.isdigit() and col.isdigit()
        assert message.strip() == 'syntax error' or message.strip().startswith('missing ')


def test_cli_with_pwsh_reports_parser_and_51_findings(pwsh, tmp_path):  # pylint: disable=redefined-outer-name
    good = _write(tmp_path, 'good.ps1', CLEAN_51)
    dup = _write(tmp_path, 'dup.ps1', DUPLICATE_KEY)
    case = _write(tmp_path, 'case.ps1', _case_source('convertfrom_json_ashashtable'))
    allow = _write(tmp_path, 'allow.txt', '')
    run = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good, dup, case], capture_output=True,
                         text=True, check=False, env=dict(os.environ, PWSH=pwsh), timeout=600)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    case_line = _marked_lines(_case_source('convertfrom_json_ashashtable'))[0]
    case_col = _case_source('convertfrom_json_ashashtable').splitlines()[case_line - 1].index('-AsHashtable') + 1
    assert lines[:-1] == [
        "%s:%d:9: Duplicate keys 'name' are not allowed in hash literals." % (dup, DUPLICATE_KEY_LINE),
        '%s:%d:%d: not Windows PowerShell 5.1: ConvertFrom-Json -AsHashtable: no such parameter in 5.1 '
        '(it has -InputObject)' % (case, case_line, case_col),
    ]
    assert lines[-1].startswith('pwsh_syntax: checked 3 file(s) with tree-sitter-pwsh and the parser of PowerShell 7.')
    assert lines[-1].endswith(': 2 with errors, 0 error(s) excused by the allowlist')


def test_pwsh7_only_files_get_the_parser_but_not_the_51_check(pwsh, tmp_path):  # pylint: disable=redefined-outer-name
    source = _case_source('convertfrom_json_ashashtable')
    for directory in ('tools', 'tests/simulator', 'plugins/modules'):
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / 'x.ps1').write_text(source, encoding='utf-8')
    (tmp_path / 'plugins' / 'modules' / 'clean.ps1').write_text(CLEAN_51, encoding='utf-8')
    (tmp_path / 'tools' / 'broken.ps1').write_text(DUPLICATE_KEY, encoding='utf-8')

    out = []
    rc = pwsh_syntax.run(['tools/x.ps1', 'tests/simulator/x.ps1', 'plugins/modules/clean.ps1'], [], str(tmp_path),
                         out=_Lines(out), pwsh=pwsh)
    assert rc == 0, out
    assert len(out) == 1, out
    assert ('1 of them also for Windows PowerShell 5.1 (2 run on pwsh 7 only, under tools/, tests/simulator/): '
            '0 with errors') in out[0]

    out = []
    rc = pwsh_syntax.run(['plugins/modules/x.ps1', 'tools/broken.ps1'], [], str(tmp_path), out=_Lines(out), pwsh=pwsh)
    assert rc == 1, out
    assert [line.split(':')[0] for line in out[:-1]] == ['plugins/modules/x.ps1', 'tools/broken.ps1'], out
    assert 'ConvertFrom-Json -AsHashtable' in out[0] and 'Duplicate keys' in out[1]


FAKE_PWSH = r'''#!{python}
"""A stand-in for pwsh: logs its command line, answers like tools/pwsh_syntax.ps1 -Json."""
import json, os, sys
args = sys.argv[1:]
with open(os.environ['FAKE_PWSH_LOG'], 'a') as log:
    log.write(json.dumps(args) + '\n')
mode = os.environ.get('FAKE_PWSH_MODE', 'ok')
if mode == 'garbage':
    print('this is not json')
    sys.exit(0)
if mode == 'crash':
    sys.stderr.write('Unhandled exception\n')
    sys.exit(134)
with open(args[args.index('-ListFile') + 1], encoding='utf-8') as handle:
    files = [line for line in handle.read().splitlines() if line]
with open(os.environ['FAKE_PWSH_LOG'] + '.files', 'a') as log:
    log.write(json.dumps(files) + '\n')
findings = []
if mode == 'finding':
    findings = [dict(path=files[0], line=2, col=3, kind='compat', rule='ternary',
                     message='not Windows PowerShell 5.1: ternary operator')]
print(json.dumps(dict(powershell='7.9.9', files=len(files), findings=findings)))
sys.exit(1 if findings else 0)
'''


@pytest.fixture
def fake_pwsh(tmp_path):
    path = tmp_path / 'fake-bin' / 'pwsh'
    path.parent.mkdir()
    path.write_text(FAKE_PWSH.replace('{python}', sys.executable), encoding='utf-8')
    path.chmod(0o755)
    return str(path)


def _run_with_fake(tmp_path, fake, mode, names):
    paths = [_write(tmp_path, name, VALID_MODULE) for name in names]
    allow = _write(tmp_path, 'allow.txt', '')
    log = tmp_path / 'fake.log'
    env = dict(os.environ, PWSH=fake, FAKE_PWSH_LOG=str(log), FAKE_PWSH_MODE=mode)
    run = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow] + paths, capture_output=True, text=True,
                         check=False, env=env)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    lists = tmp_path / 'fake.log.files'
    listed = [json.loads(line) for line in lists.read_text().splitlines()] if lists.exists() else []
    return run, calls, paths, listed


def test_one_pwsh_process_checks_every_file(tmp_path, fake_pwsh):  # pylint: disable=redefined-outer-name
    run, calls, paths, listed = _run_with_fake(tmp_path, fake_pwsh, 'ok', ['a.ps1', 'b.psm1', 'c.ps1'])
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(calls) == 1
    args = calls[0]
    assert args[:4] == ['-NoProfile', '-NonInteractive', '-File', PS_SCRIPT]
    assert '-Json' in args
    # The paths go in a list file (a path may start with '-'), never on the command line.
    assert listed == [paths]
    assert not any(path in args for path in paths)
    assert not os.path.exists(args[args.index('-ListFile') + 1])  # removed after the run
    assert 'checked 3 file(s) with tree-sitter-pwsh and the parser of PowerShell 7.9.9' in run.stdout


def test_findings_from_pwsh_are_reported_with_the_display_path(tmp_path, fake_pwsh):  # pylint: disable=redefined-outer-name
    run, _calls, paths, _listed = _run_with_fake(tmp_path, fake_pwsh, 'finding', ['a.ps1'])
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == '%s:2:3: not Windows PowerShell 5.1: ternary operator' % paths[0]


@pytest.mark.parametrize('mode', ['garbage', 'crash'])
def test_a_failing_pwsh_fails_the_gate(tmp_path, fake_pwsh, mode):  # pylint: disable=redefined-outer-name
    run, calls, _paths, _listed = _run_with_fake(tmp_path, fake_pwsh, mode, ['a.ps1'])
    assert len(calls) == 1
    assert run.returncode == 1, run.stdout
    assert 'pwsh_syntax: ERROR real parser and 5.1 check did not run: ' in run.stdout
    assert 'SKIP' not in run.stdout


def test_find_pwsh_order(tmp_path):
    def executable(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('#!/bin/sh\n')
        path.chmod(0o755)
        return str(path)

    on_path = executable(tmp_path / 'bin' / 'pwsh')
    chosen = executable(tmp_path / 'chosen' / 'pwsh')
    tool = executable(tmp_path / 'home' / '.dotnet' / 'tools' / 'pwsh')
    env = {'PATH': str(tmp_path / 'bin'), 'HOME': str(tmp_path / 'home')}
    assert pwsh_syntax.find_pwsh(dict(env, PWSH=chosen)) == (chosen, '')
    assert pwsh_syntax.find_pwsh(dict(env, PWSH='')) == (on_path, '')
    assert pwsh_syntax.find_pwsh(env) == (on_path, '')
    assert pwsh_syntax.find_pwsh(dict(env, PATH=str(tmp_path / 'nowhere'))) == (tool, '')
    # An explicit PWSH that does not run is not replaced by another pwsh: it was chosen on purpose.
    found, reason = pwsh_syntax.find_pwsh(dict(env, PWSH=str(tmp_path / 'missing')))
    assert found is None and 'is not an executable file' in reason
    found, reason = pwsh_syntax.find_pwsh({'PATH': str(tmp_path / 'nowhere'), 'HOME': str(tmp_path / 'nohome')})
    assert found is None and reason.startswith('no pwsh')


# --- allowlist and coverage (tree-sitter only: pwsh=None, so the run ends in SKIP, exit 3) ---------
def test_allowlist_excuses_listed_errors_and_flags_stale_entries(tmp_path):
    bad = _write(tmp_path, 'bad.ps1', BROKEN['missing_paren'])
    findings = pwsh_syntax.check_file(bad, 'bad.ps1')
    entries = ['bad.ps1:%d  grammar gap (test)' % f.line for f in findings]

    allow = _write(tmp_path, 'allow.txt', '# comment\n\n' + '\n'.join(sorted(set(entries))) + '\n')
    out = []
    rc = pwsh_syntax.run(['bad.ps1'], pwsh_syntax.load_allowlist(allow), str(tmp_path), out=_Lines(out))
    assert rc == 3, out
    assert out[0] == 'pwsh_syntax: SKIP real parser and 5.1 check: no pwsh given'
    assert 'excused by the allowlist' in out[-1]

    stale = _write(tmp_path, 'stale.txt', 'bad.ps1:999  no longer needed\n' + '\n'.join(entries) + '\n')
    out = []
    rc = pwsh_syntax.run(['bad.ps1'], pwsh_syntax.load_allowlist(stale), str(tmp_path), out=_Lines(out))
    assert rc == 1
    assert any('stale allowlist entry' in line and 'bad.ps1:999' in line for line in out)


def test_allowlist_entry_needs_a_reason(tmp_path):
    allow = _write(tmp_path, 'allow.txt', 'plugins/modules/x.ps1:3\n')
    with pytest.raises(pwsh_syntax.AllowlistError, match='has no reason'):
        pwsh_syntax.load_allowlist(allow)


def test_module_directory_files_must_be_checked(tmp_path):
    (tmp_path / 'plugins' / 'modules').mkdir(parents=True)
    (tmp_path / 'plugins' / 'modules' / 'm.ps1').write_text(VALID_MODULE)
    out = []
    assert pwsh_syntax.run([], [], str(tmp_path), expect_dirs=['plugins/modules'], out=_Lines(out)) == 1
    assert any('plugins/modules/m.ps1: not checked' in line for line in out)
    out = []
    assert pwsh_syntax.run(['plugins/modules/m.ps1'], [], str(tmp_path), expect_dirs=['plugins/modules'],
                           out=_Lines(out)) == 3


def test_repository_allowlist_is_well_formed():
    pwsh_syntax.load_allowlist(pwsh_syntax.DEFAULT_ALLOWLIST)


class _Lines:
    """A file-like object collecting printed lines."""

    def __init__(self, lines):
        self.lines = lines
        self._buffer = ''

    def write(self, text):
        self._buffer += text
        while '\n' in self._buffer:
            line, self._buffer = self._buffer.split('\n', 1)
            self.lines.append(line)

    def flush(self):
        pass
