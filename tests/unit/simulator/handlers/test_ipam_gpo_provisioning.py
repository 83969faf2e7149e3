# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's GPOs (in the domain state) and its model of ipam.provisioning.ipam_gpo_provisioning."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from sim_action import run_action  # tests/unit/simulator/sim_action.py (see conftest.py)
from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.ipam_gpo_provisioning'
D = 'S-1-5-21-1004336348-1177238915-682003330'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': D, 'ipam_servers': ['IPAM01'],
          'computers': ['DC01', 'DHCP01', 'IPAM01'], 'ad_integrated_dns': True, 'dhcp_on_dcs': True}
ARGS = {'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
        'managed_servers': [{'name': 'dc01.corp.example.com', 'server_types': ['dc', 'dns', 'dhcp']},
                            {'name': 'dhcp01.corp.example.com', 'server_types': ['dhcp']}]}
DNS_DN = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'


@pytest.fixture
def sim(tmp_path, make_simulator):
    simulator = make_simulator(tmp_path)
    simulator.seed_host('ipam01', {'kind': 'member', 'roles': ['IPAM']}, DOMAIN)
    simulator.seed_host('dc01', {'kind': 'dc', 'roles': ['DNS', 'DHCP']}, DOMAIN)
    simulator.seed_host('dhcp01', {'kind': 'member', 'roles': ['DHCP']}, DOMAIN)
    return simulator


def run(sim, args, host='ipam01', check_mode=False):
    return run_action(sim, host, 'ipam_gpo_provisioning', args, check_mode=check_mode, diff=True)


def gpos(sim):
    return {g['name']: g for g in (sim.domain_state('corp.example.com').get('gpos') or {}).values()}


def filtering(sim, name):
    return sorted(sid for sid, level in gpos(sim)[name]['permissions'].items() if level == 'GpoApply')


def test_provision_repeat_unmanage_remove(sim):
    check = run(sim, ARGS, check_mode=True)
    assert check['changed'] and check['provisioned'] and gpos(sim) == {}
    assert sim.counters('ipam01')['writes'] == 0

    created = run(sim, ARGS)
    assert created['provisioned'] and set(gpos(sim)) == {'IPAM_DHCP', 'IPAM_DNS', 'IPAM_DC_NPS'}
    dc01, dhcp01 = D + '-1200', D + '-1201'
    assert filtering(sim, 'IPAM_DHCP') == sorted([dc01, dhcp01])
    assert filtering(sim, 'IPAM_DNS') == [dc01] and filtering(sim, 'IPAM_DC_NPS') == [dc01]
    permissions = gpos(sim)['IPAM_DNS']['permissions']
    assert d.AUTHENTICATED_USERS not in permissions                  # the filter list starts empty
    assert permissions[D + '-1105'] == 'GpoEditDeleteModifySecurity'  # IPAMUG
    assert [g['created_by_collection'] for g in created['gpos']] == [True, True, True]

    before = sim.counters('ipam01')
    assert run(sim, ARGS)['changed'] is False
    assert sim.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}

    unmanaged = run(sim, dict(ARGS, managed_servers=ARGS['managed_servers'][:1],
                              unmanaged_servers=[{'name': 'dhcp01.corp.example.com'}]))
    assert unmanaged['changed'] and filtering(sim, 'IPAM_DHCP') == [dc01]

    removed = run(sim, dict(ARGS, state='absent'))
    assert removed['deleted'] == ['IPAM_DHCP', 'IPAM_DNS', 'IPAM_DC_NPS'] and gpos(sim) == {}
    assert run(sim, dict(ARGS, state='absent'))['changed'] is False


def test_invoke_side_effects_on_the_domain(sim):
    domain = sim.domain_state('corp.example.com')
    assert '(A;CI;RPLCRC;;;%s-1105)' % D not in domain['ad_objects'][DNS_DN]['sddl']
    run(sim, ARGS)
    domain = sim.domain_state('corp.example.com')
    sddl = domain['ad_objects'][DNS_DN]['sddl']
    assert '(A;CI;RPLCRC;;;%s-1105)' % D in sddl
    assert sddl.index('RPLCRC') < sddl.index(';CIIOID;')             # before the inherited ACE
    assert domain['accounts'][D + '-1105']['members'].count(D + '-1202') == 1   # IPAM01$ once
    run(sim, dict(ARGS, state='absent'))                              # removal does not undo them
    assert '(A;CI;RPLCRC;;;%s-1105)' % D in sim.domain_state('corp.example.com')['ad_objects'][DNS_DN]['sddl']


def test_concurrent_stray_gpo_then_partial_set(sim):
    sim.set_faults('ipam01', {'concurrent_change': ['ipam_gpo_provisioning']})
    # Someone creates IPAM_DNS by hand between read and apply: the apply is refused (nothing written) and the
    # plan made from the second read refuses the partial set; so does every later run.
    for dummy in range(2):
        with pytest.raises(AnsibleActionFail, match=r'IPAM_DNS exist\(s\) but IPAM_DHCP, IPAM_DC_NPS do\(es\) not'):
            run(sim, ARGS)
    assert sim.counters('ipam01')['round_trips'] == 4   # read, refused apply, read; then one read
    assert sim.counters('ipam01')['writes'] == 0 and set(gpos(sim)) == {'IPAM_DNS'}
    # The remote half refuses too, as Invoke-IpamGpoProvisioning does.
    token = sim.run_module('ipam01', MODULE, {'mode': 'read', 'domain': 'corp.example.com', 'gpo_prefix': 'IPAM'})['token']
    reply = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
                                              'token': token, 'provision': True})
    assert reply['failed'] and 'The GPO IPAM_DNS already exists' in reply['msg']
    # Removal leaves a GPO it did not create.
    result = run(sim, dict(ARGS, state='absent'))
    assert result['changed'] is False and 'not created by ipam.provisioning' in result['warnings'][0]
    assert set(gpos(sim)) == {'IPAM_DNS'}


