# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_principal_problems: what is wrong with ipam_principals, found on the controller before any write."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.module_utils.principals import (
    broad_name_reason,
    broad_reason,
    parse_principal,
    unresolved_reason,
)

DOCUMENTATION = r'''
name: ipam_principal_problems
short_description: The problems of a list of IPAM principals, found before anything is written
version_added: 0.1.0
description:
  - Checks each principal's syntax (the forms the modules accept) and whether it is a broad principal such as
    Everyone, Authenticated Users, BUILTIN\\Users or Domain Users, given by SID or by its English name.
  - The roles run it on every managed server before the first round trip, so that a bad principal refuses the
    host with no round trip at all.
  - With O(resolved), the principals as the host resolved them (RV(ipam.provisioning.access_info#module:principals)),
    it also finds what only the host knows, still before the first write - a name that does not map to an
    account there, and a broad principal given by a localized name (C(Jeder) is Everyone on a German host).
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
  resolved:
    description:
      - The principals as the host resolved them, each with C(input), C(sid) and C(error), as
        M(ipam.provisioning.access_info) returns them. Leave it out to check on the controller only.
    type: list
    elements: dict
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

- name: Resolve the principals on the host, without auditing anything
  ipam.provisioning.access_info:
    principals: "{{ ipam_principals }}"
    settings: false
  register: ipam_host_read

- name: Refuse what only the host can tell (names that do not resolve, localized broad names)
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: >-
      {{ ipam_principals | ipam.provisioning.ipam_principal_problems(allow_broad=false,
                                                                     resolved=ipam_host_read.principals) }}
'''

RETURN = r'''
_value:
  description: One message per problem, naming the principal; empty when there is none.
  type: list
  elements: str
'''


def _resolution(resolved: t.Any) -> dict[str, dict[str, t.Any]]:
    """The host's answer per principal as given (its ``input``); {} without one."""
    if resolved is None:
        return {}
    if not isinstance(resolved, (list, tuple)) or not all(isinstance(e, dict) for e in resolved):
        raise AnsibleFilterError('ipam_principal_problems: resolved must be the list of principals access_info returns '
                                 '(dicts with input, sid and error), got %r' % (resolved,))
    return {str(e.get('input')): e for e in resolved}


def ipam_principal_problems(principals: t.Any, allow_broad: bool = False, resolved: t.Any = None) -> list[str]:
    if isinstance(principals, (str, bytes, dict)) or not isinstance(principals, (list, tuple)):
        raise AnsibleFilterError('ipam_principal_problems: expected a list of principals, got %s'
                                 % type(principals).__name__)
    on_host = _resolution(resolved)
    problems = []
    for value in principals:
        try:
            principal = parse_principal(value)
        except ValueError as e:
            problems.append(str(e))
            continue
        reason = None if allow_broad else broad_name_reason(principal)
        answer = on_host.get(str(value))
        if answer is not None and not answer.get('sid'):
            problems.append("principal '%s' could not be resolved to a SID on the host: %s" % (
                value, unresolved_reason(str(value), answer.get('error'))))
            continue
        if reason is None and answer is not None and not allow_broad:
            reason = broad_reason(str(answer['sid']))
        if reason:
            problems.append("principal '%s' is %s; IPAM needs its computer account or IPAMUG "
                            "(set ipam_allow_broad_principals: true if you really mean it)" % (value, reason))
    return problems


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_principal_problems': ipam_principal_problems}
