# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spelling helpers for the modules that talk to the IPAM server (ipam_server_inventory,
ipam_access_status, ipam_discovery_domain): server types to and from IPAM's ServerRole names, FQDN
checks, and access statuses in the console's spelling. The words themselves are in ``vocabulary.py``.
"""
from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import (
    BLOCKED,
    IPAM_SERVER_ROLES,
    NOT_APPLICABLE,
    NOT_CHECKED,
    SERVER_TYPES,
    UNBLOCKED,
)

_STATUS_SPELLINGS = {'unblocked': UNBLOCKED, 'blocked': BLOCKED, 'notapplicable': NOT_APPLICABLE,
                     'notchecked': NOT_CHECKED}
DISCOVERY_HINT = 'run ipam.provisioning.ipam_server_task ServerDiscovery first or check discovery domains'
_FQDN = re.compile(r'^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+'
                   r'[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$')


def check_fqdn(module: str, option: str, value: t.Any, what: str = 'server') -> str:
    """value as a DNS name without a trailing dot; AnsibleActionFail naming option when it is not one."""
    text = str(value or '').strip().rstrip('.')
    if text and '.' not in text and _FQDN.match(text + '.example'):
        raise AnsibleActionFail("%s: option %s: give the %s's fully qualified DNS name (for example %s), not '%s'" % (
            module, option, what, 'corp.example.com' if what == 'domain' else 'dhcp01.corp.example.com', value))
    if not _FQDN.match(text):
        raise AnsibleActionFail("%s: option %s: '%s' is not a fully qualified DNS name of a %s" % (module, option, value, what))
    return text


def types_from_roles(roles: t.Iterable[t.Any] | None) -> list[str]:
    """IPAM ServerRole names -> this collection's server types, in catalog order."""
    wanted = {str(r).strip().upper() for r in roles or []}
    return [s for s in SERVER_TYPES if IPAM_SERVER_ROLES[s] in wanted]


def roles_from_types(types: t.Iterable[str]) -> list[str]:
    """This collection's server types -> IPAM ServerRole names, in IPAM's order (DC, DNS, DHCP, NPS)."""
    wanted = set(types)
    return [IPAM_SERVER_ROLES[s] for s in ('dc', 'dns', 'dhcp', 'nps') if s in wanted]


def manageability_name(value: t.Any) -> str | None:
    """'Managed' / 'managed' / 1-based enum text -> this collection's lower-case name."""
    if value is None:
        return None
    return str(value).strip().lower()


def status_name(value: t.Any) -> str:
    """An access status in the console's spelling ('NotChecked' and 'Not checked' alike)."""
    if value is None or value == '':
        return NOT_CHECKED
    return _STATUS_SPELLINGS.get(re.sub(r'[\s_-]', '', str(value)).lower(), str(value))
