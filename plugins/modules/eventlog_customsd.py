# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: eventlog_customsd
short_description: Grant or revoke read access on a classic event log through its CustomSD
version_added: 0.1.0
description:
  - Adds one allow ACE per principal to the C(CustomSD) value (REG_SZ SDDL) of a classic event log in
    C(HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>), so that IPAM can read the log remotely,
    or removes exactly that ACE again.
  - The ACE is C((A;;0x1;;;<SID>)) by default, the event log "Read" right Microsoft's manual DNS
    procedure and its IPAM provisioning script grant on the C(DNS Server) log.
  - An ACE is added only when no ACE of the same SID and type already grants those rights. The owner,
    group, every other ACE and every other character of the value are kept; the value is rewritten
    only with that exact planned string (Microsoft warns not to replace the whole value data).
  - Principals are resolved on the host and compared by SID.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    value and writes the exact string planned.
options:
  log:
    description:
      - The name of the classic event log, i.e. the registry key name below
        C(HKLM\SYSTEM\CurrentControlSet\Services\EventLog). It is not localized.
      - When the key does not exist the task fails and names the log and host; for C(DNS Server) that
        usually means the DNS Server role is not installed.
    type: str
    default: DNS Server
  rights:
    description:
      - The access mask of the ACE, as a hex number or SDDL rights letters. Event log rights are
        Read C(0x1), Write C(0x2) and Clear C(0x4).
    type: str
    default: '0x1'
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access
  - ipam.provisioning.access.attributes
  - ipam.provisioning.access.ownership
  - ipam.provisioning.access.sddl_ace
notes:
  - The log must already have a C(CustomSD) value. When it has none, Windows applies the log's built-in
    default, which this module cannot read back exactly; rather than invent a whole descriptor, the
    task fails, names the log and host and writes nothing.
  - A C(CustomSD) that is not valid SDDL fails the task and is left untouched.
  - The value is read by the Event Log service when it starts; IPAM may need the service (or the
    server) restarted before the new ACE takes effect.
seealso:
  - module: ipam.provisioning.service_acl
  - module: ipam.provisioning.access_info
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Let the IPAM server read the DNS Server event log
  ipam.provisioning.eventlog_customsd:
    principals:
      - CORP\IPAM01$

- name: Grant it on another classic log
  ipam.provisioning.eventlog_customsd:
    log: Directory Service
    principals:
      - CORP\IPAMUG

- name: Revoke that access again (every other ACE stays)
  ipam.provisioning.eventlog_customsd:
    principals:
      - CORP\IPAM01$
    state: absent
'''

RETURN = r'''
log:
  description: The event log name.
  returned: always
  type: str
  sample: DNS Server
key:
  description: The registry key holding the log's C(CustomSD) value.
  returned: always
  type: str
  sample: HKLM\SYSTEM\CurrentControlSet\Services\EventLog\DNS Server
sddl:
  description: The C(CustomSD) value after the task (planned value in check mode).
  returned: always
  type: str
  sample: O:BAG:SYD:(A;;0xf0007;;;SY)(A;;0x7;;;BA)(A;;0x1;;;S-1-5-32-573)(A;;0x1;;;S-1-5-21-1-2-3-1105)
added:
  description: The ACEs added.
  returned: always
  type: list
  elements: str
  sample: ['(A;;0x1;;;S-1-5-21-1-2-3-1105)']
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
