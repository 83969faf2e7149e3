# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.vmm_network_service: model of plugins/modules/vmm_network_service.ps1.

The VMM server itself is modelled in ..vmm_server (host groups, Run As accounts, network services,
configuration providers). What the module meets, as modelled here:
- A host without VMM (no 'vmm' state) has no virtualmachinemanager module: Import-Module fails.
- Get-SCVMHostGroup -Name returns every group of that name; a Path (with a backslash) is unique.
- New-SCRunAsAccount validates the credential's user against Active Directory (as VMM does without
  -NoValidation) and refuses a duplicate name; Remove-SCRunAsAccount refuses an account in use.
- Add-SCNetworkService (ByModel) needs a configuration provider for Manufacturer/Model, a Run As
  account and at least one host group.
- Ansible.Basic removes no_log values (the Run As password) from everything the module returns,
  failures included; this model does the same, with the same texts (VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
  for a value equal to the secret, '********' inside a longer one).
The record of Run As accounts this collection created is the REG_MULTI_SZ VmmRunAsAccountsCreated (IDs).
"""
from __future__ import annotations

from typing import Any

from .. import vmm_server as v
from ..context import Context
from ..errors import ModuleFailure
from ..model import record_values, set_record_entries
from . import handler

MODULE = 'ipam.provisioning.vmm_network_service'
OPTIONS = frozenset({'mode', 'name', 'token', 'run_as_account', 'host_groups', 'run_as_username', 'run_as_password',
                     'run_as_action', 'record_run_as', 'service_action', 'connection_string', 'manufacturer', 'model',
                     'set_run_as', 'add_host_groups', 'remove_host_groups', 'settle_pending'})
NO_LOG_OPTIONS = ('run_as_password',)
# Ansible.Basic (RemoveValueConditions): a string equal to a no_log value is replaced whole by this text,
# one that only holds it has the value replaced by '********'.
NO_LOG_VALUE = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
NO_LOG_MASK = '********'
RECORD = 'VmmRunAsAccountsCreated'
NO_MODULE = ("The specified module 'virtualmachinemanager' was not loaded because no valid module file was found in "
             'any module directory.')
# What someone else points the service at (concurrent_change).
OTHER_CONNECTION = 'ipam-other.corp.example.com'


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    for option in ('mode', 'name'):
        if args[option] is None:
            ctx.fail('missing required arguments: %s' % option)
    choices = {'mode': ('read', 'apply'), 'run_as_action': ('create', 'update', 'remove'),
               'service_action': ('add', 'update', 'remove')}
    for option, allowed in choices.items():
        if args[option] is not None and args[option] not in allowed:
            ctx.fail('value of %s must be one of: %s. Got no match for: %s' % (option, ', '.join(allowed), args[option]))
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')


def mask(value: Any, secrets: list[str]) -> Any:
    """Every secret replaced in every string of a result, as Ansible.Basic's RemoveNoLogValues does."""
    if isinstance(value, str):
        if value in secrets:
            return NO_LOG_VALUE
        for secret in secrets:
            value = value.replace(secret, NO_LOG_MASK)
        return value
    if isinstance(value, dict):
        return {k: mask(item, secrets) for k, item in value.items()}
    if isinstance(value, list):
        return [mask(item, secrets) for item in value]
    return value


def vmm_of(ctx: Context) -> dict[str, Any]:
    vmm = ctx.host.get('vmm')
    if vmm is None:
        ctx.fail("The System Center VMM PowerShell module 'virtualmachinemanager' is not available on %s: %s Run this "
                 'task on the VMM server.' % (ctx.host['hostname'], NO_MODULE), error='not_found')
    return vmm


def run_as_info(ctx: Context, vmm: dict[str, Any], account_id: str) -> dict[str, Any]:
    account = vmm['run_as_accounts'][account_id]
    username = '%s\\%s' % (account['domain'], account['username']) if account['domain'] else account['username']
    return {'id': account_id, 'name': account['name'], 'username': username, 'sid': ctx.resolve(username)['sid'],
            'used_by': v.services_using(vmm, account_id)}


