# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.dns_domain_acl: the DACL of CN=MicrosoftDNS,CN=System,<domain DN> (IPAM's "DNS DACL").

Modelled on the shared domain state (`ad_objects`), so every member of the domain, DC or not, sees
the same object, and a change made through one DC is seen through every other at once (the lab has
no replication delay). A DN matches without regard to case and to blanks after commas, as in LDAP.
Only the DACL is stored (what GetSecurityDescriptorSddlForm('Access') returns); it is kept exactly
as written. Real AD stores the binary descriptor and prints rights in its own letter order; the
action plugin compares meaning, not characters, so the simplification hides nothing it relies on.
A host outside a domain has no default object; naming one there fails as the serverless ADSI bind does.
As the module (and winapi/directory.py) does: a DC binds to itself ('LDAP://<HOSTNAME>/<DN>'), so under
the directory_unreadable fault it cannot read the rootDSE; a member pins the DC a serverless bind
locates (or the one the read reported, option server) and binds to it. The token is the object's
uSNChanged and its DACL, so a write that puts the same text back is still a change. An apply writes
(CommitChanges) only when the DACL differs; refused writes fail with access_denied and the host's text for ERROR_ACCESS_DENIED. An ad_objects entry with
caller_read_control: false is one whose descriptor the account may not read: AD returns the object
without it (ObjectSecurity $null), which the module reports as access_denied.
"""
from __future__ import annotations

import re
from typing import Any

from .. import defaults as d
from .. import faults as f
from ..context import Context
from ..model import ACES_RECORD, apply_recorded_ace_change, owned_entries
from ..errors import ModuleFailure
from ..winapi import ACCESS_DENIED_TEXT
from ..winapi.directory import NO_WRITABLE_DC, REFERRAL, bump_usn, dc_answers, locate_dc, object_usn, read_only_controllers
from . import handler
from .service_acl import insert_first_ace

OPTIONS = frozenset({'mode', 'principals', 'token', 'distinguished_name', 'sddl', 'server', 'record_add',
                     'record_remove'})
NO_DOMAIN = 'The specified domain either does not exist or could not be contacted.'
SERVER_NOT_OPERATIONAL = 'The server is not operational.'
SD_NOT_RETURNED = "Active Directory returned none, which it does when the account may not read the object's permissions."
UNRELATED_RID = 1234


def _check_args(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic checks from the $spec before the module body runs."""
    if args['mode'] is None:
        ctx.fail('missing required arguments: mode')
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply':
        absent = [o for o in ('token', 'sddl', 'distinguished_name') if args[o] is None]
        if absent:
            ctx.fail('mode is apply but all of the following are missing: %s' % ', '.join(absent))


def _dn_key(dn: str) -> str:
    return re.sub(r'\s*,\s*', ',', dn.strip()).casefold()


def ad_path(ctx: Context, dn: str) -> str:
    """The module's Get-AdPath: bound to this DC on a DC, serverless elsewhere; '/' escaped."""
    escaped = dn.replace('/', '\\/')
    if ctx.host['domain_role'] in d.DC_ROLES:
        return 'LDAP://%s/%s' % (ctx.host['hostname'].upper(), escaped)
    return 'LDAP://' + escaped


def find_object(domain: dict[str, Any] | None, dn: str) -> dict[str, Any] | None:
    if domain is None:
        return None
    wanted = _dn_key(dn)
    return next((obj for key, obj in domain['ad_objects'].items() if _dn_key(key) == wanted), None)


def mutate_dns_dacl(ctx: Context, args: dict[str, Any]) -> None:
    """Another admin grants some account read access on the object right after our read."""
    if ctx.domain is None:
        return
    obj = find_object(ctx.domain, args.get('distinguished_name') or d.microsoft_dns_dn(ctx.domain['dn']))
    if obj and obj.get('sddl'):
        obj['sddl'] = insert_first_ace(obj['sddl'], '(A;;RPLCRC;;;%s-%d)' % (ctx.domain['sid'], UNRELATED_RID))
        bump_usn(ctx.domain, obj)


