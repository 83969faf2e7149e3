# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: managed_server_access
short_description: Apply or audit the IPAM access settings of a server in one read and one write
version_added: 0.2.0
description:
  - Applies the catalog settings in O(settings) to one managed server, as
    M(ipam.provisioning.access_setting) applies one, but for all of them at once. Each setting is
    still read, planned and applied by the module that owns it (M(ipam.provisioning.group_membership),
    M(ipam.provisioning.service_acl), M(ipam.provisioning.dhcpaudit_share) and so on), with the same
    compare-and-swap and ownership records.
  - What differs is the number of round trips. All the settings are read in one round trip; when
    nothing is to change, or in check mode, that is all. Otherwise the planned changes are applied
    in a second round trip, in the order of O(settings). A setting whose object changed between the
    read and the apply (another writer) is read and planned again, together with any other such
    setting, in one more pair of round trips.
  - A setting that fails does not stop the others; the task fails after all of them ran, and
    RV(results) says which failed and why.
  - Two settings that cover the same object (a DNS server that is also a domain controller needs the
    Remote Event Log rules for V(dns_firewall) and V(eventlog_firewall)) are not applied from the same
    read; the later one is read and planned again after the earlier one was applied.
  - With O(facts) the read also returns the host's facts, and with O(reads) a later task plans from an
    earlier task's reads instead of reading again.
options:
  settings:
    description:
      - The settings to apply, in order, by catalog id (V(event_log_readers), V(dhcp_users),
        V(dhcp_service_acl), V(dhcpaudit_share), V(dhcp_firewall), V(dns_eventlog_customsd),
        V(dns_service_acl), V(dns_domain_acl), V(dns_local_administrators), V(dns_firewall), V(eventlog_firewall)).
      - An entry may also be a setting as the P(ipam.provisioning.ipam_settings#filter) filter lists
        it (a dictionary with its C(id)); it is returned with its result as C(item).
      - An unknown id or an id listed twice fails before anything is sent to the host.
    type: list
    elements: raw
    default: []
  facts:
    description:
      - Also read the host's facts, as M(ipam.provisioning.access_info) reports them without an audit
        (domain role, domain, installed roles, services, DHCP audit folder, the principals as the host
        resolves them), in the same round trip. They are returned as RV(facts).
      - The task fails when they cannot be read.
    type: bool
    default: false
  reads:
    description:
      - The RV(reads) of an earlier task on the same host, typically one run in check mode to plan.
      - A setting whose read would ask the same module the same options takes the earlier reply instead
        of a round trip. This is safe, because every write is a compare-and-swap on the token of the read it was
        planned from, so an object that changed meanwhile is read and planned again, not overwritten.
    type: list
    elements: dict
    default: []
  principals:
    description:
      - The accounts IPAM reads as, for example C(CORP\IPAM01$) or C(CORP\IPAMUG).
      - Required unless every setting listed is a firewall setting (V(dhcp_firewall), V(dns_firewall),
        V(eventlog_firewall)); those grant to no principal and ignore it.
    type: list
    elements: str
  state:
    description:
      - V(present) grants the settings; V(absent) removes exactly what this collection granted.
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
    details: One read-only round trip; every setting is planned and nothing is written.
  diff_mode:
    support: full
    details: A list with the diff of each setting that changed (or would change).
  platform:
    platforms: windows
seealso:
  - module: ipam.provisioning.access_setting
  - module: ipam.provisioning.access_info
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Grant IPAM everything a DHCP server needs, in one read and one write
  ipam.provisioning.managed_server_access:
    settings: [event_log_readers, dhcp_users, dhcp_service_acl, dhcpaudit_share, dhcp_firewall]
    principals:
      - CORP\IPAM01$

- name: Audit a DNS server in one round trip (run with --check, or keep check_mode here)
  ipam.provisioning.managed_server_access:
    settings: [event_log_readers, dns_eventlog_customsd, dns_service_acl, dns_firewall]
    principals:
      - CORP\IPAM01$
  check_mode: true
  register: dns_audit

- name: Take away again what this collection granted on an NPS server
  ipam.provisioning.managed_server_access:
    settings: [event_log_readers, eventlog_firewall]
    principals:
      - CORP\IPAM01$
    state: absent
'''

RETURN = r'''
results:
  description:
    - One result per setting, in the order of O(settings), each the result of the module that owns the
      setting (as M(ipam.provisioning.access_setting) returns it, with C(ipam_setting)), plus C(item),
      the setting as it was given (its id, title, scope and access type filled in from the catalog).
    - A failed setting has C(failed) and C(msg), prefixed with its id.
  returned: always
  type: list
  elements: dict
  sample:
    - item: {id: dhcp_service_acl, title: Read access on the DHCP Server service, scope: host, access_type: service,
             server_types: [dhcp]}
      changed: true
      added: ['(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1105)']
      removed: []
      ipam_setting: {id: dhcp_service_acl, title: Read access on the DHCP Server service, scope: host,
                     access_type: service, module: ipam.provisioning.service_acl, check_mode: false}
facts:
  description: The host's facts, as M(ipam.provisioning.access_info) returns them without O(ipam.provisioning.access_info#module:settings).
  returned: when O(facts) is true and they were read
  type: dict
  sample: {host: {name: DHCP01, domain_role: 3, domain_sid: S-1-5-21-1004336348-1177238915-682003330},
           detected_server_types: [dhcp], installed_roles: [DHCP]}
reads:
  description: Every read this task made or took from O(reads), as C(module), C(options) and C(reply); give them to a later task as O(reads).
  returned: always
  type: list
  elements: dict
round_trips:
  description: How many round trips to the host the task made (1 when nothing changed or in check mode, 2 when
    something changed, 2 more after a compare-and-swap refusal).
  returned: always
  type: int
  sample: 2
'''
