# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's model of ipam.provisioning.group_membership (tests/simulator/winsim/handlers/group_membership.py)."""
from __future__ import annotations

from winsim import defaults as d

# Every test runs against the Python model and against the module's PowerShell in pwsh (conftest.py).
RUN_IN_PWSH = True
MODULE = 'ipam.provisioning.group_membership'
DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
MONITOR = '%s-%d' % (DOMAIN_SID, d.RID_SVC_MONITOR)
IPAM = 'CORP\\IPAM01$'


def read(lab, host, group=d.EVENT_LOG_READERS, principals=(IPAM,)):
    return lab.run_module(host, MODULE, {'mode': 'read', 'group': group, 'principals': list(principals)})


def apply(lab, host, token, add=(), remove=(), group=d.EVENT_LOG_READERS, check_mode=False):
    return lab.run_module(host, MODULE, {'mode': 'apply', 'group': group, 'token': token, 'add': list(add),
                                         'remove': list(remove)}, check_mode=check_mode)


def ipam_sid(lab, host='dns01'):
    return read(lab, host)['principals'][0]['sid']


def test_read_reports_group_members_token_and_principals(lab):
    result = read(lab, 'dhcp01')
    assert result.get('failed') is None and result['changed'] is False
    assert result['group'] == {'name': 'Event Log Readers', 'sid': d.EVENT_LOG_READERS, 'scope': 'local'}
    assert result['members'] == [{'sid': MONITOR, 'name': 'CORP\\svc-monitor'}]
    assert result['token'] == MONITOR
    assert result['host']['name'] == 'DHCP01' and result['host']['domain_role'] == 3
    assert result['principals'][0]['sid'].startswith(DOMAIN_SID + '-')


def test_localized_group_name_and_lookup_by_name(lab):
    assert read(lab, 'dns01')['group']['name'] == 'Ereignisprotokollleser'
    assert read(lab, 'dns01', group='Ereignisprotokollleser')['group']['sid'] == d.EVENT_LOG_READERS
    assert read(lab, 'dns01', group='VORDEFINIERT\\Ereignisprotokollleser')['group']['sid'] == d.EVENT_LOG_READERS
    # The English name does not exist on a German host.
    assert read(lab, 'dns01', group='Event Log Readers')['group'] is None


def test_domain_controllers_share_the_domain_group(lab):
    assert read(lab, 'dc01')['group']['scope'] == 'domain'
    sid = ipam_sid(lab, 'dc01')
    first = read(lab, 'dc01')
    assert apply(lab, 'dc01', first['token'], add=[sid])['changed'] is True
    assert sid in [m['sid'] for m in read(lab, 'dc02')['members']]
    assert lab.counters('dc01')['writes'] == 1 and lab.counters('dc02')['writes'] == 0


def test_apply_adds_and_removes_by_sid_and_keeps_others(lab):
    sid = ipam_sid(lab)
    first = read(lab, 'dns01')
    result = apply(lab, 'dns01', first['token'], add=[sid])
    assert result['changed'] is True
    assert [m['sid'] for m in result['members']] == [MONITOR, sid]
    assert result['token'] == ','.join(sorted([MONITOR, sid]))
    result = apply(lab, 'dns01', result['token'], remove=[sid])
    assert [m['sid'] for m in result['members']] == [MONITOR]
    assert lab.counters('dns01')['writes'] == 2


def test_orphaned_member_is_listed_with_no_name(lab):
    orphan = '%s-%d' % (DOMAIN_SID, d.RID_ORPHANED)
    with lab.edit('nps01') as ctx:
        ctx.host['groups'][d.EVENT_LOG_READERS]['members'].append(orphan)
    assert {'sid': orphan, 'name': None} in read(lab, 'nps01')['members']


def test_windows_refusals_are_modelled(lab):
    token = read(lab, 'dhcp01')['token']
    result = apply(lab, 'dhcp01', token, add=[MONITOR])
    assert result['failed'] is True and 'already a member of the group' in result['msg']
    result = apply(lab, 'dhcp01', token, remove=[d.NETWORK_SERVICE])
    assert result['failed'] is True and 'not a member of the group' in result['msg']
    result = apply(lab, 'dhcp01', token, add=[DOMAIN_SID + '-4321'])
    assert result['failed'] is True and 'member does not exist' in result['msg']
    assert lab.counters('dhcp01')['writes'] == 0