def test_ipam_configured_for_another_prefix(sim):
    with sim.edit('ipam01') as ctx:
        ctx.host.setdefault('ipam', {})['configuration'] = {'provisioning_method': 'Automatic', 'gpo_prefix': 'CONTOSO'}
    with pytest.raises(AnsibleActionFail, match="prefix 'CONTOSO'"):
        run(sim, ARGS)
    assert gpos(sim) == {}


def test_other_hosts_and_domains_are_refused(sim):
    with pytest.raises(AnsibleActionFail, match='is not an IPAM server'):
        run(sim, ARGS, host='dhcp01')
    with pytest.raises(AnsibleActionFail, match="domain 'other.example.com' does not exist"):
        run(sim, dict(ARGS, domain='other.example.com'))
    with pytest.raises(AnsibleActionFail, match="server 'nps09.corp.example.com'"):
        run(sim, dict(ARGS, managed_servers=[{'name': 'nps09.corp.example.com', 'server_types': ['nps']}]))
    assert sim.counters('ipam01')['writes'] == 0


def test_delegation_of_an_existing_set(sim):
    run(sim, ARGS)
    result = run(sim, dict(ARGS, delegated_gpo_groups=['CORP\\Helpdesk']))
    assert result['changed'] and len(result['added']) == 3
    assert all(g['permissions'][D + '-1108'] == 'GpoEditDeleteModifySecurity' for g in gpos(sim).values())
    assert run(sim, dict(ARGS, delegated_gpo_groups=['CORP\\Helpdesk']))['changed'] is False


def test_access_denied_writes_nothing(sim):
    sim.set_faults('ipam01', {'access_denied': 'write'})
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        run(sim, ARGS)
    assert gpos(sim) == {}


def recorded(sim):
    """The IDs the IPAM server records as created by this collection (REG_MULTI_SZ GposCreated)."""
    return list(sim.host_state('ipam01')['registry'].get(d.KEY_RECORD, {}).get('GposCreated') or [])


def test_two_gpo_sets_are_recorded_then_removed_exactly(sim):
    # The project's issue, item 8: Get-IpamRecord returned one string[] (`, [string[]]`), so
    # @(Get-IpamRecord) saw ONE element and the second set's provisioning folded the first set's IDs
    # into one string; removal then no longer knew the first set as its own. In pwsh this runs the real
    # PowerShell, so it fails against that Get-IpamRecord.
    # An administrator provisioned a set by hand (the module's remote half, nothing recorded): never ours.
    token = sim.run_module('ipam01', MODULE, {'mode': 'read', 'domain': 'corp.example.com', 'gpo_prefix': 'LEGACY'})['token']
    manual = sim.run_module('ipam01', MODULE, {'mode': 'apply', 'domain': 'corp.example.com', 'gpo_prefix': 'LEGACY',
                                               'token': token, 'provision': True})
    assert not manual.get('failed'), manual.get('msg')
    assert recorded(sim) == []
    legacy = {name: gpo for name, gpo in gpos(sim).items() if name.startswith('LEGACY_')}

    first = run(sim, ARGS)
    second = run(sim, dict(ARGS, gpo_prefix='IPAM2'))
    assert first['provisioned'] and second['provisioned']
    ids = {gpo['name']: gpo_id for gpo_id, gpo in sim.domain_state('corp.example.com')['gpos'].items()}
    ours = [ids['%s_%s' % (prefix, suffix)] for prefix in ('IPAM', 'IPAM2') for suffix in ('DHCP', 'DNS', 'DC_NPS')]
    assert recorded(sim) == ours                       # one entry per GPO, in order, nothing folded together
    assert [g['created_by_collection'] for g in run(sim, ARGS)['gpos']] == [True, True, True]

    removed = run(sim, dict(ARGS, state='absent'))
    assert removed['deleted'] == ['IPAM_DHCP', 'IPAM_DNS', 'IPAM_DC_NPS']
    assert recorded(sim) == ours[3:]                   # exactly the first set's IDs left the record
    removed = run(sim, dict(ARGS, gpo_prefix='IPAM2', state='absent'))
    assert removed['deleted'] == ['IPAM2_DHCP', 'IPAM2_DNS', 'IPAM2_DC_NPS']
    # Nothing the collection created is left, in the domain or in the record; nothing else was removed.
    assert gpos(sim) == legacy and recorded(sim) == []
    untouched = run(sim, dict(ARGS, gpo_prefix='LEGACY', state='absent'))
    assert untouched['changed'] is False and untouched['deleted'] == []
    assert gpos(sim) == legacy


@pytest.mark.parametrize('name', ['*.corp.example.com', 'dc01.corp.example.com)(objectCategory=computer'])
def test_a_server_name_is_an_ldap_value_not_a_filter(sim, name):
    """RFC 4515: '*' and parentheses in a server name are escaped, so a name matches one computer or none."""
    reply = sim.run_module('ipam01', MODULE, {'mode': 'read', 'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
                                              'servers': [name]})
    assert not reply.get('failed'), reply
    assert [(s['sid'], s['error']) for s in reply['servers']] == \
        [(None, 'No computer account with dNSHostName %s in domain corp.example.com.' % name)]
