# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_server_inventory
short_description: Set the server types and manageability status of servers in an IPAM server inventory
version_added: 0.1.0
description:
  - Marks servers of the IPAM server inventory C(Managed), C(Unmanaged) or C(Unspecified) and sets their
    server types (C(Set-IpamServerInventory -ManageabilityStatus -ServerType)).
  - Runs on the IPAM server. One read of the requested servers, then one apply of every change.
  - A server that is not in the inventory is added (C(Add-IpamServerInventory)) only when it is an NPS
    server, because IPAM never discovers NPS servers. Any other server missing from the inventory has not
    been discovered; the task fails naming it (run M(ipam.provisioning.ipam_server_task) with
    C(ServerDiscovery) first, or check the discovery domains) and nothing is written.
  - C(Managed) makes IPAM collect the server's data; C(Unmanaged) stops collection and purges the server's
    data from the IPAM database; C(Unspecified) keeps the data and collects nothing (Microsoft, "Managing
    Server Inventory"). With the GPO provisioning method IPAM also adds or removes the server in the
    security filtering of its GPOs.
  - Feed it the same inventory groups that provisioning uses, so one variable decides both what a server
    grants and whether IPAM manages it.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the inventory
    and runs the planned cmdlets.
options:
  servers:
    description:
      - The servers, each by fully qualified DNS name.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The server's fully qualified DNS name, for example C(dhcp01.corp.example.com).
        type: str
        required: true
      server_types:
        description:
          - The server's IPAM server types (C(dc), C(dns), C(dhcp), C(nps)), replacing the ones IPAM has.
          - Leave it out to keep the types IPAM discovered. Required to add an NPS server.
        type: list
        elements: str
        choices: [dhcp, dns, dc, nps]
      keep_server_types:
        description:
          - Server types never taken away. When IPAM lists the server with one of them and
            O(servers[].server_types) leaves it out, IPAM keeps it (with a warning naming the server).
            They are not added when IPAM does not list them.
          - The role P(ipam.provisioning.ipam_server#role) gives the types whose inventory group is missing,
            empty or probably misspelled, so that a mistake in the inventory never changes IPAM's record.
          - Does not apply to O(servers[].state=absent).
        type: list
        elements: str
        choices: [dhcp, dns, dc, nps]
      manageability:
        description:
          - The manageability status. Left out, it stays as it is (a server added by this module then has
            IPAM's default, C(unspecified)).
        type: str
        choices: [managed, unmanaged, unspecified]
      state:
        description:
          - V(absent) removes the server from the IPAM inventory with its data (C(Remove-IpamServerInventory));
            the server itself is not changed. A discovered server comes back with the next discovery, so to stop
            managing one prefer O(servers[].manageability=unmanaged).
        type: str
        choices: [present, absent]
        default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one when nothing changes and in check mode)
    and, when something must change, one apply that first checks that the requested servers' entries have not
    changed since they were read and otherwise writes nothing
    (the task then reads and plans once more).
  - Changing a server's status or types does not refresh its access status; run ServerDiscovery with
    M(ipam.provisioning.ipam_server_task) and read it with M(ipam.provisioning.ipam_access_status).
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
seealso:
  - module: ipam.provisioning.ipam_discovery_domain
  - module: ipam.provisioning.ipam_server_task
  - module: ipam.provisioning.ipam_access_status
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Manage the discovered DHCP and DNS servers, and add the NPS server IPAM cannot discover
  ipam.provisioning.ipam_server_inventory:
    servers:
      - name: dc01.corp.example.com
        server_types: [dc, dns, dhcp]
        manageability: managed
      - name: dhcp01.corp.example.com
        server_types: [dhcp]
        manageability: managed
      - name: nps01.corp.example.com
        server_types: [nps]
        manageability: managed

- name: Stop managing a server (IPAM purges its data)
  ipam.provisioning.ipam_server_inventory:
    servers:
      - name: dhcp01.corp.example.com
        manageability: unmanaged

- name: Remove the NPS server added by hand
  ipam.provisioning.ipam_server_inventory:
    servers:
      - name: nps01.corp.example.com
        state: absent
'''

RETURN = r'''
servers:
  description: One entry per requested server, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The server's name as given.
      type: str
    before:
      description: C(server_types) and C(manageability) before the task, or null when it was not in the inventory.
      type: dict
    after:
      description: C(server_types) and C(manageability) after the task (planned in check mode), or null when removed.
      type: dict
    added:
      description: Whether the server was added to the inventory.
      type: bool
    removed:
      description: Whether the server was removed from the inventory.
      type: bool
    changed:
      description: Whether anything changed for this server.
      type: bool
  sample:
    - name: nps01.corp.example.com
      before: null
      after: {server_types: [nps], manageability: managed}
      added: true
      removed: false
      changed: true
added:
  description: The servers added to the inventory.
  returned: always
  type: list
  elements: str
  sample: [nps01.corp.example.com]
removed:
  description: The servers removed from the inventory.
  returned: always
  type: list
  elements: str
  sample: []
updated:
  description: The servers already in the inventory whose types or manageability changed.
  returned: always
  type: list
  elements: str
  sample: [dc01.corp.example.com]
'''
