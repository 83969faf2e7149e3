# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ipam_server_task
short_description: Start IPAM's scheduled tasks now (server discovery, "retrieve all server data")
version_added: 0.1.0
description:
  - Starts IPAM data-collection tasks on the IPAM server, the scheduled tasks under
    C(\Microsoft\Windows\IPAM\) (C(Start-ScheduledTask)).
  - C(ServerDiscovery) discovers servers in the discovery domains and refreshes every server's access
    status (the console's "Refresh Server Access Status"). O(retrieve_all=true) starts every IPAM task, the
    console's "Retrieve All Server Data".
  - Starting a task is a change. A task that is already running is not started again and is reported in
    RV(already_running). Check mode reads the tasks and reports what would start; it starts nothing.
  - A task that does not exist (IPAM not provisioned) or is disabled fails the task, naming it, and nothing
    is started.
  - The tasks run asynchronously; use M(ipam.provisioning.ipam_access_status) to wait for IPAM's refreshed
    access status.
options:
  tasks:
    description:
      - The IPAM tasks to start. Names are compared without regard to case; unknown names fail before connecting.
      - Mutually exclusive with O(retrieve_all); one of the two is required.
    type: list
    elements: str
  retrieve_all:
    description:
      - Start every IPAM task (C(ServerDiscovery), C(ServerConfiguration), C(AddressUtilization),
        C(AddressExpiry), C(Audit), C(ServerAvailability), C(ServiceMonitoring)).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access.attributes
notes:
  - Unless the state changes in between, the task runs in at most two round trips, one read (the only one in check mode or when every task is
    already running) and one apply that first checks that the tasks still exist and are enabled as read
    (if not, it writes nothing and the task reads and plans once more).
  - The IPAM Server feature must be installed and provisioned on the host; otherwise the task fails saying so.
  - The schedules of these tasks are not managed here (IpamServer has no cmdlet for them; they are
    ordinary Task Scheduler tasks).
seealso:
  - module: ipam.provisioning.ipam_access_status
  - module: ipam.provisioning.ipam_discovery_domain
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Refresh server access status (discovery)
  ipam.provisioning.ipam_server_task:
    tasks: [ServerDiscovery]

- name: Retrieve all server data
  ipam.provisioning.ipam_server_task:
    retrieve_all: true
'''

RETURN = r'''
started:
  description: The tasks started (in check mode, that would be started).
  returned: always
  type: list
  elements: str
  sample: [ServerDiscovery]
already_running:
  description: The requested tasks that were running already and were not started again.
  returned: always
  type: list
  elements: str
  sample: []
tasks:
  description: The requested tasks as read (after the start when not in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Task name.
      type: str
    path:
      description: Task path.
      type: str
    enabled:
      description: Whether the task is enabled.
      type: bool
    state:
      description: Task Scheduler state (C(Ready), C(Running), C(Disabled), C(Queued)).
      type: str
    last_run_time:
      description: Last start, UTC ISO 8601, or null when it never ran.
      type: str
    last_task_result:
      description: Task Scheduler's LastTaskResult (0 success, 267009 running, 267011 never run).
      type: int
  sample:
    - {name: ServerDiscovery, path: '\Microsoft\Windows\IPAM\', enabled: true, state: Running,
       last_run_time: '2026-11-21T10:00:00Z', last_task_result: 267009}
'''
