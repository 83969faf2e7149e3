# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A typo in the inventory must not edit IPAM (issue #10, item 7), end to end.

The lab is provisioned with its own inventory: IPAM lists dc01 as DC, DNS and DHCP, and dhcp01 as
DHCP, both Managed. Then the IPAM side runs again with a copy of the inventory in which the group
``dhcp_servers`` is spelled ``dhcp_server``. Before, that run rewrote dc01's record to DC and DNS and
said nothing about dhcp01. Now IPAM's record stays as it was and the run warns, naming the group and
the one it probably means.
"""
from __future__ import annotations

import os
import shutil
import typing as t

import pytest

from e2e.lab_helpers import INVENTORY, PLAYBOOKS, Lab  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True

FAST = ('-e', 'ipam_verify_delay=0')
DC01 = 'dc01.corp.example.com'
DHCP01 = 'dhcp01.corp.example.com'


def ipam_record(lab: Lab) -> dict[str, t.Any]:
    return lab.sim.host_state('ipam01')['ipam']['servers']


def typo_inventory(work: str) -> str:
    """A copy of the lab's inventory with dhcp_servers misspelled as dhcp_server."""
    copy = os.path.join(work, 'inventory-typo')
    shutil.copytree(INVENTORY, copy)
    hosts = os.path.join(copy, 'hosts.yml')
    with open(hosts, encoding='utf-8') as handle:
        text = handle.read()
    assert text.count('    dhcp_servers:\n') == 1
    with open(hosts, 'w', encoding='utf-8') as handle:
        handle.write(text.replace('    dhcp_servers:\n', '    dhcp_server:\n'))
    return copy


@pytest.fixture(scope='module')
def steps(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('inventory-typo')))
    done: dict[str, t.Any] = {'lab': lab}
    done['provision'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST)
    done['before'] = ipam_record(lab)
    writes = lab.sim.counters('ipam01')['writes']
    done['typo'] = lab.run('ipam.provisioning.ipam_server', *FAST, inventory=typo_inventory(lab.work), wrap=False)
    done['after'] = ipam_record(lab)
    done['typo_writes'] = lab.sim.counters('ipam01')['writes'] - writes
    return done


def test_the_lab_starts_with_dc01_as_dns_and_dhcp_in_ipam(steps):
    assert steps['provision'].proc.returncode == 0, steps['provision'].output
    assert steps['before'][DC01]['server_types'] == ['DC', 'DNS', 'DHCP']
    assert steps['before'][DC01]['manageability'] == 'Managed'
    assert steps['before'][DHCP01] == dict(steps['before'][DHCP01], server_types=['DHCP'], manageability='Managed')


def test_a_misspelled_group_leaves_ipam_as_it_was(steps):
    run = steps['typo']
    assert run.proc.returncode == 0, run.output
    after, before = steps['after'], steps['before']
    assert after[DC01]['server_types'] == ['DC', 'DNS', 'DHCP']
    assert after[DC01]['manageability'] == 'Managed'
    assert after[DHCP01]['server_types'] == ['DHCP'] and after[DHCP01]['manageability'] == 'Managed'
    assert {n: (s['server_types'], s['manageability']) for n, s in after.items()} == \
        {n: (s['server_types'], s['manageability']) for n, s in before.items()}


def test_the_misspelled_group_is_reported_with_the_group_it_means(steps):
    output = ' '.join(steps['typo'].output.split())         # the callback wraps long warnings
    assert "[WARNING]: inventory group 'dhcp_server' (hosts: dc01, dhcp01) is not a group ipam.provisioning " \
           "reads; did you mean 'dhcp_servers'?" in output, steps['typo'].output