def service_info(vmm: dict[str, Any], service_id: str) -> dict[str, Any]:
    service = vmm['network_services'][service_id]
    account_id = service['run_as_account']
    account = vmm['run_as_accounts'].get(account_id)
    groups = [g for g in vmm['host_groups'] if g['id'] in service['host_groups']]
    return {
        'id': service_id, 'name': service['name'], 'manufacturer': service['manufacturer'], 'model': service['model'],
        'connection_string': service['connection_string'],
        'run_as_account': {'id': account_id, 'name': account['name']} if account else None,
        'host_groups': [{'id': g['id'], 'name': g['name'], 'path': g['path']} for g in groups],
    }


def vmm_state(ctx: Context, vmm: dict[str, Any], name: str, run_as_name: str | None) -> dict[str, Any]:
    """Same as Get-VmmState in the .ps1, token included."""
    found = v.service_by_name(vmm, name)
    service = service_info(vmm, found[0]) if found else None
    if not run_as_name and service and service['run_as_account']:
        run_as_name = service['run_as_account']['name']
    account = v.run_as_by_name(vmm, run_as_name) if run_as_name else None
    run_as = run_as_info(ctx, vmm, account[0]) if account else None
    service_token = 'absent'
    if service:
        group_ids = ','.join(sorted(g['id'] for g in service['host_groups']))
        run_as_id = service['run_as_account']['id'] if service['run_as_account'] else ''
        service_token = '%s|%s|%s|%s' % (service['id'], service['connection_string'], run_as_id, group_ids)
    run_as_token = '%s|%s' % (run_as['id'], run_as['username']) if run_as else 'absent'
    return {'service': service, 'run_as': run_as, 'token': 'service=%s;run_as=%s' % (service_token, run_as_token)}


def resolve_host_groups(vmm: dict[str, Any], requested: list[str]) -> list[dict[str, Any]]:
    resolved = []
    for text in requested:
        entry: dict[str, Any] = {'input': text, 'id': None, 'name': None, 'path': None, 'error': None, 'candidates': []}
        found = v.host_groups_named(vmm, text)
        if len(found) == 1:
            entry.update(id=found[0]['id'], name=found[0]['name'], path=found[0]['path'])
        elif not found:
            entry['error'] = 'not_found'
        else:
            entry.update(error='ambiguous', candidates=sorted((g['path'] for g in found), key=str.casefold))
        resolved.append(entry)
    return resolved


def is_recorded(ctx: Context, account_id: str | None) -> bool:
    return account_id is not None and account_id in record_values(ctx.host, RECORD)


def pending_entry(args: dict[str, Any]) -> str:
    """Recorded before an account is created, replaced by its ID after (the module's write-ahead)."""
    return 'pending:%s' % (args['run_as_account'] or '')


def read_result(ctx: Context, vmm: dict[str, Any], args: dict[str, Any], run_as_name: str | None) -> dict[str, Any]:
    state = vmm_state(ctx, vmm, args['name'], run_as_name)
    pending = bool(args['run_as_account']) and pending_entry(args) in record_values(ctx.host, RECORD)
    return {
        'host': ctx.host_info(), 'vmm': {'server': vmm['server']},
        'service': state['service'], 'run_as': state['run_as'], 'record_pending': pending,
        'run_as_created_by_collection': state['run_as'] is not None and (
            is_recorded(ctx, state['run_as']['id']) or pending),
        'token': state['token'],
    }


