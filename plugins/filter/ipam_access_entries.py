# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_access_entries: IPAM's access status of each managed server as report entries, with its age."""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_access_entries
short_description: IPAM's access status per managed server and access type, as compliance report entries
version_added: 0.1.0
description:
  - Turns what M(ipam.provisioning.ipam_access_status) read into one report entry per server and access type
    the server needs (DHCP RPC, DNS RPC, DHCP audit share, event log), with the status C(compliant) for
    Unblocked, C(drift) for Blocked and C(failed) for anything else.
  - Every entry says when IPAM last checked (the last run of its ServerDiscovery task, C(ipam_checked_at)).
  - IPAM checks access on its own schedule, so its status can be older than the settings it describes. An
    entry is marked stale (C(ipam_status_stale)) when IPAM did not check again in this run and the managed
    server's own entries of this run contradict it - this run changed a setting of that access type, or
    IPAM says Unblocked while a setting of that access type is not in place (the entry is then C(drift)),
    or IPAM says Blocked while every setting of it is in place. The message says how to get a fresh status.
  - DNS RPC reads Blocked on a DNS server that is not a domain controller unless the opt-in
    C(ipam_dns_standalone_admin) is on; that entry is C(not_applicable) with the reason.
  - Used by the C(ipam.provisioning.ipam_server) role after it read IPAM's access status.
options:
  _input:
    description:
      - The IPAM server role's plan of the managed servers (C(ipam_server_plan)), each with C(host), C(fqdn),
        C(state), C(server_types) and C(dns_standalone_admin).
    type: list
    elements: dict
    required: true
  access:
    description: The registered result of M(ipam.provisioning.ipam_access_status) (its C(servers) and C(discovery_task)).
    type: dict
    required: true
  hostvars:
    description: C(hostvars), to read each managed server's C(ipam_report_entries) of this run, when it has them.
    type: dict
    required: true
  check_mode:
    description: Whether the IPAM server's part of the run is in check mode (recorded in each entry).
    type: bool
    default: false
  refreshed:
    description:
      - Whether IPAM checked access again in this run, after the managed servers' settings were applied
        (the role started ServerDiscovery and waited for it). Its status is then fresh, never stale.
    type: bool
    default: false
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Read IPAM's access status
  ipam.provisioning.ipam_access_status:
    servers: [dhcp01.corp.example.com]
  register: ipam_access_result

- name: Turn it into report entries that say how old it is
  ansible.builtin.set_fact:
    ipam_server_entries: >-
      {{ ipam_server_plan | ipam.provisioning.ipam_access_entries(access=ipam_access_result, hostvars=hostvars,
                                                                  check_mode=ansible_check_mode) }}
'''

RETURN = r'''
_value:
  description:
    - One report entry (see M(ipam.provisioning.compliance_report)) per server IPAM reported on and access type it
      needs, in the order of the plan, with C(ipam_status) (IPAM's word), C(ipam_checked_at) (UTC, ISO 8601, or null
      when IPAM never ran ServerDiscovery) and C(ipam_status_stale).
  type: list
  elements: dict
