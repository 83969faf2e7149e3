# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real ansible.builtin.winrm connection plugin and pywinrm against the simulated lab.

A module-scoped fixture starts tests/simulator/winrm_endpoint.py as a subprocess (free port, temp
state directory, the lab inventory), then each test runs the real ansible-playbook with the WinRM
connection settings given as extra vars, which override the lab's `ansible_connection: winsim`.
The tests use disjoint hosts of the lab, so they share one endpoint.
"""
from __future__ import annotations

import os
import re
import secrets
import select
import subprocess
import sys

import pytest

from winsim import Simulator  # tests/simulator is on sys.path (tests/conftest.py)

pytestmark = [pytest.mark.e2e, pytest.mark.winrm]

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ENDPOINT = os.path.join(REPO, 'tests', 'simulator', 'winrm_endpoint.py')
INVENTORY = os.path.join(REPO, 'inventory', 'lab', 'hosts.yml')
LIBRARY = os.path.join(HERE, 'playbooks', 'library')
PLAYBOOKS = os.path.join(HERE, 'playbooks', 'winrm')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
START_TIMEOUT = 120  # seeding runs ansible-inventory once
RECAP = re.compile(r'^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+'
                   r'unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)', re.M)
ECHO_TASKS = 4  # winsim_echo tasks in transport.yml (each one round trip)


class Lab:
    def __init__(self, port, state_dir, user, password, addresses):
        self.port = port
        self.state_dir = state_dir
        self.user = user
        self.password = password
        self.addresses = addresses
        self.sim = Simulator(state_dir)
        self.hosts = sorted(self.sim.host_for_address(a) for a in addresses)

    def playbook(self, name, limit, password=None, timeout=300):
        args = [ANSIBLE_PLAYBOOK, '-i', INVENTORY, os.path.join(PLAYBOOKS, name), '--limit', ','.join(limit),
                '-e', 'ansible_connection=winrm', '-e', 'ansible_port=%d' % self.port,
                '-e', 'ansible_winrm_transport=basic', '-e', 'ansible_winrm_scheme=http',
                '-e', 'ansible_user=%s' % self.user, '-e', 'ansible_password=%s' % (password or self.password)]
        env = dict(os.environ, ANSIBLE_LIBRARY=LIBRARY, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
                   ANSIBLE_RETRY_FILES_ENABLED='0')
        proc = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        recap = {m['host']: {k: int(m[k]) for k in ('ok', 'changed', 'unreachable', 'failed')}
                 for m in RECAP.finditer(proc.stdout)}
        return proc, recap


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    assert os.path.exists(os.path.join(LIBRARY, 'winsim_echo.ps1')), \
        'tests/e2e/playbooks/library/winsim_echo.ps1 (the test-only module these playbooks run) is missing'
    work = tmp_path_factory.mktemp('winrm-lab')
    state_dir = str(work / 'state')
    user, password = 'lab-admin', secrets.token_urlsafe(12)
    with open(work / 'endpoint.log', 'w+', encoding='utf-8') as log:
        # Not a context manager: the server must outlive this block until the tests are done.
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, ENDPOINT, '--inventory', INVENTORY, '--state-dir', state_dir, '--port', '0',
             '--user', user, '--password=' + password],  # '=': a random password may start with '-'
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True)
        try:
            ready, _w, _x = select.select([proc.stdout], [], [], START_TIMEOUT)
            line = proc.stdout.readline() if ready else ''
            if not line.startswith('listening '):
                log.seek(0)
                pytest.fail('winrm endpoint did not start (exit %s): %r\n%s' % (proc.poll(), line, log.read()))
            _word, port, addresses = line.split()
            yield Lab(int(port), state_dir, user, password, addresses.split(','))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            proc.stdout.close()


def _counters(lab):
    return {host: lab.sim.counters(host) for host in lab.hosts}


def _delta(before, after):
    return {host: {key: after[host][key] - before[host].get(key, 0) for key in after[host]} for host in after}


def test_playbook_runs_through_winrm_with_one_round_trip_per_task(lab):
    targets = lab.hosts[:3]
    before = _counters(lab)
    proc, recap = lab.playbook('transport.yml', targets)
    delta = _delta(before, _counters(lab))

    assert proc.returncode == 0, proc.stdout + proc.stderr
    for host in targets:
        assert recap[host] == {'ok': 6, 'changed': 2, 'unreachable': 0, 'failed': 0}, proc.stdout
        assert delta[host] == {'round_trips': ECHO_TASKS, 'writes': 1}, host
    for host in lab.hosts[3:]:
        assert delta[host]['round_trips'] == 0, '%s was not targeted' % host


def test_unreachable_fault_is_reported_unreachable_while_others_succeed(lab):
    down, up = lab.hosts[3], lab.hosts[4]
    before = _counters(lab)
    lab.sim.set_faults(down, {'unreachable': True})
    try:
        proc, recap = lab.playbook('transport.yml', [down, up])
    finally:
        lab.sim.set_faults(down, {'unreachable': None})
    delta = _delta(before, _counters(lab))

    assert proc.returncode == 4, proc.stdout + proc.stderr  # 4: some hosts were unreachable
    assert recap[down]['unreachable'] == 1 and recap[down]['ok'] == 0, proc.stdout
    assert 'UNREACHABLE!' in proc.stdout
    assert recap[up] == {'ok': 6, 'changed': 2, 'unreachable': 0, 'failed': 0}, proc.stdout
    assert delta[down]['round_trips'] == 0
    assert delta[up] == {'round_trips': ECHO_TASKS, 'writes': 1}


def test_rejected_credentials_make_the_host_unreachable(lab):
    host = lab.hosts[5] if len(lab.hosts) > 5 else lab.hosts[-1]
    before = _counters(lab)
    proc, recap = lab.playbook('transport.yml', [host], password='not-the-password')

    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert recap[host]['unreachable'] == 1, proc.stdout
    assert 'credentials were rejected' in proc.stdout
    assert _delta(before, _counters(lab))[host]['round_trips'] == 0
