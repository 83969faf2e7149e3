# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_gpo_provisioning
short_description: Microsoft's Group Policy provisioning method for IPAM, with Managed/Unmanaged as GPO security filtering
version_added: 0.1.0
description:
  - For sites that want Microsoft's GPO method rather than this collection's direct provisioning (the roles).
    Runs on the IPAM server.
  - With O(state=present) it runs C(Invoke-IpamGpoProvisioning) when none of the three GPOs C(<prefix>_DHCP),
    C(<prefix>_DNS) and C(<prefix>_DC_NPS) exists (the cmdlet fails when any of them does, so the module checks
    first and fails clearly when only some exist), records the GPOs it created on the IPAM server (registry
    value C(GposCreated) under C(HKLM\SOFTWARE\ipam.provisioning)), and grants the delegated users and groups
    C(GpoEditDeleteModifySecurity) on GPOs created earlier when they lack it.
  - It then sets each GPO's security filtering, which is what IPAM's Managed/Unmanaged status does with the GPO
    method. A server in O(managed_servers) gets C(GpoApply) on the GPOs of its server types and loses it on the
    other two (C(Set-GPPermission -TargetType Computer -PermissionLevel GpoApply), or C(None)); a server in
    O(unmanaged_servers) loses it on the GPOs of its types (all three by default, as IPAM does). Servers not
    listed are left as they are. C(dhcp) maps to C(<prefix>_DHCP), C(dns) to C(<prefix>_DNS), C(dc) and C(nps)
    to C(<prefix>_DC_NPS).
  - "How this compares with direct provisioning: a GPO's settings reach a server only at its next Group Policy
    refresh (C(gpupdate), up to 90 minutes plus offset, or a reboot for the startup script), while the roles
    change the server now; the GPO startup script grants B(DHCP Administrators) (not DHCP Users) and, for DNS,
    B(DnsAdmins) on a DC or local B(Administrators) elsewhere, always to the group IPAMUG; it resolves localized
    group names itself, but offers no check mode or audit of what a server really has; and deleting the GPOs or
    filtering a server out removes nothing the startup script already wrote (GPO tattooing). See
    C(docs/gpo-vs-direct.md) in the collection."
  - "C(Invoke-IpamGpoProvisioning) also changes the domain: it creates or reuses the universal group IPAMUG and
    adds the IPAM server to it, adds IPAMUG's read ACE to C(CN=MicrosoftDNS,CN=System) (the domain-wide DNS ACL),
    removes Authenticated Users from the GPOs, and purges the IPAM server's Network Service Kerberos tickets.
    O(state=absent) does not undo these (use M(ipam.provisioning.dns_domain_acl) and
    M(ipam.provisioning.group_membership))."
  - With O(state=absent) the GPOs this collection created are deleted (C(Remove-GPO)); GPOs it did not create are
    left in place with a warning and only the listed servers are removed from their security filtering.
  - When IPAM itself is provisioned for the GPO method (C(Get-IpamConfiguration) reports C(Automatic)), O(gpo_prefix)
    must be the prefix IPAM was provisioned with, or the IPAM console would manage other GPOs than these.
