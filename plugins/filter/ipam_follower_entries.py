# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_follower_entries: report entries of domain-wide settings another domain controller applied."""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_follower_entries
short_description: Report entries for domain-wide settings applied through another domain controller
version_added: 0.1.0
description:
  - For each domain-wide setting that P(ipam.provisioning.ipam_domain_wide#filter) gave to another
    domain controller (the leader, action V(follow)), reads the leader's entry for that setting from
    its C(ipam_run_entries) fact and returns this host's entry.
  - The leader's outcome decides the follower's status. V(compliant) or V(changed) there gives
    V(compliant) here ("applied via dc01"); V(drift) gives V(drift) (the change is listed on the
    leader's entry only, so it is counted once); V(failed) gives V(failed); and when the leader has no
    entry for the setting (it became unreachable, or its plan changed) the entry is V(failed), so a
    setting is never reported compliant unless the leader succeeded.
  - Call it in a task after the leaders' task (linear strategy), so the leaders' facts are set.
options:
  _input:
    description: The settings with C(action=follow) and their C(leader).
    type: list
    elements: dict
    required: true
  hostvars:
    description: C(hostvars), to read the leaders' C(ipam_run_entries).
    type: dict
    required: true
  host:
    description: The inventory name of this host.
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
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Record the domain-wide settings another domain controller applied
  ansible.builtin.set_fact:
    ipam_run_entries: >-
      {{ ipam_run_entries + (ipam_domain_settings | selectattr('action', 'eq', 'follow')
         | ipam.provisioning.ipam_follower_entries(hostvars, host=inventory_hostname, state=ipam_state,
           check_mode=ansible_check_mode)) }}
'''

RETURN = r'''
_value:
  description: One entry per setting (see P(ipam.provisioning.ipam_report_entry#filter) for the keys).
  type: list
  elements: dict
'''

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_entry import report_entry


def leader_entry(hostvars: t.Any, leader: str, setting_id: str) -> t.Mapping[str, t.Any] | None:
    try:
        found = hostvars[leader]
    except KeyError:
        return None
    entries = found.get('ipam_run_entries') if isinstance(found, t.Mapping) else None
    for entry in entries or []:
        if isinstance(entry, t.Mapping) and entry.get('setting') == setting_id and entry.get('host') == leader:
            return entry
    return None


def follower_outcome(entry: t.Mapping[str, t.Any] | None, leader: str, state: str) -> tuple[str, str]:
    """(status, msg) of a follower from its leader's entry."""
    if entry is None:
        return 'failed', ('domain-wide setting not confirmed: %s, which applies it for the domain, did not report it '
                          '(unreachable or stopped?)' % leader)
    status = entry.get('status')
    if status in ('compliant', 'changed'):
        return 'compliant', '%s via %s' % ('applied' if state == 'present' else 'removed', leader)
    if status == 'drift':
        return 'drift', 'domain-wide setting: drift found via %s (see its entry for the change)' % leader
    if status == 'not_applicable':
        return 'not_applicable', 'via %s: %s' % (leader, entry.get('msg') or '')
    return 'failed', 'domain-wide setting not applied: it failed on %s: %s' % (leader, entry.get('msg') or 'no message')


def ipam_follower_entries(settings: t.Any, hostvars: t.Any, host: str, state: str, check_mode: bool) -> list[dict[str, t.Any]]:
    if not isinstance(settings, (list, tuple)):
        raise AnsibleFilterError('ipam_follower_entries: expected a list of settings, got %r' % (settings,))
    entries = []
    for setting in settings:
        leader = setting.get('leader') if isinstance(setting, t.Mapping) else None
        if not leader:
            raise AnsibleFilterError('ipam_follower_entries: setting %r has no leader' % (setting,))
        status, msg = follower_outcome(leader_entry(hostvars, leader, setting['id']), leader, state)
        entries.append(report_entry(setting, host=host, state=state, check_mode=check_mode, status=status,
                                    msg=msg, scope='domain'))
    return entries


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_follower_entries': ipam_follower_entries}
