# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_discovery_domain
short_description: Configure an Active Directory domain in which an IPAM server discovers servers
version_added: 0.1.0
description:
  - Adds an Active Directory domain to the domains an IPAM server discovers infrastructure servers in
    (C(Add-IpamDiscoveryDomain)), sets which server roles it discovers there
    (C(Set-IpamDiscoveryDomain)), or removes it (C(Remove-IpamDiscoveryDomain)).
  - Runs on the IPAM server. Discovery itself runs when the IPAM task C(ServerDiscovery) does; start it
    with M(ipam.provisioning.ipam_server_task).
  - Before adding or changing a domain the module asks Active Directory, from the IPAM server, whether the
    domain exists and can be contacted. A domain that does not exist or cannot be reached fails the task and
    nothing is written; IPAM would otherwise store it and silently discover nothing.
  - Removing a discovery domain leaves the servers already found there in the IPAM server inventory.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the domain and
    runs the one cmdlet planned.
options:
  name:
    description:
      - The domain's fully qualified DNS name, for example C(corp.example.com) (not its NetBIOS name).
      - Compared without regard to case; a trailing dot is ignored.
    type: str
    required: true
  discover_dc:
    description:
      - Discover the domain controllers of the domain. The default is C(Add-IpamDiscoveryDomain)'s.
    type: bool
    default: true
  discover_dns:
    description:
      - Discover the DNS servers of the domain.
    type: bool
    default: true
  discover_dhcp:
    description:
      - Discover the DHCP servers of the domain.
    type: bool
    default: true
  state:
    description:
      - V(present) configures the domain with these switches; V(absent) removes it from discovery.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one when nothing changes and in check mode)
    and, when something must change, one apply that first checks that the domain's configuration has not
    changed since it was read and otherwise writes nothing
    (the task then reads and plans once more).
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
  - NPS servers are never discovered; add them with M(ipam.provisioning.ipam_server_inventory).
seealso:
  - module: ipam.provisioning.ipam_server_task
  - module: ipam.provisioning.ipam_server_inventory
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Discover DCs, DNS and DHCP servers in the lab domain
  ipam.provisioning.ipam_discovery_domain:
    name: corp.example.com

- name: Discover only DHCP servers in a resource domain
  ipam.provisioning.ipam_discovery_domain:
    name: res.corp.example.com
    discover_dc: false
    discover_dns: false

- name: Stop discovering in a domain (servers already found stay in the inventory)
  ipam.provisioning.ipam_discovery_domain:
    name: res.corp.example.com
    state: absent
'''

RETURN = r'''
name:
  description: The domain name as given (without a trailing dot).
  returned: always
  type: str
  sample: corp.example.com
domain:
  description: The discovery domain after the task (planned in check mode), or null when it is not configured.
  returned: always
  type: dict
  sample: {name: corp.example.com, discover_dc: true, discover_dns: true, discover_dhcp: true}
added:
  description: The domain, when it was added to discovery.
  returned: always
  type: list
  elements: str
  sample: [corp.example.com]
removed:
  description: The domain, when it was removed from discovery.
  returned: always
  type: list
  elements: str
  sample: []
updated:
  description: The discovery switches that changed on a configured domain, with their new value.
  returned: always
  type: dict
  sample: {discover_dhcp: false}
domains:
  description: Every discovery domain of the IPAM server after the task.
  returned: always
  type: list
  elements: str
  sample: [corp.example.com]
computer_domain:
  description: The AD domain of the IPAM server itself (null in a workgroup).
  returned: always
  type: str
  sample: corp.example.com
'''
