# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""access_info: host facts in one read, server type detection, and the check-mode audit of every setting."""
from __future__ import annotations

import copy
import importlib
import json
import os
import subprocess
import sys
import typing as t
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task

from ansible_collections.ipam.provisioning.plugins.action.access_info import ActionModule, detected_server_types, setting_changes
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    ADMINISTRATORS_SID,
    DHCP_GROUP_NAMES,
    EVENT_LOG_READERS_SID,
    FIREWALL_RULES_BY_TYPE,
    SERVICE_READ_RIGHTS,
    settings_for,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import RemoteFailure

DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
IPAM_SID = DOMAIN_SID + '-1205'
# The module's read of IPAM's share right: Read, with the mask the decision is made from.
IPAM_SHARE_READ = {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9}
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
MACHINE_SID = 'S-1-5-21-111-222-333'
SERVICE_SDDL = 'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)'
OUR_SERVICE_ACE = '(A;;%s;;;%s)' % (SERVICE_READ_RIGHTS, IPAM_SID)
PRINCIPALS = ['CORP\\IPAM01$']


def facts(roles: list[str], domain_role: int = 3, **extra: t.Any) -> dict[str, t.Any]:
    """What access_info.ps1 returns for a host with these Windows features."""
    reply = {
        'changed': False,
        'host': {'name': 'DHCP01', 'domain_role': domain_role, 'domain_sid': DOMAIN_SID},
        'domain': {'dns_name': 'corp.example.com', 'netbios_name': 'CORP', 'distinguished_name': 'DC=corp,DC=example,DC=com'},
        'os': {'caption': 'Microsoft Windows Server 2022 Datacenter', 'version': '10.0.20348', 'ui_language': 'en-US'},
        'installed_roles': roles,
        'services': {'DHCPServer': {'exists': 'DHCP' in roles, 'status': 'Running' if 'DHCP' in roles else None},
                     'DNS': {'exists': 'DNS' in roles, 'status': 'Running' if 'DNS' in roles else None},
                     'IAS': {'exists': 'NPAS' in roles, 'status': 'Running' if 'NPAS' in roles else None}},
        'dhcp_audit_path': {'value': 'C:\\Windows\\system32\\dhcp', 'exists': True} if 'DHCP' in roles else None,
    }
    reply.update(extra)
    return reply


