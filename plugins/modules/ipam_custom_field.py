# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_custom_field
short_description: Manage an IPAM custom field and its values
version_added: 0.1.0
description:
  - Creates a user-defined IPAM custom field, free-form or multivalued (C(Add-IpamCustomField)), adds
    values to a multivalued field (C(Add-IpamCustomValue)), removes values (C(Remove-IpamCustomValue)) or
    removes the field (C(Remove-IpamCustomField)). This is the console's Manage > Custom Fields, on the IPAM
    server.
  - With O(state=present) the listed values are added when missing; values the field already has stay.
    With O(state=absent) and O(values), exactly those values are removed and the field stays; without
    O(values) the field is removed.
  - Values can also be added to IPAM's built-in multivalued fields (such as C(ManagedByService)). Built-in
    fields and their built-in values cannot be removed; IPAM has no cmdlet that turns a free-form field into a
    multivalued one or back. Those requests fail after the read, naming the field, and nothing is written.
  - Field names and values are compared without regard to case.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the field and
    runs the planned cmdlets.
options:
  name:
    description:
      - The custom field's name.
    type: str
    required: true
  multivalue:
    description:
      - Whether the field is multivalued (a list of allowed values) or free-form (any text).
      - Used when the field is created; left out, a field created with O(values) is multivalued and one without
        is free-form. For an existing field a different value fails (there is no cmdlet to change it).
    type: bool
  values:
    description:
      - Values of a multivalued field. With O(state=present) they are added when missing; with O(state=absent)
        they are removed.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the field and adds the values; V(absent) removes the values given, or the field
        when no values are given.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one when nothing changes and in check mode)
    and, when something must change, one apply that first checks that the field has not changed since it was
    read and otherwise writes nothing
    (the task then reads and plans once more).
  - IPAM refuses to remove a field or value that is assigned to IPAM objects or associated with another
    custom field; the task then fails with IPAM's message.
  - Of the console's Manage menu settings, custom fields and address utilization thresholds
    (M(ipam.provisioning.ipam_utilization_threshold)) have cmdlets and are automated. Access policies and
    roles have no cmdlet in the IpamServer module (only access scopes do, C(Set-IpamAccessScope)) and are
    not automated by this collection; the schedules of IPAM's tasks are plain Task Scheduler settings.
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
seealso:
  - module: ipam.provisioning.ipam_utilization_threshold
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: A multivalued custom field for the data center
  ipam.provisioning.ipam_custom_field:
    name: Datacenter
    multivalue: true
    values: [Berlin, Frankfurt]

- name: A free-form field for the change ticket
  ipam.provisioning.ipam_custom_field:
    name: ChangeTicket
    multivalue: false

- name: Remove one value, keep the field
  ipam.provisioning.ipam_custom_field:
    name: Datacenter
    values: [Frankfurt]
    state: absent

- name: Remove the field
  ipam.provisioning.ipam_custom_field:
    name: ChangeTicket
    state: absent
'''

RETURN = r'''
name:
  description: The field name as given.
  returned: always
  type: str
  sample: Datacenter
field:
  description: The field after the task (planned in check mode), or null when it does not exist.
  returned: always
  type: dict
  sample: {name: Datacenter, category: UserDefined, multivalue: true, values: [Berlin, Frankfurt]}
created:
  description: Whether the field was created.
  returned: always
  type: bool
  sample: true
deleted:
  description: Whether the field was removed.
  returned: always
  type: bool
  sample: false
added:
  description: The values added.
  returned: always
  type: list
  elements: str
  sample: [Berlin, Frankfurt]
removed:
  description: The values removed.
  returned: always
  type: list
  elements: str
  sample: []
'''
