# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provision and audit N simulated hosts with the real ansible-playbook and print what it cost.

Not a timed test: it prints figures (docs/benchmark.md records them with the command line).

    .venv/bin/python tools/benchmark.py --hosts 50 --forks 10 --delay 0.05
    .venv/bin/python tools/benchmark.py --hosts 50 200 --forks 25 --phases audit,provision,provision,audit

For each phase (a run of playbooks/provision.yml, or playbooks/audit.yml in check mode) it prints:
wall time and its ratio to the ideal (hosts / forks x mean round trips x delay, the wall time if only the
hosts' latency counted), controller CPU seconds per host (user+system of ansible-playbook and its workers, from
getrusage(RUSAGE_CHILDREN); the simulator answers inside those workers, so its small share is
included), round trips per host (min/mean/max, from the simulator's counters), writes, and the
PLAY RECAP totals, and the tasks each host ran (ok + skipped + failed of the recap). The fleet comes
from tools/benchmark_inventory.py; the delay is the simulator's per-round-trip ``delay`` fault,
standing in for WinRM latency and PowerShell start-up.

Before the phases it times a baseline on the same inventory and forks: a playbook of
BASELINE_TASKS ``set_fact`` tasks, Ansible's own cost of one trivial task per host on this machine.
CPU per host divided by that cost says how much of a phase is Ansible's per-task overhead, which
makes figures from different machines comparable.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'simulator'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchmark_inventory import write_inventory  # noqa: E402  (paths set above)
from collection_path import ensure_collection_link  # noqa: E402
from winsim import Simulator  # noqa: E402

# The audit playbook forces check mode and diff itself.
PHASES = ('provision', 'audit')
_RECAP = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)',
                    re.M)
BASELINE = 'baseline'
BASELINE_TASKS = 20


@dataclasses.dataclass
class Phase:
    name: str
    wall: float
    cpu: float
    round_trips: dict[str, int]   # per host
    writes: int
    changed_hosts: int
    failed_hosts: int
    unreachable_hosts: int
    returncode: int
    log: str
    tasks: dict[str, int] = dataclasses.field(default_factory=dict)  # per host: ok + skipped + failed

    def row(self, hosts: int) -> dict[str, t.Any]:
        trips = list(self.round_trips.values())
        return {
            'phase': self.name, 'wall_s': round(self.wall, 1), 'cpu_s_per_host': round(self.cpu / hosts, 3),
            'round_trips_min': min(trips), 'round_trips_mean': round(statistics.mean(trips), 2),
            'round_trips_max': max(trips), 'writes': self.writes, 'changed_hosts': self.changed_hosts,
            'failed_hosts': self.failed_hosts, 'unreachable_hosts': self.unreachable_hosts,
            'round_trips_by_kind': self.by_kind(),
            'tasks_per_host_mean': round(statistics.mean(self.tasks.values()), 1) if self.tasks else None,
        }

    def by_kind(self) -> dict[str, str]:
        """Round trips per host kind (dc01, dc02, dhcp, dns, nps): 'n' or 'min-max'."""
        kinds: dict[str, list[int]] = {}
        for host, trips in self.round_trips.items():
            kinds.setdefault(host if host.startswith('dc') else host.rstrip('0123456789'), []).append(trips)
        return {k: str(min(v)) if min(v) == max(v) else '%d-%d' % (min(v), max(v)) for k, v in kinds.items()}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def counters(sim: Simulator, hosts: list[str]) -> dict[str, dict[str, int]]:
    return {h: sim.counters(h) for h in hosts}


def write_baseline(workdir: str) -> str:
    """A playbook of BASELINE_TASKS trivial tasks on every host: what Ansible alone costs per task and host."""
    path = os.path.join(workdir, BASELINE + '.yml')
    tasks = ''.join('    - name: Trivial task %d\n      ansible.builtin.set_fact:\n        benchmark_value: %d\n' % (i, i)
                    for i in range(BASELINE_TASKS))
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('- name: Baseline\n  hosts: all\n  gather_facts: false\n  tasks:\n' + tasks)
    return path


