# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A read-only domain controller (issue #13, item 8), through the real action plugins and modules in pwsh.

An RODC reports DomainRole 4 like any backup DC, reads the domain's directory and groups like one, and
refers every write to a writable DC. The domain-wide DNS ACE is then written through a writable DC the
locator finds; a domain group, which only a writable DC changes, is refused before anything is written.
"""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import defaults as d

IPAM = 'CORP\\IPAM01$'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330'}
DN = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'


@pytest.fixture
def sim(fresh):
    lab = fresh('rodc')
    lab.seed_host('rodc01', {'kind': 'dc', 'read_only': True, 'roles': ['DNS'], 'address': '127.0.0.30'}, DOMAIN)
    return lab


def test_the_dns_ace_is_written_through_a_writable_dc(sim):
    result = run_action(sim, 'rodc01', 'dns_domain_acl', {'principals': [IPAM]})
    assert result.get('failed') is not True and result['changed'] is True
    dacl = sim.domain_state('corp.example.com')['ad_objects'][DN]['sddl']
    sid = result['principals'][0]['sid']
    assert [ace for ace in result['added'] if sid in ace] and sid in dacl
    # The ACE it recorded can be taken away again the same way.
    removed = run_action(sim, 'rodc01', 'dns_domain_acl', {'principals': [IPAM], 'state': 'absent'})
    assert removed['changed'] is True
    assert result['principals'][0]['sid'] not in sim.domain_state('corp.example.com')['ad_objects'][DN]['sddl']


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_domain_group_change_is_refused_before_any_write(sim, check_mode):
    before = sim.domain_state('corp.example.com')['groups'][d.EVENT_LOG_READERS]['members']
    with pytest.raises(AnsibleActionFail) as failure:
        run_action(sim, 'rodc01', 'group_membership', {'group': 'event_log_readers', 'principals': [IPAM]},
                   check_mode=check_mode)
    message = str(failure.value)
    assert 'rodc01 is a read-only domain controller' in message and 'nothing was changed' in message
    assert 'writable domain controller' in message
    assert sim.counters('rodc01')['writes'] == 0
    assert sim.domain_state('corp.example.com')['groups'][d.EVENT_LOG_READERS]['members'] == before


def test_a_domain_group_already_granted_is_compliant_on_a_read_only_dc(sim):
    # Granted through a writable DC: the RODC reads the same domain group and has nothing to change.
    assert run_action(sim, 'dc01', 'group_membership', {'group': 'event_log_readers', 'principals': [IPAM]})['changed']
    result = run_action(sim, 'rodc01', 'group_membership', {'group': 'event_log_readers', 'principals': [IPAM]})
    assert result['changed'] is False and result['domain_wide'] is True
    assert sim.counters('rodc01')['writes'] == 0


def test_without_network_credentials_the_write_through_a_writable_dc_names_the_second_hop(sim):
    """The write goes to another DC with the caller's credentials; over NTLM there are none (#13 item 2)."""
    sim.set_faults('rodc01', {'no_network_credentials': True})
    before = sim.domain_state('corp.example.com')['ad_objects'][DN]['sddl']
    with pytest.raises(AnsibleActionFail) as failure:
        run_action(sim, 'rodc01', 'dns_domain_acl', {'principals': [IPAM]})
    message = str(failure.value)
    assert 'no network credentials' in message and 'second hop' in message, message
    assert sim.domain_state('corp.example.com')['ad_objects'][DN]['sddl'] == before
