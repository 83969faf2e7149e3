# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test ip_address: whether an inventory name is an IP address rather than a DNS name.

The roles decide in four places whether an inventory name can be a server's FQDN (its domain, the
name IPAM knows it by); this test is that one decision.
"""
from __future__ import annotations

DOCUMENTATION = r'''
name: ip_address
short_description: Whether a name is an IPv4 or IPv6 address
version_added: 0.1.0
description:
  - True for an IPv4 address (C(192.0.2.10)) or an IPv6 address (C(2001:db8::10), C(fe80::1%eth0)), false for
    anything else, such as a DNS name (C(dhcp01.corp.example.com)) or a short host name.
  - The roles use it on C(inventory_hostname). IPAM knows servers by FQDN, so a host whose inventory name is an
    address needs C(ipam_server_fqdn).
options:
  _input:
    description: The name to test.
    type: str
    required: true
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Refuse an address as inventory name unless the server's FQDN is given
  ansible.builtin.assert:
    that: inventory_hostname is not ipam.provisioning.ip_address or ipam_server_fqdn is defined
'''

RETURN = r'''
_value:
  description: Whether the input is an IP address.
  type: bool
'''

import ipaddress
import typing as t


def ip_address(value: t.Any) -> bool:
    try:
        ipaddress.ip_address(str(value).strip())
    except ValueError:
        return False
    return True


class TestModule:
    def tests(self) -> dict[str, t.Callable[..., bool]]:
        return {'ip_address': ip_address}
