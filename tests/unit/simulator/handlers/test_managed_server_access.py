# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.managed_server_access: a batch of calls, each answered as its module alone answers it."""
from __future__ import annotations

import typing as t

import pytest

from winsim import Simulator

# Every test runs against the simulator's model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.managed_server_access'
IPAM = 'CORP\\IPAM01$'
SERVICE_READ = {'mode': 'read', 'name': 'DHCPServer', 'principals': [IPAM]}
GROUP_READ = {'mode': 'read', 'group': 'S-1-5-32-573', 'principals': [IPAM]}


def batch(sim: Simulator, mode: str, calls: list[dict[str, t.Any]], **kwargs: t.Any) -> dict[str, t.Any]:
    return sim.run_module('dhcp01', MODULE, {'mode': mode, 'calls': calls}, **kwargs)


def alone(reply: dict[str, t.Any]) -> dict[str, t.Any]:
    return {k: v for k, v in reply.items() if k != 'invocation'}


def test_each_reply_is_what_the_module_alone_answers(lab):
    result = batch(lab, 'read', [{'module': 'service_acl', 'options': SERVICE_READ},
                                 {'module': 'group_membership', 'options': GROUP_READ}])
    assert result.get('failed') is None and result['changed'] is False
    service = alone(lab.run_module('dhcp01', 'ipam.provisioning.service_acl', SERVICE_READ))
    group = alone(lab.run_module('dhcp01', 'ipam.provisioning.group_membership', GROUP_READ))
    assert result['replies'] == [service, group]
    assert lab.counters('dhcp01') == {'round_trips': 3, 'writes': 0}


def test_an_apply_batch_writes_each_call_and_a_failed_call_leaves_the_others(lab):
    read = batch(lab, 'read', [{'module': 'service_acl', 'options': SERVICE_READ}])['replies'][0]
    sddl = read['sddl'].replace('S:', '(A;;CCLCSWLOCRRC;;;S-1-5-21-1004336348-1177238915-682003330-1205)S:', 1)
    result = batch(lab, 'apply', [
        {'module': 'service_acl', 'options': {'mode': 'apply', 'name': 'DHCPServer', 'token': 'stale', 'sddl': sddl}},
        {'module': 'service_acl', 'options': {'mode': 'apply', 'name': 'DHCPServer', 'token': read['token'], 'sddl': sddl}},
    ])
    stale, applied = result['replies']
    assert stale['failed'] is True and stale['error'] == 'changed_since_read'
    assert applied.get('failed') is None and applied['changed'] is True and applied['sddl'] == sddl
    assert result['changed'] is True
    assert lab.host_state('dhcp01')['services']['DHCPServer']['sddl'] == sddl


def test_a_call_with_bad_options_fails_alone_with_the_modules_own_message(lab):
    result = batch(lab, 'read', [{'module': 'service_acl', 'options': {'mode': 'read'}},
                                 {'module': 'group_membership', 'options': GROUP_READ}])
    bad, good = result['replies']
    assert bad['failed'] is True and 'missing required arguments: name' in bad['msg']
    assert good.get('failed') is None and good['group']['sid'] == 'S-1-5-32-573'


def test_check_mode_reaches_every_call(lab):
    read = batch(lab, 'read', [{'module': 'group_membership', 'options': GROUP_READ}])['replies'][0]
    member = read['principals'][0]['sid']
    result = batch(lab, 'apply', [{'module': 'group_membership', 'options': {
        'mode': 'apply', 'group': 'S-1-5-32-573', 'token': read['token'], 'add': [member], 'record_add': [member]}}],
        check_mode=True)
    assert result['replies'][0].get('failed') is None
    assert member not in lab.host_state('dhcp01')['groups']['S-1-5-32-573']['members']
    assert lab.counters('dhcp01')['writes'] == 0


@pytest.mark.parametrize('calls, message', [
    ([{'module': 'local_group', 'options': {'mode': 'read'}}], "Call 0 names module 'local_group', which a batch cannot run"),
    ([{'module': 'service_acl', 'options': SERVICE_READ}, {'module': 'service_acl'}], 'Call 1 (service_acl) has no options dictionary'),
    ([{'module': 'service_acl', 'options': dict(SERVICE_READ, mode='apply')}],
     "Call 0 (service_acl) has mode 'apply' in a read batch; every call of a batch has the batch's mode"),
])
def test_a_malformed_batch_runs_no_call(lab, calls, message):
    result = batch(lab, 'read', calls)
    assert result['failed'] is True and message in result['msg']
    assert 'replies' not in result
    assert lab.counters('dhcp01') == {'round_trips': 1, 'writes': 0}


def test_an_error_a_module_does_not_handle_fails_its_call_as_the_exec_wrapper_reports_it(fresh):
    # In pwsh only: the fault answers one Windows API operation with access denied, which the
    # simulator's Python models do not model (docs/design.md 5). Reading the computer's CIM data is
    # the first thing service_acl does, outside any try: the error reaches the batch unhandled.
    sim = fresh('denied')
    sim.set_faults('dhcp01', {'denied_operations': ['Computer.System']})
    result = batch(sim, 'read', [{'module': 'service_acl', 'options': SERVICE_READ},
                                 {'module': 'firewall_rules', 'options': {'mode': 'read', 'names': ['FPS-SMB-In-TCP']}}])
    assert result.get('failed') is None, result
    service, rules = result['replies']
    assert service['failed'] is True
    assert service['msg'].startswith('Unhandled exception while executing module: '), service
    assert 'denied' in service['msg'].lower(), service
    # The next call still ran, and failed as it fails alone (it reads the computer's CIM data too).
    alone_rules = sim.run_module('dhcp01', 'ipam.provisioning.firewall_rules', {'mode': 'read', 'names': ['FPS-SMB-In-TCP']})
    assert rules['failed'] is True and rules['msg'] == alone_rules['msg']
    assert 'Access is denied' in rules['exception']
