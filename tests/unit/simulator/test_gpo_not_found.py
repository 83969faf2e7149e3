# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_gpo_provisioning whichever way Get-GPO reports a GPO it cannot find (windows-api.md R5).

Microsoft does not say whether GpoWithNameNotFound is terminating; if it is, -ErrorAction
SilentlyContinue does not hide it and a module relying on that fails on the first missing GPO. The
fake can answer both ways (fault gpo_not_found_terminating); the real module runs, in pwsh.
"""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)

ARGS = {'domain': 'corp.example.com', 'gpo_prefix': 'IPAM', 'managed_servers': [
    {'name': 'dc01.corp.example.com', 'server_types': ['dc', 'dns', 'dhcp']},
    {'name': 'dhcp01.corp.example.com', 'server_types': ['dhcp']}]}


@pytest.mark.parametrize('terminating', [False, True])
def test_missing_gpos_read_as_absent_and_get_created(fresh, terminating):
    sim = fresh('gpo-%s' % terminating)
    sim.set_faults('ipam01', {'gpo_not_found_terminating': terminating})
    audit = run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS, check_mode=True)
    assert audit['changed'] is True and audit['provisioned'] is True    # none of the three exists yet
    assert sim.counters('ipam01')['writes'] == 0
    created = run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS)
    assert [g['created_by_collection'] for g in created['gpos']] == [True, True, True]
    removed = run_action(sim, 'ipam01', 'ipam_gpo_provisioning', dict(ARGS, state='absent'))
    assert removed['deleted'] == ['IPAM_DHCP', 'IPAM_DNS', 'IPAM_DC_NPS']


def test_an_error_other_than_not_found_is_not_read_as_absent(fresh):
    sim = fresh('gpo-denied')
    sim.set_faults('ipam01', {'access_denied': 'all'})
    with pytest.raises(AnsibleActionFail) as failure:
        run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS, check_mode=True)
    assert 'access' in str(failure.value).lower()
    assert sim.counters('ipam01')['writes'] == 0


def test_a_logon_without_network_credentials_is_named_before_anything_is_read(fresh):
    """The second hop (#13 item 2): over WinRM with NTLM the DCs see the IPAM server's request as anonymous."""
    sim = fresh('gpo-second-hop')
    sim.set_faults('ipam01', {'no_network_credentials': True})
    for check_mode in (True, False):
        with pytest.raises(AnsibleActionFail) as failure:
            run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS, check_mode=check_mode)
        message = str(failure.value)
        assert 'no network credentials' in message and 'second hop' in message, message
        assert 'An operations error occurred.' in message and 'ipam_gpo_become' in message, message
    assert sim.counters('ipam01')['writes'] == 0
    assert sim.domain_state('corp.example.com').get('gpos') in (None, {})
    # With credentials (become, CredSSP, delegation) the same task creates the GPOs.
    sim.set_faults('ipam01', {'no_network_credentials': None})
    created = run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS)
    assert [g['created_by_collection'] for g in created['gpos']] == [True, True, True]


def test_no_domain_controller_at_all_is_not_called_the_second_hop(fresh):
    """Without any DC that answers, the bind fails first ("no such domain"): no connection was made, so nothing
    was refused as anonymous, even where the logon has no network credentials."""
    sim = fresh('gpo-no-dc')
    for dc in ('dc01', 'dc02'):
        sim.set_faults(dc, {'unreachable': True})
    sim.set_faults('ipam01', {'no_network_credentials': True})
    with pytest.raises(AnsibleActionFail) as failure:
        run_action(sim, 'ipam01', 'ipam_gpo_provisioning', ARGS, check_mode=True)
    message = str(failure.value)
    assert 'second hop' not in message and 'An operations error occurred.' not in message, message
    assert 'The specified domain either does not exist or could not be contacted.' in message, message
    assert sim.counters('ipam01')['writes'] == 0
