# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: dhcp_users_membership
short_description: Add principals to the DHCP Users (or DHCP Administrators) group, or remove exactly them
version_added: 0.1.0
description:
  - Makes principals (usually the IPAM server's computer account or C(IPAMUG)) members of the
    B(DHCP Users) group that the DHCP Server role creates, so that IPAM can read the DHCP server
    over RPC, or of B(DHCP Administrators) with O(group=administrators).
  - Microsoft's manual procedure and summary tables grant B(DHCP Users) (read-only monitoring);
    the GPO startup script of IPAM's automatic provisioning grants B(DHCP Administrators), which IPAM's
    DHCP configuration features need. Choose with O(group).
  - These groups have no well-known SID and a localized name (C(DHCP-Benutzer) on German Windows).
    The module tries the names Windows uses in several languages; give O(group_sid) (or O(group_name))
    to name the group exactly.
  - With O(state=present) only the principals that are not yet members are added; with
    O(state=absent) exactly the given principals are removed. Every other member is kept, including
    members whose account no longer exists (orphaned SIDs). Members are compared by SID.
  - The DHCP Server service reads these groups when it starts, so a change takes effect only after
    it restarts. The result always says RV(restart_required); O(restart_service=true) restarts it
    in the same round trip when the members changed.
  - On a domain controller the groups are domain-local groups in Active Directory, shared by every
    domain controller of the domain (RV(group.scope=domain), RV(domain_wide=true)); a change through one
    DC applies to the DHCP servers on all of them.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    members and the service and applies the exact change planned.
options:
  group:
    description:
      - Which of the DHCP role's groups, V(users) (B(DHCP Users)) or V(administrators) (B(DHCP Administrators)).
      - Defaults to V(users) when neither O(group_sid) nor O(group_name) is given.
    type: str
    choices: [administrators, users]
  group_sid:
    description:
      - The group's SID (for example C(S-1-5-21-...-1103)); overrides the name lookup.
      - Mutually exclusive with O(group) and O(group_name).
    type: str
  group_name:
    description:
      - The group's name exactly as the host spells it, when it is in none of the languages the module knows.
      - Without a C(DOMAIN\) prefix, and without C(,) or C(/); such a name is refused before connecting.
      - Mutually exclusive with O(group) and O(group_sid).
    type: str
  restart_service:
    description:
      - Restart the C(DHCPServer) service after the members changed, so the change takes effect.
      - Only a running service is restarted, and never in check mode.
    type: bool
    default: false
  principals:
    description:
      - The accounts IPAM reads as, usually the IPAM server's computer account (C(CORP\IPAM01$))
        or the universal group C(CORP\IPAMUG); several IPAM servers may be given at once.
      - Each may be C(DOMAIN\name), C(DOMAIN\HOST$), C(name@domain), C(.\name) or a SID string.
        They are resolved to SIDs on the managed host and compared by SID, never by name.
      - Give a list; a comma-separated string is refused.
      - Alias O(members), the name M(ansible.windows.win_group_membership) uses. Given together with
        O(principals) (for example O(principals) from C(module_defaults)), O(members) wins.
    type: list
    elements: str
    required: true
    aliases: [members]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access
  - ipam.provisioning.access.attributes
  - ipam.provisioning.access.ownership
notes:
  - On a host without the DHCP Server role the group does not exist and the task fails, saying so;
    C(netsh dhcp add securitygroups) or C(Add-DhcpServerSecurityGroup) create the groups.
  - On a read-only domain controller the group is the domain's and only a writable DC changes it, so a
    change planned there fails before anything is written; run it against a writable DC.
seealso:
  - module: ipam.provisioning.group_membership
  - module: ipam.provisioning.service_acl
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Let the IPAM server read this DHCP server (Microsoft's manual procedure)
  ipam.provisioning.dhcp_users_membership:
    principals:
      - CORP\IPAM01$
    restart_service: true

- name: Grant DHCP Administrators instead, as IPAM's provisioning GPO does
  ipam.provisioning.dhcp_users_membership:
    group: administrators
    principals:
      - CORP\IPAMUG

- name: A host whose group name the module does not know
  ipam.provisioning.dhcp_users_membership:
    group_sid: S-1-5-21-1004336348-1177238915-682003330-1103
    principals:
      - CORP\IPAM01$

- name: Remove exactly that membership again (other members stay)
  ipam.provisioning.dhcp_users_membership:
    principals:
      - CORP\IPAM01$
    state: absent
    restart_service: true
'''

RETURN = r'''
group:
  description: The group as found on the host.
  returned: success
  type: dict
  contains:
    name:
      description: The group's name on the host (localized).
      type: str
      sample: DHCP Users
    sid:
      description: The group's SID.
      type: str
      sample: S-1-5-21-3623811015-3361044348-30300820-1003
    scope:
      description: C(local) (the host's own group) or C(domain) (a domain controller's group in Active Directory).
      type: str
      sample: local
    matched_by:
      description: How the group was found, C(sid) or C(name).
      type: str
      sample: name
  sample: {name: DHCP Users, sid: S-1-5-21-3623811015-3361044348-30300820-1003, scope: local, matched_by: name}
domain_wide:
  description: Whether the group is shared by every domain controller of the domain (the host is a DC).
  returned: success
  type: bool
  sample: false
note:
  description: On a domain controller, a reminder that the change applies to every DC of the domain.
  returned: when domain_wide is true
  type: str
  sample: "dc01 is a domain controller: 'DHCP Users' is a group of the Active Directory domain, ..."
added:
  description: The members added (planned ones in check mode).
  returned: success
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1200, name: CORP\IPAM01$}]
removed:
  description: The members removed (planned ones in check mode).
  returned: success
  type: list
  elements: dict
  sample: []
pre_existing:
  description:
    - The given principals that were members although this collection's ownership record does not say it added
      them (added by hand, by Group Policy, or before the record existed). O(state=absent) keeps them unless
      O(remove_unrecorded=true).
  returned: success
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1200, name: CORP\IPAM01$}]
kept:
  description: With O(state=absent), the members left in place because this collection did not add them, each with a C(reason).
  returned: success
  type: list
  elements: dict
  sample: []
forgotten:
  description:
    - SIDs dropped from the ownership record although they were no longer members (removed by hand, or a run
      that stopped between its record and its change); the task then reports a change although the members
      are the same.
  returned: success
  type: list
  elements: str
  sample: []
members:
  description:
    - The group's members after the task (the planned list in check mode), sorted by name.
    - A member whose SID no longer resolves (a deleted account) has its SID as C(name).
  returned: success
  type: list
  elements: dict
  sample:
    - {sid: S-1-5-21-1004336348-1177238915-682003330-1200, name: CORP\IPAM01$}
    - {sid: S-1-5-21-1004336348-1177238915-682003330-1108, name: CORP\Helpdesk}
principals:
  description: The principals as resolved on the host.
  returned: success
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1200, name: CORP\IPAM01$}]
service:
  description: The C(DHCPServer) service on the host (after the restart, when there was one).
  returned: success
  type: dict
  sample: {exists: true, status: Running}
restarted:
  description: Whether the task restarted the C(DHCPServer) service.
  returned: success
  type: bool
  sample: false
restart_required:
  description:
    - Whether the members changed (in check mode, would change) while the C(DHCPServer) service is
      running on this host and was not restarted; restart it for the change to take effect.
  returned: success
  type: bool
  sample: true
'''
