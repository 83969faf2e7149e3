# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_report_entry: one entry of ipam_report_entries (docs/design.md section 6) for a setting not run here.

The entry's shape is defined once, in plugin_utils/report_entry.py, for every report filter.
"""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_report_entry
short_description: A compliance report entry for an IPAM access setting
version_added: 0.1.0
description:
  - Builds one entry of the C(ipam_report_entries) host fact that M(ipam.provisioning.compliance_report)
    reads, for a setting that was not run on this host (not applicable, applied through another domain
    controller, or a failed check such as the server type detection).
  - Entries of settings that were run come from P(ipam.provisioning.ipam_report_entries#filter).
options:
  _input:
    description:
      - The setting, as returned by P(ipam.provisioning.ipam_settings#filter) (at least C(id) and
        C(title)), or a dict with C(id) and C(title) for checks that are not catalog settings.
    type: dict
    required: true
  host:
    description: The inventory name of the host.
    type: str
    required: true
  state:
    description: What was enforced.
    type: str
    choices: [present, absent]
    required: true
  check_mode:
    description: Whether the run was in check mode.
    type: bool
    required: true
  status:
    description: The status to record.
    type: str
    choices: [compliant, drift, changed, failed, not_applicable]
    required: true
  msg:
    description: The reason (for V(failed) and V(not_applicable)) or a note. Defaults to the setting's C(reason).
    type: str
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Record the settings that do not apply to this host
  ansible.builtin.set_fact:
    ipam_run_entries: >-
      {{ ipam_run_entries + (skipped_settings | map('ipam.provisioning.ipam_report_entry', host=inventory_hostname,
         state=ipam_state, check_mode=ansible_check_mode, status='not_applicable') | list) }}
  vars:
    skipped_settings: "{{ ipam_host_plan.settings | selectattr('action', 'eq', 'not_applicable') }}"
'''

RETURN = r'''
_value:
  description: The entry.
  type: dict
  contains:
    host:
      description: The inventory name of the host.
      type: str
    setting:
      description: The catalog id, or C(server_types) for the detection check.
      type: str
    title:
      description: What the setting grants.
      type: str
    server_types:
      description: The host's server types that need the setting.
      type: list
      elements: str
    scope:
      description: V(host) or V(domain).
      type: str
    access_type:
      description: The IPAM access type.
      type: str
    state:
      description: What was enforced, V(present) or V(absent).
      type: str
    status:
      description: V(compliant), V(drift), V(changed), V(failed) or V(not_applicable).
      type: str
    check_mode:
      description: Whether the run was in check mode.
      type: bool
    changes:
      description: What changed, or would change in check mode.
      type: dict
      sample: {added: [], removed: []}
    msg:
      description: Failure or not-applicable reason, or a note.
      type: str
'''

import typing as t

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_entry import report_entry


def ipam_report_entry(setting: t.Mapping[str, t.Any], host: str, state: str, check_mode: bool, status: str,
                      msg: str | None = None) -> dict[str, t.Any]:
    return report_entry(setting, host=host, state=state, check_mode=check_mode, status=status, msg=msg)


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_report_entry': ipam_report_entry}
