#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep tests/sanity/ignore-<core>.txt exactly in step with the PowerShell modules.

    tools/sanity_ignores.py            verify (exit 1 with a message naming each bad line)
    tools/sanity_ignores.py --write    regenerate the file(s)

Why the file exists: there is no ``pwsh`` on our machines or in CI. ansible-test's ``validate-modules``
crashes on a ``.ps1`` module without pwsh (it runs pwsh to read the argument spec) and ``pslint``
needs pwsh too, so every ``plugins/modules/*.ps1`` needs exactly::

    plugins/modules/<name>.ps1 pslint!skip  # <reason>
    plugins/modules/<name>.ps1 validate-modules!skip  # <reason>

and nothing else may be ignored. What those skips lose is covered elsewhere: the documentation of
each module is checked with ``ansible-doc`` against the built collection (tools/test.sh, gate
``build``) and the PowerShell syntax by ``tools/pwsh_syntax.py``.

Format facts (ansible-test 2.19, ``read_lines_without_comments``): everything from ``#`` to the end
of a line is a comment and the spaces before it are dropped, but a line that is empty or *only* a
comment is a parse error, so the reason goes at the end of each entry and there is no header.
The file checked is the one for the installed ansible-core (``ignore-2.19.txt``) plus every other
``ignore-*.txt`` already present.
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import subprocess
import sys
import typing as t

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SANITY_DIR = os.path.join('tests', 'sanity')
REASONS = {
    'pslint': 'no pwsh on the test machines; PowerShell syntax is checked by tools/pwsh_syntax.py',
    'validate-modules': 'needs pwsh to read the argument spec; docs are checked with ansible-doc in tools/test.sh',
}
LINE_RE = re.compile(r'^(?P<path>\S+) (?P<code>\S+)(?P<comment> +#.*)?$')


def core_version() -> str:
    from ansible.release import __version__  # pylint: disable=import-outside-toplevel

    return '.'.join(__version__.split('.')[:2])


def module_ps1_files(repo: str) -> list[str]:
    """Every plugins/modules/*.ps1 that git tracks or does not ignore (what ansible-test will see)."""
    try:
        out = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z', '--', 'plugins/modules/'],
                             cwd=repo, check=True, capture_output=True).stdout.decode('utf-8')
        names = [n for n in out.split('\0') if n]
    except (OSError, subprocess.CalledProcessError):
        base = os.path.join(repo, 'plugins', 'modules')
        names = ['plugins/modules/' + n for n in os.listdir(base)] if os.path.isdir(base) else []
    return sorted(n for n in names if n.endswith('.ps1') and n.count('/') == 2
                  and os.path.isfile(os.path.join(repo, n)))


def expected_lines(ps1_files: t.Iterable[str]) -> list[str]:
    return ['%s %s!skip  # %s' % (path, test, REASONS[test]) for path in sorted(ps1_files) for test in sorted(REASONS)]


def check_text(text: str, ps1_files: t.Iterable[str], name: str) -> list[str]:
    """Return one message per problem in the ignore file `name` with content `text`."""
    expected = {(path, '%s!skip' % test) for path in ps1_files for test in REASONS}
    problems = []
    seen = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = LINE_RE.match(line)
        if not match:
            problems.append('%s:%d: malformed line (want "<path> <test>!skip  # <reason>"): %r' % (name, number, line))
            continue
        key = (match.group('path'), match.group('code'))
        if key in seen:
            problems.append('%s:%d: duplicate entry %s %s' % (name, number, *key))
        seen.add(key)
        if key not in expected:
            if match.group('path').endswith('.ps1') and match.group('path').startswith('plugins/modules/') \
                    and not any(p == match.group('path') for p in ps1_files):
                why = 'stale: the module no longer exists'
            else:
                why = 'not allowed: only pslint!skip and validate-modules!skip for plugins/modules/*.ps1 may be ignored'
            problems.append('%s:%d: %s: %s' % (name, number, why, line))
            continue
        comment = (match.group('comment') or '').strip().lstrip('#').strip()
        if not comment:
            problems.append('%s:%d: entry without a "# reason" comment: %s' % (name, number, line))
    for path, code in sorted(expected - seen):
        problems.append('%s: missing entry for %s: add "%s %s  # <reason>" (or run tools/sanity_ignores.py --write)'
                        % (name, path, path, code))
    return problems


def ignore_files(repo: str, version: str) -> list[str]:
    found = set(glob.glob(os.path.join(repo, SANITY_DIR, 'ignore-*.txt')))
    found.add(os.path.join(repo, SANITY_DIR, 'ignore-%s.txt' % version))
    return sorted(found)


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--write', action='store_true', help='rewrite the ignore file(s) from the modules present')
    parser.add_argument('--repo', default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    ps1 = module_ps1_files(args.repo)
    problems = []
    for path in ignore_files(args.repo, core_version()):
        rel = os.path.relpath(path, args.repo)
        if args.write:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(''.join(line + '\n' for line in expected_lines(ps1)))
            print('wrote %s (%d entries)' % (rel, 2 * len(ps1)))
            continue
        text = ''
        if os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                text = handle.read()
        problems.extend(check_text(text, ps1, rel))
    for problem in problems:
        print(problem)
    if not args.write:
        print('sanity_ignores: %d PowerShell module(s), %d problem(s)' % (len(ps1), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
