# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lookup that fails is not an absent object (#13 items 4 and 5).

With -ErrorAction SilentlyContinue a cmdlet's access denied reads like "not found": the share, the
firewall rule or IPAM's scheduled task then looks missing, and the plan creates, enables or reports
what may well be there. Only the category ObjectNotFound means absent. The fault denied_operations
makes one Windows call answer ERROR_ACCESS_DENIED (the CIM "Windows System Error 5" of the SMB and
NetSecurity cmdlets, "HRESULT 0x80070005" of ScheduledTasks) while the rest of the host answers; the
real modules run, in pwsh. On a de-DE host the error text is German, and the error code must not
depend on it.
"""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

IPAM = 'CORP\\IPAM01$'
# (host, module, arguments of the action, the Windows call that is refused, the cmdlet the message names)
CASES = {
    'share': ('dhcp01', 'dhcpaudit_share', {'principals': [IPAM]}, 'Smb.GetShare', 'Get-SmbShare -Name dhcpaudit'),
    'firewall_de': ('dns01', 'firewall_rules', {'names': ['RemoteEventLogSvc-In-TCP']}, 'Firewall.GetRules',
                    'Get-NetFirewallRule -Name RemoteEventLogSvc-In-TCP -PolicyStore ActiveStore'),
    'firewall': ('dhcp01', 'firewall_rules', {'names': ['RemoteEventLogSvc-In-TCP', 'RemoteSvcAdmin-In-TCP']},
                 'Firewall.GetRules', 'Get-NetFirewallRule -Name RemoteEventLogSvc-In-TCP -PolicyStore ActiveStore'),
    'task': ('ipam01', 'ipam_server_task', {'tasks': ['ServerDiscovery']}, 'Task.List',
             'Get-ScheduledTask \\Microsoft\\Windows\\IPAM\\ServerDiscovery'),
    'task_info': ('ipam01', 'ipam_access_status', {}, 'Task.Info',
                  'Get-ScheduledTaskInfo \\Microsoft\\Windows\\IPAM\\ServerDiscovery'),
}


@pytest.mark.parametrize('case', sorted(CASES))
def test_a_refused_lookup_fails_with_access_denied_and_writes_nothing(fresh, case):
    host, action, args, operation, cmdlet = CASES[case]
    sim = fresh(case)
    sim.set_faults(host, {'denied_operations': [operation]})
    for check_mode in (True, False):
        with pytest.raises(AnsibleActionFail) as failure:
            run_action(sim, host, action, args, check_mode=check_mode)
        message = str(failure.value)
        assert 'Access is denied: %s.' % cmdlet in message, message
        assert failure.value.result.get('error') == 'access_denied', failure.value.result
    assert sim.counters(host)['writes'] == 0


@pytest.mark.parametrize('case', sorted(CASES))
def test_without_the_refusal_the_same_lookup_succeeds(fresh, case):
    """The control: the fault, not the arguments, made the lookup fail; a missing object still reads as absent."""
    host, action, args, _operation, _cmdlet = CASES[case]
    sim = fresh(case + '-control')
    result = run_action(sim, host, action, args, check_mode=True)
    assert not result.get('failed'), result


def test_a_missing_share_still_reads_as_absent(fresh):
    sim = fresh('share-absent')
    result = sim.run_module('dhcp01', 'ipam.provisioning.dhcpaudit_share',
                            {'mode': 'read', 'name': 'no-such-share', 'principals': [IPAM]})
    assert not result.get('failed'), result
    assert result['share'] is None


def test_a_missing_rule_still_reads_as_missing(fresh):
    sim = fresh('rule-absent')
    result = sim.run_module('dhcp01', 'ipam.provisioning.firewall_rules', {'mode': 'read', 'names': ['No-Such-Rule']})
    assert not result.get('failed'), result
    assert [(rule['name'], rule['exists']) for rule in result['rules']] == [('No-Such-Rule', False)]
