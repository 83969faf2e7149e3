# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three-way contract of every PowerShell module (docs/design.md, section 3).

For ``plugins/modules/<name>.ps1`` three declarations must name exactly the same remote options:

1. the ``$spec`` of the ``.ps1``, or of the module util that holds its read and apply (``spec_file``;
   read by ``ps_spec.parse_spec``),
2. ``ActionModule.REMOTE_OPTIONS`` of ``plugins/action/<name>.py`` (what the action plugin may send),
3. ``winsim.handlers.REGISTRY['ipam.provisioning.<name>'].options`` (what the simulator accepts).

Required options: when the action class also declares ``REMOTE_REQUIRED`` (optional; a frozenset of
the options it sends on *every* call), each option with ``required = $true`` in the ``$spec`` must be
in it, and it must be a subset of ``REMOTE_OPTIONS``. Without ``REMOTE_REQUIRED`` that check is
skipped, since which options a plugin always sends cannot be seen statically.
"""
from __future__ import annotations

import importlib
import os
import typing as t

COLLECTION = 'ipam.provisioning'


class ContractError(AssertionError):
    pass


def _names(values: t.Iterable[str]) -> list[str]:
    return sorted(values)


def as_name_set(value: t.Any, what: str) -> frozenset[str]:
    if not isinstance(value, (set, frozenset)) or not all(isinstance(v, str) for v in value):
        raise ContractError('%s must be a frozenset of option names, not %r' % (what, value))
    return frozenset(value)


def compare(module: str, spec_options: t.Mapping[str, t.Mapping[str, t.Any]],
            remote_options: t.Iterable[str], handler_options: t.Iterable[str],
            remote_required: t.Iterable[str] | None = None) -> list[str]:
    """Return one message per disagreement (empty when the three sides agree).

    The ``$spec`` is the reference each other side is compared with, so every message names the
    side and the option names that differ there.
    """
    spec = frozenset(spec_options)
    action = frozenset(remote_options)
    handler = frozenset(handler_options)
    problems = []
    for label, names in (
            ('in $spec but not sent by the action plugin', spec - action),
            ('sent by the action plugin but not in $spec', action - spec),
            ('in $spec but not accepted by the simulator', spec - handler),
            ('accepted by the simulator but not in $spec', handler - spec),
    ):
        if names:
            problems.append('%s: %s' % (label, _names(names)))
    if remote_required is not None:
        required = frozenset(remote_required)
        spec_required = frozenset(name for name, option in spec_options.items() if option.get('required') is True)
        if spec_required - required:
            problems.append('required = $true in $spec but not in REMOTE_REQUIRED (the action plugin may omit it): %s'
                            % _names(spec_required - required))
        if required - action:
            problems.append('in REMOTE_REQUIRED but not in REMOTE_OPTIONS: %s' % _names(required - action))
    return problems


def format_problems(module: str, problems: t.Sequence[str]) -> str:
    return '%s: %s' % (module, '; '.join(problems))


def spec_file(repo: str, module: str) -> str:
    """The file that holds the literal ``$spec`` of a module: its ``.ps1``, or the module util it runs.

    A module whose read and apply are shared with managed_server_access keeps them, and its spec,
    in ``plugins/module_utils/_Ipam<CamelName>.psm1`` (``Get-Ipam<CamelName>Spec``); its ``.ps1``
    then only creates the module object from that spec.
    """
    script = os.path.join(repo, 'plugins', 'modules', module + '.ps1')
    camel = ''.join(part[:1].upper() + part[1:] for part in module.split('_'))
    shared = os.path.join(repo, 'plugins', 'module_utils', '_Ipam%s.psm1' % camel)
    with open(script, encoding='utf-8') as handle:
        if 'Get-Ipam%sSpec' % camel in handle.read() and os.path.exists(shared):
            return shared
    return script


def action_class(module: str):
    """ActionModule of plugins/action/<module>.py, imported as Ansible would name it."""
    name = 'ansible_collections.%s.plugins.action.%s' % (COLLECTION, module)
    try:
        loaded = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise ContractError('%s: plugins/modules/%s.ps1 has no action plugin plugins/action/%s.py'
                                % (module, module, module)) from exc
        raise
    cls = getattr(loaded, 'ActionModule', None)
    if cls is None:
        raise ContractError('%s: plugins/action/%s.py defines no ActionModule class' % (module, module))
    return cls


def handler(module: str):
    """The simulator's registration for ipam.provisioning.<module>."""
    # winsim is importable because tests/conftest.py puts tests/simulator on sys.path.
    from winsim import handlers  # pylint: disable=import-outside-toplevel

    fqcn = '%s.%s' % (COLLECTION, module)
    try:
        return handlers.REGISTRY[fqcn]
    except KeyError:
        raise ContractError('%s: the simulator has no handler for %s (winsim.handlers.REGISTRY has: %s)'
                            % (module, fqcn, ', '.join(sorted(handlers.REGISTRY)) or 'nothing')) from None


def check(module: str, spec_options, action_cls, handler_entry) -> list[str]:
    """compare() fed from an action class and a handler registration."""
    remote = as_name_set(getattr(action_cls, 'REMOTE_OPTIONS', None), '%s.REMOTE_OPTIONS' % action_cls.__name__)
    required = getattr(action_cls, 'REMOTE_REQUIRED', None)
    if required is not None:
        required = as_name_set(required, '%s.REMOTE_REQUIRED' % action_cls.__name__)
    accepted = as_name_set(getattr(handler_entry, 'options', None), 'handler options of %s' % module)
    return compare(module, spec_options, remote, accepted, required)
