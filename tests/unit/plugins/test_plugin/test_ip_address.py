# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ip_address test: the one decision whether an inventory name is an address or a name."""
from __future__ import annotations

import pytest

from ansible_collections.ipam.provisioning.plugins.test.ip_address import TestModule as IpAddressTests  # not collected
from ansible_collections.ipam.provisioning.plugins.test.ip_address import ip_address


@pytest.mark.parametrize('value', ['192.0.2.10', ' 10.0.0.1 ', '2001:db8::10', 'fe80::1%eth0', '::1'])
def test_addresses(value):
    assert ip_address(value) is True


@pytest.mark.parametrize('value', ['dhcp01.corp.example.com', 'dhcp01', '10.0.0', '999.1.1.1', '1.2.3.4.5', '', None,
                                   'corp.example.com:5986'])
def test_names_and_near_misses(value):
    # The old check (only digits and dots) took '10.0.0' and '999.1.1.1' for addresses and every ':' for IPv6.
    assert ip_address(value) is False


def test_registered_under_its_name():
    assert IpAddressTests().tests()['ip_address'] is ip_address
