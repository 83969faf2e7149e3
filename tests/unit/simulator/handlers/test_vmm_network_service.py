# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's VMM server and its model of ipam.provisioning.vmm_network_service."""
from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleActionFail

from winsim import HostUnreachable
from winsim import defaults as d
from winsim import vmm_server as v
from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.vmm_network_service'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
PASSWORD = 'Sim-Secret-4u!z'
ARGS = {'ipam_server_fqdn': 'ipam01.corp.example.com', 'run_as_account': 'IPAM Run As',
        'run_as_username': 'CORP\\svc-vmm', 'run_as_password': PASSWORD}


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('vmm01', {'kind': 'member', 'roles': [], 'vmm': True}, DOMAIN)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    return simulator


def run(sim, args, host='vmm01', check_mode=False):
    return run_action(sim, host, 'vmm_network_service', args, check_mode=check_mode, diff=True)


def vmm(sim):
    return sim.host_state('vmm01')['vmm']


def test_seed_gives_the_vmm_server_its_fabric(sim):
    state = vmm(sim)
    assert state['server'] == 'vmm01.corp.example.com'
    assert [g['path'] for g in state['host_groups']][0] == 'All Hosts'
    assert len(v.host_groups_named(state, 'Hyper-V')) == 2
    assert v.run_as_by_name(state, 'Host Management')[1]['domain'] == 'CORP'
    assert v.service_by_name(state, 'NC') is not None
    assert 'vmm' not in sim.host_state('ipam01')


