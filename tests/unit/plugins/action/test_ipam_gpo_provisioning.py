# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_gpo_provisioning import ActionModule
from harness import RemoteScript, run_action

D = 'S-1-5-21-1004336348-1177238915-682003330'
DC01 = {'input': 'dc01.corp.example.com', 'sid': D + '-1200', 'name': 'CORP\\DC01$', 'sam': 'DC01$', 'error': None}
DHCP01 = {'input': 'dhcp01.corp.example.com', 'sid': D + '-1202', 'name': 'CORP\\DHCP01$', 'sam': 'DHCP01$', 'error': None}
HELPDESK = {'input': 'CORP\\Helpdesk', 'sid': D + '-1108', 'name': 'CORP\\Helpdesk', 'error': None}
IPAMUG = {'sid': D + '-1105', 'name': 'CORP\\IPAMUG', 'type': 'Group', 'level': 'GpoEditDeleteModifySecurity'}
SUFFIXES = ('DHCP', 'DNS', 'DC_NPS')
ARGS = {'domain': 'corp.example.com', 'gpo_prefix': 'IPAM',
        'managed_servers': [{'name': 'dc01.corp.example.com', 'server_types': ['dc', 'dns']},
                            {'name': 'dhcp01.corp.example.com', 'server_types': ['dhcp']}]}


def applied(server):
    return {'sid': server['sid'], 'name': server['name'], 'type': 'Computer', 'level': 'GpoApply'}


def gpo(suffix, *permissions, exists=True, ours=True, prefix='IPAM'):
    return {'name': '%s_%s' % (prefix, suffix), 'suffix': suffix, 'exists': exists,
            'id': '{%s}' % suffix if exists else None, 'created_by_collection': exists and ours,
            'permissions': [IPAMUG] + list(permissions) if exists else []}


def fresh():
    return [gpo(s, exists=False) for s in SUFFIXES]


def provisioned(ours=True):
    """The GPOs as ARGS wants them."""
    return [gpo('DHCP', applied(DHCP01), ours=ours), gpo('DNS', applied(DC01), ours=ours),
            gpo('DC_NPS', applied(DC01), ours=ours)]


def read_reply(gpos, *, servers=(DC01, DHCP01), principals=(), method='Manual', configured=None, others=(),
               installed=True, domain_exists=True):
    return {
        'changed': False, 'token': 'opaque-token', 'host': {'name': 'IPAM01', 'domain_role': 3},
        'ipam': {'installed': installed, 'provisioning_method': method if installed else None, 'gpo_prefix': configured,
                 'error': None if installed else "The specified module 'IpamServer' was not loaded"},
        'domain': {'name': 'corp.example.com', 'exists': domain_exists, 'dn': 'DC=corp,DC=example,DC=com',
                   'error': None if domain_exists else 'The specified domain either does not exist or could not be contacted.'},
        'gpos': gpos if domain_exists else [], 'servers': [dict(s) for s in servers],
        'principals': [dict(p) for p in principals], 'ipam_like_gpos': list(others),
    }


def apply_reply(gpos):
    return {'changed': True, 'token': 'new', 'gpos': gpos}


def test_check_mode_plans_provisioning_and_filtering_in_one_round_trip():
    remote = RemoteScript(read_reply(fresh()))
    result = run_action(ActionModule, ARGS, remote, check_mode=True, diff=True)
    assert remote.modes == ['read']
    assert result['changed'] and result['provisioned']
    assert result['actions'] == [
        'Invoke-IpamGpoProvisioning -Domain corp.example.com -GpoPrefixName IPAM -Force',
        'Set-GPPermission -Name IPAM_DHCP -TargetName DHCP01 -TargetType Computer -PermissionLevel GpoApply',
        'Set-GPPermission -Name IPAM_DNS -TargetName DC01 -TargetType Computer -PermissionLevel GpoApply',
        'Set-GPPermission -Name IPAM_DC_NPS -TargetName DC01 -TargetType Computer -PermissionLevel GpoApply',
    ]
    assert [g['security_filtering'] for g in result['gpos']] == [['CORP\\DHCP01$'], ['CORP\\DC01$'], ['CORP\\DC01$']]
    assert result['diff']['before']['IPAM_DNS'] == {'exists': False, 'security_filtering': []}
    assert result['diff']['after']['IPAM_DNS'] == {'exists': True, 'security_filtering': ['CORP\\DC01$']}
    assert len(result['side_effects']) == 4 and 'MicrosoftDNS' in result['side_effects'][1]


