# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/sanity_ignores.py: tests/sanity/ignore-*.txt stays exactly in step with the PowerShell files."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_spec = importlib.util.spec_from_file_location('sanity_ignores', os.path.join(REPO, 'tools', 'sanity_ignores.py'))
sanity_ignores = importlib.util.module_from_spec(_spec)
sys.modules.setdefault('sanity_ignores', sanity_ignores)
_spec.loader.exec_module(sanity_ignores)

MODS = ['plugins/modules/a.ps1', 'plugins/modules/b.ps1']
UTIL = 'plugins/module_utils/_A.psm1'
FIXTURE = 'tests/fixtures/x.ps1'
FILES = MODS + [UTIL, FIXTURE]
ACTIONS = {'a', 'b'}
SPECIFIC = 'plugins/modules/a.ps1 validate-modules:undocumented-parameter  # the action plugin takes other options'


def test_generated_lines_pass_and_carry_reasons():
    lines = sanity_ignores.expected_lines(FILES)
    assert len(lines) == 4
    assert all(' pslint!skip  # ' in line for line in lines)
    assert all('PSScriptAnalyzer' in line for line in lines)
    assert sanity_ignores.check_text('\n'.join(lines) + '\n', FILES, 'ignore-2.19.txt', ACTIONS) == []


def test_every_powershell_file_needs_a_pslint_skip():
    """pslint reads .psm1 files and test fixtures too, not only the modules."""
    text = '\n'.join(sanity_ignores.expected_lines(MODS))
    problems = sanity_ignores.check_text(text, FILES, 'ignore-2.19.txt', ACTIONS)
    assert problems == [
        'ignore-2.19.txt: missing entry for %s: add "%s pslint!skip  # <reason>" (or run tools/sanity_ignores.py --write)'
        % (path, path) for path in sorted([UTIL, FIXTURE])]


def test_validate_modules_skip_is_now_an_error():
    lines = sanity_ignores.expected_lines(MODS) + [
        'plugins/modules/a.ps1 validate-modules!skip  # needs pwsh to read the argument spec']
    problems = sanity_ignores.check_text('\n'.join(lines), MODS, 'f', ACTIONS)
    assert len(problems) == 1
    assert problems[0].startswith('f:3: not allowed: pwsh is available')
    assert 'validate-modules:<code>' in problems[0]


def test_specific_argspec_codes_of_action_backed_modules_are_allowed():
    lines = sanity_ignores.expected_lines(MODS) + [SPECIFIC]
    assert sanity_ignores.check_text('\n'.join(lines), MODS, 'f', ACTIONS) == []


def test_other_specific_codes_and_modules_without_action_plugin_are_not_allowed():
    lines = sanity_ignores.expected_lines(MODS) + [
        'plugins/modules/a.ps1 validate-modules:missing-gplv3-license  # no header',
        SPECIFIC.replace('/a.ps1', '/b.ps1'),
        'plugins/modules/a.py validate-modules:undocumented-parameter  # the stub, not the .ps1',
    ]
    problems = sanity_ignores.check_text('\n'.join(lines), MODS, 'f', {'a'})
    assert [p.split(': ', 2)[1] for p in problems] == ['not allowed'] * 3
    assert problems[0].startswith('f:3: not allowed: of validate-modules only the $spec-versus-DOCUMENTATION codes')
    assert problems[1].startswith('f:4: not allowed: of validate-modules only')  # b has no action plugin here
    assert problems[2].startswith('f:5: not allowed: only pslint!skip')


def test_stale_and_disallowed_lines_are_reported():
    lines = sanity_ignores.expected_lines(MODS[:1]) + [
        'plugins/modules/gone.ps1 pslint!skip  # was a module',
        'plugins/module_utils/_Gone.psm1 pslint!skip  # was a util',
        'plugins/action/a.py pylint:unused-import  # convenient',
    ]
    problems = sanity_ignores.check_text('\n'.join(lines), MODS[:1], 'f', ACTIONS)
    assert problems[0] == 'f:2: stale: the file no longer exists: plugins/modules/gone.ps1 pslint!skip  # was a module'
    assert problems[1] == 'f:3: stale: the file no longer exists: plugins/module_utils/_Gone.psm1 pslint!skip  # was a util'
    assert problems[2].startswith('f:4: not allowed: only pslint!skip')
    assert len(problems) == 3


def test_reason_is_required_and_format_is_strict():
    problems = sanity_ignores.check_text(
        'plugins/modules/a.ps1 pslint!skip\n'
        '# a comment-only line is a parse error for ansible-test\n'
        'plugins/modules/a.ps1 validate-modules:doc-required-mismatch  # ok\n'
        'plugins/modules/a.ps1 validate-modules:doc-required-mismatch  # twice\n'
        'plugins/modules/a.ps1 validate-modules:doc-elements-mismatch\n', MODS[:1], 'f', ACTIONS)
    assert problems[0] == 'f:1: entry without a "# reason" comment: plugins/modules/a.ps1 pslint!skip'
    assert problems[1].startswith('f:2: malformed line')
    assert problems[2] == 'f:4: duplicate entry plugins/modules/a.ps1 validate-modules:doc-required-mismatch'
    assert problems[3] == ('f:5: entry without a "# reason" comment: '
                           'plugins/modules/a.ps1 validate-modules:doc-elements-mismatch')


def test_rewrite_keeps_allowed_specific_entries_and_drops_the_rest():
    old = '\n'.join([
        'plugins/modules/a.ps1 validate-modules!skip  # old rule',
        SPECIFIC,
        'plugins/modules/gone.ps1 validate-modules:undocumented-parameter  # module removed',
    ])
    assert sanity_ignores.rewrite(old, MODS, ACTIONS) == sorted(sanity_ignores.expected_lines(MODS) + [SPECIFIC])


def test_powershell_files_are_what_git_shows(tmp_path):
    for rel in FILES + ['plugins/modules/a.py', 'tests/output/junk.ps1', 'notes.psd1']:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('#\n', encoding='utf-8')
    (tmp_path / '.gitignore').write_text('tests/output/\n', encoding='utf-8')
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    assert sanity_ignores.powershell_files(str(tmp_path)) == sorted(FILES + ['notes.psd1'])
    assert sanity_ignores.module_ps1_files(str(tmp_path)) == MODS


def test_repository_ignore_file_is_in_step():
    assert sanity_ignores.main(['--repo', REPO]) == 0
