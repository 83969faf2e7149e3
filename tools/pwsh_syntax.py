#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PowerShell syntax gate: PowerShell's own parser, a Windows PowerShell 5.1 check, and tree-sitter-pwsh.

    tools/pwsh_syntax.py [--allowlist FILE] [--git] [--expect-all-in DIR ...] [--pwsh7-only PREFIX ...] [PATH ...]

Two checkers look at every file:

* The real one, tools/pwsh_syntax.ps1, run by pwsh once over all the files: each parse error of
  PowerShell's parser (``path:line:col: <message>``), then what pwsh 7 accepts but Windows PowerShell
  5.1, which runs the modules on the managed hosts, cannot run (``path:line:col: not Windows
  PowerShell 5.1: <what>``: ``??``, ``?.``, the ternary operator, ``&&``, ``ForEach-Object -Parallel``,
  ``$IsWindows``, ...; the rules and the Microsoft page behind each are in that script). pwsh is
  ``$PWSH`` when set (then only that one), else ``pwsh`` on PATH, else ``~/.dotnet/tools/pwsh``.
* tree-sitter-pwsh, which needs no pwsh (``path:line:col: syntax error`` or ``missing X``). It is
  the only check when pwsh cannot be found, and it has false positives the real parser does not
  (nested generic type literals such as ``[Func[[Object],[Boolean]]]``, labelled ``break``) and
  misses errors the real parser reports (a duplicate key in a hashtable literal, ``1 = 2``); it
  still runs when pwsh does, as it costs little and keeps the allowlist below honest, so that the
  gate gives the same answer on a machine without pwsh.

Files under a ``--pwsh7-only`` prefix run only on the test machine under pwsh 7 (by default
tools/ and tests/simulator/): they get the parser but not the 5.1 check.

Exit status: 0 when both checkers ran and found nothing; 1 on any finding (or when pwsh was found
but could not check); 3 when tree-sitter found nothing but the real parser and the 5.1 check could
not run, after printing ``pwsh_syntax: SKIP real parser and 5.1 check: <reason>``; 2 on a bad
allowlist. The last line is a summary that says which checks ran.

``--git`` adds every ``*.ps1``/``*.psm1`` that git tracks or that is untracked but not ignored
(``git ls-files -co --exclude-standard``). ``--expect-all-in DIR`` fails when a ``.ps1``/``.psm1``
file in DIR (on disk) was not among the files checked, so a module cannot slip past the gate.
Relative PATHs are relative to the repository.

The allowlist (default ``tools/pwsh_syntax_allowlist.txt``) excuses known false positives of the
tree-sitter grammar only; what PowerShell's parser or the 5.1 check reports cannot be excused.
One entry per line::

    path/to/file.ps1:LINE  reason why this is a false positive
    path/to/file.ps1       reason (excuses every error in the file; prefer a line)

``#`` starts a comment line. Every entry needs a reason; an entry that excuses nothing in a file that
was checked is reported as stale and fails the gate, so the list cannot rot.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import typing as t

EXTENSIONS = ('.ps1', '.psm1')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ALLOWLIST = os.path.join(REPO, 'tools', 'pwsh_syntax_allowlist.txt')
PWSH_SCRIPT = os.path.join(REPO, 'tools', 'pwsh_syntax.ps1')
# Files that run only on the test machine, under pwsh 7 (the gate's own script, the simulated lab's
# pwsh worker and modules): PowerShell's parser checks them, the Windows PowerShell 5.1 check not.
DEFAULT_PWSH7_ONLY = ('tools/', 'tests/simulator/')
PWSH_TIMEOUT = 600
EXIT_SKIPPED = 3


@dataclasses.dataclass(frozen=True)
class Finding:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str
    kind: str = 'tree-sitter'  # or, from the real parser, 'parse' or 'compat' (Windows PowerShell 5.1)

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


