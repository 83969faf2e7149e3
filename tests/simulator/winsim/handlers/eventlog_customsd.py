# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.eventlog_customsd: the CustomSD value (REG_SZ SDDL) of a classic event log.

Modelled on the host's registry dict: key and value names match without regard to case, as in the
registry; a missing key reads exists: false, a missing value reads sddl: null; a value that is not
a string fails like the PowerShell module does. The registry stores whatever string it is given
(Set-ItemProperty -Type String does not check SDDL), so a corrupt value (seed-time fault
corrupt_customsd) is read back as it is and it is the action plugin's job to refuse it.
"""
from __future__ import annotations

from typing import Any

from .. import defaults as d
from ..context import Context
from ..model import ACES_RECORD, apply_recorded_ace_change, owned_entries
from . import handler

OPTIONS = frozenset({'mode', 'principals', 'token', 'log', 'sddl', 'record_add', 'record_remove'})
VALUE = 'CustomSD'
# Between our read and apply someone lets Performance Log Users read the log too.
UNRELATED_ACE = '(A;;0x1;;;S-1-5-32-559)'


def _check_args(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic checks from the $spec before the module body runs."""
    missing = [o for o in ('mode', 'log') if args[o] is None]
    if missing:
        ctx.fail('missing required arguments: %s' % ', '.join(missing))
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply':
        absent = [o for o in ('token', 'sddl') if args[o] is None]
        if absent:
            ctx.fail('mode is apply but all of the following are missing: %s' % ', '.join(absent))


def key_label(log: str) -> str:
    return '%s\\%s' % (d.KEY_EVENTLOG, log)


def find_key(host: dict[str, Any], log: str) -> dict[str, Any] | None:
    """The values of the log's key, or None when the key does not exist."""
    wanted = key_label(log).casefold()
    for path, values in host['registry'].items():
        if path.casefold() == wanted:
            return values
    return None


def value_name(values: dict[str, Any]) -> str | None:
    """The stored spelling of the CustomSD value name, or None when it is not set."""
    return next((name for name in values if name.casefold() == VALUE.casefold()), None)


def value_kind(value: Any) -> str:
    """RegistryValueKind of a stored value that is not a string, as GetValueKind names it."""
    if isinstance(value, bool) or not isinstance(value, (int, list)):
        return 'Binary'
    return 'MultiString' if isinstance(value, list) else 'DWord'


def mutate_customsd(ctx: Context, args: dict[str, Any]) -> None:
    """Another administrator appends an ACE to the value right after our read."""
    values = find_key(ctx.host, args.get('log') or '')
    name = value_name(values) if values is not None else None
    if name and isinstance(values[name], str):
        values[name] = values[name] + UNRELATED_ACE


@handler('ipam.provisioning.eventlog_customsd', options=OPTIONS, concurrent_change=mutate_customsd)
def eventlog_customsd(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    _check_args(ctx, args)
    log = args['log']
    label = key_label(log)
    values = find_key(ctx.host, log)
    name = value_name(values) if values is not None else None
    current = values[name] if name else None
    result: dict[str, Any] = {'changed': False, 'host': ctx.host_info(), 'exists': values is not None, 'sddl': None}
    if current is not None and not isinstance(current, str):
        ctx.fail('%s of %s is not a string value (it is %s); it must be REG_SZ SDDL.' % (
            VALUE, label, value_kind(current)), error='invalid_state', **result)
    result['sddl'] = current
    result['token'] = current
    result['recorded'] = owned_entries(ctx.host, ACES_RECORD, 'eventlog:%s' % log)
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    if values is None:
        ctx.fail("Event log '%s' was not found: there is no registry key %s." % (log, label), error='not_found', **result)
    if current is None:
        ctx.fail("Event log '%s' has no %s value in %s; nothing was written." % (log, VALUE, label),
                 error='not_found', **result)
    if (args['token'] or '') != current:
        ctx.fail("%s of event log '%s' changed between read and apply; nothing was written. "
                 'Run the task again to plan against the new state.' % (VALUE, log), error='changed_since_read', **result)
    changed = args['sddl'] != current

    def write() -> None:
        if changed:
            ctx.write('%s\\%s' % (label, VALUE))
            values[name] = args['sddl']
        result['sddl'] = values[name]

    if not ctx.check_mode:
        result['recorded'] = apply_recorded_ace_change(ctx, 'eventlog:%s' % log, args, write)
    result['changed'] = changed
    return result
