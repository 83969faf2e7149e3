# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: local_group
short_description: Create a local group on a member server, and delete it again only if this collection created it
version_added: 0.1.0
description:
  - Creates a local (SAM) group on a member or standalone server, for example the C(VMM Users) group
    that Microsoft's "Configure IPAM VMM Integration" procedure creates on the IPAM server.
  - When it creates the group it records the group's SID on the host (registry value
    C(LocalGroupsCreated) under C(HKLM\SOFTWARE\ipam.provisioning)). O(state=absent) deletes the group
    only when that record names it; any other group of that name (IPAM's own C(IPAM ASM Administrators),
    a group made by hand, or one re-created by someone else with a new SID) is left in place and the
    task says so in a warning.
  - Members are not managed here; use M(ipam.provisioning.group_membership), which accepts a group name.
  - A domain controller has no local groups; the task fails there and names M(microsoft.ad.group) instead.
  - The group is read and written through ADSI's WinNT provider, as M(ansible.windows.win_group) does, so the
    task works on Windows Server 2012 and 2012 R2, where the C(Microsoft.PowerShell.LocalAccounts) cmdlets are missing.
  - The decisions are made by the action plugin on the controller; the PowerShell module only reads the
    group and applies the planned change.
options:
  name:
    description:
      - The group's name, without a C(DOMAIN\) or C(COMPUTER\) prefix. Compared case-insensitively.
      - 'Windows refuses names with C(" / \ [ ] : | < > + = ; ? * ,), control characters, only dots and
        spaces, or a trailing dot; such names are refused before connecting.'
    type: str
    required: true
  description:
    description:
      - The group's description. When given, an existing group's description is set to it; when omitted
        it is left as it is.
      - At most 256 characters, the length Windows keeps for a local group's comment.
    type: str
  state:
    description:
      - V(present) creates the group when it is missing and records that this collection created it.
      - V(absent) deletes the group only if this collection created it; otherwise it is kept (RV(kept)).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - One round trip on a compliant host and in check mode; two when something changes, the second of which
    first checks that the group has not changed since it was read and otherwise writes nothing
    (the task then reads and plans once more).
  - In check mode a group that would be created is reported in RV(group) with a null C(sid).
seealso:
  - module: ipam.provisioning.group_membership
  - module: ipam.provisioning.vmm_network_service
  - module: microsoft.ad.group
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: The local group for the VMM account on the IPAM server (Configure IPAM VMM Integration)
  ipam.provisioning.local_group:
    name: VMM Users
    description: VMM service account for IPAM integration

- name: Put the VMM account in it
  ipam.provisioning.group_membership:
    group: VMM Users
    principals:
      - CORP\svc-vmm

- name: Remove the group again (only if this collection created it)
  ipam.provisioning.local_group:
    name: VMM Users
    state: absent
'''

RETURN = r'''
name:
  description: The group's name (as the host spells it when the group exists).
  returned: always
  type: str
  sample: VMM Users
group:
  description: The group after the task (planned in check mode); C(exists) false when there is none.
  returned: always
  type: dict
  sample: {exists: true, name: VMM Users, sid: S-1-5-21-1-2-3-1005, description: VMM service account for IPAM integration}
created:
  description: Whether the task created the group.
  returned: always
  type: bool
  sample: true
deleted:
  description: Whether the task deleted the group.
  returned: always
  type: bool
  sample: false
kept:
  description: With O(state=absent), true when a group exists that this collection did not create and was left in place.
  returned: always
  type: bool
  sample: false
created_by_collection:
  description: Whether the host's record says this collection created the group (after the task).
  returned: always
  type: bool
  sample: true
added:
  description: The group created, as a one-element list, or empty.
  returned: always
  type: list
  elements: str
  sample: [VMM Users]
removed:
  description: The group deleted, as a one-element list, or empty.
  returned: always
  type: list
  elements: str
  sample: []
actions:
  description: What the task changed (or would change in check mode), one entry per change.
  returned: always
  type: list
  elements: str
  sample: ["create local group 'VMM Users'", "set the description of local group 'VMM Users' to 'VMM account'"]
'''
