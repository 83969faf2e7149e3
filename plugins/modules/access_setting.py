# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: access_setting
short_description: Apply one IPAM access setting of the catalog by its id
version_added: 0.1.0
description:
  - Looks up O(setting) in the collection's settings catalog (Microsoft's table of the access IPAM
    needs per server type) and runs the module that setting names, such as
    M(ipam.provisioning.service_acl) or M(ipam.provisioning.group_membership), with the catalog's
    parameters, the O(principals), O(state) and the role-level O(options) that module accepts.
  - The target module runs in the same process with the same connection, so a setting costs
    exactly the round trips of its module (one when compliant or in check mode, two when it
    changes something, four when the object changed between its read and its apply). Check mode and diff are those of the target module.
  - The result is the target module's result plus RV(ipam_setting), which names the setting.
  - This is what the roles of this collection loop over; use the modules directly to address
    objects the catalog does not describe.
  - This module is implemented as an action plugin only (there is no PowerShell module of this name).
options:
  setting:
    description:
      - The catalog id of the setting.
      - One of V(event_log_readers), V(dhcp_users), V(dhcp_service_acl), V(dhcpaudit_share),
        V(dhcp_firewall), V(dns_eventlog_customsd), V(dns_service_acl), V(dns_domain_acl),
        V(dns_local_administrators), V(dns_firewall), V(eventlog_firewall). An unknown id fails
        before anything is sent to the host, listing the valid ids.
    type: str
    required: true
  principals:
    description:
      - The accounts IPAM reads as, for example C(CORP\IPAM01$) or C(CORP\IPAMUG).
      - Required for every setting except the firewall settings (V(dhcp_firewall), V(dns_firewall),
        V(eventlog_firewall)), which grant to no principal and ignore it.
    type: list
    elements: str
  state:
    description:
      - V(present) grants the setting; V(absent) removes exactly what the setting grants.
    type: str
    choices: [present, absent]
    default: present
  options:
    description:
      - Role-level options. Each is passed to the target modules that accept it and ignored by the
        others, so one dict can be given with every setting.
    type: dict
    default: {}
    suboptions:
      allow_broad_principals:
        description: Passed as O(ipam.provisioning.service_acl#module:allow_broad_principals) to every module that has it.
        type: bool
      remove_conflicting_deny:
        description: Passed as O(ipam.provisioning.service_acl#module:remove_conflicting_deny) to every module that has it.
        type: bool
      remove_unrecorded:
        description: Passed as O(ipam.provisioning.group_membership#module:remove_unrecorded) to every module that has it.
        type: bool
      dhcp_group:
        description: Which DHCP group V(dhcp_users) uses (O(ipam.provisioning.dhcp_users_membership#module:group)).
        type: str
        choices: [users, administrators]
      dhcp_group_sid:
        description: The DHCP group by SID (O(ipam.provisioning.dhcp_users_membership#module:group_sid)); replaces O(options.dhcp_group).
        type: str
      dhcp_group_name:
        description: The DHCP group by name (O(ipam.provisioning.dhcp_users_membership#module:group_name)); replaces O(options.dhcp_group).
        type: str
      restart_service:
        description:
          - Restart the DHCP Server service when V(dhcp_users) changed the group
            (O(ipam.provisioning.dhcp_users_membership#module:restart_service)).
        type: bool
      remove_everyone:
        description: Remove Everyone from the dhcpaudit share (O(ipam.provisioning.dhcpaudit_share#module:remove_everyone)).
        type: bool
      dhcp_audit_path:
        description: The folder the dhcpaudit share points at (O(ipam.provisioning.dhcpaudit_share#module:path)).
        type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  action_group:
    description: Use C(group/ipam.provisioning.access) in C(module_defaults) to set O(principals) once for
      every module of the collection that takes it.
    support: full
    membership:
      - ipam.provisioning.access
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: Whatever the target module does in check mode; the modules of this collection read and never write.
  diff_mode:
    support: full
    details: The target module's diff.
  platform:
    platforms: windows
seealso:
  - module: ipam.provisioning.service_acl
  - module: ipam.provisioning.group_membership
  - module: ipam.provisioning.dhcp_users_membership
  - module: ipam.provisioning.dhcpaudit_share
  - module: ipam.provisioning.eventlog_customsd
  - module: ipam.provisioning.dns_domain_acl
  - module: ipam.provisioning.firewall_rules
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Read access on the DHCP Server service for the IPAM server
  ipam.provisioning.access_setting:
    setting: dhcp_service_acl
    principals:
      - CORP\IPAM01$

- name: IPAM in DHCP Administrators instead of DHCP Users, restarting DHCP when it changed
  ipam.provisioning.access_setting:
    setting: dhcp_users
    principals:
      - CORP\IPAM01$
    options:
      dhcp_group: administrators
      restart_service: true

- name: Disable again the DNS management firewall rules this collection enabled
  ipam.provisioning.access_setting:
    setting: dns_firewall
    state: absent

- name: Audit several settings (run with --check)
  ipam.provisioning.access_setting:
    setting: "{{ item }}"
    principals:
      - CORP\IPAM01$
  loop: [event_log_readers, dns_service_acl, dns_eventlog_customsd]
'''

RETURN = r'''
ipam_setting:
  description: The catalog setting that was applied.
  returned: always, also when the target module failed
  type: dict
  contains:
    id:
      description: The catalog id.
      type: str
      sample: dhcp_service_acl
    title:
      description: What the setting grants, in words.
      type: str
      sample: Read access on the DHCP Server service
    scope:
      description:
        - V(domain) when the object is shared by every domain controller of the domain (a group on a
          domain controller, the MicrosoftDNS object), else V(host).
      type: str
      sample: host
    access_type:
      description: The IPAM access type the setting serves (service, event_log, dhcp_rpc, dns_rpc, dhcp_audit_share).
      type: str
      sample: service
    module:
      description: The module that applied it.
      type: str
      sample: ipam.provisioning.service_acl
    module_args:
      description: The options the target module was run with.
      type: dict
      sample: {name: DHCPServer, rights: CCLCSWLOCRRC, principals: ['CORP\IPAM01$'], state: present, allow_broad_principals: false}
    check_mode:
      description:
        - Whether the task ran in check mode (nothing written). Unlike C(ansible_check_mode), which only
          reflects C(--check), this is also true under a play's or task's C(check_mode) keyword.
      type: bool
      sample: false
changed:
  description: Whether the target module changed (or in check mode would change) something.
  returned: always
  type: bool
  sample: true
added:
  description: What the target module added (ACEs, members or share access entries; see the target module).
  returned: when the target module returns it
  type: list
  sample: ['(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1205)']
removed:
  description: What the target module removed (see the target module).
  returned: when the target module returns it
  type: list
  sample: []
'''
