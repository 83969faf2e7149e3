# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_access_status
short_description: Read IPAM's access status per managed server and access type, waiting for IPAM to refresh it
version_added: 0.1.0
description:
  - Reads, on the IPAM server, what IPAM reports about its access to each server of its inventory
    (C(Get-IpamServerInventory)) - the overall IPAM access status and the status per access type (DHCP RPC,
    DNS RPC, DHCP audit share, event log) - and reports Blocked/Unblocked per server and access type.
  - IPAM refreshes access status asynchronously, when its C(ServerDiscovery) task runs (start it with
    M(ipam.provisioning.ipam_server_task)). The module polls, each poll one read, until that task is no
    longer running and every requested server shows a checked status (not C(Not checked)), at most
    O(retries) more times, O(delay) seconds apart; it fails when IPAM has not finished by then.
  - Read only; it changes nothing, in check mode or not. The overall status is Blocked when any access type
    the server has is Blocked; access types a server does not have are C(Not applicable).
  - This closes the loop after provisioning the managed servers; Microsoft leaves it to someone looking at
    the IPAM console.
options:
  servers:
    description:
      - The servers to report, by fully qualified DNS name. A server that is not in the IPAM inventory, or is
        C(Unmanaged) there (IPAM does not check those), fails the task.
      - Left out, every C(Managed) server of the inventory.
    type: list
    elements: str
  retries:
    description:
      - How many more reads after the first one while IPAM is still refreshing.
    type: int
    default: 10
  delay:
    description:
      - Seconds between two reads.
    type: int
    default: 30
  fail_on_blocked:
    description:
      - Fail the task when any reported server is Blocked for any access type (the result still lists them all).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only reads; check mode behaves the same.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
  - Statuses are reported as the IPAM console spells them (C(Unblocked), C(Blocked), C(Not applicable),
    C(Not checked)); an unknown value from the cmdlet is passed through unchanged.
seealso:
  - module: ipam.provisioning.ipam_server_task
  - module: ipam.provisioning.ipam_server_inventory
  - module: ipam.provisioning.access_info
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Refresh access status
  ipam.provisioning.ipam_server_task:
    tasks: [ServerDiscovery]

- name: Wait for IPAM and report access per server
  ipam.provisioning.ipam_access_status:
    retries: 20
    delay: 30
  register: ipam_access

- name: Show what IPAM cannot reach
  ansible.builtin.debug:
    var: ipam_access.blocked

- name: Fail when one of these servers is blocked for any access type
  ipam.provisioning.ipam_access_status:
    servers:
      - dhcp01.corp.example.com
      - dc01.corp.example.com
    fail_on_blocked: true
'''

RETURN = r'''
servers:
  description: One entry per reported server.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The server's FQDN as IPAM has it.
      type: str
    server_types:
      description: The server's IPAM server types (C(dhcp), C(dns), C(dc), C(nps)).
      type: list
      elements: str
    manageability:
      description: C(managed), C(unmanaged) or C(unspecified).
      type: str
    overall:
      description: IPAM access status of the server.
      type: str
    dhcp_rpc:
      description: DHCP RPC access status.
      type: str
    dns_rpc:
      description: DNS RPC access status.
      type: str
    dhcp_audit_share:
      description: DHCP audit share access status.
      type: str
    event_log:
      description: Event log access status.
      type: str
    recommended_action:
      description: IPAM's recommended action for the server (empty when none).
      type: str
  sample:
    - name: dhcp01.corp.example.com
      server_types: [dhcp]
      manageability: managed
      overall: Blocked
      dhcp_rpc: Unblocked
      dns_rpc: Not applicable
      dhcp_audit_share: Blocked
      event_log: Unblocked
      recommended_action: Unblock IPAM Access
blocked:
  description: Every Blocked access type, per server (C(overall) when IPAM gives no type).
  returned: always
  type: list
  elements: dict
  sample: [{server: dhcp01.corp.example.com, access_type: dhcp_audit_share}]
all_unblocked:
  description: Whether every reported server is Unblocked.
  returned: always
  type: bool
  sample: false
polls:
  description: How many reads it took.
  returned: always
  type: int
  sample: 2
discovery_task:
  description: The ServerDiscovery task at the last read (C(state), C(last_run_time), C(last_task_result)).
  returned: always
  type: dict
  sample: {state: Ready, last_run_time: '2026-11-21T10:00:00Z', last_task_result: 0}
'''
