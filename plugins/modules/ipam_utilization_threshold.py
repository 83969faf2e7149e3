# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_utilization_threshold
short_description: Set IPAM's address utilization thresholds
version_added: 0.1.0
description:
  - Sets the percentages at which IPAM calls an IP address block, subnet or range under-utilized or
    over-utilized and raises an alert (C(Set-IpamAddressUtilizationThreshold)); the console's Manage >
    Configure Utilization Threshold, on the IPAM server. A new IPAM server has 20 and 80.
  - An option left out keeps its current value. The overutilization threshold must not end up below the
    underutilization threshold; such a request fails and nothing is written.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the thresholds
    and sets the planned values.
options:
  under_utilization:
    description:
      - The underutilization threshold, in percent (0-100).
    type: int
  over_utilization:
    description:
      - The overutilization threshold, in percent (0-100). At least one of the two options is required.
    type: int
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one when nothing changes and in check mode)
    and, when something must change, one apply that first checks that the thresholds have not changed since
    they were read and otherwise writes nothing
    (the task then reads and plans once more).
  - There is nothing to remove; to undo a change, set the previous values (RV(changes) and the diff show them).
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
seealso:
  - module: ipam.provisioning.ipam_custom_field
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Alert above 90 % and below 10 %
  ipam.provisioning.ipam_utilization_threshold:
    under_utilization: 10
    over_utilization: 90

- name: Back to IPAM's defaults
  ipam.provisioning.ipam_utilization_threshold:
    under_utilization: 20
    over_utilization: 80
'''

RETURN = r'''
under_utilization:
  description: The underutilization threshold after the task (planned in check mode).
  returned: always
  type: int
  sample: 10
over_utilization:
  description: The overutilization threshold after the task (planned in check mode).
  returned: always
  type: int
  sample: 90
changes:
  description: The thresholds that changed, with their new value.
  returned: always
  type: dict
  sample: {under_utilization: 10, over_utilization: 90}
'''
