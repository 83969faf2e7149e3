#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one round trip costs when a module runs for real in pwsh (the test harness, not Windows).

    .venv/bin/python tools/benchmark_pwsh.py [--calls N]

Runs ipam.provisioning.service_acl (read) on the simulated dhcp01 through the pwsh runtime of
tests/simulator/winsim/pwsh and prints, in seconds: starting a worker, the first call (Ansible.Basic
compiled), warm calls with the compile cache (the default), warm calls without it (Ansible's own
AddType on every call, as Windows does), and warm calls under Ansible's coverage wrapper. Also the
same call answered by the module's Python model, for scale. Wall time depends on what else runs on
the machine; the CPU seconds of the pwsh worker (its process and children: fake executables) per warm
call do not, much.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'simulator'))

from winsim.engine import Simulator  # noqa: E402  (path set above)
from winsim.pwsh import ansible_payload  # noqa: E402
from winsim.pwsh.runtime import PwshRuntime  # noqa: E402

MODULE = 'ipam.provisioning.service_acl'
ARGS = {'mode': 'read', 'name': 'DHCPServer', 'principals': ['S-1-5-32-573']}


def worker_cpu(runtime: PwshRuntime) -> float:
    """CPU seconds of the idle worker's process and its direct children, reaped ones included (Linux /proc)."""
    worker = runtime.pool._idle.queue[0]  # pylint: disable=protected-access
    pids = [worker.proc.pid]
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry, encoding='ascii') as handle:
                    if int(handle.read().rsplit(')', 1)[1].split()[1]) == worker.proc.pid:
                        pids.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total = 0.0
    for pid in pids:
        with open('/proc/%d/stat' % pid, encoding='ascii') as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        # utime, stime, and cutime, cstime: the reaped children (fake executables such as sc.exe)
        total += sum(int(value) for value in fields[11:15]) / os.sysconf('SC_CLK_TCK')
    return total


def timed(sim: Simulator, command: str, stdin: bytes, calls: int) -> list[float]:
    seconds = []
    for _call in range(calls):
        start = time.perf_counter()
        rc, _out, err = sim.execute('dhcp01', command, stdin)
        seconds.append(time.perf_counter() - start)
        if rc != 0:
            raise SystemExit('benchmark: the module failed (rc %d): %s' % (rc, err.decode(errors='replace')[:2000]))
    return seconds


def row(label: str, seconds: list[float]) -> None:
    print('  %-58s %7.3f %7.3f %7.3f' % (label, statistics.median(seconds), min(seconds), max(seconds)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--calls', type=int, default=10, help='warm calls per figure (default: %(default)s)')
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix='winsim-bench-')
    sim_model = Simulator(state)
    sim_model.seed_from_inventory(os.path.join(REPO, 'inventory', 'lab'))
    command, stdin = ansible_payload.build(MODULE, ARGS)
    os.environ['_ANSIBLE_COVERAGE_REMOTE_OUTPUT'] = os.path.join(state, 'cov')
    cov_command, cov_stdin = ansible_payload.build(MODULE, ARGS)   # the same call under the coverage wrapper
    del os.environ['_ANSIBLE_COVERAGE_REMOTE_OUTPUT']

    print('pwsh round trip of %s (read) on dhcp01, seconds: median, min, max' % MODULE)
    print('  %-58s %7s %7s %7s' % ('', 'median', 'min', 'max'))
    row('answered by the Python model (no pwsh)', timed(sim_model, command, stdin, args.calls))
    for cache in (True, False):
        label = 'compile cache on (default)' if cache else "compile cache off (Ansible's AddType every call)"
        start = time.perf_counter()
        runtime = PwshRuntime(size=1, compile_cache=cache)
        sim = Simulator(state, pwsh=runtime)
        timed(sim, command, stdin, 1)
        row('worker start + first call, ' + label, [time.perf_counter() - start])
        before = worker_cpu(runtime)
        row('warm call, ' + label, timed(sim, command, stdin, args.calls))
        print('  %-58s %7.3f' % ('  pwsh worker CPU seconds per warm call', (worker_cpu(runtime) - before) / args.calls))
        if cache:
            row('warm call under the coverage wrapper (line breakpoints)', timed(sim, cov_command, cov_stdin, args.calls))
        runtime.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