def test_provisioning_sends_the_exact_plan():
    remote = RemoteScript(read_reply(fresh(), principals=[HELPDESK]), apply_reply(provisioned()))
    args = dict(ARGS, delegated_gpo_groups=['CORP\\Helpdesk'], ipam_server_fqdn='ipam01.corp.example.com')
    result = run_action(ActionModule, args, remote)
    assert remote.calls[0] == {'_module': 'ipam.provisioning.ipam_gpo_provisioning', 'mode': 'read',
                               'domain': 'corp.example.com', 'gpo_prefix': 'IPAM', 'principals': ['CORP\\Helpdesk'],
                               'servers': ['dc01.corp.example.com', 'dhcp01.corp.example.com']}
    apply = remote.calls[1]
    assert apply['provision'] is True and apply['record_created'] is True and apply['token'] == 'opaque-token'
    assert apply['ipam_server_fqdn'] == 'ipam01.corp.example.com' and apply['delegated_gpo_groups'] == ['CORP\\Helpdesk']
    assert 'delegated_gpo_users' not in apply and 'delete' not in apply
    assert apply['permissions'] == [
        {'gpo': 'IPAM_DHCP', 'target': 'DHCP01', 'target_type': 'Computer', 'level': 'GpoApply'},
        {'gpo': 'IPAM_DNS', 'target': 'DC01', 'target_type': 'Computer', 'level': 'GpoApply'},
        {'gpo': 'IPAM_DC_NPS', 'target': 'DC01', 'target_type': 'Computer', 'level': 'GpoApply'},
    ]
    assert [g['id'] for g in result['gpos']] == ['{DHCP}', '{DNS}', '{DC_NPS}']   # as the host reports them
    assert result['actions'][0].endswith('-IpamServerFqdn ipam01.corp.example.com -DelegatedGpoGroup CORP\\Helpdesk -Force')


def test_compliant_gpos_are_one_round_trip():
    remote = RemoteScript(read_reply(provisioned()))
    result = run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']
    assert result['changed'] is False and result['provisioned'] is False and result['actions'] == []


def test_unmanaged_server_leaves_the_gpos_of_its_types_only():
    remote = RemoteScript(read_reply(provisioned()), apply_reply([gpo('DHCP'), gpo('DNS', applied(DC01)),
                                                                  gpo('DC_NPS', applied(DC01))]))
    args = dict(ARGS, managed_servers=ARGS['managed_servers'][:1],
                unmanaged_servers=[{'name': 'dhcp01.corp.example.com'}])
    result = run_action(ActionModule, args, remote, diff=True)
    assert remote.calls[1]['permissions'] == [{'gpo': 'IPAM_DHCP', 'target': 'DHCP01', 'target_type': 'Computer',
                                               'level': 'None'}]
    assert result['removed'] == [{'gpo': 'IPAM_DHCP', 'name': 'CORP\\DHCP01$', 'sid': DHCP01['sid'], 'permission': 'GpoApply'}]
    assert result['actions'] == ['Set-GPPermission -Name IPAM_DHCP -TargetName DHCP01 -TargetType Computer '
                                 '-PermissionLevel None -Replace']
    assert result['diff']['after']['IPAM_DHCP']['security_filtering'] == []


def test_managed_server_leaves_the_gpos_of_types_it_no_longer_has():
    gpos = provisioned()
    remote = RemoteScript(read_reply(gpos), apply_reply(gpos))
    args = dict(ARGS, managed_servers=[{'name': 'dc01.corp.example.com', 'server_types': ['dc']}, ARGS['managed_servers'][1]])
    with pytest.raises(AnsibleActionFail, match='security filtering of GPO IPAM_DNS'):   # the scripted host did nothing
        run_action(ActionModule, args, remote)
    assert remote.calls[1]['permissions'] == [{'gpo': 'IPAM_DNS', 'target': 'DC01', 'target_type': 'Computer', 'level': 'None'}]


