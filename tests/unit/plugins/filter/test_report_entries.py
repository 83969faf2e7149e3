# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_report_entry, ipam_report_entries and ipam_follower_entries: the entries of docs/design.md section 6."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter.ipam_follower_entries import ipam_follower_entries
from ansible_collections.ipam.provisioning.plugins.filter.ipam_report_entries import ipam_report_entries
from ansible_collections.ipam.provisioning.plugins.filter.ipam_report_entry import ipam_report_entry
from ansible_collections.ipam.provisioning.plugins.filter.ipam_settings import ipam_settings

SETTINGS = {s['id']: s for s in ipam_settings(['dhcp', 'dns', 'dc'], domain_role=5)}
KEYS = {'host', 'setting', 'title', 'server_types', 'scope', 'access_type', 'state', 'status', 'check_mode', 'changes', 'msg'}


def item(setting_id, **result):
    return dict(result, ansible_loop_var='ipam_planned_setting', ipam_planned_setting=SETTINGS[setting_id])


def entries(results, check_mode=False, state='present'):
    return ipam_report_entries(results, host='dc01', state=state, check_mode=check_mode)


def test_entry_has_exactly_the_contract_keys():
    entry = ipam_report_entry(SETTINGS['dhcp_service_acl'], host='dc01', state='present', check_mode=True, status='compliant')
    assert set(entry) == KEYS
    assert entry == {
        'host': 'dc01', 'setting': 'dhcp_service_acl', 'title': SETTINGS['dhcp_service_acl']['title'],
        'server_types': ['dhcp'], 'scope': 'host', 'access_type': 'service', 'state': 'present',
        'status': 'compliant', 'check_mode': True, 'changes': {'added': [], 'removed': []}, 'msg': '',
    }


def test_not_applicable_entry_takes_the_reason_of_the_setting():
    setting = next(s for s in ipam_settings(['dns'], 3) if s['action'] == 'not_applicable')
    entry = ipam_report_entry(setting, host='dns01', state='present', check_mode=False, status='not_applicable')
    assert entry['msg'] == setting['reason']


def test_unknown_status_is_refused():
    with pytest.raises(AnsibleFilterError, match='status'):
        ipam_report_entry(SETTINGS['dhcp_service_acl'], host='dc01', state='present', check_mode=False, status='ok')


@pytest.mark.parametrize('check_mode, changed, status', [
    (False, False, 'compliant'), (False, True, 'changed'), (True, False, 'compliant'), (True, True, 'drift'),
])
def test_status_from_changed_and_check_mode(check_mode, changed, status):
    ace = '(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1205)'
    result = entries([item('dhcp_service_acl', changed=changed, added=[ace] if changed else [], removed=[])], check_mode)
    assert [e['status'] for e in result] == [status]
    assert result[0]['changes'] == {'added': [ace] if changed else [], 'removed': []}
    assert result[0]['check_mode'] is check_mode


def test_failed_and_skipped_items():
    result = entries([
        item('dhcp_service_acl', failed=True, msg='dhcp_service_acl: service_acl on dc01: Access is denied.'),
        item('dns_service_acl', skipped=True),
        item('dns_firewall', changed=False, enabled=[], disabled=[]),
    ])
    assert [(e['setting'], e['status']) for e in result] == [('dhcp_service_acl', 'failed'), ('dns_firewall', 'compliant')]
    assert result[0]['msg'].endswith('Access is denied.')


MEMBER_SETTINGS = {s['id']: s for s in ipam_settings(['dhcp', 'dns'], domain_role=3)}


@pytest.mark.parametrize('settings, reported, scope', [
    (SETTINGS, 'host', 'domain'),          # failed before reading a DC: access_setting had only the catalog's scope
    (SETTINGS, 'domain', 'domain'),
    (MEMBER_SETTINGS, 'host', 'host'),
    (SETTINGS, None, 'domain'),            # no ipam_setting at all (unreachable)
])
def test_a_failed_domain_wide_setting_keeps_the_domain_scope(settings, reported, scope):
    result = dict(failed=True, msg='event_log_readers: group_membership on dc01: Access is denied.',
                  ansible_loop_var='ipam_planned_setting', ipam_planned_setting=settings['event_log_readers'])
    if reported is not None:
        result['ipam_setting'] = {'scope': reported, 'check_mode': False}
    assert [e['scope'] for e in entries([result])] == [scope]


def test_a_successful_entry_takes_the_scope_the_host_reported():
    result = entries([item('event_log_readers', changed=False, added=[], removed=[], ipam_setting={'scope': 'host'})])
    assert result[0]['scope'] == 'host'


