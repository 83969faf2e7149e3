# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.local_group, alone and driven by the real action plugin."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.local_group'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330',
          'ipam_servers': ['IPAM01']}
RECORD_KEY = 'HKLM\\SOFTWARE\\ipam.provisioning'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('dc01', {'kind': 'dc', 'roles': ['DNS']}, DOMAIN)
    return simulator


def run(sim, args, host='ipam01', check_mode=False):
    return run_action(sim, host, 'local_group', args, check_mode=check_mode, diff=True)


def group_named(sim, name, host='ipam01'):
    return next(((sid, g) for sid, g in sim.host_state(host)['groups'].items() if g['name'] == name), None)


def test_ipam_local_groups_are_seeded_on_the_ipam_server(sim):
    names = {g['name'] for g in sim.host_state('ipam01')['groups'].values()}
    assert set(d.IPAM_LOCAL_GROUPS) <= names


def test_create_repeat_remove_with_the_record(sim):
    check = run(sim, {'name': 'VMM Users'}, check_mode=True)
    assert check['changed'] and sim.counters('ipam01') == {'round_trips': 1, 'writes': 0}
    created = run(sim, {'name': 'VMM Users', 'description': 'VMM account'})
    sid, group = group_named(sim, 'VMM Users')
    msid = sim.host_state('ipam01')['machine_sid']
    assert sid.startswith(msid + '-') and int(sid.rsplit('-', 1)[1]) >= 1000
    assert group == {'name': 'VMM Users', 'members': [], 'description': 'VMM account'}
    assert created['group']['sid'] == sid and created['created_by_collection'] is True
    assert sim.host_state('ipam01')['registry'][RECORD_KEY]['LocalGroupsCreated'] == [sid]
    before = sim.counters('ipam01')
    assert run(sim, {'name': 'vmm users', 'description': 'VMM account'})['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    removed = run(sim, {'name': 'VMM Users', 'state': 'absent'})
    assert removed['deleted'] and group_named(sim, 'VMM Users') is None
    # Set-IpamRecord removes the value when its last entry goes (an empty REG_MULTI_SZ is never written).
    assert 'LocalGroupsCreated' not in sim.host_state('ipam01')['registry'][RECORD_KEY]
    assert run(sim, {'name': 'VMM Users', 'state': 'absent'})['changed'] is False


def test_group_membership_accepts_the_new_group(sim):
    run(sim, {'name': 'VMM Users'})
    reply = sim.run_module('ipam01', 'ipam.provisioning.group_membership',
                           {'mode': 'read', 'group': 'VMM Users', 'principals': ['CORP\\svc-vmm']})
    assert reply['group']['name'] == 'VMM Users' and reply['group']['scope'] == 'local'


def test_a_group_recreated_by_someone_else_is_not_ours(sim):
    run(sim, {'name': 'VMM Users'})
    with sim.edit('ipam01') as ctx:   # someone deletes it and makes a new one: a new SID
        sid, _group = group_named(sim, 'VMM Users')
        del ctx.host['groups'][sid]
        ctx.host['groups'][sid.rsplit('-', 1)[0] + '-1100'] = {'name': 'VMM Users', 'members': []}
    result = run(sim, {'name': 'VMM Users', 'state': 'absent'})
    assert result['kept'] and not result['deleted'] and group_named(sim, 'VMM Users') is not None


def test_ipam_groups_are_never_deleted(sim):
    before = sim.counters('ipam01')['writes']
    result = run(sim, {'name': 'IPAM ASM Administrators', 'state': 'absent'})
    assert result['kept'] and 'left in place' in result['warnings'][0]
    assert sim.counters('ipam01')['writes'] == before


def test_domain_controller_is_refused_without_writing(sim):
    with pytest.raises(AnsibleActionFail, match='domain controller'):
        run(sim, {'name': 'VMM Users'}, host='dc01')
    assert sim.counters('dc01') == {'round_trips': 1, 'writes': 0}
    reply = sim.run_module('dc01', MODULE, {'mode': 'apply', 'name': 'VMM Users', 'token': 'absent', 'create': True})
    assert reply['failed'] and reply['error'] == 'invalid_state'


def test_concurrent_change_is_refused_without_writing_and_planned_again(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['local_group']})
    # Someone creates the group between read and apply: the creation is refused, and the second read finds it.
    result = run(sim, {'name': 'VMM Users'})
    assert result['retried_after_concurrent_change'] is True and result['changed'] is False
    assert sim.counters('ipam01')['writes'] == 0
    # The foreign group is there now, and not ours.
    assert run(sim, {'name': 'VMM Users', 'state': 'absent'})['kept'] is True


