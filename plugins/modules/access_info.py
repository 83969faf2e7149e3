# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: access_info
short_description: Report a Windows server's IPAM-relevant facts and audit its IPAM access settings
version_added: 0.1.0
description:
  - Reads, in one round trip, what decides which IPAM access settings a server needs (its domain role,
    its domain, its operating system and display language, which of the Windows features C(DHCP),
    C(DNS), C(NPAS), C(AD-Domain-Services) and C(IPAM) are installed, the state of the C(DHCPServer),
    C(DNS) and C(IAS) services, and the DHCP audit log folder).
  - Derives the server types IPAM knows (RV(detected_server_types)) from them. The roles of this
    collection use this for C(ipam_detect_server_types).
  - With O(principals), also audits every access setting of the collection's catalog that applies to
    the server types. Each setting's own module (such as M(ipam.provisioning.service_acl)) runs in
    check mode, whatever the task's check mode, and reports whether the host is compliant or would
    change (RV(settings)). This costs one more round trip per setting.
  - Never changes anything; RV(changed) is always V(false).
  - This module is implemented as an action plugin on the controller with a read-only PowerShell module.
options:
  principals:
    description:
      - The accounts IPAM reads as, for example C(CORP\IPAM01$) or C(CORP\IPAMUG), as the modules of this
        collection take them. When given, the host resolves them in the same round trip (RV(principals)),
        and every access setting that applies is audited for them unless O(settings=false).
      - Leave it out to read the host facts only (one round trip). A comma-separated string is refused.
    type: list
    elements: str
  settings:
    description:
      - Audit the access settings when O(principals) is given. V(false) reads the host facts and resolves the
        principals only (one round trip); the roles do that before their first write.
    type: bool
    default: true
  server_types:
    description:
      - The server types whose access settings are audited, some of V(dhcp), V(dns), V(dc), V(nps).
      - Defaults to RV(detected_server_types). Give them to audit a host against the types your inventory
        says it has; a setting whose object is missing (such as a role that is not installed) is then
        reported as V(failed).
    type: list
    elements: str
    choices: [dhcp, dns, dc, nps]
  options:
    description:
      - Options that shape the audited settings, as the roles of this collection apply them.
      - Each suboption has its default when this is left out.
    type: dict
    suboptions:
      dhcp_group:
        description:
          - The DHCP group the C(dhcp_users) setting expects the principals in
            (O(ipam.provisioning.dhcp_users_membership#module:group)).
        type: str
        choices: [users, administrators]
        default: users
      remove_everyone:
        description:
          - The C(dhcpaudit_share) setting also expects Everyone removed from the share
            (O(ipam.provisioning.dhcpaudit_share#module:remove_everyone)).
        type: bool
        default: false
      dns_standalone_admin:
        description:
          - Audit the opt-in C(dns_local_administrators) setting (membership of local Administrators on a
            DNS server that is not a domain controller). Otherwise it is reported as V(not_applicable).
        type: bool
        default: false
      allow_broad_principals:
        description:
          - Allow broad principals such as Everyone or Domain Users in O(principals); otherwise every
            setting that grants to principals reports them as V(failed).
        type: bool
        default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  action_group:
    description:
      - Use C(group/ipam.provisioning.access) in C(module_defaults) to set O(principals) once for every
        module of the collection that takes it.
      - For this module, O(principals) set that way turns on the audit of the access settings (O(settings)).
    support: full
    membership:
      - ipam.provisioning.access
  check_mode:
    support: full
    details: The module never writes; with or without check mode it reads and reports.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - The host facts need C(Get-WindowsFeature), so Windows Server only.
  - The NetBIOS name of the domain is read from Active Directory; it is null when no domain controller
    can be reached.
  - A setting's status comes from its module's own read and plan, exactly as a check-mode run of that
    module (or of M(ipam.provisioning.access_setting)) would report it.
seealso:
  - module: ipam.provisioning.access_setting
  - module: ipam.provisioning.compliance_report
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Read the server types of the host
  ipam.provisioning.access_info:
  register: ipam_info

- name: Show them
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} is {{ ipam_info.detected_server_types | join(', ') or 'no IPAM server type' }}"

- name: Audit every access setting IPAM needs on this host for the IPAM server
  ipam.provisioning.access_info:
    principals:
      - CORP\IPAM01$
  register: ipam_audit

- name: Fail when a setting is not in place
  ansible.builtin.assert:
    that:
      - ipam_audit.summary.drift == 0
      - ipam_audit.summary.failed == 0
    fail_msg: "{{ ipam_audit.settings | rejectattr('status', 'in', ['compliant', 'not_applicable']) }}"

- name: Audit as a DHCP server whose IPAM account belongs in DHCP Administrators
  ipam.provisioning.access_info:
    principals:
      - CORP\IPAMUG
    server_types: [dhcp]
    options:
      dhcp_group: administrators
      remove_everyone: true
'''

RETURN = r'''
host:
  description: The host as Windows names it, its C(Win32_ComputerSystem.DomainRole) and its domain SID.
  returned: always
  type: dict
  sample: {name: DC01, domain_role: 5, domain_sid: S-1-5-21-1004336348-1177238915-682003330}
domain:
  description: The Active Directory domain of the host, or null in a workgroup.
  returned: always
  type: dict
  contains:
    dns_name:
      description: The domain's DNS name.
      type: str
      sample: corp.example.com
    netbios_name:
      description: The domain's NetBIOS name; null when no domain controller could be reached.
      type: str
      sample: CORP
    distinguished_name:
      description: The distinguished name of the domain.
      type: str
      sample: DC=corp,DC=example,DC=com
    controllers:
      description:
        - DNS host names (lower case, sorted) of every domain controller of the domain, writable and
          read-only, as the host's own directory lists them.
        - Read only on a domain controller, which can ask itself without a second hop; null there
          when the directory could not be read (see RV(domain.controllers_error)).
        - The roles use it when removing domain-wide settings from a DC, to know whether other DCs of
          the domain remain even when the run's inventory holds only some of them (an AWX job slice).
      returned: on domain controllers
      type: list
      elements: str
      sample: [dc01.corp.example.com, dc02.corp.example.com]
    this_controller:
      description: This domain controller's DNS host name, as RV(domain.controllers) spells it.
      returned: on domain controllers
      type: str
      sample: dc01.corp.example.com
    controllers_error:
      description: Why RV(domain.controllers) is null, else null.
      returned: on domain controllers
      type: str
os:
  description: The operating system.
  returned: always
  type: dict
  contains:
    caption:
      description: C(Win32_OperatingSystem.Caption).
      type: str
      sample: Microsoft Windows Server 2022 Datacenter
    version:
      description: C(Win32_OperatingSystem.Version).
      type: str
      sample: 10.0.20348
    ui_language:
      description: The language Windows was installed in; group and firewall rule display names are in it.
      type: str
      sample: de-DE
installed_roles:
  description: Which of the features C(DHCP), C(DNS), C(NPAS), C(AD-Domain-Services), C(IPAM) are installed.
  returned: always
  type: list
  elements: str
  sample: [DHCP, DNS, AD-Domain-Services]
services:
  description: The services C(DHCPServer), C(DNS) and C(IAS) (Network Policy Server), each with C(exists) and C(status).
  returned: always
  type: dict
  sample: {DHCPServer: {exists: true, status: Running}, DNS: {exists: true, status: Running}, IAS: {exists: false, status: null}}
dhcp_audit_path:
  description:
    - The DHCP audit log folder (registry value C(DhcpLogFilePath)) as C(value), and whether that folder C(exists).
    - Null when the DHCP role is not installed.
  returned: always
  type: dict
  sample: {value: 'C:\Windows\system32\dhcp', exists: true}
detected_server_types:
  description:
    - The IPAM server types of the host, from its roles, in the order dhcp, dns, dc, nps.
    - C(dhcp) with the DHCP role, C(dns) with the DNS role, C(dc) on a domain controller (domain role 4 or 5),
      C(nps) with the NPAS role.
  returned: always
  type: list
  elements: str
  sample: [dhcp, dns, dc]
principals:
  description:
    - Each of O(principals) as the host resolved it, in the order given.
    - C(sid) is null when the name does not map to an account on the host; C(error) then holds the Windows error
      text. C(name) is null for a SID that maps to no account.
  returned: when O(principals) is given
  type: list
  elements: dict
  sample: [{input: CORP\IPAM01$, sid: S-1-5-21-1004336348-1177238915-682003330-1105, name: CORP\IPAM01$, error: null}]
is_domain_controller:
  description: Whether the host is a domain controller.
  returned: always
  type: bool
  sample: true
server_types:
  description: The server types the access settings were (or would be) audited for; O(server_types) or RV(detected_server_types).
  returned: always
  type: list
  elements: str
  sample: [dhcp, dns, dc]
settings:
  description:
    - One entry per catalog setting of RV(server_types), in catalog order; empty unless O(principals) is given
      and O(settings) is true.
  returned: always
  type: list
  elements: dict
  contains:
    setting:
      description: The catalog id (as M(ipam.provisioning.access_setting) takes it).
      type: str
      sample: dhcp_service_acl
    title:
      description: What the setting grants.
      type: str
      sample: Read access on the DHCP Server service
    module:
      description: The module that owns the setting.
      type: str
      sample: ipam.provisioning.service_acl
    server_types:
      description: The server types among RV(server_types) that need the setting.
      type: list
      elements: str
      sample: [dhcp]
    scope:
      description: V(domain) when the object is shared by every domain controller of the domain, else V(host).
      type: str
      sample: host
    access_type:
      description: The IPAM access type the setting serves (service, event_log, dhcp_rpc, dns_rpc, dhcp_audit_share).
      type: str
      sample: service
    status:
      description:
        - V(compliant) (the module would change nothing), V(drift) (it would change something),
          V(failed) (it could not tell, see RV(settings[].msg)) or V(not_applicable) (an opt-in that is off).
      type: str
      sample: drift
    changes:
      description:
        - What the module would add and remove, as it reports them (ACE strings, members, share access entries,
          firewall rule Names). The C(dhcpaudit_share) setting adds C(created) and C(actions) when it would create the share.
      type: dict
      sample: {added: ['(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1205)'], removed: []}
    msg:
      description: The failure of a V(failed) setting or the reason for V(not_applicable); empty otherwise.
      type: str
      sample: ''
summary:
  description: How many settings have each status.
  returned: always
  type: dict
  sample: {compliant: 6, drift: 2, failed: 0, not_applicable: 1}
changed:
  description: Always false.
  returned: always
  type: bool
  sample: false
'''
