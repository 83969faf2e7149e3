# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.service_acl: a service's security descriptor, read with sc.exe sdshow, written with sc.exe sdset.

Modelled: Get-Service finds a service by short name without regard to case; a missing service
reads exists: false; sdset refuses text that is not SDDL (error 1336) and otherwise stores the
descriptor. Kept simple: the descriptor is stored exactly as given. Real Windows stores the binary
form and sdshow prints it again, which keeps letter-form masks as written for the masks the
collection uses (CCLCSWLOCRRC) but may spell hex masks as letters; the action plugin checks the
meaning of what it reads back, not the characters.
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..errors import ModuleFailure
from ..model import ACES_RECORD, apply_recorded_ace_change, owned_entries
from . import handler

OPTIONS = frozenset({'mode', 'principals', 'token', 'name', 'sddl', 'record_add', 'record_remove'})
# sc.exe's text when ConvertStringSecurityDescriptorToSecurityDescriptor refuses the string (Win32 1336).
SDSET_INVALID = ('[SC] ConvertStringSecurityDescriptorToSecurityDescriptor FAILED 1336: '
                 'The access control list (ACL) structure is invalid.')
# An ACE someone else adds between our read and apply (a monitoring agent's read right).
UNRELATED_RID = 1234


def _check_args(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic checks from the $spec before the module body runs."""
    missing = [o for o in ('mode', 'name') if args[o] is None]
    if missing:
        ctx.fail('missing required arguments: %s' % ', '.join(missing))
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply':
        absent = [o for o in ('token', 'sddl') if args[o] is None]
        if absent:
            ctx.fail('mode is apply but all of the following are missing: %s' % ', '.join(absent))


def find_service(host: dict[str, Any], name: str) -> tuple[str, dict[str, Any]] | None:
    """(short name, service) by case-insensitive short name, as Get-Service -Name finds it."""
    for key, service in host['services'].items():
        if key.casefold() == name.casefold():
            return key, service
    return None


def looks_like_sddl(text: str) -> bool:
    """Enough of ConvertStringSecurityDescriptorToSecurityDescriptor to refuse plain garbage."""
    stripped = text.strip()
    depth = 0
    for char in stripped:
        depth += {'(': 1, ')': -1}.get(char, 0)
        if depth not in (0, 1):
            return False
    return depth == 0 and stripped[:2] in ('O:', 'G:', 'D:', 'S:')


def insert_first_ace(sddl: str, ace: str) -> str:
    """The descriptor with ace as the first ACE of its DACL (after 'D:' and its flags)."""
    start = sddl.find('D:')
    if start < 0:
        return sddl + 'D:' + ace
    position = start + 2
    for flag in ('NO_ACCESS_CONTROL', 'AR', 'AI', 'P'):
        while sddl.startswith(flag, position):
            position += len(flag)
    return sddl[:position] + ace + sddl[position:]


def _unrelated_sid(ctx: Context) -> str:
    base = ctx.domain['sid'] if ctx.domain else ctx.host['machine_sid']
    return '%s-%d' % (base, UNRELATED_RID)


def mutate_service_sddl(ctx: Context, args: dict[str, Any]) -> None:
    """Someone grants another account read access on the service right after our read."""
    found = find_service(ctx.host, args.get('name') or '')
    if found and found[1].get('sddl'):
        found[1]['sddl'] = insert_first_ace(found[1]['sddl'], '(A;;CCLCSWLOCRRC;;;%s)' % _unrelated_sid(ctx))


@handler('ipam.provisioning.service_acl', options=OPTIONS, concurrent_change=mutate_service_sddl)
def service_acl(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    _check_args(ctx, args)
    name = args['name']
    found = find_service(ctx.host, name)
    service = found[1] if found else None
    result: dict[str, Any] = {
        'changed': False,
        'host': ctx.host_info(),
        'exists': service is not None,
        'display_name': service['display_name'] if service else None,
        'sddl': service['sddl'] if service else None,
        'recorded': owned_entries(ctx.host, ACES_RECORD, 'service:%s' % found[0]) if found else [],
    }
    result['token'] = result['sddl']
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    if service is None:
        ctx.fail("Service '%s' was not found." % name, error='not_found', **result)
    if (args['token'] or '') != (service['sddl'] or ''):
        ctx.fail("The security descriptor of service '%s' changed between read and apply; nothing was written. "
                 'Run the task again to plan against the new state.' % name, error='changed_since_read', **result)
    changed = args['sddl'] != service['sddl']   # an identical descriptor is not written again

    def write() -> None:
        if not changed:
            return
        if not looks_like_sddl(args['sddl']):
            ctx.fail('sc.exe sdset %s failed (1336): %s' % (name, SDSET_INVALID), error='invalid_state', **result)
        try:
            ctx.write('service %s security descriptor' % found[0])
        except ModuleFailure as exc:   # sc.exe sdset exits 5; the module names what it could not write
            ctx.fail("Access is denied writing the security descriptor of service '%s'." % name,
                     error=exc.error, **result)
        service['sddl'] = args['sddl']
        result['sddl'] = service['sddl']

    if not ctx.check_mode:
        result['recorded'] = apply_recorded_ace_change(ctx, 'service:%s' % found[0], args, write)
    result['changed'] = changed
    return result
