# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_access_entries: IPAM's access status as report entries, with the time IPAM checked and whether it is stale."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter.ipam_access_entries import ipam_access_entries

CHECKED = '2026-12-01T08:00:00Z'
DHCP = {'host': 'dhcp01', 'fqdn': 'dhcp01.corp.example.com', 'state': 'present', 'server_types': ['dhcp'],
        'dns_standalone_admin': False}
DNS = {'host': 'dns01', 'fqdn': 'dns01.corp.example.com', 'state': 'present', 'server_types': ['dns'],
       'dns_standalone_admin': False}


def access(**statuses):
    server = {'name': 'DHCP01.corp.example.com', 'overall': 'Unblocked', 'recommended_action': 'Unblock IPAM Access',
              'dhcp_rpc': 'Unblocked', 'dns_rpc': 'Not applicable', 'dhcp_audit_share': 'Unblocked',
              'event_log': 'Unblocked'}
    server.update(statuses)
    return {'servers': [server], 'discovery_task': {'state': 'Ready', 'last_run_time': CHECKED}}


def own(setting, access_type, status):
    return {'host': 'dhcp01', 'setting': setting, 'access_type': access_type, 'status': status}


def entries(result, **kwargs):
    return {e['setting']: e for e in ipam_access_entries([DHCP], result, **kwargs)}


def test_each_access_type_a_server_needs_says_when_ipam_checked():
    found = entries(access(), hostvars={})
    assert list(found) == ['ipam_access_dhcp_rpc', 'ipam_access_dhcp_audit_share', 'ipam_access_event_log']
    for entry in found.values():
        assert entry['status'] == 'compliant' and entry['ipam_checked_at'] == CHECKED
        assert entry['msg'] == 'IPAM reports Unblocked (last checked at %s)' % CHECKED
        assert entry['ipam_status_stale'] is False


def test_unblocked_while_a_setting_is_not_in_place_is_stale_drift():
    hostvars = {'dhcp01': {'ipam_report_entries': [own('dhcp_users', 'dhcp_rpc', 'drift'),
                                                   own('dhcp_service_acl', 'dhcp_rpc', 'compliant')]}}
    found = entries(access(), hostvars=hostvars, check_mode=True)
    rpc = found['ipam_access_dhcp_rpc']
    assert rpc['status'] == 'drift' and rpc['ipam_status'] == 'Unblocked' and rpc['ipam_status_stale'] is True
    assert ('stale: IPAM last checked at %s, but dhcp_users is not in place now; IPAM will report Blocked at its '
            'next check' % CHECKED) in rpc['msg']
    assert found['ipam_access_event_log']['ipam_status_stale'] is False


def test_a_status_older_than_this_runs_change_is_stale_unless_ipam_checked_again():
    hostvars = {'dhcp01': {'ipam_report_entries': [own('dhcp_audit_share', 'dhcp_audit_share', 'changed')]}}
    share = entries(access(dhcp_audit_share='Blocked'), hostvars=hostvars)['ipam_access_dhcp_audit_share']
    assert share['status'] == 'drift' and share['ipam_status_stale'] is True
    assert 'before this run changed dhcp_audit_share' in share['msg'] and 'Unblock IPAM Access' in share['msg']
    fresh = entries(access(dhcp_audit_share='Blocked'), hostvars=hostvars, refreshed=True)['ipam_access_dhcp_audit_share']
    assert fresh['ipam_status_stale'] is False and 'stale' not in fresh['msg']


def test_blocked_while_everything_is_in_place_may_be_stale():
    hostvars = {'dhcp01': {'ipam_report_entries': [own('eventlog_readers', 'event_log', 'compliant')]}}
    log = entries(access(event_log='Blocked'), hostvars=hostvars)['ipam_access_event_log']
    assert log['status'] == 'drift' and log['ipam_status_stale'] is True and 'possibly stale' in log['msg']


def test_without_the_servers_own_entries_nothing_is_judged():
    # ipam_server.yml on its own: the managed servers did not run, so IPAM's word is all there is.
    log = entries(access(event_log='Blocked'), hostvars={'dhcp01': {}})['ipam_access_event_log']
    assert log['ipam_status_stale'] is False and log['status'] == 'drift'


def test_dns_rpc_blocked_on_a_member_dns_server_is_the_documented_opt_in():
    result = {'servers': [{'name': 'dns01.corp.example.com', 'dns_rpc': 'Blocked', 'event_log': 'Unblocked'}],
              'discovery_task': {'last_run_time': None}}
    found = {e['setting']: e for e in ipam_access_entries([DNS], result, hostvars={})}
    assert found['ipam_access_dns_rpc']['status'] == 'not_applicable'
    assert found['ipam_access_dns_rpc']['opt_in'] == 'ipam_dns_standalone_admin'
    assert 'its ServerDiscovery task has not run' in found['ipam_access_event_log']['msg']


def test_a_server_ipam_did_not_report_gets_no_entry():
    assert ipam_access_entries([DNS], access(), hostvars={}) == []


@pytest.mark.parametrize('plan, result, message', [
    ('dhcp01', access(), 'expected the list of servers'),
    ([DHCP], None, 'access must be a dict'),
])
def test_bad_input_is_named(plan, result, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ipam_access_entries(plan, result, hostvars={})
