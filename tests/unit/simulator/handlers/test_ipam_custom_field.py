# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.ipam_custom_field, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_custom_field'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    return simulator


def call(sim, args, check_mode=False):
    return sim.run_module('ipam01', MODULE, args, check_mode=check_mode)


def run(sim, args, check_mode=False):
    return run_action(sim, 'ipam01', 'ipam_custom_field', args, check_mode=check_mode, diff=False)


def test_read_of_a_builtin_field_and_of_a_missing_one(sim):
    builtin = call(sim, {'mode': 'read', 'name': 'managedbyservice'})
    assert builtin['field']['name'] == 'ManagedByService' and builtin['field']['category'] == 'BuiltIn'
    assert {'value': 'IPAM', 'category': 'BuiltIn'} in builtin['field']['values']
    assert builtin['token'] == 'managedbyservice|BuiltIn|1|ipam,ms dhcp,non-ms dhcp,vmm'
    missing = call(sim, {'mode': 'read', 'name': 'Datacenter'})
    assert missing['field'] is None and missing['token'] == 'absent'


def test_create_add_remove_delete(sim):
    created = call(sim, {'mode': 'apply', 'name': 'Datacenter', 'token': 'absent', 'create': True, 'multivalue': True,
                         'add_values': ['Berlin', 'Paris']})
    assert created['token'] == 'datacenter|UserDefined|1|berlin,paris'
    removed = call(sim, {'mode': 'apply', 'name': 'Datacenter', 'token': created['token'], 'remove_values': ['PARIS']})
    assert [v['value'] for v in removed['field']['values']] == ['Berlin']
    deleted = call(sim, {'mode': 'apply', 'name': 'Datacenter', 'token': removed['token'], 'delete': True})
    assert deleted['field'] is None
    assert sim.counters('ipam01')['writes'] == 5


@pytest.mark.parametrize('name, args, message', [
    ('AdSite', {'create': True}, 'already exists'),
    ('AdSite', {'add_values': ['Berlin']}, 'is not multivalued'),
    ('ManagedByService', {'add_values': ['ipam']}, 'the value already exists'),
    ('ManagedByService', {'remove_values': ['IPAM']}, 'built-in values of built-in custom fields cannot be removed'),
    ('ManagedByService', {'remove_values': ['Nope']}, 'the value does not exist'),
    ('AdSite', {'delete': True}, 'built-in custom fields cannot be removed'),
    ('Datacenter', {'delete': True}, 'does not exist'),
])
def test_cmdlet_failures_write_nothing(sim, name, args, message):
    token = call(sim, {'mode': 'read', 'name': name})['token']
    result = call(sim, dict(args, mode='apply', name=name, token=token))
    assert result['failed'] and message in result['msg']
    assert sim.counters('ipam01')['writes'] == 0


def test_through_the_action_plugin_check_run_repeat_remove(sim):
    args = {'name': 'Datacenter', 'values': ['Berlin', 'Frankfurt']}
    assert run(sim, args, check_mode=True)['changed'] is True
    assert sim.counters('ipam01')['writes'] == 0
    assert run(sim, args)['created'] is True
    before = sim.counters('ipam01')
    assert run(sim, args)['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    assert run(sim, {'name': 'Datacenter', 'values': ['Frankfurt'], 'state': 'absent'})['removed'] == ['Frankfurt']
    assert run(sim, {'name': 'Datacenter', 'state': 'absent'})['deleted'] is True
    assert run(sim, {'name': 'Datacenter', 'state': 'absent'})['changed'] is False


def test_builtin_field_refusals_come_after_one_read(sim):
    with pytest.raises(AnsibleActionFail, match='is built in'):
        run(sim, {'name': 'AdSite', 'state': 'absent'})
    assert sim.counters('ipam01') == {'round_trips': 1, 'writes': 0}


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_custom_field']})
    before = sim.counters('ipam01')
    result = run(sim, {'name': 'Datacenter', 'values': ['Berlin']})
    after = sim.counters('ipam01')
    # The apply was refused and wrote nothing; the action read again and applied the new plan, if any.
    assert result['retried_after_concurrent_change'] is True
    assert result['changed'] is True
    assert after['round_trips'] - before['round_trips'] == 4
    assert after['writes'] - before['writes'] == 1
