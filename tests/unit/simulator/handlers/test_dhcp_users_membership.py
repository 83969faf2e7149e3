# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.dhcp_users_membership."""
from __future__ import annotations

from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.dhcp_users_membership'
DOMAIN = {'dns_name': 'corp.example.com', 'netbios': 'CORP', 'sid': 'S-1-5-21-1004336348-1177238915-682003330'}
HELPDESK = '%s-%d' % (DOMAIN['sid'], d.RID_HELPDESK)
ORPHAN = '%s-%d' % (DOMAIN['sid'], d.RID_ORPHANED)
USERS = ('DHCP Users', 'DHCP-Benutzer')
IPAM = 'CORP\\IPAM01$'


def read(lab, host, names=USERS, group_sid=None):
    args = {'mode': 'read', 'principals': [IPAM], 'group_names': list(names)}
    if group_sid:
        args['group_sid'] = group_sid
    return lab.run_module(host, MODULE, args)


def apply(lab, host, token, add=(), remove=(), restart=False, check_mode=False):
    return lab.run_module(host, MODULE, {'mode': 'apply', 'group_names': list(USERS), 'token': token, 'add': list(add),
                                         'remove': list(remove), 'restart_service': restart}, check_mode=check_mode)


def test_member_server_has_local_group_with_seeded_members(lab):
    result = read(lab, 'dhcp01')
    assert result['group']['name'] == 'DHCP Users' and result['group']['scope'] == 'local'
    assert result['group']['matched_by'] == 'name'
    assert not result['group']['sid'].startswith(DOMAIN['sid'] + '-')
    assert result['members'] == [{'sid': HELPDESK, 'name': 'CORP\\Helpdesk'}, {'sid': ORPHAN, 'name': None}]
    assert result['service'] == {'exists': True, 'status': 'Running'}
    by_sid = read(lab, 'dhcp01', names=[], group_sid=result['group']['sid'])
    assert by_sid['group']['matched_by'] == 'sid'


def test_dc_group_is_domain_wide_and_dc02_sees_it_without_the_service(lab):
    dc01 = read(lab, 'dc01')
    assert dc01['group']['scope'] == 'domain' and dc01['group']['sid'] == '%s-%d' % (DOMAIN['sid'], d.RID_DHCP_USERS)
    dc02 = read(lab, 'dc02')
    assert dc02['group']['sid'] == dc01['group']['sid']
    assert dc02['service'] == {'exists': False, 'status': None}


def test_hosts_without_the_role_have_no_group(lab, tmp_path):
    assert read(lab, 'dns01')['group'] is None
    lab.seed_host('dhcp09', {'kind': 'member', 'roles': ['DHCP']}, dict(DOMAIN), {'dhcp_role_absent': True})
    result = read(lab, 'dhcp09')
    assert result['group'] is None and result['service']['exists'] is False
    failed = apply(lab, 'dhcp09', '', add=[HELPDESK])
    assert failed['failed'] is True and failed['error'] == 'not_found'


def test_apply_with_restart_counts_the_restart_as_a_write(lab):
    first = read(lab, 'dhcp01')
    sid = first['principals'][0]['sid']
    result = apply(lab, 'dhcp01', first['token'], add=[sid], restart=True)
    assert result['changed'] is True and result['restarted'] is True
    assert sid in [m['sid'] for m in result['members']] and ORPHAN in [m['sid'] for m in result['members']]
    assert lab.host_state('dhcp01')['services']['DHCPServer']['restarts'] == 1
    assert lab.counters('dhcp01')['writes'] == 2


def test_apply_without_restart_and_in_check_mode(lab):
    first = read(lab, 'dhcp01')
    sid = first['principals'][0]['sid']
    result = apply(lab, 'dhcp01', first['token'], add=[sid], restart=True, check_mode=True)
    assert result['restarted'] is False and lab.counters('dhcp01')['writes'] == 0
    result = apply(lab, 'dhcp01', first['token'], add=[sid])
    assert result['restarted'] is False
    assert 'restarts' not in lab.host_state('dhcp01')['services']['DHCPServer']


def test_restart_without_the_service_is_reported_not_thrown(lab):
    first = read(lab, 'dc02')
    result = apply(lab, 'dc02', first['token'], add=[first['principals'][0]['sid']], restart=True)
    assert result['changed'] is True and result['restarted'] is False
    assert "Cannot find any service with service name 'DHCPServer'" in result['restart_error']


def test_concurrent_change_makes_the_token_stale(lab):
    lab.set_faults('dhcp01', {'concurrent_change': True})
    first = read(lab, 'dhcp01')
    result = apply(lab, 'dhcp01', first['token'], add=[first['principals'][0]['sid']], restart=True)
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    assert lab.counters('dhcp01')['writes'] == 0


def test_group_is_required(lab):
    result = lab.run_module('dhcp01', MODULE, {'mode': 'read'})
    assert result['failed'] is True and 'group_sid, group_names' in result['msg']
    # Not even an empty list of names (Ansible.Basic's required_one_of counts group_names' default as given).
    result = lab.run_module('dhcp01', MODULE, {'mode': 'read', 'group_names': []})
    assert result['failed'] is True and result['msg'] == 'one of the following is required: group_sid, group_names'


def test_candidate_names_that_would_change_the_winnt_path_are_refused(lab):
    result = read(lab, 'dhcp01', names=['DHCP Users', 'DHCP Users,user'])
    assert result['failed'] is True and "Option group_names: 'DHCP Users,user' contains '/' or ','" in result['msg']


def test_group_found_by_domain_qualified_name_on_a_dc(lab):
    result = read(lab, 'dc01', names=['CORP\\DHCP Users'])
    assert result['group']['sid'] == '%s-%d' % (DOMAIN['sid'], d.RID_DHCP_USERS) and result['group']['matched_by'] == 'name'
    assert result['members'] == [{'sid': HELPDESK, 'name': 'CORP\\Helpdesk'}]
