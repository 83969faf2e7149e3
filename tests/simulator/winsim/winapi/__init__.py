# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Windows API does to a simulated host's state, one operation per API call the modules make.

Fakes in pwsh (``winsim/pwsh/modules``, ``winsim/pwsh/_IpamWindows.psm1``) and fake executables
(``winsim/pwsh/bin``) reach these operations over the channel of ``winsim/pwsh/api.py``. This
package models Windows, not our modules: an operation knows nothing of ipam.provisioning; it is
the cmdlet, the Win32 call or the .NET method, with the Microsoft page it follows named in its
docstring. Each module of this package registers its operations with ``@operation('Area.Verb')``.

Errors are raised as ``ApiError(kind, message, **data)``; the fake that called turns the kind into
what the real API raises:
    not_found       ObjectNotFound ErrorRecord / ItemNotFoundException / exit code 1060 ...
    access_denied   ERROR_ACCESS_DENIED: HResult 0x80070005, Win32 5, 'Windows System Error 5'
    not_mapped      IdentityNotMappedException (SID <-> name translation)
    invalid         the API refuses its input (InvalidArgument, ERROR_INVALID_PARAMETER, 1336 ...)
    exists          the object is already there (ResourceExists, ERROR_ALREADY_EXISTS)
    winsim          the simulator itself refuses (a write in check mode): never looks like Windows
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable

from .. import faults as f
from ..context import Context
from ..errors import HostCrashed, ModuleFailure, SimulatorBug

Operation = Callable[[Context, dict[str, Any]], Any]
OPERATIONS: dict[str, Operation] = {}
# The text Windows gives ERROR_ACCESS_DENIED (FormatMessage of Win32 error 5) per UI language.
ACCESS_DENIED_TEXT = {
    'en-US': 'Access is denied.',
    'de-DE': 'Zugriff verweigert',
    'fr-FR': 'Accès refusé.',
}


class ApiError(Exception):
    def __init__(self, kind: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.data = data

    def as_dict(self) -> dict[str, Any]:
        return {'kind': self.kind, 'message': self.message, **self.data}


def access_denied(ctx: Context) -> ApiError:
    text = ACCESS_DENIED_TEXT.get(ctx.language, ACCESS_DENIED_TEXT['en-US'])
    return ApiError('access_denied', text, hresult=-2147024891, win32=5)


def operation(name: str) -> Callable[[Operation], Operation]:
    def register(func: Operation) -> Operation:
        if name in OPERATIONS:
            raise SimulatorBug('winsim: operation %s registered twice' % name)
        OPERATIONS[name] = func
        return func
    return register


def write(ctx: Context, what: str) -> None:
    """Before every change an operation makes: counts the write; access denied under the fault."""
    try:
        ctx.write(what)
    except ModuleFailure:
        raise access_denied(ctx) from None
    except HostCrashed as exc:
        raise ApiError('crashed', str(exc)) from None
    except SimulatorBug as exc:
        raise ApiError('winsim', str(exc)) from None


def dispatch(ctx: Context, name: str, args: dict[str, Any]) -> Any:
    func = OPERATIONS.get(name)
    if func is None:
        raise ApiError('winsim', 'winsim: no operation %s in winsim.winapi' % name)
    if ctx.crashed:   # a dead host answers nothing more, not even the module's clean-up
        raise ApiError('crashed', 'winsim: %s has crashed' % ctx.host.get('name'))
    if f.access_denied(ctx.faults) == 'all' or name in f.denied_operations(ctx.faults):
        raise access_denied(ctx)
    return func(ctx, args)


# Every module of this package is an area of the API; importing it registers its operations.
for _area in pkgutil.iter_modules(__path__):
    importlib.import_module('%s.%s' % (__name__, _area.name))
