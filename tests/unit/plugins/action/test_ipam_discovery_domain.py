# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_discovery_domain import ActionModule
from harness import RemoteScript, run_action

DOMAIN = 'corp.example.com'
ALL_ON = {'name': DOMAIN, 'discover_dc': True, 'discover_dns': True, 'discover_dhcp': True}
NOT_FOUND = 'The specified domain either does not exist or could not be contacted.'


def read_reply(domain=None, reachable=True, name=DOMAIN):
    token = 'absent' if domain is None else '%s|%s' % (domain['name'], '|'.join(
        '1' if domain[s] else '0' for s in ('discover_dc', 'discover_dns', 'discover_dhcp')))
    return {
        'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3, 'domain_sid': 'S-1-5-21-1-2-3'},
        'computer_domain': DOMAIN, 'domain': domain, 'domains': [domain['name']] if domain else [],
        'ad_domain': {'name': name, 'reachable': reachable, 'error': None if reachable else NOT_FOUND},
        'token': token,
    }


def apply_echo(args):
    if args['change'] == 'remove':
        return {'changed': True, 'domain': None}
    base = dict(ALL_ON) if args['change'] == 'add' else dict(ALL_ON, discover_dhcp=True)
    base.update({k: args[k] for k in ('discover_dc', 'discover_dns', 'discover_dhcp') if k in args})
    return {'changed': True, 'domain': base}


def test_adds_an_unconfigured_domain_with_every_switch_on():
    remote = RemoteScript(read_reply(), apply_echo)
    result = run_action(ActionModule, {'name': DOMAIN}, remote, diff=True)
    assert result['changed'] is True
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0] == {'_module': 'ipam.provisioning.ipam_discovery_domain', 'mode': 'read', 'name': DOMAIN}
    apply = remote.calls[1]
    assert apply['change'] == 'add' and apply['token'] == 'absent'
    assert (apply['discover_dc'], apply['discover_dns'], apply['discover_dhcp']) == (True, True, True)
    assert result['added'] == [DOMAIN] and result['removed'] == [] and result['updated'] == {}
    assert result['domain'] == ALL_ON
    assert result['domains'] == [DOMAIN]
    assert result['diff'] == {'before': {'discovery_domain': None}, 'after': {'discovery_domain': ALL_ON}}


def test_configured_domain_costs_one_round_trip():
    remote = RemoteScript(read_reply(dict(ALL_ON)))
    result = run_action(ActionModule, {'name': 'CORP.example.com.'}, remote)
    assert result['changed'] is False
    assert remote.modes == ['read']
    assert result['name'] == 'CORP.example.com'   # trailing dot dropped, case kept
    assert result['domain'] == ALL_ON


def test_changes_only_the_switch_that_differs():
    remote = RemoteScript(read_reply(dict(ALL_ON)), apply_echo)
    result = run_action(ActionModule, {'name': DOMAIN, 'discover_dhcp': False}, remote, diff=True)
    assert result['changed'] is True
    apply = remote.calls[1]
    assert apply['change'] == 'set' and apply['discover_dhcp'] is False
    assert 'discover_dc' not in apply and 'discover_dns' not in apply   # unchanged switches are not sent
    assert apply['token'] == 'corp.example.com|1|1|1'
    assert result['updated'] == {'discover_dhcp': False}
    assert result['diff']['after'] == {'discovery_domain': dict(ALL_ON, discover_dhcp=False)}


def test_check_mode_plans_and_writes_nothing():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'name': DOMAIN, 'discover_dc': False}, remote, check_mode=True)
    assert result['changed'] is True
    assert remote.modes == ['read']
    assert result['domain'] == dict(ALL_ON, discover_dc=False)


def test_absent_removes_the_domain_and_a_second_run_has_nothing_to_do():
    remote = RemoteScript(read_reply(dict(ALL_ON)), apply_echo)
    result = run_action(ActionModule, {'name': DOMAIN, 'state': 'absent'}, remote)
    assert result['changed'] is True and result['removed'] == [DOMAIN] and result['domain'] is None
    assert remote.calls[1]['change'] == 'remove'
    assert result['domains'] == []
    again = RemoteScript(read_reply())
    result = run_action(ActionModule, {'name': DOMAIN, 'state': 'absent'}, again)
    assert result['changed'] is False and again.modes == ['read']


def test_unknown_domain_fails_after_the_read_and_writes_nothing():
    remote = RemoteScript(read_reply(reachable=False, name='nosuch.example.invalid'))
    with pytest.raises(AnsibleActionFail, match=r"'nosuch.example.invalid' does not exist or cannot be contacted.*"
                                                r"could not be contacted.*nothing was changed"):
        run_action(ActionModule, {'name': 'nosuch.example.invalid'}, remote)
    assert remote.modes == ['read']


def test_an_unreachable_domain_can_still_be_removed():
    remote = RemoteScript(read_reply(dict(ALL_ON), reachable=False), apply_echo)
    result = run_action(ActionModule, {'name': DOMAIN, 'state': 'absent'}, remote)
    assert result['changed'] is True and remote.modes == ['read', 'apply']


@pytest.mark.parametrize('args, message', [
    ({'name': 'CORP'}, "DNS name.*not 'CORP'"),
    ({'name': 'corp..example.com'}, 'not a fully qualified DNS name'),
    ({'name': ''}, 'not a fully qualified DNS name'),
    ({}, 'name'),
    ({'name': DOMAIN, 'state': 'gone'}, 'state'),
    ({'name': DOMAIN, 'discover_dc': 'maybe'}, 'discover_dc'),
    ({'name': DOMAIN, 'change': 'add'}, 'change'),   # the internal protocol is not a user option
    ({'name': DOMAIN, 'mode': 'apply'}, 'mode'),
])
def test_bad_input_fails_before_any_round_trip(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The IPAM discovery domain 'corp.example.com' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'name': DOMAIN}, remote)
    assert info.value.code == 'changed_since_read'


def test_ipam_feature_missing_is_reported_as_the_host_says():
    failure = {'failed': True, 'error': 'not_found',
               'msg': 'the IPAM Server feature is not installed on this host: Import-Module IpamServer failed (x).'}
    remote = RemoteScript(failure)
    with pytest.raises(AnsibleActionFail, match='IPAM Server feature is not installed') as info:
        run_action(ActionModule, {'name': DOMAIN}, remote)
    assert info.value.code == 'not_found'


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'domain': dict(ALL_ON, discover_dns=False)})
    with pytest.raises(AnsibleActionFail, match='after the change IPAM reports'):
        run_action(ActionModule, {'name': DOMAIN}, remote)
