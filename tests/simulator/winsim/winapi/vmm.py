# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""System Center VMM as its virtualmachinemanager cmdlets show it, over the host's ``vmm`` state
(winsim/vmm_server.py: host groups, Run As accounts, network services, configuration providers).

Objects are returned as the cmdlets' output properties: HostGroup {ID, Name, Path}, RunAsAccount {ID,
Name, UserName, Domain}, NetworkService {ID, Name, Manufacturer, Model, ConnectionString, RunAsAccount,
VMHostGroups}. Which property of a NetworkService lists its host groups is not documented
(windows-api.md 16): VMHostGroups is a labelled choice. VMM never returns a password.
"""
from __future__ import annotations

import fnmatch
from typing import Any

from .. import vmm_server as v
from ..context import Context
from . import ApiError, operation, write


def _vmm(ctx: Context) -> dict[str, Any]:
    vmm = ctx.host.get('vmm')
    if vmm is None:
        raise ApiError('not_found', 'The VMM server cannot be contacted: this host runs no VMM management server.')
    return vmm


def _host_group(group: dict[str, Any]) -> dict[str, Any]:
    return {'ID': group['id'], 'Name': group['name'], 'Path': group['path']}


def _run_as(vmm: dict[str, Any], account_id: str) -> dict[str, Any]:
    account = vmm['run_as_accounts'][account_id]
    return {'ID': account_id, 'Name': account['name'], 'UserName': account['username'], 'Domain': account['domain'],
            'Enabled': True}


def _service(vmm: dict[str, Any], service_id: str) -> dict[str, Any]:
    service = vmm['network_services'][service_id]
    account_id = service['run_as_account']
    return {'ID': service_id, 'Name': service['name'], 'Manufacturer': service['manufacturer'], 'Model': service['model'],
            'ConnectionString': service['connection_string'],
            'RunAsAccount': _run_as(vmm, account_id) if account_id in vmm['run_as_accounts'] else None,
            'VMHostGroups': [_host_group(g) for g in vmm['host_groups'] if g['id'] in service['host_groups']]}


def _like(text: str, pattern: str) -> bool:
    """PowerShell's -like without regard to case (the -Name filters of the Get-SC* cmdlets take wildcards)."""
    return fnmatch.fnmatchcase(text.casefold(), pattern.casefold())


@operation('Vmm.Installed')
def installed(ctx: Context, args: dict[str, Any]) -> bool:
    """Whether the virtualmachinemanager module is on this host (the VMM console / management server)."""
    del args
    return ctx.host.get('vmm') is not None