def group_read(sid: str, name: str, members: list[str]) -> dict[str, t.Any]:
    return {'changed': False, 'token': 't', 'host': {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': DOMAIN_SID},
            'group': {'name': name, 'sid': sid, 'scope': 'local'},
            'members': [{'sid': m, 'name': None} for m in members], 'principals': [IPAM]}


def dhcp_group_read(args: dict[str, t.Any], members: list[str]) -> dict[str, t.Any]:
    reply = group_read(MACHINE_SID + '-1000', args['group_names'][0], members)
    reply['group']['matched_by'] = 'name'
    reply['service'] = {'exists': True, 'status': 'Running'}
    return reply


def service_read(sddl: str, exists: bool = True) -> dict[str, t.Any]:
    return {'changed': False, 'token': sddl, 'exists': exists, 'display_name': 'DHCP Server' if exists else None,
            'sddl': sddl if exists else None, 'host': {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': DOMAIN_SID},
            'principals': [IPAM]}


def share_read(access: list[dict[str, t.Any]] | None) -> dict[str, t.Any]:
    share = None if access is None else {'exists': True, 'path': 'C:\\Windows\\system32\\dhcp', 'access': access}
    return {'changed': False, 'token': 't', 'host': {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': DOMAIN_SID},
            'path': {'value': 'C:\\Windows\\system32\\dhcp', 'source': 'registry', 'exists': True},
            'share': share, 'created_by_collection': False, 'principals': [IPAM]}


def rules_read(args: dict[str, t.Any], enabled: bool) -> dict[str, t.Any]:
    return {'changed': False, 'token': 't', 'recorded': [],
            'rules': [{'name': n, 'exists': True, 'enabled': enabled, 'display_name': n, 'group': None, 'display_group': None}
                      for n in args['names']]}


class Host:
    """Every module's PowerShell half, scripted per module (a reply dict or a function of the args)."""

    def __init__(self, replies: dict[str, t.Any]) -> None:
        self.replies = replies
        self.calls: list[dict[str, t.Any]] = []

    def __call__(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        args = copy.deepcopy(module_args)
        short = module_name.rsplit('.', 1)[1]
        self.calls.append(dict(args, _module=short))
        if args['mode'] != 'read':
            raise AssertionError('%s was sent mode %s; access_info must only ever read' % (short, args['mode']))
        reply = self.replies[short]
        return copy.deepcopy(reply(args) if callable(reply) else reply)

    def modules(self) -> list[str]:
        return [c['_module'] for c in self.calls]

    def call(self, module: str) -> dict[str, t.Any]:
        return next(c for c in self.calls if c['_module'] == module)


def dhcp_member(compliant: bool) -> Host:
    """A member DHCP server on which IPAM has everything (compliant) or nothing."""
    return Host({
        'access_info': facts(['DHCP']),
        'group_membership': lambda args: group_read(args['group'], 'Event Log Readers', [IPAM_SID] if compliant else []),
        'dhcp_users_membership': lambda args: dhcp_group_read(args, [IPAM_SID] if compliant else []),
        'service_acl': service_read(SERVICE_SDDL.replace('S:', OUR_SERVICE_ACE + 'S:') if compliant else SERVICE_SDDL),
        'dhcpaudit_share': share_read([IPAM_SHARE_READ] if compliant else None),
        'firewall_rules': lambda args: rules_read(args, enabled=compliant),
    })


def make_task(args: dict[str, t.Any], check_mode: bool, diff: bool) -> MagicMock:
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    return task


class Run:
    """One access_info run: its result and the tasks the nested plugins were given."""

    def __init__(self, args: dict[str, t.Any], host: Host, *, check_mode: bool = False, diff: bool = False) -> None:
        self.nested_tasks: list[MagicMock] = []
        self.loaded: list[str] = []
        task = make_task(args, check_mode, diff)

        def copy_task():
            nested = make_task({}, check_mode, diff)
            self.nested_tasks.append(nested)
            return nested

        task.copy.side_effect = copy_task

        def get(name, task=None, connection=None, play_context=None, loader=None, templar=None, shared_loader_obj=None):
            self.loaded.append(name)
            module = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name.rsplit('.', 1)[1])
            plugin = module.ActionModule(task, connection, play_context, loader=loader, templar=templar,
                                         shared_loader_obj=shared_loader_obj)
            plugin._execute_module = host  # pylint: disable=protected-access
            return plugin

        shared = MagicMock()
        shared.action_loader.get.side_effect = get
        plugin = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=shared)
        plugin._shared_loader_obj = shared  # ansible-core 2.19 sets ansible.plugins.loader here  # pylint: disable=protected-access
        plugin._execute_module = host  # pylint: disable=protected-access
        self.result = plugin.run(task_vars={'inventory_hostname': 'dhcp01'})


def by_setting(result: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    return {s['setting']: s for s in result['settings']}


# ---------------------------------------------------------------------------- the facts
def test_facts_only_cost_one_round_trip_and_send_only_mode():
    host = Host({'access_info': facts(['DHCP', 'DNS', 'AD-Domain-Services'], domain_role=5)})
    result = Run({}, host).result
    assert host.calls == [{'mode': 'read', '_module': 'access_info'}]
    assert result['changed'] is False
    assert result['detected_server_types'] == ['dhcp', 'dns', 'dc']
    assert result['server_types'] == ['dhcp', 'dns', 'dc']
    assert result['is_domain_controller'] is True
    assert result['installed_roles'] == ['DHCP', 'DNS', 'AD-Domain-Services']
    assert result['domain']['netbios_name'] == 'CORP'
    assert result['dhcp_audit_path'] == {'value': 'C:\\Windows\\system32\\dhcp', 'exists': True}
    assert result['services']['IAS'] == {'exists': False, 'status': None}
    assert result['settings'] == []
    assert result['summary'] == {'compliant': 0, 'drift': 0, 'failed': 0, 'not_applicable': 0}
    assert 'token' not in result and 'diff' not in result


@pytest.mark.parametrize('roles, domain_role, expected', [
    (['DHCP', 'DNS', 'AD-Domain-Services'], 5, ['dhcp', 'dns', 'dc']),
    (['DNS', 'AD-Domain-Services'], 4, ['dns', 'dc']),        # a backup DC is a DC too
    (['NPAS'], 3, ['nps']),
    (['IPAM'], 3, []),                                          # the IPAM server is no managed server type
    (['AD-Domain-Services'], 3, []),                            # the feature alone does not make a DC
    ([], 2, []),
])
def test_server_types_come_from_roles_and_domain_role(roles, domain_role, expected):
    assert detected_server_types(roles, domain_role) == expected


def test_workgroup_host_has_no_domain():
    host = Host({'access_info': facts(['DNS'], domain_role=2, domain=None,
                                      host={'name': 'STD01', 'domain_role': 2, 'domain_sid': None})})
    result = Run({}, host).result
    assert result['domain'] is None
    assert result['is_domain_controller'] is False
    assert result['detected_server_types'] == ['dns']


@pytest.mark.parametrize('check_mode', [False, True])
def test_never_changed_and_no_diff(check_mode):
    host = dhcp_member(compliant=False)
    result = Run({'principals': PRINCIPALS}, host, check_mode=check_mode, diff=True).result
    assert result['changed'] is False
    assert 'diff' not in result
    assert result['summary']['drift'] > 0


# ---------------------------------------------------------------------------- refused before anything
@pytest.mark.parametrize('args, message', [
    ({'server_types': ['web']}, 'server_types'),
    ({'server_types': []}, 'server_types must not be empty'),
    ({'principals': []}, 'principals must not be empty'),
    ({'principals': 'CORP\\a,CORP\\b'}, 'comma'),
    ({'principals': ['CORP\\IPAM01$'], 'options': {'dhcp_group': 'owners'}}, 'dhcp_group'),
    ({'principals': ['CORP\\IPAM01$'], 'options': {'colour': 'red'}}, 'colour'),
    ({'settings': 'maybe'}, 'settings'),
    ({'mode': 'read'}, 'mode'),              # the remote protocol is not a user option
])
def test_bad_input_fails_before_any_round_trip(args, message):
    host = dhcp_member(compliant=True)
    with pytest.raises(AnsibleActionFail, match=message):
        Run(args, host)
    assert host.calls == []


# ---------------------------------------------------------------------------- host-side failures
def test_host_that_returns_no_facts_fails_after_one_read():
    host = Host({'access_info': {'changed': False, 'host': None}})
    with pytest.raises(AnsibleActionFail, match='no host facts'):
        Run({'principals': PRINCIPALS}, host)
    assert host.modules() == ['access_info']


def test_remote_failure_is_reported_with_its_code():
    host = Host({'access_info': {'failed': True, 'error': 'invalid_state',
                                 'msg': 'Get-WindowsFeature (module ServerManager) is not available on this host'}})
    with pytest.raises(RemoteFailure, match='dhcp01: Get-WindowsFeature') as failure:
        Run({}, host)
    assert failure.value.code == 'invalid_state'
    assert host.modules() == ['access_info']


# ---------------------------------------------------------------------------- the audit
def test_audit_runs_every_setting_module_once_in_forced_check_mode():
    host = dhcp_member(compliant=False)
    run = Run({'principals': PRINCIPALS}, host, check_mode=False)
    expected = [s['id'] for s in settings_for(['dhcp'], 3)]
    assert [s['setting'] for s in run.result['settings']] == expected
    # one read for the facts, then exactly one read per setting, never an apply
    assert len(host.calls) == 1 + len(expected)
    assert {c['mode'] for c in host.calls} == {'read'}
    assert run.nested_tasks and all(task.check_mode is True for task in run.nested_tasks)
    assert all(task.diff is False for task in run.nested_tasks)
    assert run.loaded == ['ipam.provisioning.%s' % s['module'] for s in settings_for(['dhcp'], 3)]
    assert {s['status'] for s in run.result['settings']} == {'drift'}
    assert run.result['summary'] == {'compliant': 0, 'drift': len(expected), 'failed': 0, 'not_applicable': 0}


def test_drift_entries_say_what_would_change():
    settings = by_setting(Run({'principals': PRINCIPALS}, dhcp_member(compliant=False)).result)
    acl = settings['dhcp_service_acl']
    assert acl == {
        'setting': 'dhcp_service_acl', 'title': 'Read access on the DHCP Server service',
        'module': 'ipam.provisioning.service_acl', 'server_types': ['dhcp'], 'scope': 'host',
        'access_type': 'service', 'status': 'drift', 'msg': '',
        'changes': {'added': [OUR_SERVICE_ACE], 'removed': []},
    }
    assert settings['event_log_readers']['changes']['added'] == [{'sid': IPAM_SID, 'name': 'CORP\\IPAM01$'}]
    firewall = settings['dhcp_firewall']['changes']
    assert firewall == {'added': list(FIREWALL_RULES_BY_TYPE['dhcp']), 'removed': []}
    share = settings['dhcpaudit_share']['changes']
    assert share['created'] is True
    assert any(a.startswith('New-SmbShare -Name dhcpaudit') for a in share['actions'])


def test_compliant_host_reports_compliant_everywhere():
    result = Run({'principals': PRINCIPALS}, dhcp_member(compliant=True)).result
    assert {s['status'] for s in result['settings']} == {'compliant'}
    assert all(s['changes'] == {'added': [], 'removed': []} for s in result['settings'])
    assert result['summary']['compliant'] == len(result['settings'])


def test_setting_modules_get_catalog_parameters_principals_and_state_present():
    host = dhcp_member(compliant=True)
    Run({'principals': PRINCIPALS}, host)
    assert host.call('group_membership') == {'mode': 'read', 'group': EVENT_LOG_READERS_SID,
                                             'principals': PRINCIPALS, '_module': 'group_membership'}
    assert host.call('service_acl')['name'] == 'DHCPServer'
    assert host.call('dhcp_users_membership')['group_names'] == list(DHCP_GROUP_NAMES['users'])
    assert host.call('dhcpaudit_share')['name'] == 'dhcpaudit'
    assert host.call('firewall_rules') == {'mode': 'read', 'names': list(FIREWALL_RULES_BY_TYPE['dhcp']),
                                           '_module': 'firewall_rules'}


def test_options_reach_the_modules_that_take_them():
    everyone = {'sid': 'S-1-1-0', 'name': 'Everyone', 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9}
    ours = {'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'type': 'Allow', 'right': 'Read', 'mask': 0x1200A9}
    host = dhcp_member(compliant=True)
    host.replies['dhcpaudit_share'] = share_read([everyone, ours])
    settings = by_setting(Run({'principals': PRINCIPALS, 'options': {'dhcp_group': 'administrators', 'remove_everyone': True}},
                              host).result)
    assert host.call('dhcp_users_membership')['group_names'] == list(DHCP_GROUP_NAMES['administrators'])
    assert settings['dhcpaudit_share']['status'] == 'drift'
    assert settings['dhcpaudit_share']['changes']['removed'] == [{k: v for k, v in everyone.items() if k != 'mask'}]


def test_broad_principal_fails_each_setting_unless_allowed():
    everyone = {'input': 'Everyone', 'sid': 'S-1-1-0', 'name': 'Everyone', 'error': None}
    host = Host({'access_info': facts(['DNS']),
                 'group_membership': lambda args: dict(group_read(args['group'], 'Event Log Readers', []), principals=[everyone]),
                 'service_acl': dict(service_read(SERVICE_SDDL), principals=[everyone]),
                 'eventlog_customsd': {'changed': False, 'token': 'O:BAG:SYD:(A;;0x1;;;SY)', 'exists': True,
                                       'sddl': 'O:BAG:SYD:(A;;0x1;;;SY)', 'principals': [everyone]},
                 'firewall_rules': lambda args: rules_read(args, enabled=True)})
    settings = by_setting(Run({'principals': ['Everyone']}, host).result)
    assert settings['dns_service_acl']['status'] == 'failed'
    assert 'allow_broad_principals' in settings['dns_service_acl']['msg']
    assert settings['dns_firewall']['status'] == 'compliant'     # grants to no principal
    settings = by_setting(Run({'principals': ['Everyone'], 'options': {'allow_broad_principals': True}}, host).result)
    assert settings['dns_service_acl']['status'] == 'drift'


def test_a_failing_setting_is_reported_and_the_others_still_audited():
    host = dhcp_member(compliant=True)
    host.replies['service_acl'] = service_read(SERVICE_SDDL, exists=False)
    host.replies['group_membership'] = {'failed': True, 'error': 'access_denied', 'msg': 'Access is denied.'}
    result = Run({'principals': PRINCIPALS}, host).result
    settings = by_setting(result)
    assert settings['dhcp_service_acl']['status'] == 'failed'
    assert "service 'DHCPServer' does not exist" in settings['dhcp_service_acl']['msg']
    assert settings['event_log_readers']['status'] == 'failed'
    assert 'dhcp01: Access is denied.' in settings['event_log_readers']['msg']
    assert settings['dhcp_users']['status'] == 'compliant'
    assert result['summary'] == {'compliant': 3, 'drift': 0, 'failed': 2, 'not_applicable': 0}
    assert result['changed'] is False and not result.get('failed')


def test_opt_in_setting_is_not_applicable_until_asked_for():
    host = Host({'access_info': facts(['DNS']),
                 'group_membership': lambda args: group_read(args['group'], 'x', [IPAM_SID]),
                 'service_acl': service_read(SERVICE_SDDL.replace('S:', OUR_SERVICE_ACE + 'S:')),
                 'eventlog_customsd': {'changed': False, 'token': 'O:BAG:SYD:(A;;0x1;;;%s)' % IPAM_SID, 'exists': True,
                                       'sddl': 'O:BAG:SYD:(A;;0x1;;;%s)' % IPAM_SID, 'principals': [IPAM]},
                 'firewall_rules': lambda args: rules_read(args, enabled=True)})
    result = Run({'principals': PRINCIPALS}, host).result
    admins = by_setting(result)['dns_local_administrators']
    assert admins['status'] == 'not_applicable'
    assert 'options.dns_standalone_admin' in admins['msg']
    assert 'dns_domain_acl' not in by_setting(result)             # a member server has no domain-wide DNS ACL
    assert result['summary'] == {'compliant': 4, 'drift': 0, 'failed': 0, 'not_applicable': 1}
    assert [c['group'] for c in host.calls if c['_module'] == 'group_membership'] == [EVENT_LOG_READERS_SID]

    result = Run({'principals': PRINCIPALS, 'options': {'dns_standalone_admin': True}}, host).result
    assert by_setting(result)['dns_local_administrators']['status'] == 'compliant'
    assert [c['group'] for c in host.calls if c['_module'] == 'group_membership'][-1] == ADMINISTRATORS_SID


def test_server_types_override_the_detected_ones():
    host = Host({'access_info': facts(['DHCP']),
                 'group_membership': lambda args: group_read(args['group'], 'Event Log Readers', [IPAM_SID]),
                 'firewall_rules': lambda args: rules_read(args, enabled=False)})
    result = Run({'principals': PRINCIPALS, 'server_types': ['nps', 'dc', 'nps']}, host).result
    assert result['detected_server_types'] == ['dhcp']
    assert result['server_types'] == ['dc', 'nps']
    assert [s['setting'] for s in result['settings']] == ['event_log_readers', 'eventlog_firewall']
    assert by_setting(result)['eventlog_firewall']['server_types'] == ['dc', 'nps']


def test_domain_controller_settings_have_domain_scope():
    host = Host({'access_info': facts(['DNS', 'AD-Domain-Services'], domain_role=5),
                 'group_membership': lambda args: group_read(args['group'], 'Event Log Readers', [IPAM_SID]),
                 'service_acl': service_read(SERVICE_SDDL),
                 'eventlog_customsd': {'changed': False, 'token': 'O:BAG:SYD:', 'exists': True, 'sddl': 'O:BAG:SYD:',
                                       'principals': [IPAM]},
                 'dns_domain_acl': {'changed': False, 'token': 'D:', 'exists': True, 'sddl': 'D:',
                                    'distinguished_name': 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com',
                                    'principals': [IPAM]},
                 'firewall_rules': lambda args: rules_read(args, enabled=True)})
    settings = by_setting(Run({'principals': PRINCIPALS}, host).result)
    assert settings['event_log_readers']['scope'] == 'domain'
    assert settings['dns_domain_acl']['scope'] == 'domain'
    assert settings['dns_service_acl']['scope'] == 'host'
    assert 'dns_local_administrators' not in settings


def test_settings_false_reads_the_facts_only():
    host = dhcp_member(compliant=False)
    result = Run({'principals': PRINCIPALS, 'settings': False}, host).result
    assert host.modules() == ['access_info']
    assert result['settings'] == []


def test_audit_options_without_principals_warn_that_nothing_was_audited():
    host = dhcp_member(compliant=False)
    result = Run({'server_types': ['dns']}, host).result
    assert host.modules() == ['access_info']
    assert 'principals' in result['warnings'][0]


def test_setting_changes_keeps_the_module_specific_keys():
    assert setting_changes({'added': ['a'], 'removed': [], 'created': True, 'actions': ['x']}) == {
        'added': ['a'], 'removed': [], 'created': True, 'actions': ['x']}
    assert setting_changes({'enabled': ['R1'], 'disabled': [], 'kept': []}) == {'added': ['R1'], 'removed': []}


def test_argument_spec_matches_the_documentation():
    """ARGUMENT_SPEC and DOCUMENTATION describe the same options, suboptions included."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    proc = subprocess.run([exe, '--json', 'ipam.provisioning.access_info'], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    documented = json.loads(proc.stdout)['ipam.provisioning.access_info']['doc']['options']

    def compare(spec: dict[str, t.Any], doc: dict[str, t.Any]) -> None:
        assert set(doc) == set(spec)
        for name, option in spec.items():
            for key, fallback in (('type', 'str'), ('elements', None), ('required', False), ('default', None), ('choices', None)):
                assert doc[name].get(key, fallback) == option.get(key, fallback), (name, key)
            if 'options' in option:
                compare(option['options'], doc[name]['suboptions'])

    compare(ActionModule.ARGUMENT_SPEC, documented)
