# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_server_groups: what the inventory's groups say, and do not say, about server types.

The server types of a managed server come from inventory groups (``dhcp_servers``, ...). A group
that is missing or empty, or a misspelled one (``dhcp_server``), must not make the IPAM server role
take a server type away from a server in IPAM's inventory: a typo in an inventory is not a
decision to stop managing DHCP on a domain controller. This filter finds the groups that are
missing or empty and the groups whose name looks like one of this collection's (edit distance 1 or
2, plural or singular, another case or separator), and says which server types IPAM is to keep.
"""
from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SERVER_TYPES

DOCUMENTATION = r'''
name: ipam_server_groups
short_description: Find missing, empty and misspelled server-type groups of an inventory
version_added: 0.1.0
description:
  - Reads the inventory's groups (C(groups)) against the groups this collection reads, that is the group of
    each server type (O(type_groups), the role variable C(ipam_server_type_groups)) and O(other_groups).
  - A server-type group that is missing or has no hosts says nothing about that type, so IPAM keeps the
    type as it has it for every server (C(keep_all), for
    O(ipam.provisioning.ipam_server_inventory#module:servers[].keep_server_types)).
  - A group whose name looks like one of those groups but is not one (C(dhcp_server), C(DNS_Servers),
    C(domain_controler)) is reported with the group it probably means, and its hosts keep that
    group's server type (C(keep_by_host)). A name looks like one when it differs only in case
    or separators, is its plural or singular, or is at edit distance 1, or 2 with the first word of
    the name at distance 1 at most (so C(ntp_servers) is not taken for C(nps_servers)).
options:
  _input:
    description: The inventory's groups, C(groups) (group name to list of host names).
    type: dict
    required: true
  type_groups:
    description: The inventory group of each server type (keys V(dhcp), V(dns), V(dc), V(nps)).
    type: dict
    required: true
  other_groups:
    description: Other groups this collection reads, whose look-alikes are reported as well.
    type: list
    elements: str
    default: [ipam_servers]
  warn:
    description: Also print each of C(warnings) as an Ansible warning (printed once per run).
    type: bool
    default: false
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Plan the IPAM side, warning about misspelled groups
  ansible.builtin.set_fact:
    ipam_server_group_check: "{{ groups | ipam.provisioning.ipam_server_groups(ipam_server_type_groups, warn=true) }}"
'''

RETURN = r'''
_value:
  description: What the groups say.
  type: dict
  contains:
    missing:
      description: The server-type groups that are missing or have no hosts, with their server type.
      type: list
      elements: dict
      sample: [{server_type: nps, group: nps_servers}]
    lookalikes:
      description: The groups that look like one of this collection's, with the group(s) they probably mean and their hosts.
      type: list
      elements: dict
      sample: [{group: dhcp_server, meant: [dhcp_servers], hosts: [dhcp01]}]
    keep_all:
      description: The server types IPAM keeps for every server (their group is missing or empty), in catalog order.
      type: list
      elements: str
      sample: [nps]
    keep_by_host:
      description: Per host of a look-alike group, the server types of the group(s) it probably means.
      type: dict
      sample: {dhcp01: [dhcp]}
    warnings:
      description: One message per look-alike group, naming it and the group it probably means.
      type: list
      elements: str
'''

display = Display()
_IGNORED = frozenset({'all', 'ungrouped'})
_TYPE_LABELS = {'dhcp': 'DHCP', 'dns': 'DNS', 'dc': 'DC', 'nps': 'NPS'}


def _normal(name: str) -> str:
    """Lower case without separators: 'DHCP-Servers' and 'dhcp_servers' compare equal."""
    return re.sub(r'[\s_.-]', '', name.lower())


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[len(a)][len(b)]


def looks_like(name: str, ours: str) -> int | None:
    """The distance at which group `name` looks like our group `ours`, or None when it does not."""
    if name == ours:
        return None
    a, b = _normal(name), _normal(ours)
    if not a:
        return None
    distance = edit_distance(a, b)
    if distance <= 1:
        return distance
    if distance == 2:
        # A near miss of the whole name, but only if its first word is (nearly) ours: 'domain_controler'
        # and 'dhcp_sever' are typos, 'ntp_servers' is a group of its own, not 'nps_servers'.
        first = _normal(re.split(r'[\s_.-]', ours)[0])
        if edit_distance(a[:len(first)], first) <= 1:
            return distance
    return None


def _hosts(groups: t.Mapping[str, t.Any], name: str) -> list[str]:
    return [str(h) for h in groups.get(name) or []]


def ipam_server_groups(groups: t.Mapping[str, t.Any], type_groups: t.Mapping[str, t.Any],
                       other_groups: t.Sequence[str] = ('ipam_servers',), warn: bool = False) -> dict[str, t.Any]:
    if not isinstance(groups, t.Mapping):
        raise AnsibleFilterError('ipam_server_groups: the input must be the groups of the inventory (groups), not %r'
                                 % type(groups).__name__)
    if not isinstance(type_groups, t.Mapping) or not set(type_groups) <= set(SERVER_TYPES):
        raise AnsibleFilterError('ipam_server_groups: type_groups must map server types (%s) to group names, not %r'
                                 % (', '.join(SERVER_TYPES), type_groups))
    ours: dict[str, str | None] = {str(g): s for s, g in type_groups.items()}
    for name in other_groups or ():
        ours.setdefault(str(name), None)

    missing = [{'server_type': s, 'group': str(type_groups[s])} for s in SERVER_TYPES
               if s in type_groups and not _hosts(groups, str(type_groups[s]))]
    keep_all = [m['server_type'] for m in missing]

    lookalikes: list[dict[str, t.Any]] = []
    keep_by_host: dict[str, list[str]] = {}
    warnings: list[str] = []
    for name in sorted(str(g) for g in groups):
        if name in ours or name in _IGNORED:
            continue
        scored = [(d, g) for g in ours if (d := looks_like(name, g)) is not None]
        if not scored:
            continue
        best = min(d for d, dummy in scored)
        meant = sorted(g for d, g in scored if d == best)
        hosts = _hosts(groups, name)
        lookalikes.append({'group': name, 'meant': meant, 'hosts': hosts})
        types = [s for s in SERVER_TYPES if any(ours[g] == s for g in meant)]
        for host in hosts if types else ():
            kept = keep_by_host.setdefault(host, [])
            kept.extend(s for s in types if s not in kept)
        warnings.append(_warning(name, meant, hosts, types))
    for host, kept in keep_by_host.items():
        kept.sort(key=SERVER_TYPES.index)

    if warn:
        for message in warnings:
            display.warning(message)
    return {'missing': missing, 'lookalikes': lookalikes, 'keep_all': keep_all, 'keep_by_host': keep_by_host,
            'warnings': warnings}


def _warning(name: str, meant: list[str], hosts: list[str], types: list[str]) -> str:
    shown = ', '.join(hosts[:5]) + (' and %d more' % (len(hosts) - 5) if len(hosts) > 5 else '')
    text = ("inventory group '%s' (%s) is not a group ipam.provisioning reads; did you mean %s?"
            % (name, 'hosts: ' + shown if hosts else 'no hosts', ' or '.join("'%s'" % g for g in meant)))
    if types:
        text += (' Its hosts get no %s server type from it: they are not provisioned as such, and IPAM keeps the'
                 ' server type as it has it' % '/'.join(_TYPE_LABELS[s] for s in types))
    else:
        text += ' Its hosts are not treated as members of %s' % ' or '.join(meant)
    return text + '.'


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_server_groups': ipam_server_groups}
