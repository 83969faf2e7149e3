# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The System Center VMM server a simulated host runs when its winsim_profile has ``vmm: true``.

IF = /work/shared/reference/ipam-facts.md section 8 (M-VMM, SC-VMM, SCPS). What is modelled, and why:
- Host groups form a tree under the root "All Hosts"; each has an ID, a Name and a Path
  ("All Hosts\\Production"). Names may repeat under different parents, and Get-SCVMHostGroup -Name
  returns every match, so the seed has two "Hyper-V" groups.
- Run As accounts have a unique Name, the credential's UserName/Domain and an ID. VMM never shows a
  password; the state keeps only a digest and a version number so tests can tell that the
  credential was replaced. Remove-SCRunAsAccount fails while a network service uses the account.
- Network services have Name, Manufacturer, Model, ConnectionString, a Run As account (by ID),
  host groups (by ID) and the configuration provider VMM chose from Manufacturer/Model (ByModel
  parameter set of Add-SCNetworkService); no provider for a pair means the service is not added.
- IDs are GUIDs derived from the host and a counter, so two fresh labs look the same.
Everything here changes dicts only; handlers call ctx.write first (never in check mode).
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Any

ROOT_HOST_GROUP = 'All Hosts'
IPAM_MANUFACTURER = 'Microsoft'                                   # IF 8, M-VMM
IPAM_MODEL = 'Microsoft Windows Server IP Address Management'     # IF 8, M-VMM
IPAM_PROVIDER = 'Microsoft IP Address Management Provider'        # IF 8, SC-VMM (UI name)

# [I] A small fabric: production and lab host groups, each with a "Hyper-V" child (same name twice).
SEED_HOST_GROUP_PATHS = (
    ROOT_HOST_GROUP,
    ROOT_HOST_GROUP + '\\Production',
    ROOT_HOST_GROUP + '\\Production\\Hyper-V',
    ROOT_HOST_GROUP + '\\Lab',
    ROOT_HOST_GROUP + '\\Lab\\Hyper-V',
)
# [I] Providers installed with VMM 2016+: IPAM and the network controller (SCPS example 1).
CONFIGURATION_PROVIDERS = (
    {'name': IPAM_PROVIDER, 'manufacturer': IPAM_MANUFACTURER, 'model': IPAM_MODEL},
    {'name': 'Microsoft Network Controller', 'manufacturer': 'Microsoft', 'model': 'Microsoft Network Controller'},
)
# [I] What a VMM fabric usually already has: a host-management Run As account and a network
# controller service using it. Neither is the collection's, so removal must leave them.
SEED_RUN_AS = ('Host Management', 'Administrator')
SEED_SERVICE = {'name': 'NC', 'manufacturer': 'Microsoft', 'model': 'Microsoft Network Controller',
                'connection_string': 'serverUrl=https://nc.corp.example.com;serviceName=NC_Service'}

# Texts of VMM errors (Error IDs as the VMM console shows them; [I] wording shortened).
NO_PROVIDER = ('Unable to find a configuration provider for manufacturer "%s" and model "%s". (Error ID: 25019)')
RUN_AS_IN_USE = ('Run As account %s cannot be removed because it is in use by network service %s. (Error ID: 3160)')
RUN_AS_EXISTS = 'A Run As account named %s already exists. (Error ID: 3158)'
SERVICE_EXISTS = 'A network service named %s already exists. (Error ID: 25008)'
BAD_CREDENTIAL = ('The credentials for %s cannot be validated: the user name does not exist in Active Directory. '
                  '(Error ID: 1604)')


def new_id(vmm: dict[str, Any], kind: str) -> str:
    """A deterministic GUID for the next object of this VMM server."""
    vmm['next_id'] = vmm.get('next_id', 0) + 1
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'winsim-vmm:%s:%s:%d' % (vmm['server'], kind, vmm['next_id'])))


def credential_digest(username: str, password: str) -> str:
    """What the state keeps of a credential: enough to see a change, nothing to recover it from."""
    return hashlib.sha256(('winsim-vmm-credential\0%s\0%s' % (username.casefold(), password)).encode()).hexdigest()


