# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: compliance_report
short_description: Write the IPAM access compliance report (JSON, JUnit XML, HTML) of a provisioning or audit run
version_added: 0.1.0
description:
  - Collects the report entries the C(ipam.provisioning) roles record on every managed host (the fact
    C(ipam_report_entries), one entry per host and setting with its status and what changed or would
    change) and writes them as a report on the controller.
  - "Statuses: V(compliant) (nothing to do), V(changed) (this run changed it), V(drift) (a check-mode
    run found it would change it), V(failed), V(unreachable) and V(not_applicable)."
  - A host named in O(hosts) that has no entries was unreachable, or its play stopped before the
    settings were checked; it gets one V(unreachable) row with setting C(*).
  - "Formats: JSON for machines (C({generated, title, check_mode, summary, entries})), JUnit XML for CI
    systems (one test suite per host, one test case per setting; drift is a failure, failed and
    unreachable are errors, not applicable is skipped) and one self-contained HTML page for people
    (summary counts, a host by setting matrix, details per host; inline CSS, no scripts or external assets)."
  - Returns a summary and sets it as the custom stat C(ipam_compliance) the way M(ansible.builtin.set_stats)
    does, so AWX and Automation Controller keep it in the job's artifacts.
  - This is an action plugin that runs wholly on the controller. It never connects to the managed
    hosts; run it in a play on C(localhost) after the provisioning or audit play.
options:
  hosts:
    description:
      - Inventory names of the hosts to report on, usually C(ansible_play_hosts_all) of the provisioning or
        audit play (which includes hosts that failed or were unreachable).
      - Their entries are read from C(hostvars[host].ipam_report_entries) unless O(entries) is given.
      - Required unless O(entries) is given.
    type: list
    elements: str
  entries:
    description:
      - Report entries to use instead of reading them from the hosts' variables; each a dict with at
        least C(host), C(setting) and C(status), as the roles record them.
      - A host in O(hosts) that none of these entries names is reported V(unreachable).
    type: list
    elements: dict
  output_dir:
    description:
      - Directory on the controller for the report files; created when missing.
      - A relative path is relative to the directory C(ansible-playbook) was started in.
    type: path
    default: ipam-reports
  formats:
    description:
      - The files to write, named O(basename) plus C(.json), C(.junit.xml) and C(.html).
      - An empty list writes nothing and only returns the summary.
    type: list
    elements: str
    choices: [json, junit, html]
    default: [json, junit, html]
  filter:
    description:
      - A JMESPath expression applied to the list of entries before anything is written or counted,
        for example V([?status=='drift']) or V([?host=='dhcp01' && status!='compliant']).
      - It must select whole entries; an expression that projects fields or does not parse fails the
        task and names the expression.
      - A filtered report lists only the hosts its remaining entries name; O(fail_on) and the summary
        count the filtered entries.
      - Needs the Python library C(jmespath) on the controller.
    type: str
  title:
    description: Title of the report (HTML heading, JUnit C(testsuites) name, JSON C(title)).
    type: str
    default: IPAM access compliance
  basename:
    description: File name of the report files without extension; a plain name, not a path.
    type: str
    default: ipam-compliance
  fail_on:
    description:
      - Statuses that make the task fail after the report is written, for CI gates, for example
        V([drift, failed, unreachable]).
      - Ansible does not keep the custom stats of a failed task; the files and the returned summary are
        still there.
    type: list
    elements: str
    choices: [compliant, changed, drift, failed, unreachable, not_applicable]
    default: []
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.conn
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - Writes the report files even in check mode, because that is its purpose; an audit run is a
        check-mode run and must produce its report. It changes nothing on any managed host.
  diff_mode:
    support: none
  platform:
    platforms: posix
    details: Runs on the controller only; the hosts it reports on are Windows servers.
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  become:
    support: none
  connection:
    support: none
    details: Never opens the task host's connection.
  delegation:
    support: full
    details: The files are always written on the controller, whatever host the task runs for or is delegated to.
