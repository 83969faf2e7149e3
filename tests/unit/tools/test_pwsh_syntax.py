# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/pwsh_syntax.py: the PowerShell syntax gate (tree-sitter-pwsh)."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(REPO, 'tools', 'pwsh_syntax.py')
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


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding='utf-8')
    return str(path)


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


def test_cli_output_format_and_exit_codes(tmp_path):
    good = _write(tmp_path, 'good.ps1', VALID_MODULE)
    bad = _write(tmp_path, 'bad.psm1', BROKEN['missing_brace'])
    allow = _write(tmp_path, 'allow.txt', '')

    ok = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout
    assert 'checked 1 file(s)' in ok.stdout

    ko = subprocess.run([sys.executable, SCRIPT, '--allowlist', allow, good, bad], capture_output=True, text=True, check=False)
    assert ko.returncode == 1
    error_lines = [l for l in ko.stdout.splitlines() if not l.startswith('pwsh_syntax:')]
    assert error_lines
    for line in error_lines:
        path, lineno, col, message = line.split(':', 3)
        assert path == bad and lineno.isdigit() and col.isdigit()
        assert message.strip() == 'syntax error' or message.strip().startswith('missing ')


def test_allowlist_excuses_listed_errors_and_flags_stale_entries(tmp_path):
    bad = _write(tmp_path, 'bad.ps1', BROKEN['missing_paren'])
    findings = pwsh_syntax.check_file(bad, 'bad.ps1')
    entries = ['bad.ps1:%d  grammar gap (test)' % f.line for f in findings]

    allow = _write(tmp_path, 'allow.txt', '# comment\n\n' + '\n'.join(sorted(set(entries))) + '\n')
    out = []
    rc = pwsh_syntax.run(['bad.ps1'], pwsh_syntax.load_allowlist(allow), str(tmp_path), out=_Lines(out))
    assert rc == 0, out
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
                           out=_Lines(out)) == 0


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