def split_username(username: str) -> tuple[str | None, str]:
    """(Domain, UserName) as a RunAsAccount shows DOMAIN\\user or user@domain."""
    if '\\' in username:
        domain, _sep, user = username.partition('\\')
        return domain, user
    if '@' in username:
        user, _sep, domain = username.rpartition('@')
        return domain, user
    return None, username


def new_vmm_server(fqdn: str, netbios: str | None) -> dict[str, Any]:
    """The VMM state of a freshly seeded VMM server (netbios: its domain's, for the seeded Run As account)."""
    vmm: dict[str, Any] = {'server': fqdn, 'next_id': 0, 'host_groups': [], 'run_as_accounts': {},
                           'network_services': {}, 'configuration_providers': [dict(p) for p in CONFIGURATION_PROVIDERS]}
    for path in SEED_HOST_GROUP_PATHS:
        vmm['host_groups'].append({'id': new_id(vmm, 'hostgroup'), 'name': path.rsplit('\\', 1)[-1], 'path': path})
    name, user = SEED_RUN_AS
    account_id = add_run_as(vmm, name, '%s\\%s' % (netbios, user) if netbios else user, 'seeded-not-a-real-password')
    service_id = new_id(vmm, 'networkservice')
    vmm['network_services'][service_id] = dict(
        SEED_SERVICE, run_as_account=account_id, host_groups=[host_group_by_path(vmm, ROOT_HOST_GROUP)['id']],
        configuration_provider='Microsoft Network Controller')
    return vmm


# --- lookups -------------------------------------------------------------------------------------
def host_group_by_path(vmm: dict[str, Any], path: str) -> dict[str, Any] | None:
    for group in vmm['host_groups']:
        if group['path'].casefold() == path.casefold():
            return group
    return None


def host_groups_named(vmm: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Get-SCVMHostGroup by Name, or by Path when the text holds a backslash."""
    key = 'path' if '\\' in text else 'name'
    return [g for g in vmm['host_groups'] if g[key].casefold() == text.strip().casefold()]


def host_group_path(vmm: dict[str, Any], group_id: str) -> str | None:
    for group in vmm['host_groups']:
        if group['id'] == group_id:
            return group['path']
    return None


def run_as_by_name(vmm: dict[str, Any], name: str) -> tuple[str, dict[str, Any]] | None:
    for account_id, account in vmm['run_as_accounts'].items():
        if account['name'].casefold() == name.casefold():
            return account_id, account
    return None


def service_by_name(vmm: dict[str, Any], name: str) -> tuple[str, dict[str, Any]] | None:
    for service_id, service in vmm['network_services'].items():
        if service['name'].casefold() == name.casefold():
            return service_id, service
    return None


def services_using(vmm: dict[str, Any], account_id: str) -> list[str]:
    return sorted(s['name'] for s in vmm['network_services'].values() if s['run_as_account'] == account_id)


def provider_for(vmm: dict[str, Any], manufacturer: str, model: str) -> str | None:
    for provider in vmm['configuration_providers']:
        if provider['manufacturer'].casefold() == manufacturer.casefold() and provider['model'].casefold() == model.casefold():
            return provider['name']
    return None


# --- changes (callers have called ctx.write) -------------------------------------------------------
def add_run_as(vmm: dict[str, Any], name: str, username: str, password: str) -> str:
    """New-SCRunAsAccount -Name -Credential; returns the new ID."""
    if run_as_by_name(vmm, name):
        raise ValueError(RUN_AS_EXISTS % name)
    domain, user = split_username(username)
    account_id = new_id(vmm, 'runas')
    vmm['run_as_accounts'][account_id] = {'name': name, 'domain': domain, 'username': user,
                                          'credential': credential_digest(username, password), 'credential_version': 1}
    return account_id


def set_run_as_credential(account: dict[str, Any], username: str, password: str) -> None:
    """Set-SCRunAsAccount -Credential: replaces user name and password."""
    account['domain'], account['username'] = split_username(username)
    account['credential'] = credential_digest(username, password)
    account['credential_version'] = account.get('credential_version', 0) + 1


def remove_run_as(vmm: dict[str, Any], account_id: str) -> None:
    users = services_using(vmm, account_id)
    if users:
        raise ValueError(RUN_AS_IN_USE % (vmm['run_as_accounts'][account_id]['name'], ', '.join(users)))
    del vmm['run_as_accounts'][account_id]
