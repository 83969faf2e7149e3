# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every integration target under tests/integration/targets, run by the real ansible-playbook on the simulated lab.

One test per target directory that has ``tasks/main.yml`` (found at collection time, so a new target
is picked up without touching this file). Each test gets an empty simulator state directory of its
own (``tmp_path``), so the tests are independent and safe under pytest-xdist, and runs

    ansible-playbook tests/integration/run_target.yml -e target=<t> -e winsim_lab=true --limit <pattern>

with the repository's ansible.cfg (lab inventory, ``winsim`` connection). ``<pattern>`` is the one
line of ``tests/integration/targets/<t>/winsim_limit`` (an Ansible host pattern), ``windows`` when the
target has no such file. ansible-test itself is exercised by the ``integration`` gate of tools/test.sh
(tools/integration.sh); see tests/integration/README.md.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TARGETS_DIR = os.path.join(REPO, 'tests', 'integration', 'targets')
RUN_TARGET = os.path.join(REPO, 'tests', 'integration', 'run_target.yml')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
DEFAULT_LIMIT = 'windows'
TIMEOUT = 900
TAIL_LINES = 80
RECAP = re.compile(r'^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+'
                   r'unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)', re.M)


def discover_targets() -> list[str]:
    if not os.path.isdir(TARGETS_DIR):
        return []
    return sorted(name for name in os.listdir(TARGETS_DIR)
                  if os.path.isfile(os.path.join(TARGETS_DIR, name, 'tasks', 'main.yml')))


def target_limit(target: str) -> str:
    """The host pattern of tests/integration/targets/<target>/winsim_limit, or 'windows'."""
    path = os.path.join(TARGETS_DIR, target, 'winsim_limit')
    if not os.path.exists(path):
        return DEFAULT_LIMIT
    with open(path, encoding='utf-8') as handle:
        lines = [line.strip() for line in handle if line.strip() and not line.lstrip().startswith('#')]
    if len(lines) != 1 or any(c.isspace() for c in lines[0]):
        raise ValueError('%s must hold exactly one line, an Ansible host pattern without spaces; found %r'
                         % (os.path.relpath(path, REPO), lines))
    return lines[0]


TARGETS = discover_targets()


def test_targets_are_discovered():
    """An empty list would silently turn this module into no test at all."""
    assert TARGETS, 'no tests/integration/targets/*/tasks/main.yml found under %s' % TARGETS_DIR


def failed_tasks(stdout: str, per_task: int = 25, total: int = 150) -> list[str]:
    """The TASK headers and failure lines of the tasks that failed and were not ignored."""
    result: list[str] = []
    header, lines, ignored = '', [], False

    def flush() -> None:
        if lines and not ignored:
            result.extend([header] + lines[:per_task])

    for line in stdout.splitlines():
        if line.startswith(('TASK [', 'PLAY RECAP')):
            flush()
            header, lines, ignored = line, [], False
        elif line.startswith('...ignoring'):
            ignored = True
        elif lines or line.startswith(('fatal: ', 'failed: ')):
            lines.append(line)
    flush()
    return result[:total]


def _excerpt(proc: subprocess.CompletedProcess) -> str:
    """What a failure report shows: the failed tasks and the last lines of the run."""
    parts = []
    failed = failed_tasks(proc.stdout or '')
    if failed:
        parts.append('failed tasks:\n%s' % '\n'.join(failed))
    lines = (proc.stdout or '').splitlines()
    parts.append('last %d lines of stdout:\n%s' % (TAIL_LINES, '\n'.join(lines[-TAIL_LINES:])))
    if proc.stderr and proc.stderr.strip():
        parts.append('stderr (tail):\n%s' % '\n'.join(proc.stderr.splitlines()[-30:]))
    return '\n\n'.join(parts)


@pytest.mark.parametrize('target', TARGETS)
def test_integration_target(target, tmp_path):
    limit = target_limit(target)
    state_dir = tmp_path / 'state'
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), WINSIM_STATE_DIR=str(state_dir),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_RETRY_FILES_ENABLED='0',
               ANSIBLE_STDOUT_CALLBACK='default', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'))
    argv = [ANSIBLE_PLAYBOOK, RUN_TARGET, '-e', 'target=%s' % target, '-e', 'winsim_lab=true', '--limit', limit]
    proc = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)

    recap = {m['host']: {k: int(m[k]) for k in ('ok', 'changed', 'unreachable', 'failed')}
             for m in RECAP.finditer(proc.stdout)}
    bad = {host: counts for host, counts in recap.items() if counts['failed'] or counts['unreachable']}
    where = 'target %s (--limit %s): ' % (target, limit)
    if proc.returncode != 0 or bad:
        pytest.fail('%sansible-playbook exited %d; hosts with failed/unreachable tasks: %s\n\n%s'
                    % (where, proc.returncode, bad or 'none in the recap', _excerpt(proc)), pytrace=False)
    if not recap:
        pytest.fail('%sno PLAY RECAP in the output\n\n%s' % (where, _excerpt(proc)), pytrace=False)
