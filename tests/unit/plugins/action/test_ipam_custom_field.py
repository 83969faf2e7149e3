# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.ipam_custom_field import ActionModule
from harness import RemoteScript, run_action


def field(name, values=(), multivalue=True, category='UserDefined', builtin=()):
    return {'name': name, 'category': category, 'multivalue': multivalue,
            'values': [{'value': v, 'category': 'BuiltIn' if v in builtin else 'UserDefined'} for v in values]}


def read_reply(view=None):
    return {'changed': False, 'host': {'name': 'IPAM01', 'domain_role': 3}, 'field': view, 'token': 'tok'}


def apply_echo(read_view):
    def apply(args):
        view = None if read_view is None else dict(read_view, values=list(read_view['values']))
        if args.get('create'):
            view = field(args['name'], (), bool(args.get('multivalue')))
        for value in args.get('add_values') or []:
            view['values'].append({'value': value, 'category': 'UserDefined'})
        remove = {v.casefold() for v in args.get('remove_values') or []}
        if view is not None:
            view['values'] = [v for v in view['values'] if v['value'].casefold() not in remove]
        if args.get('delete'):
            view = None
        return {'changed': True, 'field': view}
    return apply


def test_creates_a_multivalued_field_with_its_values():
    remote = RemoteScript(read_reply(), apply_echo(None))
    result = run_action(ActionModule, {'name': 'Datacenter', 'values': ['Berlin', 'Frankfurt', 'berlin']}, remote, diff=True)
    assert result['changed'] is True and remote.modes == ['read', 'apply']
    apply = remote.calls[1]
    assert apply['create'] is True and apply['multivalue'] is True and apply['token'] == 'tok'
    assert apply['add_values'] == ['Berlin', 'Frankfurt']   # duplicates differing in case collapse
    assert result['created'] is True and result['added'] == ['Berlin', 'Frankfurt']
    assert result['field'] == {'name': 'Datacenter', 'category': 'UserDefined', 'multivalue': True,
                               'values': ['Berlin', 'Frankfurt']}
    assert result['diff']['before'] == {'field': None}


def test_creates_a_free_form_field_without_values():
    remote = RemoteScript(read_reply(), apply_echo(None))
    result = run_action(ActionModule, {'name': 'ChangeTicket'}, remote)
    assert remote.calls[1]['create'] is True and 'multivalue' in remote.calls[1] and not remote.calls[1]['multivalue']
    assert result['field']['multivalue'] is False


def test_existing_field_with_all_values_costs_one_round_trip():
    remote = RemoteScript(read_reply(field('Datacenter', ['Berlin', 'Frankfurt', 'Paris'])))
    result = run_action(ActionModule, {'name': 'datacenter', 'multivalue': True, 'values': ['frankfurt']}, remote)
    assert result['changed'] is False and remote.modes == ['read']
    assert result['field']['values'] == ['Berlin', 'Frankfurt', 'Paris']   # values not listed stay


def test_adds_only_missing_values_to_a_builtin_field():
    view = field('ManagedByService', ['IPAM', 'MS DHCP'], category='BuiltIn', builtin=('IPAM', 'MS DHCP'))
    remote = RemoteScript(read_reply(view), apply_echo(view))
    result = run_action(ActionModule, {'name': 'ManagedByService', 'values': ['ipam', 'Contoso DHCP']}, remote)
    assert remote.calls[1]['add_values'] == ['Contoso DHCP'] and 'create' not in remote.calls[1]
    assert result['added'] == ['Contoso DHCP']


def test_absent_with_values_removes_exactly_those():
    view = field('Datacenter', ['Berlin', 'Frankfurt'])
    remote = RemoteScript(read_reply(view), apply_echo(view))
    result = run_action(ActionModule, {'name': 'Datacenter', 'values': ['FRANKFURT', 'Rome'], 'state': 'absent'}, remote)
    assert remote.calls[1]['remove_values'] == ['Frankfurt'] and 'delete' not in remote.calls[1]
    assert result['removed'] == ['Frankfurt'] and result['field']['values'] == ['Berlin']


def test_absent_without_values_removes_the_field_then_nothing_left():
    view = field('Datacenter', ['Berlin'])
    remote = RemoteScript(read_reply(view), apply_echo(view))
    result = run_action(ActionModule, {'name': 'Datacenter', 'state': 'absent'}, remote)
    assert remote.calls[1]['delete'] is True and result['deleted'] is True and result['field'] is None
    again = RemoteScript(read_reply())
    assert run_action(ActionModule, {'name': 'Datacenter', 'state': 'absent'}, again)['changed'] is False


def test_check_mode_writes_nothing():
    remote = RemoteScript(read_reply())
    result = run_action(ActionModule, {'name': 'Datacenter', 'values': ['Berlin']}, remote, check_mode=True)
    assert result['changed'] is True and remote.modes == ['read'] and result['created'] is True


@pytest.mark.parametrize('view, args, message', [
    (field('AdSite', multivalue=False, category='BuiltIn'), {'name': 'AdSite', 'state': 'absent'}, 'is built in'),
    (field('Country', ['Peru'], category='BuiltIn', builtin=('Peru',)),
     {'name': 'Country', 'values': ['Peru'], 'state': 'absent'}, 'Peru of custom field .Country. is built in'),
    (field('Ticket', multivalue=False), {'name': 'Ticket', 'multivalue': True}, 'exists as a free-form field.*no cmdlet'),
    (field('Ticket', multivalue=False), {'name': 'Ticket', 'values': ['A']}, 'is free-form'),
    (field('Datacenter', ['Berlin']), {'name': 'Datacenter', 'multivalue': False}, 'exists as a multivalued field'),
])
def test_what_ipam_cannot_do_fails_after_the_read(view, args, message):
    remote = RemoteScript(read_reply(view))
    with pytest.raises(AnsibleActionFail, match=message + '.*nothing was changed'):
        run_action(ActionModule, args, remote)
    assert remote.modes == ['read']


@pytest.mark.parametrize('args, message', [
    ({'name': '  '}, 'name must not be empty'),
    ({'name': 'Ticket', 'multivalue': False, 'values': ['A']}, 'needs a multivalued field'),
    ({'name': 'Datacenter', 'values': ['Berlin', ' ']}, 'must not be empty'),
    ({'name': 'Datacenter', 'state': 'gone'}, 'state'),
    ({'values': ['A']}, 'name'),
    ({'name': 'Datacenter', 'delete': True}, 'delete'),   # internal protocol option
])
def test_bad_input_fails_before_connecting(args, message):
    remote = RemoteScript(read_reply())
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(ActionModule, args, remote)
    assert remote.calls == []


def test_compare_and_swap_failure_is_surfaced():
    failure = {'failed': True, 'error': 'changed_since_read',
               'msg': "The IPAM custom field 'Datacenter' changed between read and apply; nothing was written."}
    remote = RemoteScript(read_reply(), failure)
    with pytest.raises(AnsibleActionFail, match='changed between read and apply') as info:
        run_action(ActionModule, {'name': 'Datacenter'}, remote)
    assert info.value.code == 'changed_since_read'


def test_host_disagreeing_after_apply_is_reported():
    remote = RemoteScript(read_reply(), {'changed': True, 'field': None})
    with pytest.raises(AnsibleActionFail, match='after the change IPAM reports custom field'):
        run_action(ActionModule, {'name': 'Datacenter'}, remote)