def test_unlisted_servers_are_left_alone():
    other = {'sid': D + '-1299', 'name': 'CORP\\OTHER$', 'type': 'Computer', 'level': 'GpoApply'}
    gpos = provisioned()
    gpos[0]['permissions'].append(other)
    remote = RemoteScript(read_reply(gpos))
    result = run_action(ActionModule, ARGS, remote)
    assert result['changed'] is False
    assert result['gpos'][0]['security_filtering'] == ['CORP\\DHCP01$', 'CORP\\OTHER$']


def test_missing_delegation_is_added_to_existing_gpos():
    gpos = provisioned()
    gpos[1]['permissions'].append({'sid': HELPDESK['sid'], 'name': 'CORP\\Helpdesk', 'type': 'Group',
                                   'level': 'GpoEditDeleteModifySecurity'})
    remote = RemoteScript(read_reply(gpos, principals=[HELPDESK]), apply_reply(gpos))
    run_action(ActionModule, dict(ARGS, delegated_gpo_groups=['CORP\\Helpdesk']), remote)
    assert remote.calls[1]['permissions'] == [
        {'gpo': 'IPAM_DHCP', 'target': 'Helpdesk', 'target_type': 'Group', 'level': 'GpoEditDeleteModifySecurity'},
        {'gpo': 'IPAM_DC_NPS', 'target': 'Helpdesk', 'target_type': 'Group', 'level': 'GpoEditDeleteModifySecurity'},
    ]
    assert 'provision' not in remote.calls[1]


def test_partial_gpo_set_fails_after_one_read():
    gpos = [gpo('DHCP', exists=False), gpo('DNS', ours=False), gpo('DC_NPS', exists=False)]
    remote = RemoteScript(read_reply(gpos))
    with pytest.raises(AnsibleActionFail, match=r'IPAM_DNS exist\(s\) but IPAM_DHCP, IPAM_DC_NPS do\(es\) not.*'
                                                r'fails when any of the three exists.*nothing was changed'):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_ipam_provisioned_with_another_prefix_fails():
    remote = RemoteScript(read_reply(fresh(), method='Automatic', configured='IPAMGPO'))
    with pytest.raises(AnsibleActionFail, match="provisioned for the GPO method with prefix 'IPAMGPO'.*gpo_prefix: IPAMGPO"):
        run_action(ActionModule, ARGS, remote)
    assert remote.modes == ['read']


def test_ipam_provisioned_with_this_prefix_is_fine():
    remote = RemoteScript(read_reply(provisioned(), method='Automatic', configured='ipam'))
    assert run_action(ActionModule, ARGS, remote)['changed'] is False


def test_another_complete_gpo_set_is_warned_about():
    others = ['IPAM2_DC_NPS', 'IPAM2_DHCP', 'IPAM2_DNS', 'Lonely_DHCP']
    remote = RemoteScript(read_reply(fresh(), others=others))
    result = run_action(ActionModule, ARGS, remote, check_mode=True)
    assert len(result['warnings']) == 1 and 'prefix(es) IPAM2;' in result['warnings'][0]


@pytest.mark.parametrize('reply, message', [
    (read_reply(fresh(), installed=False), 'is not an IPAM server.*IpamServer'),
    (read_reply(fresh(), domain_exists=False), "domain 'corp.example.com' does not exist or cannot be contacted"),
    (read_reply(fresh(), servers=[DC01, dict(DHCP01, sid=None, sam=None, name=None,
                                             error='No computer account with dNSHostName dhcp01.corp.example.com.')]),
     "server 'dhcp01.corp.example.com' \\(managed_servers\\) has no computer account"),
    (read_reply(fresh(), principals=[{'input': 'CORP\\nosuch', 'sid': None, 'name': None, 'error': 'No mapping'}]),
     "'CORP\\\\nosuch' could not be resolved"),
    (read_reply(fresh(), principals=[{'input': 'CORP\\Domain Users', 'sid': D + '-513', 'name': 'CORP\\Domain Users',
                                      'error': None}]), 'Domain Users'),
])
def test_host_problems_fail_after_one_read(reply, message):
    remote = RemoteScript(reply)
    args = dict(ARGS, delegated_gpo_groups=[p['input'] for p in reply['principals']])
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.modes == ['read']