def run_phase(name: str, playbooks: str, workdir: str, inventory_dir: str, state_dir: str, forks: int,
              sim: Simulator, hosts: list[str], index: int) -> Phase:
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), WINSIM_STATE_DIR=state_dir,
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_COLLECTIONS_PATH=ensure_collection_link())
    playbook = write_baseline(workdir) if name == BASELINE else os.path.join(playbooks, name + '.yml')
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory_dir,
               '-f', str(forks), playbook]
    log = os.path.join(workdir, '%02d-%s.log' % (index, name))
    before = counters(sim, hosts)
    cpu_before = children_cpu()
    started = time.perf_counter()
    with open(log, 'w', encoding='utf-8') as out:
        # cwd: the report of an audit lands in <workdir>/ipam-reports, not in the repository.
        returncode = subprocess.run(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    check=False).returncode
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    after = counters(sim, hosts)
    with open(log, encoding='utf-8') as handle:
        # (host, changed, unreachable, failed, tasks run: ok + failed + skipped)
        recap = [(m.group(1), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                  int(m.group(2)) + int(m.group(5)) + int(m.group(6))) for m in _RECAP.finditer(handle.read())]
    wanted = set(hosts)
    managed = [r for r in recap if r[0] in wanted]
    return Phase(
        name=name, wall=wall, cpu=cpu,
        round_trips={h: after[h].get('round_trips', 0) - before[h].get('round_trips', 0) for h in hosts},
        writes=sum(after[h].get('writes', 0) - before[h].get('writes', 0) for h in hosts),
        changed_hosts=sum(1 for r in managed if r[1]), unreachable_hosts=sum(1 for r in managed if r[2]),
        failed_hosts=sum(1 for r in managed if r[3]), returncode=returncode, log=log,
        tasks={r[0]: r[4] for r in managed},
    )


def benchmark(count: int, forks: int, delay: float, phases: list[str], playbooks: str, workdir: str) -> list[Phase]:
    inventory_dir = write_inventory(count, delay, os.path.join(workdir, 'inventory'))
    state_dir = os.path.join(workdir, 'state')
    sim = Simulator(state_dir)
    # Seeding is the simulator's business, not the collection's: do it before anything is measured.
    hosts = sim.seed_from_inventory(inventory_dir)
    return [run_phase(name, playbooks, workdir, inventory_dir, state_dir, forks, sim, hosts, i)
            for i, name in enumerate([BASELINE] + phases)]


def failure_lines(log: str, limit: int = 10) -> str:
    """The failed tasks and the recap lines of failed or unreachable hosts, not the whole log."""
    with open(log, encoding='utf-8') as handle:
        lines = handle.read().splitlines()
    wanted = [line for line in lines if line.startswith(('fatal:', 'ERROR!', '[ERROR]'))][:limit]
    wanted += [line for line in lines if re.search(r'\b(unreachable|failed)=[1-9]', line)][:limit]
    return '\n'.join(line[:400] for line in wanted) or '\n'.join(lines[-25:])


def ideal_wall(hosts: int, forks: int, delay: float, mean_round_trips: float) -> float:
    """The wall time if only the hosts' latency counted (#12): hosts / forks x round trips x delay, in seconds."""
    return hosts / forks * mean_round_trips * delay


def task_cost(baseline: Phase, count: int) -> float:
    """CPU seconds Ansible spends on one trivial task for one host on this machine."""
    return baseline.cpu / (count * BASELINE_TASKS)