def test_changes_are_text_whatever_the_module():
    members = entries([item('event_log_readers', changed=True, domain_wide=True, ipam_setting_scope=None,
                            added=[{'sid': 'S-1-5-21-1-2-3-1205', 'name': 'CORP\\IPAM01$'}], removed=[],
                            ipam_setting={'scope': 'domain'})])
    assert members[0]['changes']['added'] == ['CORP\\IPAM01$']
    assert members[0]['scope'] == 'domain'
    share = entries([item('dhcpaudit_share', changed=True, created=True, name='dhcpaudit', path='C:\\Windows\\system32\\dhcp',
                          added=[{'sid': 'S-1', 'name': 'CORP\\IPAM01$', 'type': 'Allow', 'right': 'Read'}],
                          removed=[{'sid': 'S-1-1-0', 'name': 'Everyone', 'type': 'Allow', 'right': 'Read'}])])
    assert share[0]['changes'] == {'added': ['share dhcpaudit (C:\\Windows\\system32\\dhcp)', 'CORP\\IPAM01$: Allow Read'],
                                   'removed': ['Everyone: Allow Read']}
    firewall = entries([item('dns_firewall', changed=True, enabled=[], disabled=['DNSSrv-RPC-TCP-In'],
                             kept=[{'name': 'RemoteEventLogSvc-In-TCP'}])], state='absent')
    assert firewall[0]['changes'] == {'added': [], 'removed': ['DNSSrv-RPC-TCP-In']}
    assert 'RemoteEventLogSvc-In-TCP' in firewall[0]['msg']


def test_ownership_notes():
    member = {'sid': 'S-1-5-21-1-2-3-1200', 'name': 'CORP\\IPAM01$'}
    audit = entries([item('event_log_readers', changed=False, pre_existing=[member])], check_mode=True)
    assert audit[0]['status'] == 'compliant'
    assert audit[0]['msg'] == 'granted before this collection (removal keeps it): CORP\\IPAM01$'
    removal = entries([item('event_log_readers', changed=False, pre_existing=[member],
                            kept=[dict(member, reason='not recorded')])], state='absent')
    assert removal[0]['msg'] == ('left in place (granted before this collection, not in its ownership record): '
                                 'CORP\\IPAM01$')
    gone = entries([item('dns_service_acl', changed=True, forgotten=['(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1200)'])],
                   state='absent')
    assert gone[0]['status'] == 'changed' and gone[0]['changes'] == {'added': [], 'removed': []}
    assert gone[0]['msg'] == ('already removed by someone else, so only dropped from the ownership record: '
                              '(A;;CCLCSWLOCRRC;;;S-1-5-21-1-2-3-1200)')


def test_restart_notes():
    needed = entries([item('dhcp_users', changed=True, restart_required=True, restarted=False)])
    assert 'restart the DHCPServer service' in needed[0]['msg']
    done = entries([item('dhcp_users', changed=True, restart_required=False, restarted=True)])
    assert done[0]['msg'] == 'the DHCPServer service was restarted'


def test_a_loop_item_that_is_not_a_setting_is_refused():
    with pytest.raises(AnsibleFilterError, match='not a setting'):
        entries([{'ansible_loop_var': 'item', 'item': 'dhcp_service_acl', 'changed': False}])


# ---------------------------------------------------------------------------- followers
def leader_vars(status, msg=''):
    entry = ipam_report_entry(SETTINGS['event_log_readers'], host='dc01', state='present', check_mode=False, status=status, msg=msg)
    return {'dc01': {'ipam_run_entries': [entry]}, 'dc02': {}}


def follow(hostvars, state='present'):
    setting = dict(SETTINGS['event_log_readers'], action='follow', leader='dc01')
    return ipam_follower_entries([setting], hostvars, host='dc02', state=state, check_mode=False)


@pytest.mark.parametrize('leader_status, status, msg', [
    ('compliant', 'compliant', 'applied via dc01'),
    ('changed', 'compliant', 'applied via dc01'),
    ('drift', 'drift', 'drift found via dc01'),
    ('failed', 'failed', 'failed on dc01: Access is denied.'),
])
def test_follower_mirrors_the_leader(leader_status, status, msg):
    result = follow(leader_vars(leader_status, 'Access is denied.' if leader_status == 'failed' else ''))
    assert len(result) == 1
    assert result[0]['host'] == 'dc02' and result[0]['status'] == status and result[0]['scope'] == 'domain'
    assert msg in result[0]['msg']
    assert result[0]['changes'] == {'added': [], 'removed': []}   # the change is the leader's, listed once


def test_follower_of_a_removal_says_removed():
    assert follow(leader_vars('changed'), state='absent')[0]['msg'] == 'removed via dc01'


def test_follower_without_a_leader_entry_is_failed_never_compliant():
    result = follow({'dc01': {'ipam_run_entries': []}})
    assert result[0]['status'] == 'failed' and 'dc01' in result[0]['msg']
    assert follow({})[0]['status'] == 'failed'


def test_check_mode_of_the_result_wins():
    # A play's check_mode keyword does not change ansible_check_mode; access_setting says what it ran in.
    result = entries([item('dhcp_service_acl', changed=True, ipam_setting={'scope': 'host', 'check_mode': True})],
                     check_mode=False)
    assert result[0]['status'] == 'drift' and result[0]['check_mode'] is True
