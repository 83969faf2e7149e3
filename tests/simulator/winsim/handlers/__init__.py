# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Registry of module handlers: one Python function per simulated PowerShell module.

A handler module is any file in this package; all are imported when the package is, so adding
a file is all it takes (docs/design.md 5):

    @handler('ipam.provisioning.service_acl', options={'mode', 'principals', 'token', 'name', 'sddl'},
             concurrent_change=mutate_service_sddl)
    def service_acl(ctx, args): ...

`options` must equal the PowerShell module's $spec options; a contract test compares them.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

if TYPE_CHECKING:
    from ..context import Context

HandlerFunc = Callable[['Context', dict[str, Any]], Optional[dict[str, Any]]]
ChangeFunc = Callable[['Context', dict[str, Any]], None]


@dataclass(frozen=True)
class Handler:
    fqcn: str
    func: HandlerFunc
    options: frozenset[str]
    concurrent_change: ChangeFunc | None = None

    @property
    def short_name(self) -> str:
        return short_name(self.fqcn)


REGISTRY: dict[str, Handler] = {}


def short_name(fqcn: str) -> str:
    return fqcn.rsplit('.', 1)[-1]


def handler(fqcn: str, options: Iterable[str], concurrent_change: ChangeFunc | None = None
            ) -> Callable[[HandlerFunc], HandlerFunc]:
    """Register func as the model of module fqcn accepting exactly options."""
    if fqcn.count('.') < 2:
        raise ValueError('winsim: handler name must be a FQCN (ns.coll.module), got %r' % fqcn)
    if isinstance(options, str):
        raise TypeError('winsim: options must be a collection of option names, not a string')
    opts = frozenset(options)
    bad = [o for o in opts if not o or o.startswith('_ansible_')]
    if bad:
        raise ValueError('winsim: invalid option names for %s: %s' % (fqcn, bad))

    def register(func: HandlerFunc) -> HandlerFunc:
        existing = REGISTRY.get(fqcn)
        # Re-registering the same function (a re-imported module) is harmless; two models are not.
        if existing and (existing.func.__module__, existing.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError('winsim: %s already has a handler (%s.%s)'
                             % (fqcn, existing.func.__module__, existing.func.__qualname__))
        REGISTRY[fqcn] = Handler(fqcn=fqcn, func=func, options=opts, concurrent_change=concurrent_change)
        return func
    return register


def unregister(fqcn: str) -> None:
    """Remove a handler (tests register throw-away handlers)."""
    REGISTRY.pop(fqcn, None)


def get(fqcn: str) -> Handler | None:
    return REGISTRY.get(fqcn)


def load_all() -> list[str]:
    """Import every module of this package (idempotent); return their names."""
    names = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith('_'):
            importlib.import_module('%s.%s' % (__name__, info.name))
            names.append(info.name)
    return names


load_all()