def print_table(count: int, forks: int, delay: float, results: list[Phase]) -> None:
    print('\nhosts=%d forks=%d delay=%.3fs per round trip' % (count, forks, delay))
    baseline, phases = results[0], results[1:]
    unit = task_cost(baseline, count)
    print('baseline: %d set_fact tasks per host cost %.3f CPU s per host: %.1f ms per task and host (Ansible alone)' % (
        BASELINE_TASKS, baseline.cpu / count, unit * 1000))
    header = ('phase', 'wall s', 'wall/ideal', 'cpu s/host', 'in tasks', 'tasks/host', 'round trips/host min/mean/max',
              'writes', 'changed', 'failed', 'unreach.')
    print('%-10s %8s %10s %11s %9s %11s %30s %7s %8s %7s %9s' % header)
    for phase in phases:
        row = phase.row(count)
        ideal = ideal_wall(count, forks, delay, row['round_trips_mean'])
        print('%-10s %8.1f %10s %11.3f %9.1f %11.1f %30s %7d %8d %7d %9d' % (
            row['phase'], row['wall_s'], '%.1f' % (row['wall_s'] / ideal) if ideal else '-',
            row['cpu_s_per_host'], row['cpu_s_per_host'] / unit if unit else 0.0,
            row['tasks_per_host_mean'] or 0.0,
            '%d / %.2f / %d' % (row['round_trips_min'], row['round_trips_mean'], row['round_trips_max']),
            row['writes'], row['changed_hosts'], row['failed_hosts'], row['unreachable_hosts']))
    print('("in tasks": cpu s/host divided by the baseline cost of one trivial task and host; "wall/ideal": wall time '
          'divided by hosts / forks x mean round trips x delay, "-" without a delay)')
    for phase in phases:
        print('%-10s round trips by host kind: %s' % (
            phase.name, ', '.join('%s %s' % item for item in phase.by_kind().items())))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('--hosts', type=int, nargs='+', default=[50], help='fleet sizes to run, e.g. 50 200 (default 50)')
    parser.add_argument('--forks', type=int, default=10, help='ansible-playbook --forks (default 10)')
    parser.add_argument('--delay', type=float, default=0.05, help='simulated seconds per round trip (default 0.05)')
    parser.add_argument('--phases', default='provision,audit',
                        help='comma-separated runs in order, each provision or audit (default provision,audit)')
    parser.add_argument('--playbooks', default=os.path.join(REPO, 'playbooks'),
                        help='directory holding provision.yml and audit.yml (default: the collection\'s playbooks/)')
    parser.add_argument('--workdir', help='keep inventory, simulator state, logs and reports here (default: a temporary directory)')
    parser.add_argument('--json', dest='json_path', help='also write the figures as JSON to this file')
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(',') if p.strip()]
    unknown = sorted(set(args.phases) - set(PHASES))
    if unknown or not args.phases:
        parser.error('--phases: %s; each must be one of %s' % (', '.join(unknown) or 'empty', ', '.join(PHASES)))
    if min(args.hosts) < 2:
        parser.error('--hosts: at least 2 (the two domain controllers)')
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.playbooks = os.path.abspath(args.playbooks)
    missing = [os.path.join(args.playbooks, p + '.yml') for p in dict.fromkeys(args.phases)
               if not os.path.exists(os.path.join(args.playbooks, p + '.yml'))]
    if missing:
        print('benchmark: missing %s' % ', '.join(missing), file=sys.stderr)
        return 2
    figures = []
    status = 0
    for count in args.hosts:
        with tempfile.TemporaryDirectory(prefix='ipam-bench-%d-' % count) as scratch:
            workdir = os.path.join(args.workdir, str(count)) if args.workdir else scratch
            os.makedirs(workdir, exist_ok=True)
            print('benchmark: %d hosts, phases %s (logs in %s)' % (count, ', '.join(args.phases), workdir), flush=True)
            load_before = os.getloadavg()[0]
            results = benchmark(count, args.forks, args.delay, args.phases, args.playbooks, workdir)
            load_after = os.getloadavg()[0]
            print_table(count, args.forks, args.delay, results)
            # Wall time depends on what else the machine runs; say so next to the figures.
            print('machine: %d CPUs, 1-minute load average %.1f before, %.1f after' % (
                os.cpu_count() or 0, load_before, load_after))
            for phase in results:
                if phase.returncode != 0:
                    status = 1
                    print('\nbenchmark: %s exited %d, so its figures are not meaningful; from %s:' % (
                        phase.name, phase.returncode, phase.log))
                    print(failure_lines(phase.log))
            figures.append({'hosts': count, 'forks': args.forks, 'delay': args.delay, 'cpus': os.cpu_count(),
                            'load_before': load_before, 'load_after': load_after,
                            'task_cost_s': round(task_cost(results[0], count), 4),
                            'phases': [dict(row, ideal_wall_s=round(ideal_wall(count, args.forks, args.delay,
                                                                               row['round_trips_mean']), 1))
                                       for row in (p.row(count) for p in results[1:])]})
    if args.json_path:
        with open(args.json_path, 'w', encoding='utf-8') as handle:
            json.dump(figures, handle, indent=2)
    return status


if __name__ == '__main__':
    sys.exit(main())