@operation('Vmm.Server')
def server(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-SCVMMServer -ComputerName: the connection to the VMM management server on that computer.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scvmmserver"""
    vmm = _vmm(ctx)
    name = str(args.get('computer_name') or '').casefold()
    if name not in ('localhost', '.', ctx.host['hostname'].casefold(), ctx.host['fqdn'].casefold(), vmm['server'].casefold()):
        raise ApiError('not_found', 'You cannot contact the Virtual Machine Manager server %s. (Error ID: 1601)' % args.get('computer_name'))
    return {'Name': vmm['server'], 'FQDN': vmm['server'], 'Port': 8100}


@operation('Vmm.HostGroups')
def host_groups(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-SCVMHostGroup [-Name]: every host group, or those whose Name matches.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scvmhostgroup"""
    vmm = _vmm(ctx)
    name = args.get('name')
    return [_host_group(g) for g in vmm['host_groups'] if not name or _like(g['name'], str(name))]


@operation('Vmm.RunAsAccounts')
def run_as_accounts(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-SCRunAsAccount [-Name]: the Run As accounts (wildcards allowed). [unconfirmed] A name nothing
    matches gives no output and no error (windows-api.md 16).
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scrunasaccount"""
    vmm = _vmm(ctx)
    name = args.get('name')
    return [_run_as(vmm, i) for i, a in vmm['run_as_accounts'].items() if not name or _like(a['name'], str(name))]


def _validate_user(ctx: Context, cmdlet: str, username: str) -> None:
    # VMM checks the credential's user in Active Directory unless -NoValidation.
    if ctx.resolve(username)['sid'] is None:
        raise ApiError('invalid', v.BAD_CREDENTIAL % username, cmdlet=cmdlet)


@operation('Vmm.NewRunAsAccount')
def new_run_as_account(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """New-SCRunAsAccount -Name -Credential: a new Run As account; its name must be unused.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/new-scrunasaccount"""
    vmm = _vmm(ctx)
    name, username = str(args.get('name') or ''), str(args.get('username') or '')
    if v.run_as_by_name(vmm, name):
        raise ApiError('exists', v.RUN_AS_EXISTS % name)
    _validate_user(ctx, 'New-SCRunAsAccount', username)
    write(ctx, 'New-SCRunAsAccount %s' % name)
    account_id = v.add_run_as(vmm, name, username, str(args.get('password') or ''))
    return _run_as(vmm, account_id)


def _account(vmm: dict[str, Any], account_id: Any) -> dict[str, Any]:
    account = vmm['run_as_accounts'].get(str(account_id))
    if account is None:
        raise ApiError('not_found', 'Unable to find the specified Run As account. (Error ID: 3154)')
    return account


@operation('Vmm.SetRunAsAccount')
def set_run_as_account(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Set-SCRunAsAccount -RunAsAccount -Credential: replaces the credential (user name and password).
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/set-scrunasaccount"""
    vmm = _vmm(ctx)
    account = _account(vmm, args.get('id'))
    if args.get('username') is not None:
        username = str(args['username'])
        _validate_user(ctx, 'Set-SCRunAsAccount', username)
        write(ctx, 'Set-SCRunAsAccount %s -Credential' % account['name'])
        v.set_run_as_credential(account, username, str(args.get('password') or ''))
    return _run_as(vmm, str(args.get('id')))


@operation('Vmm.RemoveRunAsAccount')
def remove_run_as_account(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-SCRunAsAccount -RunAsAccount: VMM refuses while a network service uses the account.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/remove-scrunasaccount"""
    vmm = _vmm(ctx)
    account_id = str(args.get('id'))
    account = _account(vmm, account_id)
    users = v.services_using(vmm, account_id)
    if users:
        raise ApiError('invalid', v.RUN_AS_IN_USE % (account['name'], ', '.join(users)))
    write(ctx, 'Remove-SCRunAsAccount %s' % account['name'])
    v.remove_run_as(vmm, account_id)


@operation('Vmm.NetworkServices')
def network_services(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-SCNetworkService -All | -Name: the network services (load balancers, IPAM, gateways...).
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/get-scnetworkservice"""
    vmm = _vmm(ctx)
    name = args.get('name')
    return [_service(vmm, i) for i, s in vmm['network_services'].items() if not name or _like(s['name'], str(name))]


def _groups(vmm: dict[str, Any], ids: Any) -> list[str]:
    known = {g['id'] for g in vmm['host_groups']}
    wanted = [str(i) for i in (ids or [])]
    missing = [i for i in wanted if i not in known]
    if missing:
        raise ApiError('not_found', 'Unable to find the specified host group %s. (Error ID: 1646)' % missing[0])
    return wanted


@operation('Vmm.AddNetworkService')
def add_network_service(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Add-SCNetworkService (ByModel): VMM picks the configuration provider for Manufacturer/Model (none:
    the service is not added), with its Run As account and host groups.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/add-scnetworkservice"""
    vmm = _vmm(ctx)
    name = str(args.get('name') or '')
    if v.service_by_name(vmm, name):
        raise ApiError('exists', v.SERVICE_EXISTS % name)
    account_id = str(args.get('run_as_id'))
    _account(vmm, account_id)
    groups = _groups(vmm, args.get('host_group_ids'))
    manufacturer, model = str(args.get('manufacturer') or ''), str(args.get('model') or '')
    provider = v.provider_for(vmm, manufacturer, model)
    if provider is None:
        raise ApiError('invalid', v.NO_PROVIDER % (manufacturer, model))
    write(ctx, 'Add-SCNetworkService %s' % name)
    service_id = v.new_id(vmm, 'networkservice')
    vmm['network_services'][service_id] = {
        'name': name, 'manufacturer': manufacturer, 'model': model, 'connection_string': args.get('connection_string'),
        'run_as_account': account_id, 'host_groups': groups, 'configuration_provider': provider}
    return _service(vmm, service_id)


def _service_by_id(vmm: dict[str, Any], service_id: Any) -> dict[str, Any]:
    service = vmm['network_services'].get(str(service_id))
    if service is None:
        raise ApiError('not_found', 'Unable to find the specified network service. (Error ID: 25006)')
    return service


@operation('Vmm.SetNetworkService')
def set_network_service(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Set-SCNetworkService -NetworkService [-ConnectionString] [-RunAsAccount] [-AddVMHostGroup]
    [-RemoveVMHostGroup]: one change of the service; nothing is written when nothing differs.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/set-scnetworkservice"""
    vmm = _vmm(ctx)
    service_id = str(args.get('id'))
    service = _service_by_id(vmm, service_id)
    add, remove = _groups(vmm, args.get('add_ids')), _groups(vmm, args.get('remove_ids'))
    changes: dict[str, Any] = {}
    if args.get('connection_string') is not None and args['connection_string'] != service['connection_string']:
        changes['connection_string'] = args['connection_string']
    if args.get('run_as_id') is not None:
        _account(vmm, args['run_as_id'])
        if str(args['run_as_id']) != service['run_as_account']:
            changes['run_as_account'] = str(args['run_as_id'])
    groups = [g for g in service['host_groups'] if g not in remove] + [g for g in add if g not in service['host_groups']]
    if groups != service['host_groups']:
        changes['host_groups'] = groups
    if changes:
        write(ctx, 'Set-SCNetworkService %s' % service['name'])
        service.update(changes)
    return _service(vmm, service_id)


@operation('Vmm.RemoveNetworkService')
def remove_network_service(ctx: Context, args: dict[str, Any]) -> None:
    """Remove-SCNetworkService -NetworkService.
    https://learn.microsoft.com/powershell/module/virtualmachinemanager/remove-scnetworkservice"""
    vmm = _vmm(ctx)
    service_id = str(args.get('id'))
    service = _service_by_id(vmm, service_id)
    write(ctx, 'Remove-SCNetworkService %s' % service['name'])
    del vmm['network_services'][service_id]