def change_service(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: someone repoints the service, edits the Run As account, or adds the service."""
    vmm = ctx.host.get('vmm')
    if vmm is None:
        return
    name = args.get('name') or 'IPAM'
    found = v.service_by_name(vmm, name)
    account = v.run_as_by_name(vmm, args['run_as_account']) if args.get('run_as_account') else None
    if found:
        found[1]['connection_string'] = OTHER_CONNECTION
    elif account:
        account[1]['username'] = 'Administrator'
    else:
        seeded = v.run_as_by_name(vmm, v.SEED_RUN_AS[0])
        vmm['network_services'][v.new_id(vmm, 'networkservice')] = {
            'name': name, 'manufacturer': v.IPAM_MANUFACTURER, 'model': v.IPAM_MODEL,
            'connection_string': OTHER_CONNECTION, 'run_as_account': seeded[0] if seeded else None,
            'host_groups': [v.host_group_by_path(vmm, v.ROOT_HOST_GROUP)['id']], 'configuration_provider': v.IPAM_PROVIDER}


def _apply_run_as(ctx: Context, vmm: dict[str, Any], args: dict[str, Any]) -> None:
    action, name = args['run_as_action'], args['run_as_account']
    if action not in ('create', 'update'):
        return
    if args['run_as_password'] is None:
        ctx.fail("Cannot bind argument to parameter 'String' because it is null.", error='invalid_state')
    username = args['run_as_username'] or ''
    if ctx.resolve(username)['sid'] is None:
        ctx.fail('%s -Name %s failed: %s' % ('New-SCRunAsAccount' if action == 'create' else 'Set-SCRunAsAccount', name,
                                             v.BAD_CREDENTIAL % username), error='invalid_state')
    if ctx.check_mode:
        return
    if action == 'create':
        if v.run_as_by_name(vmm, name):
            ctx.fail('New-SCRunAsAccount -Name %s failed: %s' % (name, v.RUN_AS_EXISTS % name), error='invalid_state')
        if args['record_run_as'] is True:
            set_record_entries(ctx, RECORD, [pending_entry(args)], True)
        ctx.write('New-SCRunAsAccount %s' % name)
        account_id = v.add_run_as(vmm, name, username, args['run_as_password'])
        if args['record_run_as'] is True:
            set_record_entries(ctx, RECORD, [account_id], True, (pending_entry(args),))
    else:
        found = v.run_as_by_name(vmm, name or '')
        if found is None:
            ctx.fail("Set-SCRunAsAccount -Name %s failed: Cannot validate argument on parameter 'RunAsAccount'. The "
                     'argument is null.' % name, error='invalid_state')
        ctx.write('Set-SCRunAsAccount %s -Credential' % name)
        v.set_run_as_credential(found[1], username, args['run_as_password'])


def _apply_service(ctx: Context, vmm: dict[str, Any], args: dict[str, Any]) -> None:
    action, name = args['service_action'], args['name']
    if action is None:
        return
    found = v.service_by_name(vmm, name)
    account = v.run_as_by_name(vmm, args['run_as_account']) if args['run_as_account'] else None
    groups_by_id = {g['id']: g for g in vmm['host_groups']}
    add = [i for i in args['add_host_groups'] or [] if i in groups_by_id]
    remove = [i for i in args['remove_host_groups'] or [] if i in groups_by_id]
    if action == 'update' and found is None:
        ctx.fail("Network service '%s' was not found on the VMM server." % name, error='not_found')
    if ctx.check_mode:
        return
    if action == 'add':
        prefix = 'Add-SCNetworkService -Name %s failed: ' % name
        if found:
            ctx.fail(prefix + v.SERVICE_EXISTS % name, error='invalid_state')
        if account is None:
            ctx.fail(prefix + "Cannot validate argument on parameter 'RunAsAccount'. The argument is null.",
                     error='invalid_state')
        if not add:
            ctx.fail(prefix + "Cannot validate argument on parameter 'VMHostGroup'. The argument is null or empty.",
                     error='invalid_state')
        provider = v.provider_for(vmm, args['manufacturer'] or '', args['model'] or '')
        if provider is None:
            ctx.fail(prefix + v.NO_PROVIDER % (args['manufacturer'], args['model']), error='invalid_state')
        ctx.write('Add-SCNetworkService %s' % name)
        vmm['network_services'][v.new_id(vmm, 'networkservice')] = {
            'name': name, 'manufacturer': args['manufacturer'], 'model': args['model'],
            'connection_string': args['connection_string'], 'run_as_account': account[0], 'host_groups': add,
            'configuration_provider': provider}
    elif action == 'update':
        service = found[1]
        if args['set_run_as'] and account is None:
            ctx.fail("Set-SCNetworkService -Name %s failed: Cannot validate argument on parameter 'RunAsAccount'. The "
                     'argument is null.' % name, error='invalid_state')
        new_groups = [g for g in service['host_groups'] if g not in remove] + [g for g in add if g not in service['host_groups']]
        changes = {}
        if args['connection_string'] is not None and args['connection_string'] != service['connection_string']:
            changes['connection_string'] = args['connection_string']
        if args['set_run_as'] and account[0] != service['run_as_account']:
            changes['run_as_account'] = account[0]
        if new_groups != service['host_groups']:
            changes['host_groups'] = new_groups
        if changes:
            ctx.write('Set-SCNetworkService %s' % name)
            service.update(changes)
    elif action == 'remove' and found:
        ctx.write('Remove-SCNetworkService %s' % name)
        del vmm['network_services'][found[0]]


def _apply_run_as_removal(ctx: Context, vmm: dict[str, Any], args: dict[str, Any]) -> None:
    if args['run_as_action'] != 'remove' or ctx.check_mode:
        return
    found = v.run_as_by_name(vmm, args['run_as_account'] or '')
    if found is None:
        return
    users = v.services_using(vmm, found[0])
    if users:   # VMM refuses before changing anything
        ctx.fail('Remove-SCRunAsAccount -Name %s failed: %s' % (found[1]['name'], v.RUN_AS_IN_USE % (
            found[1]['name'], ', '.join(users))), error='invalid_state')
    ctx.write('Remove-SCRunAsAccount %s' % found[1]['name'])
    v.remove_run_as(vmm, found[0])
    if args['record_run_as'] is False:
        set_record_entries(ctx, RECORD, [found[0]], False, (pending_entry(args),))


def _settle_pending(ctx: Context, vmm: dict[str, Any], args: dict[str, Any], pending: bool) -> None:
    """settle_pending: the pending entry becomes the account's ID, or is forgotten when there is no account."""
    if not (args['settle_pending'] and pending) or ctx.check_mode:
        return
    found = v.run_as_by_name(vmm, args['run_as_account'] or '')
    if found is not None:
        set_record_entries(ctx, RECORD, [found[0]], True, (pending_entry(args),))
    else:
        set_record_entries(ctx, RECORD, [pending_entry(args)], False)


def _run(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    vmm = vmm_of(ctx)
    result = read_result(ctx, vmm, args, args['run_as_account'])
    if args['mode'] == 'read':
        result['host_groups'] = resolve_host_groups(vmm, args['host_groups'] or [])
        result['known_host_groups'] = sorted((g['path'] for g in vmm['host_groups']), key=str.casefold)
        result['run_as_user'] = ctx.resolve(args['run_as_username']) if args['run_as_username'] else None
        return result

    if args['token'] != result['token']:
        ctx.fail("Network service '%s' or its Run As account changed between read and apply; nothing was written. "
                 'Run the task again to plan against the new state.' % args['name'], error='changed_since_read')
    _apply_run_as(ctx, vmm, args)
    _apply_service(ctx, vmm, args)
    _apply_run_as_removal(ctx, vmm, args)
    _settle_pending(ctx, vmm, args, result['record_pending'])
    if not ctx.check_mode:
        result.update(read_result(ctx, vmm, args, args['run_as_account']))
    result['changed'] = True
    return result


@handler(MODULE, options=OPTIONS, concurrent_change=change_service)
def vmm_network_service(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    secrets = [args[o] for o in NO_LOG_OPTIONS if args.get(o)]
    invocation = {'module_args': {k: (NO_LOG_VALUE if k in NO_LOG_OPTIONS and val is not None else val)
                                  for k, val in args.items()}}
    try:
        result = _run(ctx, args)
    except ModuleFailure as exc:
        exc.msg = mask(exc.msg, secrets)
        exc.extra = mask(dict(exc.extra, invocation=invocation), secrets)
        raise
    result['invocation'] = invocation
    return mask(result, secrets)