notes:
  - The task never reports V(changed); the report files are its output, not state it manages, so a
    repeated provisioning run still ends with C(changed=0) everywhere.
  - Run it once, in a play on C(localhost) or with C(run_once=true); run for every host of a play, each
    would write the same files (a warning says so).
  - The summary shows at the end of the run with C(show_custom_stats=true) in C(ansible.cfg) (or
    C(ANSIBLE_SHOW_CUSTOM_STATS=true)); the returned O(ignore:msg) is one line for a M(ansible.builtin.debug) task.
  - The entries are written as the hosts recorded them; the report adds no task arguments and no
    variables, so nothing the roles did not record (such as credentials) can end up in it.
seealso:
  - module: ansible.builtin.set_stats
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
# In the provisioning or audit play: remember which hosts it ran on, including those that turn out to
# be unreachable (the first task runs before any connection is made).
- name: Remember the hosts of this run for the report
  ansible.builtin.set_fact:
    ipam_report_hosts: "{{ ansible_play_hosts_all }}"
  delegate_to: localhost
  delegate_facts: true
  run_once: true

# A later play on the controller writes the report.
- name: Write the compliance report
  ipam.provisioning.compliance_report:
    hosts: "{{ ipam_report_hosts }}"
    output_dir: reports/ipam
  register: ipam_report

- name: Show the one-line summary
  ansible.builtin.debug:
    msg: "{{ ipam_report.msg }}"

- name: Fail a CI job on drift, failures or unreachable hosts (the files are written first)
  ipam.provisioning.compliance_report:
    hosts: "{{ ipam_report_hosts }}"
    formats: [junit, html]
    fail_on: [drift, failed, unreachable]

- name: Only the drift, as JSON
  ipam.provisioning.compliance_report:
    hosts: "{{ ipam_report_hosts }}"
    formats: [json]
    basename: ipam-drift
    filter: "[?status=='drift']"
'''

RETURN = r'''
summary:
  description:
    - Counts of the reported entries per status, the number of hosts and settings (entries), the hosts
      with drift, failed or unreachable entries, and whether the entries came from a check-mode run.
    - With O(filter), also the expression and the number of entries before filtering.
    - The same dict is set as the custom stat C(ipam_compliance).
  returned: always
  type: dict
  sample:
    hosts: 6
    settings: 41
    compliant: 38
    changed: 0
    drift: 2
    failed: 1
    unreachable: 0
    not_applicable: 0
    hosts_with_findings: [dhcp01, dns01]
    check_mode: true
files:
  description: Absolute paths of the files written, by format.
  returned: always
  type: dict
  sample:
    json: /home/ops/ipam-reports/ipam-compliance.json
    junit: /home/ops/ipam-reports/ipam-compliance.junit.xml
    html: /home/ops/ipam-reports/ipam-compliance.html
entries:
  description: The reported entries (after O(filter)), in host then catalog order, with defaults filled in.
  returned: always
  type: list
  elements: dict
  sample:
    - host: dhcp01
      setting: dhcp_service_acl
      title: Read access on the DHCP Server service
      server_types: [dhcp]
      scope: host
      access_type: service
      state: present
      status: drift
      check_mode: true
      changes: {added: ['(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1202)'], removed: []}
      msg: ''
msg:
  description: One line for people; with O(fail_on), also what made the task fail.
  returned: always
  type: str
  sample: 'IPAM compliance (check mode): 6 hosts, 41 settings: 38 compliant, 2 drift, 1 failed, 0 unreachable; report: ipam-reports/ipam-compliance.html'
ansible_stats:
  description: The custom stats for Ansible (consumed by Ansible, as with M(ansible.builtin.set_stats)).
  returned: always
  type: dict
  sample: {data: {ipam_compliance: {hosts: 6, settings: 41}}, per_host: false, aggregate: true}
'''
