#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PowerShell syntax gate that needs no pwsh: parse every file with tree-sitter-pwsh.

    tools/pwsh_syntax.py [--allowlist FILE] [--git] [--expect-all-in DIR ...] [PATH ...]

Prints one line per problem, ``path:line:col: syntax error`` or ``path:line:col: missing X``,
then a summary line, and exits 1 if any file has an error that the allowlist does not excuse.

``--git`` adds every ``*.ps1``/``*.psm1`` that git tracks or that is untracked but not ignored
(``git ls-files -co --exclude-standard``). ``--expect-all-in DIR`` fails when a ``.ps1``/``.psm1``
file in DIR (on disk) was not among the files checked, so a module cannot slip past the gate.

The allowlist (default ``tools/pwsh_syntax_allowlist.txt``) excuses known false positives of the
grammar (tree-sitter-pwsh does not know every construct, e.g. nested generic type literals such as
``[Func[[Object],[Boolean]]]`` or labelled ``break``). One entry per line::

    path/to/file.ps1:LINE  reason why this is a false positive
    path/to/file.ps1       reason (excuses every error in the file; prefer a line)

``#`` starts a comment line. Every entry needs a reason; an entry that excuses nothing in a file that
was checked is reported as stale and fails the gate, so the list cannot rot.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import typing as t

EXTENSIONS = ('.ps1', '.psm1')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ALLOWLIST = os.path.join(REPO, 'tools', 'pwsh_syntax_allowlist.txt')


@dataclasses.dataclass(frozen=True)
class Finding:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        return '%s:%d:%d: %s' % (self.path, self.line, self.col, self.message)


@dataclasses.dataclass
class AllowEntry:
    path: str
    line: int | None
    reason: str
    source_line: int
    used: bool = False

    def matches(self, finding: Finding) -> bool:
        return finding.path == self.path and (self.line is None or self.line == finding.line)


class AllowlistError(ValueError):
    pass


_PARSER = None


def _parser():
    global _PARSER  # pylint: disable=global-statement
    if _PARSER is None:
        from tree_sitter import Language, Parser  # pylint: disable=import-outside-toplevel
        import tree_sitter_pwsh  # pylint: disable=import-outside-toplevel

        _PARSER = Parser(Language(tree_sitter_pwsh.language()))
    return _PARSER


def check_source(source: bytes, path: str = '<string>') -> list[Finding]:
    """Return the syntax errors of one PowerShell text, innermost error nodes only, in file order."""
    tree = _parser().parse(source)
    findings = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing:
            findings.append(Finding(path, node.start_point[0] + 1, node.start_point[1] + 1, 'missing %s' % node.type))
        elif node.is_error and not any(child.has_error for child in node.children):
            findings.append(Finding(path, node.start_point[0] + 1, node.start_point[1] + 1, 'syntax error'))
        elif node.has_error:
            stack.extend(node.children)
    return sorted(set(findings), key=lambda f: (f.line, f.col, f.message))


def check_file(path: str, display_path: str | None = None) -> list[Finding]:
    with open(path, 'rb') as handle:
        source = handle.read()
    if source.startswith(b'\xef\xbb\xbf'):  # UTF-8 BOM: valid for PowerShell, not part of the grammar
        source = source[3:]
    return check_source(source, display_path or path)


def load_allowlist(path: str) -> list[AllowEntry]:
    if not os.path.exists(path):
        return []
    entries = []
    errors = []
    with open(path, encoding='utf-8') as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.strip()
            if not text or text.startswith('#'):
                continue
            target, reason = (text.split(None, 1) + [''])[:2]
            reason = reason.strip()
            if not reason:
                errors.append('%s:%d: allowlist entry %r has no reason' % (path, number, target))
                continue
            file_part, _sep, line_part = target.rpartition(':')
            if _sep and line_part.isdigit():
                entries.append(AllowEntry(file_part, int(line_part), reason, number))
            else:
                entries.append(AllowEntry(target, None, reason, number))
    if errors:
        raise AllowlistError('\n'.join(errors))
    return entries


def git_files(repo: str) -> list[str]:
    out = subprocess.run(
        ['git', 'ls-files', '-co', '--exclude-standard', '-z', '--'] + ['*%s' % ext for ext in EXTENSIONS],
        cwd=repo, check=True, capture_output=True).stdout.decode('utf-8')
    return sorted({name for name in out.split('\0') if name and os.path.isfile(os.path.join(repo, name))})


def expected_files(repo: str, directory: str) -> set[str]:
    base = os.path.join(repo, directory)
    if not os.path.isdir(base):
        return set()
    return {os.path.relpath(os.path.join(base, name), repo).replace(os.sep, '/')
            for name in os.listdir(base) if name.endswith(EXTENSIONS)}


def run(paths: t.Sequence[str], allowlist: t.Sequence[AllowEntry], repo: str,
        expect_dirs: t.Sequence[str] = (), out: t.TextIO = sys.stdout) -> int:
    """Check `paths` (relative to `repo` or absolute), print findings, return the exit code."""
    rel_paths = []
    for path in paths:
        full = path if os.path.isabs(path) else os.path.join(repo, path)
        rel = os.path.relpath(full, repo).replace(os.sep, '/')
        rel_paths.append((full, rel if not rel.startswith('../') else full))

    failures = 0
    excused = 0
    bad_files = set()
    for full, rel in rel_paths:
        for finding in check_file(full, rel):
            entry = next((e for e in allowlist if e.matches(finding)), None)
            if entry is not None:
                entry.used = True
                excused += 1
                continue
            failures += 1
            bad_files.add(rel)
            print(finding, file=out)

    checked = {rel for _full, rel in rel_paths}
    for entry in allowlist:
        if entry.path in checked and not entry.used:
            failures += 1
            print('%s: stale allowlist entry (line %d of the allowlist) excuses nothing: %s%s'
                  % (entry.path, entry.source_line, entry.path, '' if entry.line is None else ':%d' % entry.line),
                  file=out)

    for directory in expect_dirs:
        missing = sorted(expected_files(repo, directory) - checked)
        for name in missing:
            failures += 1
            print('%s: not checked (is it git-ignored?); every PowerShell file in %s must pass this gate'
                  % (name, directory), file=out)

    print('pwsh_syntax: checked %d file(s): %d with errors, %d error(s) excused by the allowlist'
          % (len(rel_paths), len(bad_files), excused), file=out)
    return 1 if failures else 0


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('paths', nargs='*', help='files to check')
    parser.add_argument('--git', action='store_true', help='also check every .ps1/.psm1 git tracks or does not ignore')
    parser.add_argument('--allowlist', default=DEFAULT_ALLOWLIST, help='allowlist file (default: %(default)s)')
    parser.add_argument('--expect-all-in', action='append', default=[], metavar='DIR',
                        help='fail if a .ps1/.psm1 in DIR (relative to the repository) was not checked')
    parser.add_argument('--repo', default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    try:
        allowlist = load_allowlist(args.allowlist)
    except AllowlistError as exc:
        print(exc, file=sys.stderr)
        return 2
    paths = list(args.paths)
    if args.git:
        paths.extend(p for p in git_files(args.repo) if p not in paths)
    return run(paths, allowlist, args.repo, args.expect_all_in)


if __name__ == '__main__':
    sys.exit(main())
