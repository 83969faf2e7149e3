# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""managed_server_access: the settings' own plugins driven in lockstep, reads and applies each in one round trip.

The PowerShell batch is replaced by a small fake host with two services whose descriptors the real
service_acl plugin reads and plans; the round trips the task makes are counted.
"""
from __future__ import annotations

import copy
import importlib
import json
import typing as t
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.action.managed_server_access import ActionModule
from test_access_setting import IPAM, IPAM_SID, make_task

SDDL = 'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'
OUR_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID
HOST = {'name': 'DHCP01', 'domain_role': 3, 'domain_sid': 'S-1-5-21-1004336348-1177238915-682003330'}


class FakeHost:
    """Answers managed_server_access batches for service_acl calls from two service descriptors."""

    def __init__(self) -> None:
        self.sddl = {'DHCPServer': SDDL, 'DNS': SDDL}
        self.batches: list[tuple[str, list[str]]] = []
        self.refuse_next_apply_of: set[str] = set()
        self.fail_read_of: set[str] = set()

    def __call__(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        assert module_name == 'ipam.provisioning.managed_server_access'
        args = copy.deepcopy(module_args)
        self.batches.append((args['mode'], [c['options'].get('name', c['module']) for c in args['calls']]))
        return {'changed': False, 'replies': [self.answer(c['module'], c['options']) for c in args['calls']]}

    def answer(self, module: str, options: dict[str, t.Any]) -> dict[str, t.Any]:
        if module == 'firewall_rules':
            return self.firewall(options)
        assert module == 'service_acl', module
        name = options['name']
        if options['mode'] == 'read':
            if name in self.fail_read_of:
                return {'failed': True, 'msg': 'Access is denied reading the security descriptor', 'error': 'access_denied'}
            return {'host': HOST, 'exists': True, 'display_name': name, 'sddl': self.sddl[name], 'token': self.sddl[name],
                    'recorded': [], 'principals': [IPAM]}
        if name in self.refuse_next_apply_of:
            self.refuse_next_apply_of.discard(name)
            self.sddl[name] += '(A;;LC;;;S-1-5-21-1-2-3-1234)'   # someone else wrote first
            return {'failed': True, 'msg': 'changed between read and apply', 'error': 'changed_since_read'}
        assert options['token'] == self.sddl[name]
        self.sddl[name] = options['sddl']
        return {'host': HOST, 'exists': True, 'sddl': self.sddl[name], 'token': self.sddl[name], 'recorded': [],
                'changed': True}


class FirewallHost(FakeHost):
    """Also answers firewall_rules: every rule disabled at first, one ownership record for all of them."""

    def __init__(self) -> None:
        super().__init__()
        self.enabled: dict[str, bool] = {}
        self.recorded: list[str] = []

    def token(self, names: list[str]) -> str:
        return json.dumps([[n, self.enabled.get(n, False), n in self.recorded] for n in names])

    def firewall(self, options: dict[str, t.Any]) -> dict[str, t.Any]:
        names = options['names']
        self.batches[-1][1].append('rules:' + ','.join(names))
        if options['mode'] == 'apply':
            if options['token'] != self.token(names):
                return {'failed': True, 'msg': 'The firewall rules changed between read and apply', 'error': 'changed_since_read'}
            for name in options.get('enable') or []:
                self.enabled[name] = True
            self.recorded += [n for n in options.get('record_add') or [] if n not in self.recorded]
        rules = [{'name': n, 'exists': True, 'enabled': self.enabled.get(n, False), 'display_name': n, 'group': 'g',
                  'display_group': 'g', 'policy_store_source_type': 'Local'} for n in names]
        return {'host': HOST, 'rules': rules, 'recorded': [n for n in self.recorded if n in names],
                'token': self.token(names), 'changed': options['mode'] == 'apply'}


def run(args: dict[str, t.Any], host: FakeHost, *, check_mode: bool = False) -> dict[str, t.Any]:
    task = make_task(args, check_mode, False)
    task.copy.side_effect = lambda: make_task({}, check_mode, False)

    def get(name, task=None, connection=None, play_context=None, loader=None, templar=None, shared_loader_obj=None):
        module = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name.rsplit('.', 1)[1])
        return module.ActionModule(task, connection, play_context, loader=loader, templar=templar,
                                   shared_loader_obj=shared_loader_obj)

    shared = MagicMock()
    shared.action_loader.get.side_effect = get
    plugin = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=shared)
    plugin._shared_loader_obj = shared  # pylint: disable=protected-access
    plugin._execute_module = host  # pylint: disable=protected-access
    return plugin.run(task_vars={'inventory_hostname': 'dhcp01'})


ARGS = {'settings': ['dhcp_service_acl', 'dns_service_acl'], 'principals': ['CORP\\IPAM01$']}


def test_check_mode_reads_every_setting_in_one_round_trip_and_writes_nothing():
    host = FakeHost()
    result = run(ARGS, host, check_mode=True)
    assert host.batches == [('read', ['DHCPServer', 'DNS'])]
    assert result['round_trips'] == 1 and result['changed'] is True
    assert [r['added'] for r in result['results']] == [[OUR_ACE], [OUR_ACE]]
    assert host.sddl == {'DHCPServer': SDDL, 'DNS': SDDL}


def test_a_drifted_host_is_read_once_and_written_once_then_found_compliant_in_one():
    host = FakeHost()
    result = run(ARGS, host)
    assert host.batches == [('read', ['DHCPServer', 'DNS']), ('apply', ['DHCPServer', 'DNS'])]
    assert result['round_trips'] == 2 and not result.get('failed')
    assert all(OUR_ACE in sddl for sddl in host.sddl.values())
    again = run(ARGS, host)
    assert again['round_trips'] == 1 and again['changed'] is False


def test_results_carry_the_setting_and_its_summary_in_order():
    result = run(ARGS, FakeHost(), check_mode=True)
    assert [r['item']['id'] for r in result['results']] == ['dhcp_service_acl', 'dns_service_acl']
    assert [r['ipam_setting']['module'] for r in result['results']] == ['ipam.provisioning.service_acl'] * 2
    assert all(r['ipam_setting']['check_mode'] is True for r in result['results'])


def test_a_refused_apply_is_read_and_planned_again_in_one_more_pair():
    host = FakeHost()
    host.refuse_next_apply_of = {'DNS'}
    result = run(ARGS, host)
    assert host.batches == [('read', ['DHCPServer', 'DNS']), ('apply', ['DHCPServer', 'DNS']),
                            ('read', ['DNS']), ('apply', ['DNS'])]
    assert result['round_trips'] == 4 and not result.get('failed')
    dns = result['results'][1]
    assert dns['retried_after_concurrent_change'] is True
    # The other writer's ACE is kept, ours added once.
    assert host.sddl['DNS'].count(OUR_ACE) == 1 and '(A;;LC;;;S-1-5-21-1-2-3-1234)' in host.sddl['DNS']
    assert any(w.startswith('dns_service_acl: ') for w in result['warnings'])


def test_a_failing_setting_fails_the_task_and_the_other_is_still_applied():
    host = FakeHost()
    host.fail_read_of = {'DHCPServer'}
    result = run(ARGS, host)
    assert result['failed'] is True and result['msg'].startswith('1 of 2 settings failed: dhcp_service_acl: ')
    assert result['results'][0]['failed'] is True and result['results'][0]['error'] == 'access_denied'
    assert result['results'][1]['changed'] is True and OUR_ACE in host.sddl['DNS']
    assert host.sddl['DHCPServer'] == SDDL


def test_reads_of_an_earlier_task_replace_the_read_when_module_and_options_match():
    host = FakeHost()
    audit = run(ARGS, host, check_mode=True)
    assert len(audit['reads']) == 2
    host.batches.clear()
    result = run(dict(ARGS, reads=audit['reads']), host)
    assert host.batches == [('apply', ['DHCPServer', 'DNS'])]
    assert result['round_trips'] == 1 and all(OUR_ACE in sddl for sddl in host.sddl.values())


def test_a_stale_earlier_read_only_costs_a_refused_apply_and_a_new_read():
    host = FakeHost()
    audit = run(ARGS, host, check_mode=True)
    host.sddl['DNS'] += '(A;;LC;;;S-1-5-21-1-2-3-1234)'   # changed after the earlier read
    host.batches.clear()
    host_apply = host.answer

    def refuse_stale(module, options):
        if options['mode'] == 'apply' and options['token'] != host.sddl[options['name']]:
            return {'failed': True, 'msg': 'changed between read and apply', 'error': 'changed_since_read'}
        return host_apply(module, options)

    host.answer = refuse_stale  # type: ignore[method-assign]
    result = run(dict(ARGS, reads=audit['reads']), host)
    assert host.batches == [('apply', ['DHCPServer', 'DNS']), ('read', ['DNS']), ('apply', ['DNS'])]
    assert not result.get('failed') and host.sddl['DNS'].count(OUR_ACE) == 1


def test_an_earlier_read_with_other_options_is_not_used():
    host = FakeHost()
    audit = run(ARGS, host, check_mode=True)
    host.batches.clear()
    run(dict(ARGS, principals=['CORP\\IPAMUG'], reads=audit['reads']), host, check_mode=True)
    assert host.batches == [('read', ['DHCPServer', 'DNS'])]


def test_settings_that_share_an_object_are_applied_one_after_the_other_without_a_refusal():
    # A DNS server that is also a domain controller: dns_firewall and eventlog_firewall share the Remote Event Log rules.
    host = FirewallHost()
    result = run({'settings': ['dns_firewall', 'eventlog_firewall']}, host)
    modes = [mode for mode, dummy in host.batches]
    assert modes == ['read', 'apply', 'read'], host.batches
    # The later setting was read again after the earlier one enabled the shared rules: nothing left for it to do.
    eventlog = result['results'][1]
    assert not result.get('failed') and eventlog['changed'] is False and not eventlog.get('retried_after_concurrent_change')
    assert 'warnings' not in result
    assert all(host.enabled.values()) and len(host.enabled) == 7


def test_settings_of_one_module_on_different_objects_are_applied_together():
    host = FakeHost()
    run(ARGS, host)
    assert [mode for mode, dummy in host.batches] == ['read', 'apply']


@pytest.mark.parametrize('settings, message', [
    (['no_such_setting'], "unknown setting 'no_such_setting'"),
    (['dhcp_service_acl', 'dhcp_service_acl'], 'setting dhcp_service_acl is listed twice'),
])
def test_a_bad_list_of_settings_fails_before_any_round_trip(settings, message):
    host = FakeHost()
    with pytest.raises(AnsibleActionFail, match=message):
        run(dict(ARGS, settings=settings), host)
    assert host.batches == []


def test_a_batch_that_fails_as_a_whole_fails_every_setting_in_it():
    def broken(module_name=None, module_args=None, task_vars=None, **_kwargs):
        return {'failed': True, 'msg': "Call 0 names module 'x', which a batch cannot run"}

    result = run(ARGS, broken)  # type: ignore[arg-type]
    assert result['failed'] is True
    assert [r['msg'] for r in result['results']] == [
        "%s: ipam.provisioning.managed_server_access on dhcp01: Call 0 names module 'x', which a batch cannot run" % s
        for s in ('dhcp_service_acl', 'dns_service_acl')]


def test_the_batch_can_call_the_module_of_every_catalog_setting_and_the_three_lists_agree():
    import os
    import re

    from ansible_collections.ipam.provisioning.plugins.action.managed_server_access import BATCH_MODULES, FACTS_MODULE
    from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS
    from winsim.handlers.managed_server_access import CALLABLE

    assert {s['module'] for s in SETTINGS} | {FACTS_MODULE} == set(BATCH_MODULES)
    assert set(CALLABLE) == set(BATCH_MODULES)
    script = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'modules', 'managed_server_access.ps1')
    with open(script, encoding='utf-8') as handle:
        text = handle.read()
    table = text[text.index('$callable = @{'):text.index('}', text.index('$callable = @{'))]
    assert set(re.findall(r'^\s+([a-z_]+) = ', table, re.M)) == set(BATCH_MODULES)


def test_a_setting_that_grants_to_principals_fails_without_them_and_a_firewall_setting_runs():
    host = FirewallHost()
    result = run({'settings': ['dhcp_service_acl', 'dns_firewall']}, host, check_mode=True)
    service, firewall = result['results']
    assert service['failed'] is True
    assert ('ipam.provisioning.managed_server_access: setting dhcp_service_acl grants access to principals '
            '(module ipam.provisioning.service_acl): option principals is required') in service['msg']
    assert firewall.get('failed') is None and firewall['changed'] is True
    # One round trip, the firewall's read only: the service setting failed before it asked for any.
    assert [mode for mode, dummy in host.batches] == ['read']
    assert 'DHCPServer' not in host.batches[0][1] and 'firewall_rules' in host.batches[0][1]
