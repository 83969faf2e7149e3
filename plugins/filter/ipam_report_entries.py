# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_report_entries: report entries from the registered results of an access_setting loop."""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_report_entries
short_description: Compliance report entries from the results of an access_setting loop
version_added: 0.1.0
description:
  - Turns the C(results) of a task that looped M(ipam.provisioning.access_setting) over settings
    (the loop items being settings from P(ipam.provisioning.ipam_settings#filter)) into entries of the
    C(ipam_report_entries) host fact, one per item that ran.
  - Status per item, V(failed) when the item failed; otherwise, when something changed, V(drift) in
    check mode and V(changed) in a real run; else V(compliant). Skipped items give no entry.
  - C(changes) lists what was (or would be) added and removed, as text (ACEs, members by name, share
    access entries, firewall rule Names).
options:
  _input:
    description: The C(results) list of the registered loop (also of C(ansible_failed_result) in a rescue).
    type: list
    elements: dict
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
    description:
      - Whether the run was in check mode, for results that do not say (M(ipam.provisioning.access_setting)
        returns C(ipam_setting.check_mode), which wins).
    type: bool
    required: true
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Record what the settings did
  ansible.builtin.set_fact:
    ipam_run_entries: >-
      {{ ipam_run_entries + (applied.results | ipam.provisioning.ipam_report_entries(host=inventory_hostname,
         state=ipam_state, check_mode=ansible_check_mode)) }}
'''

RETURN = r'''
_value:
  description: The entries, in loop order (see P(ipam.provisioning.ipam_report_entry#filter) for their keys).
  type: list
  elements: dict
'''

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_entry import report_entry


def change_label(value: t.Any) -> str:
    """One added or removed item as text: an ACE string, 'CORP\\IPAM01$', 'CORP\\IPAM01$: Allow Read'."""
    if isinstance(value, t.Mapping):
        who = value.get('name') or value.get('sid') or ''
        if value.get('type') and value.get('right'):
            return '%s: %s %s' % (who, value['type'], value['right'])
        return str(who)
    return str(value)


def result_changes(result: t.Mapping[str, t.Any]) -> dict[str, list[str]]:
    """What one module result added and removed, whatever the module."""
    added = [change_label(v) for v in result.get('added') or []]
    removed = [change_label(v) for v in result.get('removed') or []]
    added += [str(v) for v in result.get('enabled') or []]     # firewall_rules
    removed += [str(v) for v in result.get('disabled') or []]
    if result.get('created'):                                   # dhcpaudit_share
        added.insert(0, 'share %s (%s)' % (result.get('name'), result.get('path')))
    if result.get('deleted'):
        removed.append('share %s' % result.get('name'))
    return {'added': added, 'removed': removed}


def result_note(result: t.Mapping[str, t.Any]) -> str:
    """What a report reader should know about a successful result."""
    notes = []
    if result.get('restarted'):
        notes.append('the DHCPServer service was restarted')
    elif result.get('restart_required'):
        notes.append('restart the DHCPServer service for the change to take effect')
    kept = [k for k in result.get('kept') or [] if isinstance(k, t.Mapping)]
    rules = [k.get('name') for k in kept if 'sid' not in k]                 # firewall_rules
    grants = [change_label(k) for k in kept if 'sid' in k]                  # members, ACEs, share rights
    if rules:
        notes.append('left enabled (they were enabled before this collection enabled them): %s' % ', '.join(rules))
    if grants:
        notes.append('left in place (granted before this collection, not in its ownership record): %s'
                     % ', '.join(grants))
    pre_existing = [change_label(p) for p in result.get('pre_existing') or []]
    if pre_existing and not grants:
        notes.append('granted before this collection (removal keeps it): %s' % ', '.join(pre_existing))
    forgotten = [str(f) for f in result.get('forgotten') or []]
    if forgotten:
        notes.append('already removed by someone else, so only dropped from the ownership record: %s' % ', '.join(forgotten))
    return '; '.join(notes)


def item_setting(result: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any]:
    loop_var = result.get('ansible_loop_var') or 'item'
    setting = result.get(loop_var)
    if not isinstance(setting, t.Mapping) or not setting.get('id'):
        raise AnsibleFilterError('ipam_report_entries: loop item %r is not a setting from ipam_settings' % (setting,))
    return setting


def ipam_report_entries(results: t.Any, host: str, state: str, check_mode: bool) -> list[dict[str, t.Any]]:
    if not isinstance(results, (list, tuple)):
        raise AnsibleFilterError('ipam_report_entries: expected the results list of a loop, got %r' % (results,))
    entries = []
    for result in results:
        if not isinstance(result, t.Mapping) or result.get('skipped'):
            continue
        setting = item_setting(result)
        summary = result.get('ipam_setting') or {}
        scope = summary.get('scope')
        # What the task really ran in; check_mode is the fallback for results without it.
        item_check_mode = bool(summary['check_mode']) if 'check_mode' in summary else check_mode
        if result.get('failed') or result.get('unreachable'):
            # A module that failed before it read the host left access_setting only the catalog's scope; the loop
            # item's scope follows the domain role the role detected. Both come from the same host: 'domain' wins.
            if setting.get('scope') == 'domain':
                scope = 'domain'
            entry = report_entry(setting, host=host, state=state, check_mode=item_check_mode, status='failed',
                                 msg=str(result.get('msg') or 'failed without a message'), scope=scope)
        else:
            changed = bool(result.get('changed'))
            status = ('drift' if item_check_mode else 'changed') if changed else 'compliant'
            entry = report_entry(setting, host=host, state=state, check_mode=item_check_mode, status=status,
                                 changes=result_changes(result), msg=result_note(result), scope=scope)
        entries.append(entry)
    return entries


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_report_entries': ipam_report_entries}
