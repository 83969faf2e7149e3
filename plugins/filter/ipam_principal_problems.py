# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_principal_problems: what is wrong with ipam_principals, found on the controller before any write."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.module_utils.principals import broad_name_reason, parse_principal

DOCUMENTATION = r'''
name: ipam_principal_problems
short_description: The problems of a list of IPAM principals, found before anything is written
version_added: 0.1.0
description:
  - Checks each principal's syntax (the forms the modules accept) and whether it is a broad principal such as
    Everyone, Authenticated Users, BUILTIN\\Users or Domain Users, given by SID or by its English name.
  - The roles run it on every managed server before the first round trip, so that a bad principal refuses the
    host with no write at all. The modules check every principal again on the host, by SID, once the host has
    resolved it (names of broad principals differ by host language).
options:
  _input:
    description: The principals, as in C(ipam_principals).
    type: list
    elements: str
    required: true
  allow_broad:
    description: Broad principals are not a problem (C(ipam_allow_broad_principals)).
    type: bool
    default: false
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Refuse bad principals before anything is written
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ ipam_principals | ipam.provisioning.ipam_principal_problems(allow_broad=false) }}"
'''

RETURN = r'''
_value:
  description: One message per problem, naming the principal; empty when there is none.
  type: list
  elements: str
'''


def ipam_principal_problems(principals: t.Any, allow_broad: bool = False) -> list[str]:
    if isinstance(principals, (str, bytes, dict)) or not isinstance(principals, (list, tuple)):
        raise AnsibleFilterError('ipam_principal_problems: expected a list of principals, got %s'
                                 % type(principals).__name__)
    problems = []
    for value in principals:
        try:
            principal = parse_principal(value)
        except ValueError as e:
            problems.append(str(e))
            continue
        reason = None if allow_broad else broad_name_reason(principal)
        if reason:
            problems.append("principal '%s' is %s; IPAM needs its computer account or IPAMUG "
                            "(set ipam_allow_broad_principals: true if you really mean it)" % (value, reason))
    return problems


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_principal_problems': ipam_principal_problems}
