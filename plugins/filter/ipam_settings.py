# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_settings: the catalog settings a server of some types needs, as plain data for the roles."""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_settings
short_description: The IPAM access settings a server of the given types needs
version_added: 0.1.0
description:
  - Reads the collection's settings catalog (Microsoft's table of the access IPAM needs per server
    type) and returns the settings for a server of the given types, in catalog order, each once.
  - Each setting says whether it is to be applied (RV(_value[].action) V(apply)) or not
    (V(not_applicable), with a RV(_value[].reason)); an opt-in setting the user did not ask for is
    listed as V(not_applicable) so that reports can say what is missing.
  - The roles of this collection use it; it makes no connection.
options:
  _input:
    description: The server types, some of V(dhcp), V(dns), V(dc), V(nps).
    type: list
    elements: str
    required: true
  domain_role:
    description:
      - C(Win32_ComputerSystem.DomainRole) of the server (0 to 5; 4 and 5 are domain controllers),
        or null when unknown (treated as not a domain controller).
      - Decides settings that exist only on, or only off, domain controllers, and the scope of
        groups (on a domain controller they belong to the domain).
    type: int
  opt_ins:
    description:
      - The opt-in variables that are on, as a list of names (C([ipam_dns_standalone_admin])) or a
        dict of name to boolean (see the examples).
    type: raw
    default: []
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Settings of a DHCP and DNS server that is a domain controller
  ansible.builtin.debug:
    msg: "{{ ['dhcp', 'dns', 'dc'] | ipam.provisioning.ipam_settings(domain_role=5) | map(attribute='id') }}"

- name: A DNS server that is not a DC, with local Administrators asked for
  ansible.builtin.debug:
    msg: "{{ ['dns'] | ipam.provisioning.ipam_settings(domain_role=3, opt_ins={'ipam_dns_standalone_admin': true}) }}"
'''

RETURN = r'''
_value:
  description: One dict per setting, in catalog order.
  type: list
  elements: dict
  contains:
    id:
      description: The catalog id, for M(ipam.provisioning.access_setting).
      type: str
      sample: dhcp_service_acl
    title:
      description: What the setting grants.
      type: str
      sample: Read access on the DHCP Server service
    module:
      description: The module that applies it (short name).
      type: str
      sample: service_acl
    scope:
      description: V(domain) when the object is shared by every domain controller of the domain, else V(host).
      type: str
      sample: host
    access_type:
      description: The IPAM access type the setting serves.
      type: str
      sample: service
    server_types:
      description: The given server types that need this setting.
      type: list
      elements: str
      sample: [dhcp]
    opt_in:
      description: The variable that must be true for this setting to apply, or null.
      type: str
      sample: null
    action:
      description: V(apply), or V(not_applicable) for an opt-in that is off.
      type: str
      sample: apply
    reason:
      description: Why the setting is not applied; empty when it is.
      type: str
      sample: ''
'''

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SERVER_TYPES, SETTINGS, scope_of, settings_for

# What a report says when an opt-in is off; the generic text covers future opt-ins.
OPT_IN_REASONS = {
    'ipam_dns_standalone_admin': (
        'not requested: on a DNS server that is not a domain controller IPAM needs membership of local '
        'Administrators to manage DNS (Microsoft: not recommended); set ipam_dns_standalone_admin: true to grant it'),
}


def opt_in_names(opt_ins: t.Any) -> list[str]:
    """The opt-ins that are on, from a list of names or a dict of name -> bool."""
    if opt_ins is None:
        return []
    if isinstance(opt_ins, dict):
        return [str(k) for k, v in opt_ins.items() if v]
    if isinstance(opt_ins, str):
        return [opt_ins]
    return [str(v) for v in opt_ins]


def every_opt_in() -> list[str]:
    return [s['opt_in'] for s in SETTINGS if s.get('opt_in')]


def ipam_settings(server_types: t.Any, domain_role: t.Any = None, opt_ins: t.Any = None) -> list[dict[str, t.Any]]:
    if isinstance(server_types, str) or not isinstance(server_types, (list, tuple)):
        raise AnsibleFilterError('ipam_settings: expected a list of server types (some of %s), got %r' % (
            ', '.join(SERVER_TYPES), server_types))
    types = [str(s) for s in server_types]
    unknown = sorted(set(types) - set(SERVER_TYPES))
    if unknown:
        raise AnsibleFilterError('ipam_settings: unknown server type(s) %s; expected some of %s' % (
            ', '.join(unknown), ', '.join(SERVER_TYPES)))
    if domain_role in ('', None):
        role = None
    else:
        try:
            role = int(domain_role)
        except (TypeError, ValueError) as e:
            raise AnsibleFilterError('ipam_settings: domain_role must be 0..5 or null, got %r' % (domain_role,)) from e
    chosen = {s['id'] for s in settings_for(types, role, opt_in_names(opt_ins))}
    out = []
    for setting in settings_for(types, role, every_opt_in()):
        selected = setting['id'] in chosen
        opt_in = setting.get('opt_in')
        out.append({
            'id': setting['id'],
            'title': setting['title'],
            'module': setting['module'],
            'scope': scope_of(setting, role),
            'access_type': setting['access_type'],
            'server_types': [s for s in SERVER_TYPES if s in types and s in setting['server_types']],
            'opt_in': opt_in,
            'action': 'apply' if selected else 'not_applicable',
            'reason': '' if selected else OPT_IN_REASONS.get(
                opt_in, 'not requested: %s is an opt-in; set %s: true to apply it' % (setting['id'], opt_in)),
        })
    return out


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_settings': ipam_settings}
