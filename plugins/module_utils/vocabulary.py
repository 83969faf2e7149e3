# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words this collection and IPAM use for servers, statuses and access, each declared once.

Every plugin takes its server types, statuses and access types from here, so an option's
``choices``, a report's columns and a filter's checks cannot disagree. Pure data, no host access.
Source tags as in ``catalog.py`` (``../shared/reference/ipam-facts.md``).
"""
from __future__ import annotations

# ---------------------------------------------------------------------- server types
# This collection's managed-server types, in catalog order (the order reports and options list them).
SERVER_TYPES = ('dhcp', 'dns', 'dc', 'nps')
# Server type -> IPAM's ServerRole enum name (IF 9).
IPAM_SERVER_ROLES = {'dc': 'DC', 'dns': 'DNS', 'dhcp': 'DHCP', 'nps': 'NPS'}
# The inventory group of each server type, as the roles, playbooks and the inventory plugin name them
# (the roles' default ipam_server_type_groups).
SERVER_TYPE_GROUPS = {'dhcp': 'dhcp_servers', 'dns': 'dns_servers', 'dc': 'domain_controllers', 'nps': 'nps_servers'}
# IPAM's manageability, as this collection spells it -> as IPAM does (IF 9).
MANAGEABILITY = {'managed': 'Managed', 'unmanaged': 'Unmanaged', 'unspecified': 'Unspecified'}

# ---------------------------------------------------------------------- statuses
# A setting's status as a role records it after applying or checking it.
SETTING_STATUSES = ('compliant', 'drift', 'changed', 'failed', 'not_applicable')
# access_info's audit never writes, so its settings are never 'changed'.
AUDIT_STATUSES = tuple(s for s in SETTING_STATUSES if s != 'changed')
# The report's statuses, in the order a reader cares about them: good news first, then findings.
# A host that answered nothing gets 'unreachable', which no setting has.
REPORT_STATUSES = ('compliant', 'changed', 'drift', 'failed', 'unreachable', 'not_applicable')
# Report statuses that mean "look at this host".
FINDINGS = ('drift', 'failed', 'unreachable')
# A host's overall status is its worst entry's, in this order (worst first).
SEVERITY = ('unreachable', 'failed', 'drift', 'changed', 'compliant', 'not_applicable')

# ---------------------------------------------------------------------- IPAM's access types
# IPAM's access status columns: access type -> (its label in the console, the server types that need
# it) (ipam-facts.md: DHCP RPC and the audit share on DHCP servers, DNS RPC on DNS servers, event logs
# on all). Each catalog setting names the one it unblocks.
ACCESS_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    'dhcp_rpc': ('DHCP RPC', ('dhcp',)),
    'dns_rpc': ('DNS RPC', ('dns',)),
    'dhcp_audit_share': ('DHCP audit share', ('dhcp',)),
    'event_log': ('Event log', ('dhcp', 'dns', 'dc', 'nps')),
}
# IPAM's access statuses as the console spells them (M-GS); the cmdlets may print enum names.
UNBLOCKED, BLOCKED, NOT_APPLICABLE, NOT_CHECKED = 'Unblocked', 'Blocked', 'Not applicable', 'Not checked'
IPAM_ACCESS_STATUSES = (UNBLOCKED, BLOCKED, NOT_APPLICABLE, NOT_CHECKED)
# The access type a catalog setting serves: one of IPAM's, or 'service' for read access on the role's
# service, which the console shows in no column of its own (M-PROV, M-TS).
SETTING_ACCESS_TYPES = tuple(ACCESS_TYPES) + ('service',)
