# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ipam.provisioning.ipam_inventory plugin makes of IPAM's server inventory.

Three pure steps, no I/O, so they are tested on their own:

- ``normalize_records``: Get-IpamServerInventory objects (as the contract script prints them) ->
  normalized records. Field names and enum spellings vary (CDXML objects vs WMI class, enum names
  vs console text, ``IPAMAccessStatus`` vs ``IpamAccessStatus``), so both are folded; a record that
  cannot be trusted (no ServerName, an unknown server type or manageability) is an error, never
  skipped, because a silently missing server would be deprovisioned by nobody and provisioned by
  nobody.
- ``apply_filter``: a JMESPath expression over the normalized records (before grouping).
- ``plan_hosts``: one ``HostPlan`` (inventory name, groups, variables) per record.
"""
from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass, field

try:
    import jmespath
    import jmespath.exceptions
except ImportError:  # pragma: no cover - a requirement of the collection; fail when a filter is used
    jmespath = None

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import ACCESS_TYPES, MANAGEABILITY, SERVER_TYPE_GROUPS, SERVER_TYPES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_server_vocabulary import status_name

PARENT_GROUP = 'ipam_managed_servers'
UNSPECIFIED_GROUP = 'ipam_unspecified'
# Manageability -> the roles' ipam_state; Unspecified has none on purpose (left alone).
STATE_BY_MANAGEABILITY = {'managed': 'present', 'unmanaged': 'absent'}
HOSTNAME_STYLES = ('fqdn', 'short')
MAX_PROBLEMS = 5   # a broken reply names this many problems, not hundreds

# IPAM's ServerRole names (and spellings seen in other tools) -> this collection's server types.
_TYPE_SPELLINGS = {
    'dc': 'dc', 'domaincontroller': 'dc', 'dns': 'dns', 'dnsserver': 'dns', 'dhcp': 'dhcp', 'dhcpserver': 'dhcp',
    'nps': 'nps', 'npsserver': 'nps',
}
# Normalized field -> property names it may come under (compared folded: case, spaces, _ and - ignored).
_FIELDS = {
    'name': ('ServerName', 'Name'),
    'server_types': ('ServerType', 'ServerTypes', 'ServerRole'),
    'manageability': ('ManageabilityStatus', 'Manageability'),
    'overall': ('IPAMAccessStatus', 'AccessStatus'),
    'dhcp_rpc': ('DhcpRpcAccessStatus',),
    'dns_rpc': ('DnsRpcAccessStatus',),
    'dhcp_audit_share': ('DhcpAuditShareAccessStatus',),
    'event_log': ('EventLogAccessStatus',),
    'domain': ('DomainName', 'Domain'),
    'forest': ('ForestName', 'Forest'),
    'ipv4_addresses': ('IPv4Address', 'IPv4Addresses'),
    'ipv6_addresses': ('IPv6Address', 'IPv6Addresses'),
    'recommended_action': ('RecommendedAction',),
    'owner': ('Owner',),
    'description': ('Description',),
}
_HOST_NAME = re.compile(r'^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$')


class IpamInventoryError(Exception):
    """A problem with the IPAM reply, the filter or the options; the message names it (never a secret)."""


@dataclass
class HostPlan:
    name: str
    groups: list[str] = field(default_factory=list)
    variables: dict[str, t.Any] = field(default_factory=dict)


def _fold(text: t.Any) -> str:
    return re.sub(r'[\s_-]', '', str(text)).lower()


_FOLDED_FIELDS = {key: {_fold(n) for n in names} for key, names in _FIELDS.items()}


def _unwrap(value: t.Any) -> t.Any:
    """Windows PowerShell 5.1 may serialize an array as {"value": [...], "Count": n}."""
    if isinstance(value, dict) and 'value' in value and set(value) <= {'value', 'Count', 'count'}:
        return value['value']
    return value


def _text_list(value: t.Any) -> list[str]:
    """A value that may be one string, a comma-separated flags string or a list, as a list of texts."""
    value = _unwrap(value)
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r'[,;]', str(value))
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def _text(value: t.Any) -> str | None:
    value = _unwrap(value)
    if value is None:
        return None
    if isinstance(value, list):
        value = ', '.join(str(v) for v in value)
    return str(value).strip()


def status_text(value: t.Any) -> str:
    """An access status in the IPAM console's spelling ('NotChecked', 'not_checked' and 'Not checked' alike)."""
    return status_name(_text(value))


