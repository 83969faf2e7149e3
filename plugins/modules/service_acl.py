# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: service_acl
short_description: Grant or revoke read access on a Windows service's security descriptor
version_added: 0.1.0
description:
  - Adds one allow ACE per principal to the DACL of a Windows service (such as C(DHCPServer) or
    C(DNS)), so that IPAM can query the service remotely, or removes exactly that ACE again.
  - The ACE is C((A;;CCLCSWLOCRRC;;;<SID>)) by default, the read rights Microsoft's IPAM provisioning
    grants (query configuration and status, enumerate dependents, interrogate, user-defined control,
    read control; no start or stop).
  - An ACE is added only when no ACE of the same SID and type already grants those rights; it is put
    where Windows puts it (explicit deny, then explicit allow). Every other ACE, the owner and the
    SACL are kept character for character.
  - Principals are resolved on the host and compared by SID.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    descriptor and writes the exact one planned.
options:
  name:
    description:
      - The service's short name, for example C(DHCPServer) or C(DNS).
    type: str
    required: true
  rights:
    description:
      - The access mask of the ACE, as SDDL rights letters or a hex number.
    type: str
    default: CCLCSWLOCRRC
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access
  - ipam.provisioning.access.attributes
  - ipam.provisioning.access.ownership
  - ipam.provisioning.access.sddl_ace
seealso:
  - module: ipam.provisioning.eventlog_customsd
  - module: ipam.provisioning.access_info
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Let the IPAM server query the DHCP Server service
  ipam.provisioning.service_acl:
    name: DHCPServer
    principals:
      - CORP\IPAM01$

- name: Revoke that access again (other ACEs stay)
  ipam.provisioning.service_acl:
    name: DHCPServer
    principals:
      - CORP\IPAM01$
    state: absent
'''

RETURN = r'''
name:
  description: The service short name.
  returned: always
  type: str
  sample: DHCPServer
display_name:
  description: The service's display name on the host (localized).
  returned: always
  type: str
  sample: DHCP Server
sddl:
  description: The service's security descriptor after the task (planned value in check mode).
  returned: always
  type: str
  sample: D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1105)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)
added:
  description: The ACEs added.
  returned: always
  type: list
  elements: str
  sample: ['(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1105)']
removed:
  description: The ACEs removed.
  returned: always
  type: list
  elements: str
  sample: []
removed_deny:
  description: The Deny ACEs of the principals removed with O(remove_conflicting_deny=true) (empty otherwise).
  returned: always
  type: list
  elements: str
  sample: ['(D;;CCLC;;;S-1-5-21-1-2-3-1105)']
pre_existing:
  description:
    - The principals whose ACE was there although this collection's ownership record does not say it added it
      (C(sid), C(name), C(ace)). O(state=absent) keeps such an ACE unless O(remove_unrecorded=true).
  returned: always
  type: list
  elements: dict
  sample: []
kept:
  description: With O(state=absent), the ACEs left in place because this collection did not add them, each with a C(reason).
  returned: always
  type: list
  elements: dict
  sample: []
forgotten:
  description:
    - Recorded ACEs dropped from the ownership record although the descriptor no longer held them (removed by
      hand, or a run that stopped between its record and its change).
  returned: always
  type: list
  elements: str
  sample: []
principals:
  description: The principals as resolved on the host.
  returned: always
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1-2-3-1105, name: CORP\IPAM01$}]
'''