options:
  domain:
    description:
      - The AD DNS domain whose GPOs provision its servers (C(Invoke-IpamGpoProvisioning -Domain)). Run the task once
        per domain.
    type: str
    required: true
  gpo_prefix:
    description:
      - The GPO name prefix (C(-GpoPrefixName)); the GPOs are C(<prefix>_DHCP), C(<prefix>_DNS) and C(<prefix>_DC_NPS).
      - Letters, digits, spaces, dots, underscores and hyphens, at most 63, starting with a letter or digit; not ending
        in C(_) and not a full GPO name such as C(IPAM_DHCP).
    type: str
    required: true
  ipam_server_fqdn:
    description:
      - The IPAM server to add to IPAMUG (C(-IpamServerFqdn)); by default the host the task runs on.
    type: str
  delegated_gpo_users:
    description:
      - Users who may edit the GPOs and their security filtering (C(-DelegatedGpoUser)), for example the accounts that
        use the IPAM console without being Domain Admins.
    type: list
    elements: str
    default: []
  delegated_gpo_groups:
    description:
      - Groups who may edit the GPOs and their security filtering (C(-DelegatedGpoGroup)).
    type: list
    elements: str
    default: []
  managed_servers:
    description:
      - Servers IPAM manages (Managed). Each is added to the security filtering of the GPOs of its server types and
        removed from the others.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The server's fully qualified name.
        type: str
        required: true
      server_types:
        description: Its IPAM server types; required for a managed server.
        type: list
        elements: str
        choices: [dhcp, dns, dc, nps]
      keep_server_types:
        description:
          - Server types whose GPO the server is never taken out of, though O(managed_servers[].server_types) leaves
            them out (it is not added to them either).
          - The role P(ipam.provisioning.ipam_server#role) gives the types whose inventory group is missing, empty or
            probably misspelled.
        type: list
        elements: str
        choices: [dhcp, dns, dc, nps]
  unmanaged_servers:
    description:
      - Servers IPAM does not manage (Unmanaged). Each is removed from the security filtering of the GPOs of its server
        types.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The server's fully qualified name.
        type: str
        required: true
      server_types:
        description: The server types whose GPOs it leaves; all of them when omitted.
        type: list
        elements: str
        choices: [dhcp, dns, dc, nps]
  state:
    description:
      - V(present) creates the GPOs when none exists and sets the security filtering.
      - V(absent) deletes the GPOs this collection created (settings already applied on servers stay), and removes the
        listed servers from the filtering of GPOs it did not create.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - The GroupPolicy cmdlets and the LDAP lookups reach Active Directory from the IPAM server, a second hop. Over
    WinRM with NTLM, or Kerberos without delegation, the logon has no network credentials; the domain
    controllers then answer it as anonymous (0x80072020), and the module fails before reading any GPO, saying
    so. Use C(become) (C(become_method=runas)) with a domain account that may create GPOs (the
    C(ipam.provisioning.ipam_server) role's C(ipam_gpo_become)), or connect with CredSSP or delegated Kerberos.
  - One round trip when nothing changes and in check mode; two otherwise, the second of which first checks that the
    three GPOs and their permissions have not changed since they were read and otherwise writes nothing
    (the task then reads and plans once more).
  - Needs an account that may create and link GPOs and edit their permissions (Domain Admins, or a delegated GPO
    editor for the security filtering), and the GroupPolicy module (GPMC) on the IPAM server.
  - Security filtering changes take effect on a server at its next Group Policy refresh; this module does not run
    C(gpupdate).
seealso:
  - module: ipam.provisioning.dns_domain_acl
  - module: ipam.provisioning.group_membership
  - name: Create IPAM Provisioning GPOs (Microsoft)
    description: The manual procedure this module automates.
    link: https://learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2012-R2-and-2012/jj878306(v=ws.11)
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Provision the domain with IPAM's GPOs and filter them to the managed servers
  ipam.provisioning.ipam_gpo_provisioning:
    domain: corp.example.com
    gpo_prefix: IPAM
    delegated_gpo_groups:
      - CORP\IPAM Operators
    managed_servers:
      - name: dc01.corp.example.com
        server_types: [dc, dns, dhcp]
      - name: dhcp01.corp.example.com
        server_types: [dhcp]
    unmanaged_servers:
      - name: dns02.corp.example.com

- name: Managed servers kept in an inventory variable (a list of {name, server_types})
  ipam.provisioning.ipam_gpo_provisioning:
    domain: "{{ ipam_domain }}"
    gpo_prefix: IPAM
    managed_servers: "{{ ipam_gpo_managed_servers }}"

- name: Delete the GPOs again (only those this collection created)
  ipam.provisioning.ipam_gpo_provisioning:
    domain: corp.example.com
    gpo_prefix: IPAM
    state: absent
'''

RETURN = r'''
domain:
  description: The domain.
  returned: always
  type: str
  sample: corp.example.com
gpo_prefix:
  description: The GPO prefix.
  returned: always
  type: str
  sample: IPAM
gpos:
  description: The three GPOs after the task (planned in check mode), with their security filtering (GpoApply trustees).
  returned: always
  type: list
  elements: dict
  sample:
    - {name: IPAM_DHCP, suffix: DHCP, exists: true, id: '{01702B17-29BB-53E4-9327-DF36F3896292}',
       security_filtering: [CORP\DC01$, CORP\DHCP01$], created_by_collection: true}
provisioned:
  description: Whether the task ran (or would run) Invoke-IpamGpoProvisioning.
  returned: always
  type: bool
  sample: true
deleted:
  description: The GPOs the task deleted.
  returned: always
  type: list
  elements: str
  sample: []
added:
  description: Permission entries added (C(GpoApply) for managed servers, C(GpoEditDeleteModifySecurity) for delegations).
  returned: always
  type: list
  elements: dict
  sample: [{gpo: IPAM_DHCP, name: CORP\DHCP01$, sid: S-1-5-21-1-2-3-1202, permission: GpoApply}]
removed:
  description: Security filtering entries removed (also those of deleted GPOs).
  returned: always
  type: list
  elements: dict
  sample: []
actions:
  description: The cmdlets the task ran (or would run in check mode).
  returned: always
  type: list
  elements: str
  sample: ['Invoke-IpamGpoProvisioning -Domain corp.example.com -GpoPrefixName IPAM -Force']
side_effects:
  description: What Invoke-IpamGpoProvisioning changes besides the GPOs, when the task runs it.
  returned: always
  type: list
  elements: str
  sample: ['IPAMUG granted ReadProperty|GenericExecute on CN=MicrosoftDNS,CN=System (domain-wide DNS ACL), when it exists']
'''