def test_add_repeat_update_remove(sim):
    check = run(sim, ARGS, check_mode=True)
    assert check['changed'] and sim.counters('vmm01') == {'round_trips': 1, 'writes': 0}
    created = run(sim, ARGS)
    assert created['created'] and created['run_as_created']
    found = v.service_by_name(vmm(sim), 'IPAM')
    assert found[1]['model'] == v.IPAM_MODEL and found[1]['configuration_provider'] == v.IPAM_PROVIDER
    account_id, account = v.run_as_by_name(vmm(sim), 'IPAM Run As')
    assert found[1]['run_as_account'] == account_id and account['username'] == 'svc-vmm'
    assert account['credential'] == v.credential_digest('CORP\\svc-vmm', PASSWORD)
    before = sim.counters('vmm01')
    assert run(sim, ARGS)['changed'] is False
    assert sim.counters('vmm01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}

    updated = run(sim, dict(ARGS, update_password='always', run_as_password='Another-Pw-1'))
    assert updated['credential_updated'] and v.run_as_by_name(vmm(sim), 'IPAM Run As')[1]['credential_version'] == 2

    regrouped = run(sim, dict(ARGS, port=48886, host_groups=['Production', 'All Hosts\\Lab\\Hyper-V']))
    assert regrouped['connection_string'] == 'ipam01.corp.example.com:48886'
    assert regrouped['host_groups'] == ['All Hosts\\Lab\\Hyper-V', 'All Hosts\\Production']

    removed = run(sim, {'state': 'absent'})
    assert removed['deleted'] and removed['run_as_removed']
    assert v.service_by_name(vmm(sim), 'IPAM') is None and v.run_as_by_name(vmm(sim), 'IPAM Run As') is None
    assert run(sim, {'state': 'absent'})['changed'] is False
    assert v.service_by_name(vmm(sim), 'NC') is not None   # the fabric's own service stays


def test_the_password_is_in_no_result_and_not_in_the_state(sim):
    results = [run(sim, ARGS, check_mode=True), run(sim, ARGS), run(sim, dict(ARGS, update_password='always'))]
    assert PASSWORD not in json.dumps(results)
    assert PASSWORD not in json.dumps(sim.host_state('vmm01'))
    # The remote half masks it everywhere, as Ansible.Basic does, failures included.
    reply = sim.run_module('vmm01', MODULE, {'mode': 'apply', 'name': 'IPAM', 'token': 'stale', 'run_as_account': 'x',
                                             'run_as_password': PASSWORD, 'run_as_action': 'update'})
    assert reply['failed'] and PASSWORD not in json.dumps(reply)
    # Ansible.Basic's RemoveValueConditions: a value equal to a no_log value is replaced whole.
    assert reply['invocation']['module_args']['run_as_password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_account_in_use_by_another_service_is_kept(sim):
    run(sim, ARGS)
    run(sim, dict(ARGS, name='IPAM2', ipam_server_fqdn='ipam02.corp.example.com'))
    result = run(sim, {'state': 'absent'})
    assert result['deleted'] and not result['run_as_removed']
    assert 'still used by IPAM2' in ' '.join(result['warnings'])
    assert v.run_as_by_name(vmm(sim), 'IPAM Run As') is not None


def test_account_not_created_by_the_collection_is_kept(sim):
    result = run(sim, dict(ARGS, run_as_account='Host Management', run_as_username=None, run_as_password=None))
    assert result['created'] and not result['run_as_created']
    removed = run(sim, {'state': 'absent'})
    assert removed['deleted'] and not removed['run_as_removed']
    assert v.run_as_by_name(vmm(sim), 'Host Management') is not None


def test_host_group_problems_fail_after_one_read(sim):
    with pytest.raises(AnsibleActionFail, match='matches several host groups'):
        run(sim, dict(ARGS, host_groups=['Hyper-V']))
    with pytest.raises(AnsibleActionFail, match="host group 'Staging' does not exist"):
        run(sim, dict(ARGS, host_groups=['Staging']))
    assert sim.counters('vmm01') == {'round_trips': 2, 'writes': 0}


def test_credential_of_an_unknown_user_is_refused(sim):
    with pytest.raises(AnsibleActionFail, match="run_as_username 'CORP.nosuch' does not resolve"):
        run(sim, dict(ARGS, run_as_username='CORP\\nosuch'))
    reply = sim.run_module('vmm01', MODULE, {'mode': 'read', 'name': 'IPAM'})
    reply = sim.run_module('vmm01', MODULE, {'mode': 'apply', 'name': 'IPAM', 'token': reply['token'],
                                             'run_as_account': 'X', 'run_as_action': 'create',
                                             'run_as_username': 'CORP\\nosuch', 'run_as_password': PASSWORD})
    assert reply['failed'] and 'cannot be validated' in reply['msg']


def test_missing_vmm_module_on_another_host(sim):
    with pytest.raises(AnsibleActionFail, match="'virtualmachinemanager' is not available on IPAM01") as info:
        run(sim, ARGS, host='ipam01')
    assert info.value.code == 'not_found'


def test_unreachable_vmm_server(sim):
    sim.set_faults('vmm01', {'unreachable': True})
    with pytest.raises(HostUnreachable):
        run(sim, ARGS)
    assert sim.counters('vmm01') == {'round_trips': 0, 'writes': 0}


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    run(sim, ARGS)
    before = sim.counters('vmm01')
    sim.set_faults('vmm01', {'concurrent_change': ['vmm_network_service']})
    # Someone repoints the service between read and apply: the apply is refused, and the plan from the second
    # read points it at the IPAM server again, on the new port, in one Set-SCNetworkService.
    fixed = run(sim, dict(ARGS, port=48886))
    assert fixed['retried_after_concurrent_change'] is True
    assert fixed['changed'] and fixed['connection_string'] == 'ipam01.corp.example.com:48886'
    after = sim.counters('vmm01')
    assert after['round_trips'] - before['round_trips'] == 4 and after['writes'] - before['writes'] == 1


def test_network_controller_service_is_not_ipam(sim):
    with pytest.raises(AnsibleActionFail, match="not IPAM"):
        run(sim, dict(ARGS, name='NC'))


def recorded(sim):
    """The Run As account IDs the VMM server records as created by this collection (VmmRunAsAccountsCreated)."""
    return list(sim.host_state('vmm01')['registry'].get(d.KEY_RECORD, {}).get('VmmRunAsAccountsCreated') or [])


def test_two_run_as_accounts_are_recorded_then_removed_exactly(sim):
    # The project's issue, item 8: Get-IpamRecord returned one string[] (`, [string[]]`), so
    # @(Get-IpamRecord) and `Get-IpamRecord | Where-Object` saw ONE element: the second account's
    # creation folded the first ID into one string, and removal kept a removed ID in the record. In pwsh
    # this runs the real PowerShell, so it fails against that Get-IpamRecord.
    fabric = {i: dict(a) for i, a in vmm(sim)['run_as_accounts'].items()}
    assert [a['name'] for a in fabric.values()] == ['Host Management'] and recorded(sim) == []

    assert run(sim, ARGS)['run_as_created']
    second = dict(ARGS, name='IPAM2', run_as_account='IPAM2 Run As', ipam_server_fqdn='ipam02.corp.example.com')
    assert run(sim, second)['run_as_created']
    first_id = v.run_as_by_name(vmm(sim), 'IPAM Run As')[0]
    second_id = v.run_as_by_name(vmm(sim), 'IPAM2 Run As')[0]
    assert recorded(sim) == [first_id, second_id]      # one entry per account, nothing folded together

    removed = run(sim, {'state': 'absent'})
    assert removed['deleted'] and removed['run_as_removed']
    assert recorded(sim) == [second_id]                # exactly the removed account left the record
    removed = run(sim, {'state': 'absent', 'name': 'IPAM2'})
    assert removed['deleted'] and removed['run_as_removed']
    # Nothing the collection created is left, in VMM or in the record; the fabric's own objects stay.
    assert vmm(sim)['run_as_accounts'] == fabric and recorded(sim) == []
    assert sorted(s['name'] for s in vmm(sim)['network_services'].values()) == ['NC']
