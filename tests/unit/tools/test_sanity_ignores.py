# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/sanity_ignores.py: tests/sanity/ignore-*.txt stays exactly in step with the .ps1 modules."""
from __future__ import annotations

import importlib.util
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_spec = importlib.util.spec_from_file_location('sanity_ignores', os.path.join(REPO, 'tools', 'sanity_ignores.py'))
sanity_ignores = importlib.util.module_from_spec(_spec)
sys.modules.setdefault('sanity_ignores', sanity_ignores)
_spec.loader.exec_module(sanity_ignores)

MODS = ['plugins/modules/a.ps1', 'plugins/modules/b.ps1']


def test_generated_lines_pass_and_carry_reasons():
    lines = sanity_ignores.expected_lines(MODS)
    assert len(lines) == 4
    assert all('  # ' in line for line in lines)
    assert sanity_ignores.check_text('\n'.join(lines) + '\n', MODS, 'ignore-2.19.txt') == []


def test_new_module_without_lines_is_reported():
    text = '\n'.join(sanity_ignores.expected_lines(MODS[:1]))
    problems = sanity_ignores.check_text(text, MODS, 'ignore-2.19.txt')
    assert len(problems) == 2
    assert all('missing entry for plugins/modules/b.ps1' in p for p in problems)


def test_stale_and_disallowed_lines_are_reported():
    lines = sanity_ignores.expected_lines(MODS[:1]) + [
        'plugins/modules/gone.ps1 pslint!skip  # was a module',
        'plugins/action/a.py pylint:unused-import  # convenient',
    ]
    problems = sanity_ignores.check_text('\n'.join(lines), MODS[:1], 'f')
    assert problems == [
        'f:3: stale: the module no longer exists: plugins/modules/gone.ps1 pslint!skip  # was a module',
        'f:4: not allowed: only pslint!skip and validate-modules!skip for plugins/modules/*.ps1 may be ignored: '
        'plugins/action/a.py pylint:unused-import  # convenient',
    ]


def test_reason_is_required_and_format_is_strict():
    problems = sanity_ignores.check_text(
        'plugins/modules/a.ps1 pslint!skip\n'
        '# a comment-only line is a parse error for ansible-test\n'
        'plugins/modules/a.ps1 validate-modules!skip  # ok\n'
        'plugins/modules/a.ps1 validate-modules!skip  # twice\n', MODS[:1], 'f')
    assert problems[0] == 'f:1: entry without a "# reason" comment: plugins/modules/a.ps1 pslint!skip'
    assert problems[1].startswith('f:2: malformed line')
    assert problems[2] == 'f:4: duplicate entry plugins/modules/a.ps1 validate-modules!skip'


def test_repository_ignore_file_is_in_step():
    assert sanity_ignores.main(['--repo', REPO]) == 0
