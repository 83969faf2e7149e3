# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: group_membership
short_description: Add principals to a Windows group, or remove exactly them again
version_added: 0.1.0
description:
  - Makes principals (usually the IPAM server's computer account or C(IPAMUG)) members of one group
    on the managed host, such as B(Event Log Readers) (C(S-1-5-32-573)), which IPAM needs on every
    managed DHCP, DNS, DC and NPS server, or B(Remote Management Users) (C(S-1-5-32-580)).
  - With O(state=present) only the principals that are not yet members are added; with
    O(state=absent) exactly the given principals are removed. Every other member is kept, including
    members whose account no longer exists (orphaned SIDs), which are listed by their SID.
  - Members are compared by SID, never by name, and the group is best given by its SID, because
    group names are localized (German Windows calls Event Log Readers C(Ereignisprotokollleser)).
  - On a domain controller there are no local groups; the group is a group of the Active Directory
    domain, shared by every domain controller of that domain. The result then says RV(group.scope=domain)
    and RV(domain_wide=true); a change made through one DC is seen by all of them, and removing a
    member through one DC removes it for every DC. Manage such groups once per domain (for example
    with C(run_once)).
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    members and adds or removes the exact SIDs planned.
options:
  group:
    description:
      - The group. A SID string (C(S-1-5-32-573)), one of the aliases C(event_log_readers)
        (C(S-1-5-32-573)), C(remote_management_users) (C(S-1-5-32-580)) or C(administrators)
        (C(S-1-5-32-544)), or the name of a local group such as C(IPAM ASM Administrators).
      - Prefer SIDs and aliases; a name must be spelled in the host's display language.
      - A group that does not exist on the host fails the task, naming the group; nothing is written.
      - A name containing C(,) or C(/) is refused before connecting (no Windows group has one, and the host
        binds the group as C(WinNT://<host>/<name>,group)).
      - Alias O(name), the name M(ansible.windows.win_group_membership) uses.
    type: str
    required: true
    aliases: [name]
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
  - Adding a principal to the local B(Administrators) group gives it full control of the host. IPAM
    needs that only on DNS servers that are not domain controllers, and Microsoft calls it "not
    recommended"; the module returns a warning whenever O(group) is C(S-1-5-32-544) and
    O(state=present).
  - On a domain controller the group is the domain's, shared by every DC. A read-only domain controller
    reads it but cannot change it (it refers writes to a writable DC), so a change planned there fails
    before anything is written, in check mode too; run the change against a writable DC.
  - Group membership is evaluated when a logon token is built; the IPAM server may need to refresh
    its Kerberos tickets (or be restarted) before a new membership is used.
seealso:
  - module: ipam.provisioning.dhcp_users_membership
  - module: ansible.windows.win_group_membership
  - module: microsoft.ad.group
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Let the IPAM server read the event logs (every managed server type)
  ipam.provisioning.group_membership:
    group: event_log_readers
    principals:
      - CORP\IPAM01$

- name: The same by SID, for the IPAM universal group
  ipam.provisioning.group_membership:
    group: S-1-5-32-573
    principals:
      - CORP\IPAMUG

- name: VMM's run-as account on the IPAM server (System Center VMM integration)
  ipam.provisioning.group_membership:
    group: IPAM ASM Administrators
    principals:
      - CORP\svc-vmm

- name: On domain controllers the group is domain-wide, so change it through one DC only
  ipam.provisioning.group_membership:
    group: event_log_readers
    principals:
      - CORP\IPAM01$
  run_once: true

- name: Remove exactly that membership again (other members stay)
  ipam.provisioning.group_membership:
    group: event_log_readers
    principals:
      - CORP\IPAM01$
    state: absent
'''

RETURN = r'''
group:
  description: The group as found on the host; C(name) is in the host's display language.
  returned: success
  type: dict
  contains:
    name:
      description: The group's name on the host.
      type: str
      sample: Event Log Readers
    sid:
      description: The group's SID.
      type: str
      sample: S-1-5-32-573
    scope:
      description: C(local) (the host's own group) or C(domain) (a domain controller's group in Active Directory).
      type: str
      sample: local
  sample: {name: Event Log Readers, sid: S-1-5-32-573, scope: local}
domain_wide:
  description: Whether the group is shared by every domain controller of the domain (the host is a DC).
  returned: success
  type: bool
  sample: false
note:
  description: On a domain controller, a reminder that the change applies to every DC of the domain.
  returned: when domain_wide is true
  type: str
  sample: "dc01 is a domain controller: 'Event Log Readers' is a group of the Active Directory domain, ..."
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
    - {sid: S-1-5-21-1004336348-1177238915-682003330-1107, name: CORP\svc-monitor}
    - {sid: S-1-5-21-1004336348-1177238915-682003330-1150, name: S-1-5-21-1004336348-1177238915-682003330-1150}
principals:
  description: The principals as resolved on the host.
  returned: success
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1200, name: CORP\IPAM01$}]
'''