def find_pwsh(env: t.Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """The pwsh to run and '', or None and why there is none.

    ``$PWSH`` when set and not empty (and then no other: it was chosen on purpose), else ``pwsh``
    on PATH, else ``~/.dotnet/tools/pwsh`` (where ``dotnet tool install --global PowerShell`` puts it).
    """
    env = os.environ if env is None else env
    chosen = env.get('PWSH', '')
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen, ''
        return None, 'PWSH=%s is not an executable file' % chosen
    on_path = shutil.which('pwsh', path=env.get('PATH', os.defpath))
    if on_path:
        return on_path, ''
    home = env.get('HOME') or os.path.expanduser('~')
    tool = os.path.join(home, '.dotnet', 'tools', 'pwsh')
    if os.path.isfile(tool) and os.access(tool, os.X_OK):
        return tool, ''
    return None, ('no pwsh: PWSH is not set, there is no pwsh on PATH and no %s'
                  ' (dotnet tool install --global PowerShell --version 7.6.10)' % tool)


class RealParserError(RuntimeError):
    """pwsh was found but did not check the files."""


@dataclasses.dataclass
class RealParserResult:
    version: str
    findings: list[Finding]


def pwsh_env(env: t.Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment to run pwsh in: no telemetry, update check or colours; DOTNET_ROOT when needed."""
    env = dict(os.environ if env is None else env)
    env.update(POWERSHELL_TELEMETRY_OPTOUT='1', POWERSHELL_UPDATECHECK='Off', NO_COLOR='1',
               DOTNET_CLI_TELEMETRY_OPTOUT='1', DOTNET_NOLOGO='1')
    if not env.get('DOTNET_ROOT'):
        # A dotnet global tool finds its runtime through DOTNET_ROOT when dotnet is not in a
        # standard place; use the dotnet on PATH, as tools/venv.sh does.
        dotnet = shutil.which('dotnet', path=env.get('PATH', os.defpath))
        if dotnet:
            env['DOTNET_ROOT'] = os.path.dirname(os.path.realpath(dotnet))
    return env


def run_real_parser(pwsh: str, files: t.Sequence[tuple[str, str]], cwd: str) -> RealParserResult:
    """Run tools/pwsh_syntax.ps1 once over `files` ((full path, display path) pairs)."""
    display = dict(files)
    with tempfile.NamedTemporaryFile('w', encoding='utf-8', suffix='.txt', prefix='pwsh_syntax.',
                                     delete=False) as handle:
        handle.write(''.join('%s\n' % full for full, _shown in files))
        list_file = handle.name
    try:
        proc = subprocess.run(
            [pwsh, '-NoProfile', '-NonInteractive', '-File', PWSH_SCRIPT, '-Json', '-ListFile', list_file],
            cwd=cwd, env=pwsh_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=PWSH_TIMEOUT,
            check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RealParserError('%s did not run: %s' % (pwsh, exc)) from exc
    finally:
        os.unlink(list_file)
    stdout = proc.stdout.decode('utf-8-sig', errors='replace').strip()
    stderr = proc.stderr.decode('utf-8', errors='replace').strip()
    if proc.returncode not in (0, 1):
        raise RealParserError('%s -File %s exited with %d: %s' % (pwsh, PWSH_SCRIPT, proc.returncode,
                                                                  (stderr or stdout or 'no output')[-2000:]))
    try:
        document = json.loads(stdout.splitlines()[-1] if stdout else '')
        findings = [Finding(display.get(item['path'], item['path']), int(item['line']), int(item['col']),
                            str(item['message']), str(item['kind']))
                    for item in document['findings']]
        version = str(document['powershell'])
        checked = int(document['files'])
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise RealParserError('%s -File %s printed no findings document (%s): %s'
                              % (pwsh, PWSH_SCRIPT, exc, (stdout or stderr or 'no output')[-2000:])) from exc
    if checked != len(files):
        raise RealParserError('%s checked %d file(s), not %d' % (PWSH_SCRIPT, checked, len(files)))
    if proc.returncode != (1 if findings else 0):
        raise RealParserError('%s exited with %d but reported %d finding(s)'
                              % (PWSH_SCRIPT, proc.returncode, len(findings)))
    return RealParserResult(version, findings)


def _under(path: str, prefixes: t.Sequence[str]) -> bool:
    return any(path == prefix.rstrip('/') or path.startswith(prefix.rstrip('/') + '/') for prefix in prefixes)


def run(paths: t.Sequence[str], allowlist: t.Sequence[AllowEntry], repo: str,
        expect_dirs: t.Sequence[str] = (), out: t.TextIO = sys.stdout, pwsh: str | None = None,
        pwsh_missing: str = 'no pwsh given', pwsh7_only: t.Sequence[str] = DEFAULT_PWSH7_ONLY) -> int:
    """Check `paths` (relative to `repo` or absolute), print findings, return the exit code.

    `pwsh` runs the real parser and the 5.1 check; None skips them (`pwsh_missing` says why).
    """
    rel_paths = []
    for path in paths:
        full = path if os.path.isabs(path) else os.path.join(repo, path)
        rel = os.path.relpath(full, repo).replace(os.sep, '/')
        rel_paths.append((full, rel if not rel.startswith('../') else full))

    failures = 0
    excused = 0
    bad_files = set()
    findings = []
    for full, rel in rel_paths:
        for finding in check_file(full, rel):
            entry = next((e for e in allowlist if e.matches(finding)), None)
            if entry is not None:
                entry.used = True
                excused += 1
                continue
            findings.append(finding)

    real = None
    real_error = None
    if pwsh is not None and rel_paths:
        try:
            real = run_real_parser(pwsh, rel_paths, repo)
        except RealParserError as exc:
            real_error = str(exc)
        else:
            for finding in real.findings:
                if not (finding.kind == 'compat' and _under(finding.path, pwsh7_only)):
                    findings.append(finding)

    order = {rel: index for index, (_full, rel) in enumerate(rel_paths)}
    for finding in sorted(findings, key=lambda f: (order.get(f.path, len(order)), f.line, f.col, f.message)):
        failures += 1
        bad_files.add(finding.path)
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

    if real_error is not None:
        failures += 1
        print('pwsh_syntax: ERROR real parser and 5.1 check did not run: %s' % real_error, file=out)
        checks = 'tree-sitter-pwsh only (the real parser failed)'
    elif real is not None:
        pwsh7 = sorted(rel for rel in checked if _under(rel, pwsh7_only))
        checks = ('tree-sitter-pwsh and the parser of PowerShell %s, %d of them also for Windows PowerShell 5.1'
                  % (real.version, len(checked) - len(pwsh7)))
        if pwsh7:
            checks += ' (%d run on pwsh 7 only, under %s)' % (len(pwsh7), ', '.join(pwsh7_only))
    elif not rel_paths:
        checks = 'nothing'
    else:
        print('pwsh_syntax: SKIP real parser and 5.1 check: %s' % pwsh_missing, file=out)
        checks = 'tree-sitter-pwsh only'
    print('pwsh_syntax: checked %d file(s) with %s: %d with errors, %d error(s) excused by the allowlist'
          % (len(rel_paths), checks, len(bad_files), excused), file=out)
    if failures:
        return 1
    return EXIT_SKIPPED if real is None and rel_paths else 0


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('paths', nargs='*', help='files to check')
    parser.add_argument('--git', action='store_true', help='also check every .ps1/.psm1 git tracks or does not ignore')
    parser.add_argument('--allowlist', default=DEFAULT_ALLOWLIST, help='allowlist file (default: %(default)s)')
    parser.add_argument('--expect-all-in', action='append', default=[], metavar='DIR',
                        help='fail if a .ps1/.psm1 in DIR (relative to the repository) was not checked')
    parser.add_argument('--pwsh7-only', action='append', default=[], metavar='PREFIX',
                        help='files under PREFIX (relative to the repository) run on pwsh 7 only: no Windows '
                             'PowerShell 5.1 check (in addition to %s)' % ', '.join(DEFAULT_PWSH7_ONLY))
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
    pwsh, missing = find_pwsh()
    return run(paths, allowlist, args.repo, args.expect_all_in, pwsh=pwsh, pwsh_missing=missing,
               pwsh7_only=tuple(DEFAULT_PWSH7_ONLY) + tuple(args.pwsh7_only))


if __name__ == '__main__':
    sys.exit(main())
