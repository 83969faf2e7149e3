# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: firewall_rules
short_description: Enable the predefined Windows firewall rules IPAM needs, by invariant Name
version_added: 0.1.0
description:
  - Enables predefined (built-in) Windows Defender Firewall rules so that IPAM can reach a managed
    server, and on removal disables exactly the rules this collection enabled.
  - Rules are addressed by their invariant C(Name) (for example C(RemoteEventLogSvc-In-TCP)), never by
    C(DisplayName) or C(DisplayGroup), which are localized (a German host shows
    C(Remote-Ereignisprotokollverwaltung (RPC))). Results carry the host's display names.
  - Only the rules' C(Enabled) state changes; no other property of a built-in rule is rewritten.
  - A Name that does not exist on the host fails the task, naming it, and nothing is changed; a
    silent success on a missing rule would be a false compliance result.
  - With O(state=present) the rules that were disabled are enabled and recorded on the host (in
    C(HKLM\SOFTWARE\ipam.provisioning) value C(FirewallRulesEnabled)); rules that were already enabled
    are not recorded. With O(state=absent) only recorded rules are disabled (and forgotten); rules that
    were enabled before (such as C(FPS-SMB-In-TCP) on a domain controller) stay enabled and are
    reported in RV(kept).
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    rules and runs C(Enable-NetFirewallRule)/C(Disable-NetFirewallRule) for the planned Names.
options:
  names:
    description:
      - The rule Names (C(Get-NetFirewallRule | Select-Object Name, DisplayName) lists them).
      - Wildcards are refused. Names are compared case-insensitively, as Windows does.
      - Mutually exclusive with O(server_types); one of the two is required.
    type: list
    elements: str
  server_types:
    description:
      - The IPAM server types this host has; the rules are those Microsoft lists for them
        (C(dhcp) DHCP Server Management, File and Printer Sharing SMB/NetBIOS, Remote Event Log and
        Remote Service Management; C(dns) DNS Service RPC and endpoint mapper, Remote Service Management
        incl. NP-In, Remote Event Log; C(dc) and C(nps) Remote Event Log Management).
    type: list
    elements: str
    choices: [dhcp, dns, dc, nps]
  state:
    description:
      - V(present) enables the rules; V(absent) disables the rules this collection enabled and keeps the others.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one on a compliant host and in
    check mode) and, when something must change, one apply that first checks that the rules and the
    record have not changed since they were read and otherwise writes nothing
    (the task then reads and plans once more).
  - Rules are read from the effective policy (C(Get-NetFirewallRule -PolicyStore ActiveStore)), where a rule
    that Group Policy delivers replaces the local rule of the same Name, and only the local store is changed.
    A rule Group Policy enables counts as enabled and is not touched (not recorded); a rule Group Policy
    disables fails the task before anything changes, since no local change can put it in force. With
    O(state=absent), the local rule this collection enabled is disabled even when a GPO keeps the rule in
    force; RV(kept) says so.
  - A GPO that blocks the same traffic with a rule of another Name still wins.
seealso:
  - module: ipam.provisioning.dhcpaudit_share
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Open what IPAM needs on a DHCP server
  ipam.provisioning.firewall_rules:
    server_types: [dhcp]

- name: Enable Remote Event Log Management on a domain controller, by Name
  ipam.provisioning.firewall_rules:
    names:
      - RemoteEventLogSvc-In-TCP
      - RemoteEventLogSvc-RPCSS-In-TCP

- name: Undo; rules enabled before this collection stay enabled
  ipam.provisioning.firewall_rules:
    server_types: [dhcp, dns]
    state: absent
'''

RETURN = r'''
rules:
  description: The rules after the task (planned state in check mode), in the order given.
  returned: always
  type: list
  elements: dict
  sample:
    - name: RemoteEventLogSvc-In-TCP
      display_name: Remote-Ereignisprotokollverwaltung (RPC)
      enabled: true
      group: '@FirewallAPI.dll,-29252'
      display_group: Remote-Ereignisprotokollverwaltung
enabled:
  description: The Names this task enabled.
  returned: always
  type: list
  elements: str
  sample: [RemoteEventLogSvc-In-TCP]
disabled:
  description: The Names this task disabled.
  returned: always
  type: list
  elements: str
  sample: []
kept:
  description: With O(state=absent), rules left in force, because this collection did not enable them or because
    Group Policy keeps them enabled; C(reason) says which.
  returned: always
  type: list
  elements: dict
  sample:
    - name: FPS-SMB-In-TCP
      display_name: File and Printer Sharing (SMB-In)
      reason: enabled before this collection enabled it (not in HKLM:\SOFTWARE\ipam.provisioning FirewallRulesEnabled); left enabled
recorded:
  description: The host's record of rule Names this collection enabled, after the task.
  returned: always
  type: list
  elements: str
  sample: [RemoteEventLogSvc-In-TCP, RemoteEventLogSvc-RPCSS-In-TCP]
'''