def _fields(record: dict[str, t.Any]) -> dict[str, t.Any]:
    """The record's values under their normalized field names (the first spelling found wins)."""
    found: dict[str, t.Any] = {}
    for key, value in record.items():
        folded = _fold(key)
        for name, spellings in _FOLDED_FIELDS.items():
            if folded in spellings and name not in found:
                found[name] = value
    return found


def _label(index: int, name: str | None) -> str:
    return 'record #%d%s' % (index + 1, ' (%s)' % name if name else '')


def normalize_record(record: t.Any, index: int) -> tuple[dict[str, t.Any] | None, list[str]]:
    """(normalized record or None, problems) for one raw record; index is its position in the reply."""
    if not isinstance(record, dict):
        return None, ['%s is %s, not an object with ServerName, ServerType and ManageabilityStatus'
                      % (_label(index, None), type(record).__name__)]
    values = _fields(record)
    raw_name = _text(values.get('name'))
    name = (raw_name or '').rstrip('.').lower()
    label = _label(index, name or None)
    problems: list[str] = []
    if not name:
        problems.append('%s has no ServerName (properties: %s)' % (label, ', '.join(sorted(record)) or 'none'))
    elif not _HOST_NAME.match(name) or '..' in name:
        problems.append("%s: ServerName '%s' is not a host name" % (label, raw_name))

    raw_types = _text_list(values.get('server_types'))
    types: set[str] = set()
    for raw_type in raw_types:
        server_type = _TYPE_SPELLINGS.get(_fold(raw_type))
        if server_type is None:
            problems.append("%s: unknown server type '%s' (IPAM's server types are DC, DNS, DHCP and NPS)"
                            % (label, raw_type))
        else:
            types.add(server_type)
    if not raw_types:
        problems.append('%s has no ServerType (IPAM gives every server at least one of DC, DNS, DHCP, NPS)' % label)

    raw_manageability = _text(values.get('manageability'))
    manageability = _fold(raw_manageability) if raw_manageability else None
    if manageability not in MANAGEABILITY:
        problems.append("%s: %s (IPAM's values are Managed, Unmanaged and Unspecified)" % (
            label, "unknown ManageabilityStatus '%s'" % raw_manageability if raw_manageability else 'no ManageabilityStatus'))
    if problems:
        return None, problems

    # The roles need the AD DNS domain (ipam_domain); a NetBIOS-looking DomainName gives way to the FQDN's suffix.
    domain = (_text(values.get('domain')) or '').rstrip('.').lower()
    if '.' not in domain:
        domain = name.partition('.')[2] or domain or None
    access = {'overall': status_text(values.get('overall'))}
    access.update({access_type: status_text(values.get(access_type)) for access_type in ACCESS_TYPES})
    return {
        'name': name,
        'server_types': [s for s in SERVER_TYPES if s in types],
        'manageability': manageability,
        'access_status': access,
        'domain': domain,
        'forest': (_text(values.get('forest')) or '').lower() or None,
        'ipv4_addresses': _text_list(values.get('ipv4_addresses')),
        'ipv6_addresses': _text_list(values.get('ipv6_addresses')),
        'recommended_action': _text(values.get('recommended_action')) or '',
        'owner': _text(values.get('owner')) or None,
        'description': _text(values.get('description')) or None,
    }, []


