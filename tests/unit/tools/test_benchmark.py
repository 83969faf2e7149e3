# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/benchmark.py: what it reads from a run's log, and the baseline it divides by (no playbook runs here)."""
from __future__ import annotations

import importlib.util
import os
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_spec = importlib.util.spec_from_file_location('benchmark', os.path.join(REPO, 'tools', 'benchmark.py'))
benchmark = importlib.util.module_from_spec(_spec)
sys.modules.setdefault('benchmark', benchmark)
_spec.loader.exec_module(benchmark)

RECAP = '''PLAY RECAP *********************************************************************
dc01                       : ok=41   changed=3    unreachable=0    failed=1    skipped=10   rescued=1    ignored=0
dhcp01                     : ok=19   changed=0    unreachable=0    failed=0    skipped=12   rescued=0    ignored=0
'''


def phase(tasks=None, cpu=10.0):
    return benchmark.Phase(name='audit', wall=1.0, cpu=cpu, round_trips={'dc01': 10, 'dhcp01': 5}, writes=0,
                           changed_hosts=0, failed_hosts=0, unreachable_hosts=0, returncode=0, log='x',
                           tasks=tasks or {})


def test_the_recap_gives_tasks_as_ok_plus_skipped_plus_failed():
    found = {m.group(1): int(m.group(2)) + int(m.group(6)) + int(m.group(5)) for m in benchmark._RECAP.finditer(RECAP)}
    assert found == {'dc01': 52, 'dhcp01': 31}


def test_the_row_reports_the_mean_tasks_per_host():
    assert phase({'dc01': 52, 'dhcp01': 31}).row(2)['tasks_per_host_mean'] == 41.5
    assert phase().row(2)['tasks_per_host_mean'] is None


def test_one_task_costs_the_baseline_cpu_per_host_and_task():
    assert benchmark.task_cost(phase(cpu=6.0), 2) == 6.0 / (2 * benchmark.BASELINE_TASKS)


def test_the_baseline_playbook_runs_trivial_tasks_on_every_host(tmp_path):
    with open(benchmark.write_baseline(str(tmp_path)), encoding='utf-8') as handle:
        play, = yaml.safe_load(handle)
    assert play['hosts'] == 'all' and play['gather_facts'] is False
    assert len(play['tasks']) == benchmark.BASELINE_TASKS
    assert all(set(task) == {'name', 'ansible.builtin.set_fact'} for task in play['tasks'])


def test_the_ideal_wall_time_counts_only_the_hosts_latency():
    # 200 hosts in 50 forks: 4 rounds of 5 round trips of 1 s each.
    assert benchmark.ideal_wall(200, 50, 1.0, 5.0) == 20.0
    assert benchmark.ideal_wall(200, 50, 0.0, 5.0) == 0.0


def test_the_table_prints_wall_over_ideal(capsys):
    baseline = phase(cpu=4.0)
    run = phase({'dc01': 52, 'dhcp01': 31})   # wall 1.0 s; mean round trips 7.5
    benchmark.print_table(2, 1, 0.1, [baseline, run])
    line = next(li for li in capsys.readouterr().out.splitlines() if li.startswith('audit '))
    # ideal = 2 / 1 x 7.5 x 0.1 = 1.5 s, so wall / ideal = 0.7 (rounded to one decimal)
    assert line.split()[2] == '0.7'
