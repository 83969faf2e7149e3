# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one round trip of a simulated host in pwsh: the command Ansible sent, with the host's state
behind the fake Windows API for exactly that round trip."""
from __future__ import annotations

import collections
import os
import tempfile
import threading
from typing import Any

from .. import winapi
from ..context import Context
from ..payload import decode_command
from .api import ApiServer
from .pool import FAKES_BIN, FAKES_PSMODULEPATH, PwshPool

# Modules whose every Windows call has a fake, so they run in pwsh (all of them now). Their Python
# models (winsim/handlers) remain the in-process fast path; every model test runs against the real
# module too (RUN_IN_PWSH in tests/unit/simulator/handlers), so the two cannot drift apart.
REAL_MODULES = frozenset({
    'ipam.provisioning.service_acl',
    'ipam.provisioning.eventlog_customsd',
    'ipam.provisioning.dhcpaudit_share',
    'ipam.provisioning.group_membership',
    'ipam.provisioning.dhcp_users_membership',
    'ipam.provisioning.local_group',
    'ipam.provisioning.vmm_network_service',
    'ipam.provisioning.ipam_gpo_provisioning',
    'ipam.provisioning.firewall_rules',
    'ipam.provisioning.ipam_access_status',
    'ipam.provisioning.ipam_custom_field',
    'ipam.provisioning.ipam_discovery_domain',
    'ipam.provisioning.ipam_server_inventory',
    'ipam.provisioning.ipam_server_task',
    'ipam.provisioning.ipam_utilization_threshold',
    'ipam.provisioning.access_info',
    'ipam.provisioning.dns_domain_acl',
    'ipam.provisioning.managed_server_access',
})


class PwshRuntime:
    """A pwsh pool and the fake API's socket; `execute` runs one command for one host's state."""

    def __init__(self, *, size: int = 2, compile_cache: bool = True, modules: frozenset[str] = REAL_MODULES) -> None:
        self.modules = modules
        self.api = ApiServer()
        self._temp = tempfile.mkdtemp(prefix='winsim-pwsh-')
        # Set once for the workers' whole life: pwsh merges its own module folders into PSModulePath
        # only when it starts, and PATH carries the fake executables (sc.exe).
        os.environ['PSModulePath'] = os.pathsep.join(p for p in (FAKES_PSMODULEPATH, os.environ.get('PSModulePath')) if p)
        os.environ['PATH'] = os.pathsep.join((FAKES_BIN, os.environ.get('PATH', '')))
        self.pool = PwshPool(size=size, compile_cache=compile_cache)
        # Per module: [commands, seconds in pwsh]; for the endpoint's closing line and the benchmark.
        self.stats: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])
        self._stats_lock = threading.Lock()

    def runs(self, fqcn: str) -> bool:
        return fqcn in self.modules

    def summary(self) -> str:
        with self._stats_lock:
            count = sum(int(v[0]) for v in self.stats.values())
            seconds = sum(v[1] for v in self.stats.values())
            per_module = ', '.join('%s %d' % (k.rsplit('.', 1)[-1], v[0]) for k, v in sorted(self.stats.items()))
        mean = seconds / count if count else 0.0
        return 'pwsh: %d command(s) run for real, %.1f s in all, %.2f s each on average (%s)' % (
            count, seconds, mean, per_module or 'none')

    def execute(self, ctx: Context, command_line: str, stdin: bytes | str | None) -> tuple[int, bytes, bytes]:
        script = decode_command(command_line)
        text = stdin.decode('utf-8') if isinstance(stdin, bytes) else (stdin or '')

        def dispatch(op: str, args: dict[str, Any]) -> Any:
            return winapi.dispatch(ctx, op, args)

        with self.api.session(dispatch) as token:
            env = {
                'COMPUTERNAME': ctx.host['hostname'].upper(),
                'USERDOMAIN': (ctx.domain or {}).get('netbios') or ctx.host['hostname'].upper(),
                'USERNAME': 'ansible',
                'TEMP': self._temp,
                'TMP': self._temp,
                'WINSIM_API_SOCKET': self.api.path,
                'WINSIM_API_TOKEN': token,
            }
            reply = self.pool.run(script, text, env, culture=ctx.language)
        with self._stats_lock:
            entry = self.stats[ctx.module]
            entry[0] += 1
            entry[1] += reply.seconds
        return reply.rc, reply.stdout.encode('utf-8'), reply.stderr.encode('utf-8')

    def close(self) -> None:
        self.pool.close()
        self.api.close()