def test_absent_deletes_the_gpos_it_created_and_warns_about_tattooing():
    remote = RemoteScript(read_reply(provisioned()), apply_reply(fresh()))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote, diff=True)
    apply = remote.calls[1]
    assert apply['delete'] == ['{DHCP}', '{DNS}', '{DC_NPS}'] and apply['record_created'] is False
    assert 'permissions' not in apply and 'provision' not in apply
    assert result['deleted'] == ['IPAM_DHCP', 'IPAM_DNS', 'IPAM_DC_NPS']
    assert len(result['removed']) == 3
    assert 'stay after the GPOs are deleted' in result['warnings'][0]
    assert all(not g['exists'] for g in result['gpos'])


def test_absent_leaves_foreign_gpos_and_removes_only_the_listed_servers():
    remote = RemoteScript(read_reply(provisioned(ours=False)), apply_reply([gpo(s, ours=False) for s in SUFFIXES]))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    apply = remote.calls[1]
    assert 'delete' not in apply and 'record_created' not in apply
    assert [p['level'] for p in apply['permissions']] == ['None', 'None', 'None']
    assert result['deleted'] == [] and len(result['warnings']) == 3
    assert all(g['exists'] and g['security_filtering'] == [] for g in result['gpos'])


def test_absent_with_nothing_to_do_is_one_round_trip():
    remote = RemoteScript(read_reply(fresh()))
    result = run_action(ActionModule, dict(ARGS, state='absent'), remote)
    assert remote.modes == ['read'] and result['changed'] is False


def test_remote_compare_and_swap_failure_is_surfaced():
    failed = {'failed': True, 'error': 'changed_since_read',
              'msg': 'The GPOs IPAM_DHCP, IPAM_DNS and IPAM_DC_NPS changed between read and apply; nothing was written.'}
    remote = RemoteScript(read_reply(fresh()), failed)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, ARGS, remote)
    assert info.value.code == 'changed_since_read'


@pytest.mark.parametrize('args, message', [
    (dict(ARGS, gpo_prefix='IPAM_'), "ends with '_'"),
    (dict(ARGS, gpo_prefix='IPAM_DHCP'), "looks like a GPO name.*'IPAM' makes IPAM_DHCP, IPAM_DNS, IPAM_DC_NPS"),
    (dict(ARGS, gpo_prefix='ipam_dc_nps'), 'looks like a GPO name'),
    (dict(ARGS, gpo_prefix='IPAM/GPO'), 'must start with a letter or digit'),
    (dict(ARGS, gpo_prefix=''), 'must start with a letter or digit'),
    (dict(ARGS, domain='CORP'), 'not a DNS domain name'),
    (dict(ARGS, ipam_server_fqdn='ipam01'), 'short name'),
    (dict(ARGS, managed_servers=[{'name': 'dhcp01', 'server_types': ['dhcp']}]), 'short name'),
    (dict(ARGS, managed_servers=[{'name': 'dhcp01.corp.example.com'}]), 'needs server_types'),
    (dict(ARGS, managed_servers=[{'name': 'dhcp01.corp.example.com', 'server_types': ['wins']}]), 'server_types'),
    (dict(ARGS, unmanaged_servers=[{'name': 'DHCP01.corp.example.com.'}]), 'listed twice'),
    (dict(ARGS, managed_servers=[{'name': 'dhcp01.corp.example.com', 'server_types': ['dhcp'], 'owner': 'x'}]), 'owner'),
    (dict(ARGS, delegated_gpo_users='CORP\\a,CORP\\b'), 'comma-separated'),
    ({'gpo_prefix': 'IPAM'}, 'domain'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply(fresh()))
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_argument_spec_matches_the_documentation():
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.ipam_gpo_provisioning'], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.ipam_gpo_provisioning']['doc']['options']
    assert set(documented) == set(ActionModule.ARGUMENT_SPEC)
    for name, spec in ActionModule.ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc.get('type', 'str') == spec.get('type', 'str'), name
        assert doc.get('elements') == spec.get('elements'), name
        assert bool(doc.get('required')) == bool(spec.get('required')), name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
        for sub, sub_spec in (spec.get('options') or {}).items():
            sub_doc = doc['suboptions'][sub]
            assert sub_doc.get('type', 'str') == sub_spec.get('type', 'str'), (name, sub)
            assert bool(sub_doc.get('required')) == bool(sub_spec.get('required')), (name, sub)
            assert sub_doc.get('choices') == sub_spec.get('choices'), (name, sub)
