# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/benchmark_inventory.py: a fleet the simulator seeds and the roles' groups describe."""
from __future__ import annotations

import importlib.util
import os
import sys

import pytest
import yaml

from winsim import Simulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_spec = importlib.util.spec_from_file_location('benchmark_inventory', os.path.join(REPO, 'tools', 'benchmark_inventory.py'))
benchmark_inventory = importlib.util.module_from_spec(_spec)
sys.modules.setdefault('benchmark_inventory', benchmark_inventory)
_spec.loader.exec_module(benchmark_inventory)


def load_yaml(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def test_two_dcs_then_members_in_rotation_with_some_german_hosts():
    fleet = benchmark_inventory.fleet(12)
    assert [name for name, dummy, dummy in fleet] == [
        'dc01', 'dc02', 'dhcp001', 'dns001', 'nps001', 'dhcp002', 'dhcp003', 'dns002', 'nps002', 'dhcp004',
        'dhcp005', 'dns003']
    assert [name for name, profile, dummy in fleet if profile['language'] == 'de-DE'] == ['dhcp003', 'dns003']
    assert fleet[1][1]['domain_role'] == 4


def test_written_inventory_seeds_in_the_simulator_with_the_delay_fault(tmp_path):
    directory = benchmark_inventory.write_inventory(6, 0.05, str(tmp_path / 'inv'))
    data = load_yaml(os.path.join(directory, 'hosts.yml'))
    groups = data['all']['children']
    assert list(groups['dhcp_servers']['hosts']) == ['dc01', 'dhcp001', 'dhcp002']
    assert list(groups['domain_controllers']['hosts']) == ['dc01', 'dc02']
    assert os.path.isfile(os.path.join(directory, 'group_vars', 'windows.yml'))
    windows = groups['windows']['hosts']
    domain = load_yaml(os.path.join(directory, 'group_vars', 'windows.yml'))['winsim_domain']
    sim = Simulator(str(tmp_path / 'state'))
    for name, host_vars in windows.items():
        profile = dict(host_vars['winsim_profile'], address=host_vars['ansible_host'])
        sim.seed_host(name, profile, domain, host_vars['winsim_faults'])
    assert sim.host_state('dns001')['faults']['delay'] == pytest.approx(0.05)
    assert len({sim.host_state(h)['address'] for h in windows}) == 6


def test_a_fleet_needs_its_domain_controllers():
    with pytest.raises(ValueError, match='at least 2 hosts'):
        benchmark_inventory.fleet(1)
