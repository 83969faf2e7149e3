# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""winsim: a simulated Windows Server lab for ipam.provisioning tests (docs/design.md 5).

Not shipped with the collection. Import path: tests/simulator must be on sys.path.
"""
from __future__ import annotations

# errors first: handler modules imported by the engine may import them from the package.
from .errors import HostUnreachable, ModuleFailure  # noqa: F401
from .engine import Simulator  # noqa: F401
from .handlers import REGISTRY, handler  # noqa: F401

__all__ = ['Simulator', 'HostUnreachable', 'ModuleFailure', 'REGISTRY', 'handler']