'''

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import ACCESS_TYPES, BLOCKED, NOT_APPLICABLE, UNBLOCKED
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_entry import report_entry

_REPORT_STATUS = {UNBLOCKED: 'compliant', BLOCKED: 'drift', NOT_APPLICABLE: 'not_applicable'}
_NOT_IN_PLACE = ('drift', 'failed')
_FRESH_STATUS = ("run the ipam_server playbook without --check (it asks IPAM to check again), or 'Retrieve All "
                 "Server Data' in the IPAM console")


def _mapping(value: t.Any, what: str) -> t.Mapping[str, t.Any]:
    if not isinstance(value, t.Mapping):
        raise AnsibleFilterError('ipam_access_entries: %s must be a dict, got %r' % (what, value))
    return value


def _host_entries(hostvars: t.Mapping[str, t.Any], host: str) -> list[t.Mapping[str, t.Any]] | None:
    """The managed server's own entries of this run; None when it did not run (not in the play, or refused)."""
    try:
        found = hostvars[host]
    except KeyError:
        return None
    entries = found.get('ipam_report_entries') if isinstance(found, t.Mapping) else None
    return [e for e in entries if isinstance(e, t.Mapping)] if isinstance(entries, list) else None


def _staleness(shown: str, access_type: str, entries: list[t.Mapping[str, t.Any]] | None,
               checked_at: str) -> tuple[str, str | None]:
    """('why IPAM's status is stale', a corrected report status or None); ('', None) when nothing contradicts it."""
    if entries is None:
        return '', None
    related = [e for e in entries if e.get('access_type') == access_type and e.get('status') != 'not_applicable']
    changed = [str(e.get('setting')) for e in related if e.get('status') == 'changed']
    missing = [str(e.get('setting')) for e in related if e.get('status') in _NOT_IN_PLACE]
    if changed:
        return ('stale: IPAM last checked at %s, before this run changed %s' % (checked_at, ', '.join(changed)), None)
    if shown == UNBLOCKED and missing:
        return ('stale: IPAM last checked at %s, but %s %s not in place now; IPAM will report Blocked at its next check'
                % (checked_at, ', '.join(missing), 'is' if len(missing) == 1 else 'are'), 'drift')
    if shown == BLOCKED and related and not missing:
        return ('possibly stale: IPAM last checked at %s, and every setting of this access type is in place now; '
                'if they were put in place since, IPAM has not seen it yet' % checked_at, None)
    return '', None


def ipam_access_entries(plan: t.Any, access: t.Any, hostvars: t.Any, check_mode: bool = False,
                        refreshed: bool = False) -> list[dict[str, t.Any]]:
    if not isinstance(plan, list) or not all(isinstance(s, t.Mapping) for s in plan):
        raise AnsibleFilterError('ipam_access_entries: expected the list of servers of ipam_server_plan, got %r' % (plan,))
    access = _mapping(access, 'access')
    hostvars = _mapping(hostvars, 'hostvars')
    seen = {str(s.get('name', '')).lower(): s for s in access.get('servers') or [] if isinstance(s, t.Mapping)}
    checked_at = (access.get('discovery_task') or {}).get('last_run_time')
    when = str(checked_at) if checked_at else 'an unknown time (its ServerDiscovery task has not run)'
    entries: list[dict[str, t.Any]] = []
    for server in plan:
        reported = seen.get(str(server.get('fqdn', '')).lower())
        if reported is None:
            continue
        types = list(server.get('server_types') or [])
        own = None if refreshed else _host_entries(hostvars, str(server['host']))
        for access_type, (label, kinds) in ACCESS_TYPES.items():
            needing = [k for k in types if k in kinds]
            if not needing:
                continue
            shown = str(reported.get(access_type))
            status = _REPORT_STATUS.get(shown, 'failed')
            opt_in = access_type == 'dns_rpc' and shown == BLOCKED and 'dc' not in types \
                and not server.get('dns_standalone_admin')
            stale, corrected = ('', None) if opt_in else _staleness(shown, access_type, own, when)
            if opt_in:
                status = 'not_applicable'
                msg = ('IPAM reports Blocked, as expected: on a DNS server that is not a domain controller DNS RPC needs '
                       'the local Administrators group, which is granted only with ipam_dns_standalone_admin: true')
            else:
                msg = 'IPAM reports %s (last checked at %s)' % (shown, when)
                if status not in ('compliant', 'not_applicable') and reported.get('recommended_action'):
                    msg += '; recommended action: %s' % reported['recommended_action']
                if stale:
                    status = corrected or status
                    msg = '%s; %s; for a fresh status %s' % (msg, stale, _FRESH_STATUS)
            entry = report_entry(
                {'id': 'ipam_access_' + access_type, 'title': 'IPAM access status: ' + label, 'server_types': needing,
                 'scope': 'host', 'access_type': access_type},
                host=str(server['host']), state=str(server.get('state')), check_mode=bool(check_mode), status=status,
                msg=msg)
            entry.update(ipam_status=shown, ipam_checked_at=checked_at, ipam_status_stale=bool(stale))
            if opt_in:
                entry['opt_in'] = 'ipam_dns_standalone_admin'
            entries.append(entry)
    return entries


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_access_entries': ipam_access_entries}
