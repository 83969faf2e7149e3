# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.dhcp_users_membership: the DHCP role's DHCP Users / DHCP Administrators group.

The groups exist only where the DHCP Server role created them (local groups on a member, domain
local groups once a DC with DHCP joined; the seed fault dhcp_role_absent leaves them out). They are
found by SID or by one of the candidate names the controller sends. The DHCPServer service is
reported, and restarted on request (Restart-Service: a write; the host state counts `restarts`).
See _groups.py for what is modelled of ADSI.
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import _groups as g
from . import handler

OPTIONS = frozenset({'mode', 'principals', 'token', 'group_sid', 'group_names', 'add', 'remove', 'record_add', 'record_remove', 'restart_service'})
SERVICE = 'DHCPServer'


def _service(ctx: Context) -> tuple[str, dict[str, Any]] | None:
    for key, service in ctx.host['services'].items():
        if key.casefold() == SERVICE.casefold():
            return key, service
    return None


def service_state(ctx: Context) -> dict[str, Any]:
    found = _service(ctx)
    return {'exists': True, 'status': found[1]['status']} if found else {'exists': False, 'status': None}


def restart_service(ctx: Context) -> str | None:
    """Restart-Service -Force; returns the error text Restart-Service would throw, or None."""
    found = _service(ctx)
    if found is None:
        return "Cannot find any service with service name '%s'." % SERVICE
    ctx.write('restart of service %s' % found[0])
    found[1]['status'] = 'Running'
    found[1]['restarts'] = found[1].get('restarts', 0) + 1
    return None


def _find(ctx: Context, args: dict[str, Any]) -> tuple[str, dict[str, Any], str] | None:
    return g.find_group(ctx, args.get('group_sid'), args.get('group_names'))


def add_unrelated_member(ctx: Context, args: dict[str, Any]) -> None:
    found = _find(ctx, args)
    if found:
        g.add_unrelated_member(ctx, found[1])


@handler('ipam.provisioning.dhcp_users_membership', options=OPTIONS, concurrent_change=add_unrelated_member)
def dhcp_users_membership(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    g.check_mode_value(ctx, args)
    # The module's own check (its spec's required_one_of never fires: group_names defaults to []).
    if not args['group_sid'] and not any(args['group_names'] or []):
        ctx.fail('one of the following is required: group_sid, group_names')
    for name in args['group_names'] or []:
        g.check_winnt_name(ctx, name, 'group_names')
    found = _find(ctx, args)
    result: dict[str, Any] = {'changed': False, 'host': ctx.host_info(), 'service': service_state(ctx),
                              'group': None, 'members': [], 'token': None, 'recorded': []}
    if found:
        sid, group, matched_by = found
        result.update(group=dict(g.group_info(ctx, sid, group), matched_by=matched_by),
                      members=g.members_of(ctx, group), token=g.token_of(group),
                      recorded=g.recorded_members(ctx, sid))
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    result['restarted'] = False
    if not found:
        wanted = ([args['group_sid']] if args['group_sid'] else []) + list(args['group_names'] or [])
        ctx.fail('The DHCP group (%s) was not found on %s.' % (', '.join(wanted), ctx.host['hostname']),
                 error='not_found', **result)
    if (args['token'] or '') != (result['token'] or ''):
        ctx.fail("The members of group '%s' changed between read and apply; nothing was written. Run the task "
                 'again to plan against the new state.' % group['name'], error='changed_since_read', **result)
    if not ctx.check_mode:
        g.apply_owned_change(ctx, sid, group, args, result)
        if args['restart_service']:
            error = restart_service(ctx)
            if error:
                result['restart_error'] = error
            else:
                result['restarted'] = True
            result['service'] = service_state(ctx)
    result['changed'] = True
    return result
