# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""access_setting: catalog id -> target module options, run in-process through the action loader."""
from __future__ import annotations

import copy
import importlib
import typing as t
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task

from ansible_collections.ipam.provisioning.plugins.action.access_setting import ActionModule
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    DHCP_GROUP_NAMES,
    EVENT_LOG_READERS_SID,
    FIREWALL_RULES_BY_TYPE,
    SERVICE_READ_RIGHTS,
    SETTINGS_BY_ID,
)
from harness import RemoteScript

IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1205'
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
DHCP_SDDL = 'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)'
OUR_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID


class Loaded:
    """What the action loader handed out: the real target plugin with its remote scripted."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.plugins: list[t.Any] = []


def make_task(args: dict[str, t.Any], check_mode: bool, diff: bool) -> MagicMock:
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    return task


def run(args: dict[str, t.Any], remote: RemoteScript | None = None, *, check_mode: bool = False, diff: bool = False,
        target: t.Any = None) -> tuple[dict[str, t.Any], Loaded]:
    """Run access_setting; the loader builds the real target action class (or returns ``target``)."""
    remote = remote if remote is not None else RemoteScript()
    task = make_task(args, check_mode, diff)
    task.copy.side_effect = lambda: make_task({}, check_mode, diff)
    loaded = Loaded()

    def get(name, task=None, connection=None, play_context=None, loader=None, templar=None, shared_loader_obj=None):
        loaded.names.append(name)
        if target is not None:
            plugin = target(task)
        else:
            module = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name.rsplit('.', 1)[1])
            plugin = module.ActionModule(task, connection, play_context, loader=loader, templar=templar,
                                         shared_loader_obj=shared_loader_obj)
            plugin._execute_module = remote  # pylint: disable=protected-access
        loaded.plugins.append(plugin)
        return plugin

    shared = MagicMock()
    shared.action_loader.get.side_effect = get
    plugin = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=shared)
    plugin._shared_loader_obj = shared  # ansible-core 2.19 always sets ansible.plugins.loader here  # pylint: disable=protected-access
    return plugin.run(task_vars={'inventory_hostname': 'dhcp01'}), loaded


class Recorder:
    """A stand-in target that records the args it was run with."""

    ARGUMENT_SPEC: dict[str, t.Any] = {}
    seen: list[dict[str, t.Any]] = []

    def __init__(self, task) -> None:
        self._task = task

    def run(self, task_vars=None):
        Recorder.seen.append(dict(self._task.args))
        return {'changed': False}


def recorder_for(module: str) -> type:
    spec = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % module).ActionModule.ARGUMENT_SPEC
    Recorder.seen = []
    return type('Recorder_' + module, (Recorder,), {'ARGUMENT_SPEC': spec})


def service_read(sddl: str = DHCP_SDDL) -> dict[str, t.Any]:
    return {'changed': False, 'exists': True, 'display_name': 'DHCP Server', 'sddl': sddl, 'token': sddl,
            'host': {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': None}, 'principals': [IPAM]}


def apply_echo(args):
    return {'changed': True, 'sddl': args['sddl'], 'token': args['sddl']}


# ---------------------------------------------------------------------------- refused before anything
def test_unknown_setting_fails_listing_the_valid_ids_before_loading_anything():
    remote = RemoteScript()
    with pytest.raises(AnsibleActionFail) as failure:
        run({'setting': 'dhcp_acl', 'principals': ['CORP\\IPAM01$']}, remote)
    message = str(failure.value.message)
    assert "unknown setting 'dhcp_acl'" in message
    for setting_id in SETTINGS_BY_ID:
        assert setting_id in message
    assert remote.calls == []


def test_missing_principals_fail_before_any_round_trip():
    remote = RemoteScript(service_read())
    with pytest.raises(AnsibleActionFail, match='dhcp_service_acl grants access to principals.*principals is required'):
        run({'setting': 'dhcp_service_acl'}, remote)
    assert remote.calls == []


@pytest.mark.parametrize('args, message', [
    ({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'options': {'dhcp_grp': 'users'}}, 'dhcp_grp'),
    ({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'options': {'dhcp_group': 'owners'}}, 'dhcp_group'),
    ({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'state': 'gone'}, 'state'),
    ({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'colour': 'red'}, 'colour'),
    ({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'],
      'options': {'dhcp_group_sid': 'S-1-5-21-1-2-3-1001', 'dhcp_group_name': 'Utenti DHCP'}}, 'mutually exclusive'),
])
def test_bad_options_fail_before_any_round_trip(args, message):
    remote = RemoteScript(service_read())
    with pytest.raises(AnsibleActionFail, match=message):
        run(args, remote)
    assert remote.calls == []


# ---------------------------------------------------------------------------- the real target, scripted remote
def test_runs_the_catalog_module_with_the_catalog_parameters():
    remote = RemoteScript(service_read(), apply_echo)
    result, loaded = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$']}, remote, diff=True)
    assert loaded.names == ['ipam.provisioning.service_acl']
    assert remote.modes == ['read', 'apply']
    assert remote.calls[0]['name'] == 'DHCPServer'
    assert remote.calls[0]['_module'] == 'ipam.provisioning.service_acl'
    assert result['changed'] is True
    assert result['added'] == [OUR_ACE]
    assert result['diff']['after']['sddl'].count(OUR_ACE) == 1
    assert result['ipam_setting'] == {
        'id': 'dhcp_service_acl', 'title': SETTINGS_BY_ID['dhcp_service_acl']['title'], 'scope': 'host',
        'access_type': 'service', 'module': 'ipam.provisioning.service_acl',
        'module_args': {'name': 'DHCPServer', 'rights': SERVICE_READ_RIGHTS, 'principals': ['CORP\\IPAM01$'], 'state': 'present'},
        'check_mode': False,
    }


def test_check_mode_reads_once_and_reports_the_change():
    remote = RemoteScript(service_read())
    result, dummy = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$']}, remote, check_mode=True)
    assert remote.modes == ['read']
    assert result['changed'] is True
    assert OUR_ACE in result['sddl']
    assert result['ipam_setting']['check_mode'] is True


def test_compliant_setting_costs_one_round_trip():
    compliant = DHCP_SDDL.replace('S:', OUR_ACE + 'S:')
    remote = RemoteScript(service_read(compliant))
    result, dummy = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$']}, remote)
    assert remote.modes == ['read']
    assert result['changed'] is False


def test_absent_is_passed_on():
    with_ours = DHCP_SDDL.replace('S:', OUR_ACE + 'S:')
    remote = RemoteScript(dict(service_read(with_ours), recorded=[OUR_ACE]), apply_echo)
    result, dummy = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$'], 'state': 'absent'}, remote)
    assert result['removed'] == [OUR_ACE]
    assert result['sddl'] == DHCP_SDDL


def test_remove_unrecorded_is_passed_on():
    with_theirs = DHCP_SDDL.replace('S:', OUR_ACE + 'S:')
    kept, dummy = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$'], 'state': 'absent'},
                      RemoteScript(service_read(with_theirs)))
    assert kept['removed'] == [] and len(kept['kept']) == 1
    forced, dummy = run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$'], 'state': 'absent',
                         'options': {'remove_unrecorded': True}}, RemoteScript(service_read(with_theirs), apply_echo))
    assert forced['removed'] == [OUR_ACE]


def test_target_failure_names_the_setting_and_keeps_the_error_code():
    reply = {'failed': True, 'msg': 'Access is denied.', 'error': 'access_denied'}
    remote = RemoteScript(reply)
    with pytest.raises(AnsibleActionFail) as failure:
        run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$']}, remote)
    assert failure.value.message.startswith('dhcp_service_acl: ipam.provisioning.service_acl on dhcp01: Access is denied.')
    assert failure.value.result['error'] == 'access_denied'
    assert failure.value.result['ipam_setting']['id'] == 'dhcp_service_acl'
    assert remote.modes == ['read']


def test_host_side_failure_after_one_read_is_surfaced():
    remote = RemoteScript(dict(service_read(), exists=False, sddl=None))
    with pytest.raises(AnsibleActionFail, match="dhcp_service_acl: .*service 'DHCPServer' does not exist"):
        run({'setting': 'dhcp_service_acl', 'principals': ['CORP\\IPAM01$']}, remote)
    assert remote.modes == ['read']


def group_read(domain_role: int, members: list[dict[str, str]] | None = None) -> dict[str, t.Any]:
    scope = 'domain' if domain_role in (4, 5) else 'local'
    return {'changed': False, 'token': 't1', 'principals': [IPAM], 'members': members or [],
            'group': {'name': 'BUILTIN\\Event Log Readers', 'sid': EVENT_LOG_READERS_SID, 'scope': scope},
            'host': {'name': 'DC01', 'domain_role': domain_role, 'domain_sid': 'S-1-5-21-1004336348-1177238915-682003330'}}


@pytest.mark.parametrize('domain_role, scope', [(5, 'domain'), (3, 'host')])
def test_scope_of_a_group_follows_the_host(domain_role, scope):
    remote = RemoteScript(group_read(domain_role, [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]))
    result, loaded = run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, remote)
    assert loaded.names == ['ipam.provisioning.group_membership']
    assert remote.calls[0]['group'] == EVENT_LOG_READERS_SID
    assert result['ipam_setting']['scope'] == scope


# ---------------------------------------------------------------------------- failures: scope, retry
OTHER_MEMBER = {'sid': 'S-1-5-21-1004336348-1177238915-682003330-1234', 'name': 'CORP\\svc-other'}
CAS_REFUSAL = {'changed': False, 'failed': True, 'error': 'changed_since_read',
               'msg': "The members of group 'Event Log Readers' changed between read and apply; nothing was written."}


def colliding_group_apply(remote: RemoteScript, refusals: int):
    """Apply: the first ``refusals`` find a member another writer added since the read (the next read shows
    it) and are refused; later ones apply exactly what they are told."""
    pending = [refusals]

    def apply(args):
        if pending[0]:
            pending[0] -= 1
            remote.read['members'].append(dict(OTHER_MEMBER))
            remote.read['token'] += '+other'
            return dict(CAS_REFUSAL)
        assert args['token'] == remote.read['token']
        members = remote.read['members'] + [{'sid': sid, 'name': 'CORP\\IPAM01$'} for sid in args['add']]
        return {'changed': True, 'group': remote.read['group'], 'members': members, 'token': 'after'}
    return apply


def test_a_concurrent_change_is_retried_once_inside_the_target_module():
    remote = RemoteScript(group_read(5))
    remote.apply = colliding_group_apply(remote, refusals=1)
    result, loaded = run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, remote)
    assert loaded.names == ['ipam.provisioning.group_membership']
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    assert result['changed'] is True and result['retried_after_concurrent_change'] is True
    assert {m['sid'] for m in result['members']} == {IPAM_SID, OTHER_MEMBER['sid']}
    assert result['ipam_setting']['scope'] == 'domain'


def test_two_refusals_fail_the_setting_once_with_its_domain_scope():
    remote = RemoteScript(group_read(5))
    remote.apply = colliding_group_apply(remote, refusals=2)
    with pytest.raises(AnsibleActionFail) as failure:
        run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, remote)
    assert remote.modes == ['read', 'apply', 'read', 'apply']   # retried inside the target only, not again here
    message = failure.value.message
    assert message.startswith('event_log_readers: ipam.provisioning.group_membership on dhcp01: ')
    assert 'changed between read and apply' in message and 'retried once' in message
    assert failure.value.result['error'] == 'changed_since_read'
    assert failure.value.result['retried_after_concurrent_change'] is True
    assert failure.value.result['ipam_setting']['scope'] == 'domain'


@pytest.mark.parametrize('domain_role, scope', [(5, 'domain'), (4, 'domain'), (3, 'host'), (1, 'host')])
def test_a_failed_group_setting_has_the_scope_of_the_host_it_read(domain_role, scope):
    remote = RemoteScript(group_read(domain_role), {'changed': False, 'failed': True, 'msg': 'Access is denied.',
                                                    'error': 'access_denied'})
    with pytest.raises(AnsibleActionFail, match='Access is denied') as failure:
        run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, remote)
    assert remote.modes == ['read', 'apply']
    assert failure.value.result['ipam_setting']['scope'] == scope


def test_a_failed_plan_after_the_read_has_the_scope_of_the_host_it_read():
    unresolved = dict(IPAM, sid=None, error='No mapping between account names and security IDs was done.')
    remote = RemoteScript(dict(group_read(5), principals=[unresolved]))
    with pytest.raises(AnsibleActionFail, match='could not be resolved') as failure:
        run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, remote)
    assert failure.value.result['ipam_setting']['scope'] == 'domain'


@pytest.mark.parametrize('setting, scope', [('event_log_readers', 'host'), ('dns_domain_acl', 'domain')])
def test_a_setting_that_failed_before_reading_has_the_catalog_scope(setting, scope):
    remote = RemoteScript({'changed': False, 'failed': True, 'msg': 'Access is denied.', 'error': 'access_denied'})
    with pytest.raises(AnsibleActionFail, match='Access is denied') as failure:
        run({'setting': setting, 'principals': ['CORP\\IPAM01$']}, remote)
    assert remote.modes == ['read']
    assert failure.value.result['ipam_setting']['scope'] == scope


# ---------------------------------------------------------------------------- option routing
def test_role_options_reach_only_the_modules_that_take_them():
    options = {'dhcp_group': 'administrators', 'restart_service': True, 'remove_everyone': True,
               'allow_broad_principals': False, 'dhcp_audit_path': None}
    target = recorder_for('dhcp_users_membership')
    run({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'options': options}, target=target)
    assert Recorder.seen == [{'group': 'administrators', 'restart_service': True, 'allow_broad_principals': False,
                              'principals': ['CORP\\IPAM01$'], 'state': 'present'}]

    target = recorder_for('dhcpaudit_share')
    run({'setting': 'dhcpaudit_share', 'principals': ['CORP\\IPAM01$'], 'options': dict(options, dhcp_audit_path='D:\\dhcp')},
        target=target)
    assert Recorder.seen == [{'name': 'dhcpaudit', 'remove_everyone': True, 'path': 'D:\\dhcp', 'allow_broad_principals': False,
                              'principals': ['CORP\\IPAM01$'], 'state': 'present'}]


def test_dhcp_group_option_does_not_touch_other_group_settings():
    target = recorder_for('group_membership')
    run({'setting': 'event_log_readers', 'principals': ['CORP\\IPAM01$'], 'options': {'dhcp_group': 'administrators'}},
        target=target)
    assert Recorder.seen[0]['group'] == EVENT_LOG_READERS_SID


def test_a_dhcp_group_sid_replaces_the_catalog_group():
    target = recorder_for('dhcp_users_membership')
    sid = 'S-1-5-21-1004336348-1177238915-682003330-1103'
    run({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'], 'options': {'dhcp_group_sid': sid, 'dhcp_group': 'users'}},
        target=target)
    assert Recorder.seen[0]['group_sid'] == sid
    assert 'group' not in Recorder.seen[0]


def test_firewall_settings_get_no_principals():
    target = recorder_for('firewall_rules')
    run({'setting': 'dns_firewall', 'principals': ['CORP\\IPAM01$'], 'state': 'absent',
         'options': {'allow_broad_principals': True}}, target=target)
    assert Recorder.seen == [{'names': list(FIREWALL_RULES_BY_TYPE['dns']), 'state': 'absent'}]


def test_firewall_settings_need_no_principals():
    target = recorder_for('firewall_rules')
    result, dummy = run({'setting': 'eventlog_firewall'}, target=target)
    assert Recorder.seen[0]['names'] == list(FIREWALL_RULES_BY_TYPE['dc'])
    assert result['ipam_setting']['module'] == 'ipam.provisioning.firewall_rules'


def test_real_dhcp_module_accepts_what_is_routed_to_it():
    read = {'changed': False, 'token': 't', 'principals': [IPAM], 'members': [],
            'group': {'name': 'DHCP Administrators', 'sid': 'S-1-5-21-1-2-3-1001', 'scope': 'local', 'matched_by': 'name'},
            'service': {'exists': True, 'status': 'Running'}, 'host': {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': None}}
    remote = RemoteScript(read, lambda args: {'changed': True, 'members': [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}],
                                              'restarted': True, 'service': {'exists': True, 'status': 'Running'}})
    result, dummy = run({'setting': 'dhcp_users', 'principals': ['CORP\\IPAM01$'],
                         'options': {'dhcp_group': 'administrators', 'restart_service': True, 'remove_everyone': False}}, remote)
    assert remote.calls[0]['group_names'] == list(DHCP_GROUP_NAMES['administrators'])
    assert remote.calls[1]['restart_service'] is True
    assert result['restarted'] is True
    assert result['ipam_setting']['scope'] == 'host'