@handler('ipam.provisioning.dns_domain_acl', options=OPTIONS, concurrent_change=mutate_dns_dacl)
def dns_domain_acl(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    _check_args(ctx, args)
    domain = ctx.domain
    host = ctx.host_info()
    result: dict[str, Any] = {'changed': False, 'distinguished_name': None, 'exists': False, 'sddl': None,
                              'server': None}
    writable_dc = ctx.host['domain_role'] in d.DC_ROLES and not ctx.host.get('read_only_dc')
    if domain is not None:
        # Get-PinnedServer: this writable DC, the one the read used, or a writable one the DC locator finds.
        if writable_dc:
            result['server'] = ctx.host['hostname'].upper()
        else:
            result['server'] = args['server'] or locate_dc(ctx, domain, writable=True)
            if result['server'] is None:
                ctx.fail("Cannot locate a writable domain controller of the computer's domain: %s" % NO_WRITABLE_DC,
                         error='invalid_state', **result)
        dc_down = (f.directory_unreadable(ctx.faults) if writable_dc
                   else bool(args['server']) and not dc_answers(ctx, str(args['server']).lower()))
        if dc_down:
            ctx.fail('Cannot read the domain naming context from Active Directory: %s' % SERVER_NOT_OPERATIONAL,
                     error='invalid_state', **result)
        host['domain_dn'] = domain['dn']
    dn = args['distinguished_name'] or (d.microsoft_dns_dn(domain['dn']) if domain else None)
    result.update(host=host, distinguished_name=dn)
    if dn and domain is None:
        ctx.fail("Cannot read the security descriptor of '%s': %s" % (ad_path(ctx, dn), NO_DOMAIN),
                 error='invalid_state', **result)
    obj = find_object(domain, dn) if dn else None
    if obj is not None and obj.get('caller_read_control') is False:
        # ObjectSecurity is $null: AD leaves nTSecurityDescriptor out for a caller that may not read it.
        ctx.fail("Cannot read the security descriptor of '%s': %s" % (ad_path(ctx, dn), SD_NOT_RETURNED),
                 error='access_denied', **result)
    if obj is not None:
        result.update(exists=True, sddl=obj['sddl'])
    result['token'] = '%d|%s' % (object_usn(obj), obj['sddl']) if obj is not None else None
    result['recorded'] = owned_entries(ctx.host, ACES_RECORD, 'directory:%s' % dn) if dn else []
    if args['mode'] == 'read':
        result['principals'] = [ctx.resolve(p) for p in args['principals'] or []]
        return result

    if obj is None:
        ctx.fail("The Active Directory object '%s' was not found." % dn, error='not_found', **result)
    if (args['token'] or '') != result['token']:
        ctx.fail("The DACL of '%s' (on %s) changed between read and apply; nothing was written. "
                 'Run the task again to plan against the new state.' % (dn, result['server']),
                 error='changed_since_read', **result)
    changed = args['sddl'] != obj['sddl']

    def write() -> None:
        if not changed:
            return
        if str(result['server'] or '').lower() in read_only_controllers(domain):
            ctx.fail("Cannot write the DACL of '%s': %s" % (dn, REFERRAL[1]), error='invalid_state', **result)
        try:
            ctx.write('DACL of %s' % dn)
        except ModuleFailure:
            denied = ACCESS_DENIED_TEXT.get(ctx.language, ACCESS_DENIED_TEXT['en-US'])
            ctx.fail("Cannot write the DACL of '%s': %s" % (dn, denied), error='access_denied', **result)
        obj['sddl'] = args['sddl']
        bump_usn(domain, obj)
        result.update(sddl=obj['sddl'], token='%d|%s' % (object_usn(obj), obj['sddl']))

    if not ctx.check_mode:
        result['recorded'] = apply_recorded_ace_change(ctx, 'directory:%s' % dn, args, write)
    result['changed'] = changed
    return result
