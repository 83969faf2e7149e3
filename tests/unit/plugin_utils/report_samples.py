# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report entries shaped like the lab's after an audit with some drift (docs/design.md section 6)."""
from __future__ import annotations

import typing as t

IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1205'
IPAM = {'name': 'CORP\\IPAM01$', 'sid': IPAM_SID}


def entry(host: str, setting: str, status: str = 'compliant', **extra: t.Any) -> dict[str, t.Any]:
    base = {
        'host': host, 'setting': setting, 'server_types': ['dhcp'], 'scope': 'host', 'access_type': 'service',
        'state': 'present', 'status': status, 'check_mode': True, 'changes': {'added': [], 'removed': []}, 'msg': '',
    }
    base.update(extra)
    return base


def lab_entries() -> list[dict[str, t.Any]]:
    """dhcp01 drifted on its service ACL, dns01 failed one setting, nps01 is clean; nothing for ipam01."""
    return [
        entry('dhcp01', 'event_log_readers'),
        entry('dhcp01', 'dhcp_users'),
        entry('dhcp01', 'dhcp_service_acl', 'drift',
              changes={'added': ['(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID], 'removed': []}),
        entry('dhcp01', 'dhcpaudit_share'),
        entry('dhcp01', 'dhcp_firewall'),
        entry('dns01', 'event_log_readers', server_types=['dns']),
        entry('dns01', 'dns_eventlog_customsd', 'failed', server_types=['dns'],
              msg='ipam.provisioning.eventlog_customsd on dns01: CustomSD of log DNS Server is not valid SDDL'),
        entry('dns01', 'dns_service_acl', server_types=['dns']),
        entry('dns01', 'dns_local_administrators', 'not_applicable', server_types=['dns'],
              msg='ipam_dns_standalone_admin is false'),
        entry('dns01', 'dns_firewall', server_types=['dns']),
        entry('nps01', 'event_log_readers', server_types=['nps']),
        entry('nps01', 'eventlog_firewall', server_types=['nps']),
    ]
