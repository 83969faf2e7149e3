# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml's action group ``access`` and the ansible.windows-style aliases.

``module_defaults: {group/ipam.provisioning.access: {principals: [...]}}`` must reach every module
that takes ``principals``, so the group lists exactly those modules; the ``name``/``members`` aliases
(ansible.windows.win_group_membership's option names) must be the same in DOCUMENTATION and in the
action plugin's ARGUMENT_SPEC, and must mean what the options mean.
"""
from __future__ import annotations

import functools
import glob
import importlib
import json
import os
import subprocess
import sys

import pytest
import yaml
from ansible.errors import AnsibleActionFail

from harness import RemoteScript, run_action

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
MODULES = sorted({os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py')) if not p.endswith('__init__.py')})
ACTIONS = sorted(os.path.splitext(os.path.basename(p))[0]
                 for p in glob.glob(os.path.join(REPO, 'plugins', 'action', '*.py')) if not p.endswith('__init__.py'))

DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330'
IPAM = {'input': 'CORP\\IPAM01$', 'sid': DOMAIN + '-1205', 'name': 'CORP\\IPAM01$', 'error': None}


def runtime() -> dict:
    with open(os.path.join(REPO, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=None)
def documentation() -> dict[str, dict]:
    """Every module's documentation as ansible-doc renders it (fragments merged), in one call."""
    exe = os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    names = ['ipam.provisioning.%s' % m for m in MODULES]
    proc = subprocess.run([exe, '--json', '-t', 'module'] + names, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return {name.rsplit('.', 1)[1]: entry['doc'] for name, entry in json.loads(proc.stdout).items()}


def action_module(name: str):
    return importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name).ActionModule


def argument_spec(name: str) -> dict[str, dict]:
    """The options the action plugin validates (a class attribute, or the plugin module's ARGUMENT_SPEC)."""
    plugin = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name)
    return getattr(plugin.ActionModule, 'ARGUMENT_SPEC', None) or plugin.ARGUMENT_SPEC


def test_access_group_lists_exactly_the_modules_that_take_principals():
    group = runtime()['action_groups']['access']
    assert len(group) == len(set(group)), 'a module is listed twice'
    takes_principals = sorted(m for m, doc in documentation().items() if 'principals' in (doc.get('options') or {}))
    assert sorted(group) == takes_principals
    for name in group:
        assert 'principals' in documentation()[name]['options'], name
        if name in ACTIONS:  # the action plugin validates the task's options, module_defaults included
            assert 'principals' in argument_spec(name), name


def test_every_module_of_the_group_documents_its_membership():
    group = runtime()['action_groups']['access']
    for name, doc in documentation().items():
        membership = ((doc.get('attributes') or {}).get('action_group') or {}).get('membership') or []
        assert ('ipam.provisioning.access' in membership) == (name in group), name


@pytest.mark.parametrize('name', ACTIONS)
def test_aliases_are_the_same_in_the_documentation_and_the_argument_spec(name):
    doc_options = documentation()[name].get('options') or {}
    for option, spec in argument_spec(name).items():
        assert sorted(doc_options[option].get('aliases') or []) == sorted(spec.get('aliases') or []), option


def test_win_group_membership_option_names():
    assert argument_spec('group_membership')['group']['aliases'] == ['name']
    assert argument_spec('group_membership')['principals']['aliases'] == ['members']
    assert argument_spec('dhcp_users_membership')['principals']['aliases'] == ['members']


def group_read(principal=None):
    principal = IPAM if principal is None else principal
    members = [{'sid': IPAM['sid'], 'name': IPAM['name']}]
    return {'changed': False, 'group': {'name': 'Event Log Readers', 'sid': 'S-1-5-32-573', 'scope': 'local'},
            'members': members, 'token': IPAM['sid'], 'host': {'name': 'DNS01', 'domain_role': 3},
            'principals': [dict(principal)]}


def test_name_and_members_mean_group_and_principals():
    by_alias = RemoteScript(group_read())
    by_name = RemoteScript(group_read())
    alias_result = run_action(action_module('group_membership'),
                              {'name': 'event_log_readers', 'members': ['CORP\\IPAM01$']}, by_alias)
    run_action(action_module('group_membership'), {'group': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}, by_name)
    assert by_alias.calls == by_name.calls
    assert by_alias.calls[0]['group'] == 'S-1-5-32-573' and by_alias.calls[0]['principals'] == ['CORP\\IPAM01$']
    assert alias_result['changed'] is False


def test_dhcp_users_membership_takes_members():
    read = {'changed': False, 'group': {'name': 'DHCP Users', 'sid': 'S-1-5-21-1-2-3-1003', 'scope': 'local',
                                        'matched_by': 'name'},
            'members': [{'sid': IPAM['sid'], 'name': IPAM['name']}], 'token': IPAM['sid'],
            'service': {'exists': True, 'status': 'Running'}, 'host': {'name': 'DHCP01', 'domain_role': 3},
            'principals': [dict(IPAM)]}
    remote = RemoteScript(read)
    run_action(action_module('dhcp_users_membership'), {'members': ['CORP\\IPAM01$']}, remote)
    assert remote.calls[0]['principals'] == ['CORP\\IPAM01$']


def test_the_tasks_members_win_over_principals_from_module_defaults():
    """module_defaults adds principals to the task's options; a task that says members means those."""
    remote = RemoteScript(group_read())
    run_action(action_module('group_membership'),
               {'group': 'event_log_readers', 'principals': ['CORP\\other$'], 'members': ['CORP\\IPAM01$']}, remote)
    assert remote.calls[0]['principals'] == ['CORP\\IPAM01$']


@pytest.mark.parametrize('name, args', [
    ('group_membership', {'group': 'event_log_readers', 'members': 'CORP\\a$,CORP\\b$'}),
    ('dhcp_users_membership', {'members': 'CORP\\a$,CORP\\b$'}),
])
def test_a_comma_separated_members_string_is_refused_like_principals(name, args):
    remote = RemoteScript(group_read())
    with pytest.raises(AnsibleActionFail, match='option members: give a YAML list'):
        run_action(action_module(name), args, remote)
    assert remote.calls == []
