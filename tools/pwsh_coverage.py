#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which lines of the collection's PowerShell the tests executed, per file.

    tools/pwsh_coverage.py DIR [--min PERCENT] [--require-real]

DIR holds what Ansible's own PowerShell coverage wrapper (coverage_wrapper.ps1, the mechanism
ansible-test uses on Windows) wrote while the tests ran the modules in pwsh: with the controller
environment variable _ANSIBLE_COVERAGE_REMOTE_OUTPUT=DIR/cov, every module execution sets a line
breakpoint on each command of the module and its utils and saves the hit counts as JSON
{controller path: [{Line, HitCount}]}. tools/test.sh sets it for the pytest gate.

Prints one row per plugins/modules/*.ps1 and plugins/module_utils/*.psm1: the command lines, how many
ran, the percentage, and whether the file ran in pwsh at all. _IpamWindows.psm1 is left out: the
tests replace it with its simulated twin, so its lines never run here (that is its purpose).
--min PERCENT marks files below it; with --require-real those that ran below it make the exit 1.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = '/ipam/provisioning/'
BOUNDARY = 'plugins/module_utils/_IpamWindows.psm1'


def relative(path: str) -> str | None:
    """The repository-relative path of a controller path, or None when it is not the collection's."""
    path = path.replace('\\', '/')
    if MARKER in path:
        return path.split(MARKER, 1)[1]
    if path.startswith(REPO + '/'):
        return path[len(REPO) + 1:]
    return None


def collect(directory: str) -> dict[str, dict[int, int]]:
    """{relative path: {line: hits}} merged over every coverage file in directory."""
    lines: dict[str, dict[int, int]] = {}
    for name in glob.glob(os.path.join(directory, '*')):
        try:
            with open(name, encoding='utf-8') as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            continue   # a file still being written by a test that was cut short
        for path, hits in data.items():
            rel = relative(path)
            if rel is None:
                continue
            per_line = lines.setdefault(rel, {})
            for hit in hits if isinstance(hits, list) else [hits]:
                line = int(hit['Line'])
                per_line[line] = per_line.get(line, 0) + int(hit['HitCount'])
    return lines


def files() -> list[str]:
    found = sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.ps1')) +
                   glob.glob(os.path.join(REPO, 'plugins', 'module_utils', '*.psm1')))
    return [os.path.relpath(path, REPO) for path in found if os.path.relpath(path, REPO) != BOUNDARY]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('directory')
    parser.add_argument('--min', type=float, default=90.0, help='target percentage (default: %(default)s)')
    parser.add_argument('--require-real', action='store_true',
                        help='exit 1 when a file that ran in pwsh is below --min')
    args = parser.parse_args(argv)
    lines = collect(args.directory)
    below = []
    ran = 0
    print('pwsh coverage (lines with a command that ran at least once; target %.0f%%):' % args.min)
    print('  %-52s %6s %6s %7s' % ('file', 'lines', 'ran', 'percent'))
    for rel in files():
        per_line = lines.get(rel)
        if not per_line:
            print('  %-52s %6s %6s %7s  not run in pwsh (answered by its Python model)' % (rel, '-', '-', '-'))
            continue
        ran += 1
        executed = sum(1 for hits in per_line.values() if hits > 0)
        percent = 100.0 * executed / len(per_line)
        mark = '' if percent >= args.min else '  below target'
        if mark:
            below.append(rel)
        print('  %-52s %6d %6d %6.1f%%%s' % (rel, len(per_line), executed, percent, mark))
    print('pwsh coverage: %d of %d file(s) ran in pwsh, %d of them below %.0f%% (%s excepted: the tests replace it)'
          % (ran, len(files()), len(below), args.min, BOUNDARY))
    return 1 if args.require_real and below else 0


if __name__ == '__main__':
    sys.exit(main())