def test_stale_token_check_mode_and_missing_group(lab):
    sid = ipam_sid(lab)
    result = apply(lab, 'dns01', 'stale', add=[sid])
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    result = apply(lab, 'dns01', read(lab, 'dns01')['token'], add=[sid], check_mode=True)
    assert result['changed'] is True and sid not in [m['sid'] for m in result['members']]
    result = apply(lab, 'dns01', '', add=[sid], group='No Such Group')
    assert result['failed'] is True and result['error'] == 'not_found' and 'No Such Group' in result['msg']
    assert lab.counters('dns01')['writes'] == 0


def test_concurrent_change_adds_an_unrelated_member(lab):
    lab.set_faults('dhcp01', {'concurrent_change': ['group_membership']})
    first = read(lab, 'dhcp01')
    result = apply(lab, 'dhcp01', first['token'], add=[ipam_sid(lab, 'dhcp01')])
    assert result['failed'] is True and result['error'] == 'changed_since_read'
    assert len(read(lab, 'dhcp01')['members']) == 2


def test_access_denied_on_write(lab):
    lab.set_faults('dhcp01', {'access_denied': 'write'})
    sid = ipam_sid(lab, 'dhcp01')
    result = apply(lab, 'dhcp01', read(lab, 'dhcp01')['token'], add=[sid])
    assert result['failed'] is True and result['error'] == 'access_denied'
    # IADsGroup::Add's COMException 0x80070005, with Windows' text in the host's language.
    assert result['msg'] == "Failed adding %s to group 'Event Log Readers': Access is denied." % sid
    assert result['partial'] == {'added': [], 'removed': []}
    lab.set_faults('dns01', {'access_denied': 'write'})
    result = apply(lab, 'dns01', read(lab, 'dns01')['token'], add=[sid])
    assert result['error'] == 'access_denied' and result['msg'].endswith(': Zugriff verweigert')


def test_a_refusal_after_a_change_reports_what_was_done(lab):
    sid = ipam_sid(lab)
    result = apply(lab, 'nps01', read(lab, 'nps01')['token'], add=[sid], remove=[d.NETWORK_SERVICE])
    assert result['failed'] is True and result['error'] == 'invalid_state'
    assert result['msg'] == ("Failed removing %s from group 'Event Log Readers': The specified account name is not a "
                             'member of the group.' % d.NETWORK_SERVICE)
    assert result['partial'] == {'added': [sid], 'removed': []}
    assert sid in [m['sid'] for m in read(lab, 'nps01')['members']]
    assert lab.counters('nps01')['writes'] == 1


def test_names_that_would_change_the_winnt_path_are_refused(lab):
    # WinNT://HOST/<name>,group: a ',' names another class, a '/' another container (ADSI path injection).
    for group in ('Event Log Readers,user', 'DHCP01/Administrators'):
        result = read(lab, 'dhcp01', group=group)
        assert result['failed'] is True and result.get('error') is None
        assert "Option group: '%s' contains '/' or ','" % group in result['msg']
    assert lab.counters('dhcp01')['writes'] == 0


def test_a_builtin_group_under_the_computer_name_resolves_by_its_bare_name(lab):
    # Windows does not map 'DHCP01\Remote Management Users' (the group is BUILTIN's, windows-api.md R2);
    # the module retries the bare name and keeps it only when it is a builtin group.
    with lab.edit('dhcp01') as ctx:
        assert ctx.directory.lookup('DHCP01\\Remote Management Users') is None
    principals = read(lab, 'dhcp01', principals=('.\\Remote Management Users', 'DHCP01\\Remote Management Users',
                                                 '.\\IPAMUG'))['principals']
    assert [p['sid'] for p in principals[:2]] == [d.REMOTE_MANAGEMENT_USERS] * 2
    # A domain group of that bare name is not taken for a local one.
    assert principals[2]['sid'] is None and principals[2]['error']
