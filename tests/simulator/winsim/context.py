# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `ctx` a handler gets: the loaded host (and domain) state plus what a module can ask Windows."""
from __future__ import annotations

from typing import Any, Callable, NoReturn

from . import faults as f
from .accounts import AccountDirectory
from .errors import ACCESS_DENIED_MSG, HostCrashed, ModuleFailure, SimulatorBug


class Context:
    """One round trip's view of a host. Handlers mutate ctx.host / ctx.domain in place; the engine saves.

    external=True is the host changing by itself (the concurrent_change fault): no fault checks,
    no write counting, since nothing the collection did caused it.

    peers, when given, loads the other hosts of the same lab (the engine passes a loader that runs
    under its lock); ctx.peers() returns copies, so a handler can look but never change them.
    """

    def __init__(self, host: dict[str, Any], domain: dict[str, Any] | None, *, module: str,
                 check_mode: bool = False, external: bool = False,
                 peers: Callable[[], dict[str, dict[str, Any]]] | None = None) -> None:
        self.host = host
        self.domain = domain
        self.module = module
        self.check_mode = check_mode
        self.external = external
        self.directory = AccountDirectory(host, domain)
        self._peers = peers
        # The crash_after_writes fault: writes made in this round trip, and whether the host died in it.
        self.writes_this_round_trip = 0
        self.crashed = False

    @property
    def language(self) -> str:
        return self.host['language']

    @property
    def faults(self) -> dict[str, Any]:
        return self.host.setdefault('faults', {})

    # -- accounts
    def resolve(self, text: str) -> dict[str, Any]:
        """{input, sid, name, error} for a principal given by name or SID."""
        return self.directory.resolve(text)

    def name_of(self, sid: str) -> str | None:
        return self.directory.name_of(sid)

    def group_store(self) -> tuple[dict[str, Any], str]:
        """(groups, 'local'|'domain'): the host's SAM groups, or on a DC the shared domain groups."""
        return self.directory.group_store()

    def host_info(self) -> dict[str, Any]:
        # domain_sid lets the controller resolve domain-relative SDDL aliases (DA, DU...).
        # read_only_dc: what the module learns from the rootDSE on a backup DC (role 4), else False.
        return {'name': self.host['hostname'], 'domain_role': self.host['domain_role'],
                'domain_sid': self.domain['sid'] if self.domain else None,
                'read_only_dc': bool(self.host.get('read_only_dc'))}

    # -- the rest of the lab (read only)
    def peers(self) -> dict[str, dict[str, Any]]:
        """{inventory name: state} of the other hosts of this lab, freshly loaded; {} without a loader.

        What one Windows host can learn of others over the network (an IPAM server's discovery and
        access checks); changes to these copies are never saved.
        """
        return self._peers() if self._peers is not None else {}

    # -- effects
    def write(self, what: str) -> None:
        """Call before every change: counts it, or fails with access denied under that fault."""
        if self.external:
            return
        if self.check_mode:
            raise SimulatorBug('winsim: %s wrote %s in check mode' % (self.module, what))
        if f.access_denied(self.faults) in ('write', 'all'):
            raise ModuleFailure(ACCESS_DENIED_MSG, error='access_denied')
        limit = self.faults.get('crash_after_writes')
        if limit is not None and self.writes_this_round_trip >= limit:
            self.crashed = True
            raise HostCrashed('winsim: %s crashed before writing %s (fault crash_after_writes: %d)'
                              % (self.host.get('name'), what, limit))
        self.writes_this_round_trip += 1
        counters = self.host.setdefault('counters', {'round_trips': 0, 'writes': 0})
        counters['writes'] = counters.get('writes', 0) + 1

    def fail(self, msg: str, error: str | None = None, **extra: Any) -> NoReturn:
        raise ModuleFailure(msg, error=error, **extra)
