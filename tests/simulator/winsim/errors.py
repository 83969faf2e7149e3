# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions of the simulator."""
from __future__ import annotations

from typing import Any

# Error codes of docs/design.md 2, plus access_denied for the fault of that name.
ERROR_CODES = frozenset({'changed_since_read', 'access_denied', 'unresolved_principal', 'not_found', 'invalid_state'})
ACCESS_DENIED_MSG = 'Access is denied.'


class HostUnreachable(Exception):
    """The host does not answer (fault 'unreachable'); transports turn this into a connection failure."""


class HostCrashed(Exception):
    """The host stopped dead in the middle of a round trip (the crash_after_writes fault)."""


class ModuleFailure(Exception):
    """A module failure as Ansible.Basic FailJson reports it: {'failed': True, 'msg', 'error', ...}."""

    def __init__(self, msg: str, error: str | None = None, **extra: Any) -> None:
        super().__init__(msg)
        if error is not None and error not in ERROR_CODES:
            raise ValueError('winsim: unknown error code %r (known: %s)' % (error, ', '.join(sorted(ERROR_CODES))))
        self.msg = msg
        self.error = error
        self.extra = extra

    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = {'changed': False, **self.extra, 'failed': True, 'msg': self.msg}
        if self.error is not None:
            result['error'] = self.error
        return result


class SimulatorBug(Exception):
    """A handler broke a rule of the design (e.g. wrote in check mode)."""
