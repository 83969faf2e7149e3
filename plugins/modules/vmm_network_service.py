# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: vmm_network_service
short_description: The IPAM network service in System Center Virtual Machine Manager
version_added: 0.1.0
description:
  - Runs on the System Center VMM server and adds, changes or removes the network service through which
    VMM uses the IPAM server (Fabric > Networking > Network Service; C(Add-SCNetworkService) with manufacturer
    C(Microsoft) and model C(Microsoft Windows Server IP Address Management)), as in Microsoft's
    "Configure IPAM VMM Integration" and "Set up an IPAM server in the VMM fabric".
  - The service's connection string is the IPAM server's FQDN, with C(:port) when O(port) is given. It uses a
    VMM Run As account, which the module creates when it is missing; the host groups it is available to
    are O(host_groups) exactly (host groups not listed are removed from the service).
  - An existing service is compared by connection string (case-insensitively), Run As account and host
    groups, and only what differs is changed (C(Set-SCNetworkService)).
  - The Run As password cannot be read back from VMM, so it cannot be compared. The account's credential is
    set when the module creates the account, or on every run with O(update_password=always), which therefore
    always reports a change. With the default O(update_password=on_create) an existing account is used as it
    is; if O(run_as_username) names another user the task fails instead of guessing.
  - O(state=absent) removes the network service (only one whose model is IPAM's) and the Run As account only if
    this collection created it (recorded on the VMM server under C(HKLM\SOFTWARE\ipam.provisioning), value
    C(VmmRunAsAccountsCreated)) and nothing else uses it.
  - The IPAM side of the integration (a local group such as C(VMM Users) with the VMM account, in C(IPAM ASM
    Administrators) and C(Remote Management Users) on the IPAM server) is done with
    M(ipam.provisioning.local_group) and M(ipam.provisioning.group_membership).
  - Needs the VMM PowerShell module C(virtualmachinemanager) on the host; elsewhere the task fails saying so.
    When the VMM server cannot be reached, Ansible reports the host unreachable.
options:
  name:
    description:
      - The network service's name in VMM.
    type: str
    default: IPAM
  ipam_server_fqdn:
    description:
      - The IPAM server's fully qualified name, the service's connection string. Required with O(state=present).
    type: str
  port:
    description:
      - The IPAM server's port, appended to the connection string as C(fqdn:port). Omit it for IPAM's default
        (48885, changed with C(Set-IpamConfiguration -Port)).
    type: int
  run_as_account:
    description:
      - The name of the VMM Run As account the service uses; created when it does not exist. Required with
        O(state=present).
      - With O(state=absent), the account to remove when this collection created it; by default the one the
        service uses.
    type: str
  run_as_username:
    description:
      - The user of the Run As account, C(DOMAIN\user) or C(user@domain). Needed to create the account; when the
        account exists it must name the same user unless O(update_password=always).
      - The account needs rights on the IPAM server (membership of C(IPAM ASM Administrators) and C(Remote
        Management Users) there).
    type: str
  run_as_password:
    description:
      - The password of O(run_as_username). Needed to create the account and with O(update_password=always).
      - It is sent to the VMM server only with the change that sets the credential and never appears in results,
        diffs, warnings or messages.
    type: str
  update_password:
    description:
      - V(on_create) sets the Run As credential only when the account is created.
      - V(always) sets it on every run (VMM cannot compare passwords), so the task always reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  host_groups:
    description:
      - The VMM host groups the service is available to, by name (C(Production)) or by path
        (C(All Hosts\Production)). A name that several host groups share must be given as a path.
      - The default is every host group (the root C(All Hosts)).
    type: list
    elements: str
    default: [All Hosts]
  state:
    description:
      - V(present) adds or updates the network service (and creates the Run As account when needed).
      - V(absent) removes the network service and the Run As account this collection created.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - One round trip on a compliant VMM server and in check mode; two when something changes, the second of which
    first checks that the service and the Run As account have not changed since they were read
    (if they have, it writes nothing and the task reads and plans once more).
  - The manufacturer and model are fixed to IPAM's; a service of that name with another model is never changed
    or removed.
seealso:
  - module: ipam.provisioning.local_group
  - module: ipam.provisioning.group_membership
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Add the IPAM server to the VMM fabric, for all host groups
  ipam.provisioning.vmm_network_service:
    ipam_server_fqdn: ipam01.corp.example.com
    run_as_account: IPAM Run As
    run_as_username: CORP\svc-vmm
    run_as_password: "{{ vmm_ipam_password }}"

- name: Only for two host groups, on a non-default IPAM port, and replace the Run As password
  ipam.provisioning.vmm_network_service:
    ipam_server_fqdn: ipam01.corp.example.com
    port: 48886
    run_as_account: IPAM Run As
    run_as_username: CORP\svc-vmm
    run_as_password: "{{ vmm_ipam_password }}"
    update_password: always
    host_groups:
      - All Hosts\Production
      - All Hosts\Lab

- name: Remove it again (the Run As account too, if this collection created it)
  ipam.provisioning.vmm_network_service:
    state: absent
'''

RETURN = r'''
name:
  description: The network service's name.
  returned: always
  type: str
  sample: IPAM
network_service:
  description: The network service after the task (planned in check mode); C(exists) false when there is none.
  returned: always
  type: dict
  sample:
    exists: true
    name: IPAM
    manufacturer: Microsoft
    model: Microsoft Windows Server IP Address Management
    connection_string: ipam01.corp.example.com
    run_as_account: IPAM Run As
    host_groups: [All Hosts]
connection_string:
  description: The service's connection string after the task, or null when there is no service.
  returned: always
  type: str
  sample: ipam01.corp.example.com
host_groups:
  description: The paths of the host groups the service is available to after the task.
  returned: always
  type: list
  elements: str
  sample: [All Hosts]
run_as:
  description: The Run As account after the task (never a password) and whether this collection created it.
  returned: always
  type: dict
  sample: {exists: true, name: IPAM Run As, username: CORP\svc-vmm, created_by_collection: true}
created:
  description: Whether the task added the network service.
  returned: always
  type: bool
  sample: true
deleted:
  description: Whether the task removed the network service.
  returned: always
  type: bool
  sample: false
run_as_created:
  description: Whether the task created the Run As account.
  returned: always
  type: bool
  sample: true
run_as_removed:
  description: Whether the task removed the Run As account.
  returned: always
  type: bool
  sample: false
credential_updated:
  description: Whether the task replaced the credential of an existing Run As account (O(update_password=always)).
  returned: always
  type: bool
  sample: false
added:
  description: What the task added, in words.
  returned: always
  type: list
  elements: str
  sample: ["Run As account 'IPAM Run As'", "network service 'IPAM'"]
removed:
  description: What the task removed, in words.
  returned: always
  type: list
  elements: str
  sample: []
actions:
  description: The VMM cmdlets the task ran (or would run in check mode), without any password.
  returned: always
  type: list
  elements: str
  sample: ["New-SCRunAsAccount -Name 'IPAM Run As' -Credential CORP\\svc-vmm"]
'''
