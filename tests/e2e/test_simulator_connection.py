# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real ansible-playbook against the simulated lab through the `winsim` connection plugin.

One run (module scope) of playbooks/winsim_echo.yml over the whole lab from an empty state
directory, with nps01 made unreachable by an inventory overlay that sets winsim_faults. The
tests then read the play output and the simulator state.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from winsim import Simulator  # tests/simulator is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(HERE, 'playbooks', 'winsim_echo.yml')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
LAB = ('dc01', 'dc02', 'dhcp01', 'dns01', 'ipam01', 'nps01', 'vmm01')
REACHABLE = tuple(h for h in LAB if h != 'nps01')
MODULE_TASKS = 4     # winsim_echo tasks in the playbook, one round trip each
D = 'S-1-5-21-1004336348-1177238915-682003330'
RECAP = re.compile(r'^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+'
                   r'unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)', re.M)
RESULT = re.compile(r'^ok: \[(?P<host>[^\]]+)\] => (?P<body>\{\n.*?\n\})$', re.M | re.S)


class Run:
    def __init__(self, proc: subprocess.CompletedProcess, state_dir: str) -> None:
        self.proc = proc
        self.sim = Simulator(state_dir)
        self.recap = {m['host']: {k: int(m[k]) for k in ('ok', 'changed', 'unreachable', 'failed')}
                      for m in RECAP.finditer(proc.stdout)}
        self.results = {}
        for match in RESULT.finditer(proc.stdout):
            msg = json.loads(match['body'])['msg']
            if msg.startswith('WINSIM_RESULT '):
                self.results[match['host']] = json.loads(msg[len('WINSIM_RESULT '):])


@pytest.fixture(scope='module')
def run(tmp_path_factory) -> Run:
    work = tmp_path_factory.mktemp('winsim-e2e')
    state_dir = str(work / 'state')
    overlay = work / 'faults.yml'
    overlay.write_text('all:\n  hosts:\n    nps01:\n      winsim_faults: {unreachable: true}\n', encoding='utf-8')
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), WINSIM_STATE_DIR=state_dir,
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_STDOUT_CALLBACK='default')
    proc = subprocess.run([ANSIBLE_PLAYBOOK, '-i', os.path.join(REPO, 'inventory', 'lab'), '-i', str(overlay), PLAYBOOK],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    return Run(proc, state_dir)


def test_play_reaches_every_reachable_host(run):
    assert run.proc.returncode == 4, run.proc.stdout + run.proc.stderr     # 4: some host unreachable
    assert set(run.recap) == set(LAB)
    for host in REACHABLE:
        assert run.recap[host] == {'ok': MODULE_TASKS + 1, 'changed': 2, 'unreachable': 0, 'failed': 0}, host
        assert run.results[host]['echo']['echo'] == 'hello'
        assert run.results[host]['echo']['host']['name'] == host.upper()   # answered as that host
    assert run.results['dc01']['echo']['host']['domain_role'] == 5
    assert run.results['dc02']['echo']['host']['domain_role'] == 4
    assert run.results['dhcp01']['echo']['host']['domain_role'] == 3


def test_hosts_are_seeded_on_first_contact(run):
    assert run.sim.hosts() == sorted(LAB)
    assert run.sim.host_state('dns01')['address'] == '127.0.0.14'
    assert run.sim.domain_state('corp.example.com')['netbios'] == 'CORP'


def test_principals_resolve_on_each_host(run):
    ipam = {'input': 'CORP\\IPAM01$', 'sid': D + '-1205', 'name': 'CORP\\IPAM01$', 'error': None}
    for host in REACHABLE:
        assert run.results[host]['echo']['principals'][0] == ipam
    en = run.results['dhcp01']['echo']['principals']
    de = run.results['dns01']['echo']['principals']
    assert en[1]['name'] == 'BUILTIN\\Event Log Readers' and de[1]['name'] == 'VORDEFINIERT\\Ereignisprotokollleser'
    assert en[2]['sid'] == 'S-1-1-0'
    assert de[2] == {'input': 'Everyone', 'sid': None, 'name': None,
                     'error': 'Some or all identity references could not be translated.'}


def test_check_mode_is_passed_and_writes_nothing(run):
    for host in REACHABLE:
        check, write = run.results[host]['check'], run.results[host]['write']
        assert check['check_mode'] is True and check['changed'] is True
        assert write['check_mode'] is False and write['changed'] is True
        assert run.sim.host_state(host)['registry']['HKLM\\SOFTWARE\\winsim'] == {'Echo': 'written'}


def test_counters_count_round_trips_and_writes(run):
    for host in REACHABLE:
        assert run.sim.counters(host) == {'round_trips': MODULE_TASKS, 'writes': 1}, host


def test_unknown_option_fails_like_ansible_basic(run):
    bad = run.results['dc01']['bad']
    assert bad['failed'] is True
    assert bad['msg'] == ('Unsupported parameters for (winsim_echo) module: colour. '
                          'Supported parameters include: data, principals, write')


def test_unreachable_host_is_reported_unreachable(run):
    assert run.recap['nps01'] == {'ok': 0, 'changed': 0, 'unreachable': 1, 'failed': 0}
    assert re.search(r'UNREACHABLE! .*nps01 \(127\.0\.0\.15\) is unreachable', run.proc.stdout)
    assert 'nps01' not in run.results
    assert run.sim.counters('nps01') == {'round_trips': 0, 'writes': 0}
    assert run.sim.host_state('nps01')['faults'] == {'unreachable': True}