def test_access_denied_on_write(sim):
    sim.set_faults('ipam01', {'access_denied': 'write'})
    with pytest.raises(AnsibleActionFail, match='Access is denied') as info:
        run(sim, {'name': 'VMM Users'})
    assert info.value.code == 'access_denied' and group_named(sim, 'VMM Users') is None


def test_a_local_user_name_is_taken(sim):
    with pytest.raises(AnsibleActionFail, match="local user is already named 'Administrator'"):
        run(sim, {'name': 'Administrator'})
    reply = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'name': 'Administrator', 'token': 'absent', 'create': True})
    assert reply['failed'] and 'is already in use' in reply['msg']


def test_unknown_option_fails_like_ansible_basic(sim):
    reply = sim.run_module('ipam01', MODULE, {'mode': 'read', 'name': 'x', 'members': []})
    assert reply['failed'] and 'Unsupported parameters' in reply['msg']


def apply(sim, token, host='ipam01', **args):
    return sim.run_module(host, MODULE, dict({'mode': 'apply', 'token': token}, **args))


def test_apply_writes_exactly_what_it_changes(sim):
    # The record's key and its pending entry (write-ahead), create (SetInfo), the record value with the SID,
    # the description (a second SetInfo).
    created = apply(sim, 'absent', name='VMM Users', create=True, description='VMM account', record_created=True)
    assert created['changed'] is True and created['created_by_collection'] is True
    assert created['group']['description'] == 'VMM account'
    assert sim.counters('ipam01')['writes'] == 5
    assert sim.host_state('ipam01')['registry'][d.KEY_RECORD]['LocalGroupsCreated'] == [created['group']['sid']]
    # The description it already has is not written again.
    again = apply(sim, created['token'], name='VMM Users', description='VMM account')
    assert again['changed'] is True and sim.counters('ipam01')['writes'] == 5
    emptied = apply(sim, created['token'], name='VMM Users', description='')
    assert emptied['group']['description'] == '' and sim.counters('ipam01')['writes'] == 6


def test_windows_refusals_are_reported(sim):
    token = sim.run_module('ipam01', MODULE, {'mode': 'read', 'name': 'IPAM ASM Administrators'})['token']
    exists = apply(sim, token, name='IPAM ASM Administrators', create=True)
    assert exists['failed'] and exists['error'] == 'invalid_state'
    assert exists['msg'] == "Creating local group 'IPAM ASM Administrators' failed: The specified local group already exists."
    token = sim.run_module('ipam01', MODULE, {'mode': 'read', 'name': 'administrators'})['token']
    builtin = apply(sim, token, name='administrators', delete=True)
    assert builtin['failed'] and builtin['error'] == 'invalid_state'
    assert builtin['msg'] == "Deleting local group 'Administrators' failed: Cannot perform this operation on built-in accounts."
    assert sim.counters('ipam01')['writes'] == 0


def test_names_that_would_change_the_winnt_path_are_refused(sim):
    reply = sim.run_module('ipam01', MODULE, {'mode': 'read', 'name': 'Administrators,user'})
    assert reply['failed'] and "Option name: 'Administrators,user' contains '/' or ','" in reply['msg']
