#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep tests/sanity/ignore-<core>.txt exactly in step with the PowerShell files.

    tools/sanity_ignores.py            verify (exit 1 with a message naming each bad line)
    tools/sanity_ignores.py --write    regenerate the file(s)

The rules:

* ``validate-modules`` runs on every ``plugins/modules/*.ps1`` (tools/sanity.sh puts pwsh on the
  PATH ansible-test uses, and validate-modules runs it to read the module's ``$spec``), so a
  ``validate-modules!skip`` entry is an error. What may be ignored, by its own code, is only the
  comparison of the ``.ps1`` ``$spec`` with DOCUMENTATION (``ARGSPEC_DOC_CODES``) for a module that
  has an action plugin: there DOCUMENTATION describes the action plugin's options (its
  ARGUMENT_SPEC, checked against DOCUMENTATION by tests/unit/plugins/action) while the ``.ps1``
  ``$spec`` is the remote read/apply protocol (docs/design.md section 3, checked against the action
  plugin's REMOTE_OPTIONS by tests/contract), so the two differ by design::

      plugins/modules/<name>.ps1 validate-modules:<code>  # <reason>

  Every other validate-modules finding (headers, interpreter, the documentation's own schema,
  no_log, required_if...) must be fixed. ansible-test itself fails on an ignore entry that ignores
  nothing, so these entries cannot outlive their finding.
* ``pslint`` needs the PowerShell modules PSScriptAnalyzer 1.21.0 and PSSA-PSCustomUseLiteralPath
  0.1.1, which only the PowerShell Gallery serves; it is unreachable from our machines and NuGet
  does not serve them. So every file pslint would read (each ``.ps1``, ``.psm1`` and ``.psd1``
  that git tracks or does not ignore, modules, module utils and test fixtures alike) needs exactly
  ``<path> pslint!skip  # <reason>``. PowerShell syntax is checked by tools/pwsh_syntax.py instead.

Nothing else may be ignored.

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
PS_EXTENSIONS = ('.ps1', '.psm1', '.psd1')
PSLINT_REASON = ('PSScriptAnalyzer 1.21.0 is not served by NuGet here; the PowerShell Gallery is unreachable;'
                 ' PowerShell syntax is checked by tools/pwsh_syntax.py')
LINE_RE = re.compile(r'^(?P<path>\S+) (?P<code>\S+)(?P<comment> +#.*)?$')
# validate-modules codes of the $spec-versus-DOCUMENTATION comparison: the only ones that may be ignored.
ARGSPEC_DOC_CODES = frozenset({
    'doc-choices-do-not-match-spec',
    'doc-default-does-not-match-spec',
    'doc-elements-mismatch',
    'doc-required-mismatch',
    'doc-type-does-not-match-spec',
    'missing-suboption-docs',
    'nonexistent-parameter-documented',
    # DOCUMENTATION gives the action plugin's aliases (group_membership's name/members); the .ps1 $spec has none.
    'parameter-documented-aliases-differ',
    'parameter-type-not-in-doc',
    'undocumented-parameter',
})
MODULE_PS1_RE = re.compile(r'^plugins/modules/(?P<name>[^/]+)\.ps1$')


def core_version() -> str:
    from ansible.release import __version__  # pylint: disable=import-outside-toplevel

    return '.'.join(__version__.split('.')[:2])


def _candidate_files(repo: str) -> list[str]:
    try:
        out = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'],
                             cwd=repo, check=True, capture_output=True).stdout.decode('utf-8')
        return [n for n in out.split('\0') if n]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for top in ('plugins', 'tests', 'roles', 'playbooks'):
            for root, dirs, files in os.walk(os.path.join(repo, top)):
                dirs[:] = [d for d in dirs if d != 'output']
                names.extend(os.path.relpath(os.path.join(root, f), repo).replace(os.sep, '/') for f in files)
        return names


def powershell_files(repo: str) -> list[str]:
    """Every .ps1/.psm1/.psd1 that git tracks or does not ignore (what ansible-test's pslint reads)."""
    return sorted(n for n in _candidate_files(repo)
                  if n.endswith(PS_EXTENSIONS) and not n.startswith('tests/output/')
                  and os.path.isfile(os.path.join(repo, n)))


def module_ps1_files(repo: str) -> list[str]:
    """Every plugins/modules/*.ps1 (what validate-modules reads with pwsh)."""
    return [n for n in powershell_files(repo) if n.startswith('plugins/modules/') and n.endswith('.ps1')
            and n.count('/') == 2]


def expected_lines(ps_files: t.Iterable[str]) -> list[str]:
    return ['%s pslint!skip  # %s' % (path, PSLINT_REASON) for path in sorted(ps_files)]


def _allowed_specific(path: str, code: str, ps_files: t.Collection[str], action_plugins: t.Collection[str]) -> bool:
    """A $spec-versus-DOCUMENTATION code on a .ps1 module whose options an action plugin takes."""
    match = MODULE_PS1_RE.match(path)
    return bool(match and path in ps_files and match.group('name') in action_plugins
                and code.startswith('validate-modules:') and code.split(':', 1)[1] in ARGSPEC_DOC_CODES)


def action_plugin_names(repo: str) -> set[str]:
    """Names of the action plugins (plugins/action/<name>.py)."""
    base = os.path.join(repo, 'plugins', 'action')
    return {n[:-3] for n in os.listdir(base) if n.endswith('.py') and n != '__init__.py'} if os.path.isdir(base) else set()


def check_text(text: str, ps_files: t.Iterable[str], name: str, action_plugins: t.Collection[str] = ()) -> list[str]:
    """Return one message per problem in the ignore file `name` with content `text`."""
    ps_files = set(ps_files)
    expected = {(path, 'pslint!skip') for path in ps_files}
    problems = []
    seen = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = LINE_RE.match(line)
        if not match:
            problems.append('%s:%d: malformed line (want "<path> <test>  # <reason>"): %r' % (name, number, line))
            continue
        path, code = match.group('path'), match.group('code')
        key = (path, code)
        if key in seen:
            problems.append('%s:%d: duplicate entry %s %s' % (name, number, *key))
        seen.add(key)
        if key not in expected and not _allowed_specific(path, code, ps_files, action_plugins):
            if path.endswith(PS_EXTENSIONS) and path not in ps_files:
                why = 'stale: the file no longer exists'
            elif code == 'validate-modules!skip':
                why = ('not allowed: pwsh is available (tools/sanity.sh), so validate-modules reads the argument spec'
                       ' of every .ps1 module; fix the finding or ignore its specific validate-modules:<code>')
            elif code.startswith('validate-modules:') and MODULE_PS1_RE.match(path):
                why = ('not allowed: of validate-modules only the $spec-versus-DOCUMENTATION codes (%s) of a .ps1'
                       ' module with an action plugin may be ignored; fix this finding'
                       % ', '.join(sorted(ARGSPEC_DOC_CODES)))
            else:
                why = ('not allowed: only pslint!skip for the PowerShell files and $spec-versus-DOCUMENTATION'
                       ' validate-modules:<code> entries of the .ps1 modules may be ignored')
            problems.append('%s:%d: %s: %s' % (name, number, why, line))
            continue
        comment = (match.group('comment') or '').strip().lstrip('#').strip()
        if not comment:
            problems.append('%s:%d: entry without a "# reason" comment: %s' % (name, number, line))
    for path, code in sorted(expected - seen):
        problems.append('%s: missing entry for %s: add "%s %s  # <reason>" (or run tools/sanity_ignores.py --write)'
                        % (name, path, path, code))
    return problems


def rewrite(text: str, ps_files: t.Iterable[str], action_plugins: t.Collection[str] = ()) -> list[str]:
    """The expected pslint!skip lines plus the validate-modules:<code> entries of `text` still allowed."""
    ps_files = set(ps_files)
    kept = []
    for line in text.splitlines():
        match = LINE_RE.match(line)
        if not (match and match.group('comment')):
            continue
        if _allowed_specific(match.group('path'), match.group('code'), ps_files, action_plugins):
            kept.append(line)
    return sorted(set(expected_lines(ps_files) + kept))


def ignore_files(repo: str, version: str) -> list[str]:
    found = set(glob.glob(os.path.join(repo, SANITY_DIR, 'ignore-*.txt')))
    found.add(os.path.join(repo, SANITY_DIR, 'ignore-%s.txt' % version))
    return sorted(found)


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--write', action='store_true', help='rewrite the ignore file(s) from the files present')
    parser.add_argument('--repo', default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    ps_files = powershell_files(args.repo)
    actions = action_plugin_names(args.repo)
    problems = []
    for path in ignore_files(args.repo, core_version()):
        rel = os.path.relpath(path, args.repo)
        text = ''
        if os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                text = handle.read()
        if args.write:
            lines = rewrite(text, ps_files, actions)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(''.join(line + '\n' for line in lines))
            print('wrote %s (%d entries)' % (rel, len(lines)))
            continue
        problems.extend(check_text(text, ps_files, rel, actions))
    for problem in problems:
        print(problem)
    if not args.write:
        print('sanity_ignores: %d PowerShell file(s) (%d module(s)), %d problem(s)'
              % (len(ps_files), len(module_ps1_files(args.repo)), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