def normalize_records(raw: t.Any) -> list[dict[str, t.Any]]:
    """Every raw record normalized, in IPAM's order; IpamInventoryError naming the problems otherwise."""
    raw = _unwrap(raw)
    if not isinstance(raw, list):
        raise IpamInventoryError('the IPAM reply has no list of server records (records is %s)' % type(raw).__name__)
    records: list[dict[str, t.Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        record, found = normalize_record(item, index)
        problems.extend(found)
        if record is None:
            continue
        if record['name'] in seen:
            problems.append('%s: %s is listed twice (also record #%d)' % (_label(index, None), record['name'],
                                                                          seen[record['name']] + 1))
            continue
        seen[record['name']] = index
        records.append(record)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise IpamInventoryError('malformed server records in the IPAM reply: %s%s' % (
            '; '.join(problems[:MAX_PROBLEMS]), ' (and %d more)' % more if more > 0 else ''))
    return records


def check_filter(expression: str | None) -> t.Any:
    """The compiled JMESPath expression, or None when there is no filter; fails before anything is read."""
    if expression is None or not str(expression).strip():
        return None
    if jmespath is None:
        raise IpamInventoryError('option filter needs the Python library jmespath on the controller (pip install jmespath)')
    try:
        return jmespath.compile(str(expression))
    except jmespath.exceptions.JMESPathError as e:
        raise IpamInventoryError('option filter: %r is not a valid JMESPath expression: %s'
                                 % (expression, ' '.join(str(e).split()))) from e


def apply_filter(records: list[dict[str, t.Any]], expression: str | None) -> list[dict[str, t.Any]]:
    """The records the expression selects (it must select whole records, e.g. [?manageability=='managed'])."""
    compiled = check_filter(expression)
    if compiled is None:
        return list(records)
    try:
        selected = compiled.search(records)
    except jmespath.exceptions.JMESPathError as e:
        raise IpamInventoryError('option filter %r failed on the IPAM records: %s' % (expression, ' '.join(str(e).split()))) from e
    if selected is None:
        return []
    if isinstance(selected, dict):
        selected = [selected]
    by_name = {r['name']: r for r in records}
    if not isinstance(selected, list) or not all(isinstance(s, dict) and by_name.get(s.get('name')) == s for s in selected):
        raise IpamInventoryError("option filter %r must select whole records, e.g. [?manageability=='managed'] or "
                                 "[?contains(server_types, 'dhcp')], not project fields (it gave %s)"
                                 % (expression, _preview(selected)))
    return selected


def _preview(value: t.Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'


def inventory_name(record: dict[str, t.Any], hostname: str) -> str:
    if hostname == 'short':
        return record['name'].split('.', 1)[0]
    return record['name']


def plan_hosts(records: list[dict[str, t.Any]], hostname: str = 'fqdn') -> list[HostPlan]:
    """Inventory name, groups and variables of each record.

    Managed -> ipam_state present and the type groups; Unmanaged -> ipam_state absent and the type
    groups; Unspecified -> only ipam_unspecified and no ipam_state, so plays over the type groups
    never touch a server nobody has decided about yet.
    """
    if hostname not in HOSTNAME_STYLES:
        raise IpamInventoryError("option hostname must be one of %s, not '%s'" % (', '.join(HOSTNAME_STYLES), hostname))
    plans: list[HostPlan] = []
    taken: dict[str, str] = {}
    for record in records:
        name = inventory_name(record, hostname)
        if name in taken:
            raise IpamInventoryError('hostname: short: %s and %s both become the inventory host %s; use hostname: fqdn'
                                     % (taken[name], record['name'], name))
        taken[name] = record['name']
        variables: dict[str, t.Any] = {
            'ansible_host': record['name'],
            'ipam_server_types': list(record['server_types']),
            'ipam_manageability': record['manageability'],
            'ipam_access_status': dict(record['access_status']),
            'ipam_recommended_action': record['recommended_action'],
            'ipam_ipv4_addresses': list(record['ipv4_addresses']),
        }
        if record['domain']:
            variables['ipam_domain'] = record['domain']
        state = STATE_BY_MANAGEABILITY.get(record['manageability'])
        if state is None:
            groups = [UNSPECIFIED_GROUP]
        else:
            variables['ipam_state'] = state
            groups = [SERVER_TYPE_GROUPS[s] for s in record['server_types']]
        plans.append(HostPlan(name=name, groups=groups, variables=variables))
    return plans
