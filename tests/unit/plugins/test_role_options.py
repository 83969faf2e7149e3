# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role options are declared once (plugin_utils/nested_action.py ROLE_OPTIONS); everything else that
names them is checked against that declaration here (#12 item 5):

- the role variables that feed them (roles/common/vars/main.yml) and those variables' argument specs;
- the argument specs of the managed-server roles, which Ansible wants as one static file per role and
  which must be the common role's, option for option;
- the documentation of access_setting's and managed_server_access's options and the options access_info shares with them;
- the module option each one is routed to.
"""
from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

from ansible_collections.ipam.provisioning.plugins.action.access_info import ActionModule as AccessInfo
from ansible_collections.ipam.provisioning.plugins.action.access_setting import ARGUMENT_SPEC as ACCESS_SETTING_SPEC
from ansible_collections.ipam.provisioning.plugins.action.managed_server_access import ARGUMENT_SPEC as BATCH_SPEC
from ansible_collections.ipam.provisioning.plugins.plugin_utils.nested_action import (
    EXCLUSIVE_TARGETS,
    ROLE_OPTIONS,
    role_options_spec,
    target_arguments,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MANAGED_ROLES = ('managed_server', 'dhcp_server', 'dns_server', 'domain_controller', 'nps_server')
# The role variable behind a value of ipam_setting_options: '{{ ipam_x }}' or '{{ ipam_x | bool }}'.
TEMPLATE = re.compile(r'^\{\{ (ipam_[a-z_]+)( \| bool)? \}\}$')


def load_yaml(*parts):
    with open(os.path.join(REPO, *parts), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def role_options(role):
    return load_yaml('roles', role, 'meta', 'argument_specs.yml')['argument_specs']['main']['options']


def comparable(spec):
    """The part of an option's spec that must agree everywhere: its type and choices."""
    return {key: spec[key] for key in ('type', 'choices') if key in spec}


def test_the_role_variables_feed_exactly_the_declared_options():
    setting_options = load_yaml('roles', 'common', 'vars', 'main.yml')['ipam_setting_options']
    assert sorted(setting_options) == sorted(ROLE_OPTIONS)
    common = role_options('common')
    for option, template in setting_options.items():
        found = TEMPLATE.match(template)
        assert found, 'ipam_setting_options.%s: %r is not one role variable' % (option, template)
        variable, as_bool = found.group(1), bool(found.group(2))
        assert variable in common, '%s (for option %s) is not declared in the common role' % (variable, option)
        declared = comparable(common[variable])
        wanted = comparable(ROLE_OPTIONS[option]['spec'])
        assert declared == wanted, 'role variable %s is %r, option %s is %r' % (variable, declared, option, wanted)
        assert as_bool == (wanted['type'] == 'bool'), 'only a bool option is passed through | bool (%s)' % option


@pytest.mark.parametrize('role', MANAGED_ROLES)
def test_each_managed_server_role_declares_the_common_roles_options(role):
    assert role_options(role) == role_options('common')


@pytest.mark.parametrize('module, spec', [('access_setting', ACCESS_SETTING_SPEC), ('managed_server_access', BATCH_SPEC)])
def test_the_setting_modules_take_and_document_exactly_the_declared_options(module, spec):
    assert spec['options']['options'] == role_options_spec()
    documentation = yaml.safe_load(importlib.import_module(
        'ansible_collections.ipam.provisioning.plugins.modules.%s' % module).DOCUMENTATION)
    documented = documentation['options']['options']['suboptions']
    assert sorted(documented) == sorted(ROLE_OPTIONS)
    for option, option_spec in documented.items():
        assert comparable(option_spec) == comparable(ROLE_OPTIONS[option]['spec']), option
    # Every option of the plugin is documented, with its type and default.
    assert sorted(documentation['options']) == sorted(spec)
    for option, option_spec in spec.items():
        assert documentation['options'][option]['type'] == option_spec['type'], (module, option)
        assert documentation['options'][option].get('default') == option_spec.get('default'), (module, option)


def test_access_info_agrees_on_the_options_it_shares():
    spec = AccessInfo.ARGUMENT_SPEC['options']['options']
    shared = [option for option in spec if option in ROLE_OPTIONS]
    assert shared, 'access_info shares no role option any more: drop this test'
    for option in shared:
        assert comparable(spec[option]) == comparable(ROLE_OPTIONS[option]['spec']), option


@pytest.mark.parametrize('option', sorted(ROLE_OPTIONS))
def test_each_option_reaches_a_module_option_of_the_same_type(option):
    for module, target in ROLE_OPTIONS[option]['routes'].items():
        modules = ['dhcp_users_membership', 'dhcpaudit_share', 'group_membership', 'service_acl'] if module == '*' else [module]
        reached = 0
        for name in modules:
            action = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % name).ActionModule
            if target in action.ARGUMENT_SPEC:
                reached += 1
                assert action.ARGUMENT_SPEC[target]['type'] == ROLE_OPTIONS[option]['spec']['type'], (option, name)
        assert reached, 'option %s is routed to %s.%s, which no module has' % (option, module, target)


def test_the_spec_handed_out_is_a_copy():
    handed = role_options_spec()
    handed['dhcp_group']['choices'].append('guests')
    assert role_options_spec()['dhcp_group']['choices'] == ['users', 'administrators']


@pytest.mark.parametrize('module', sorted(EXCLUSIVE_TARGETS))
def test_exclusive_targets_are_the_modules_own_exclusive_options(module):
    """The options nested_action sends only one of are the ones the module itself refuses together."""
    action = importlib.import_module('ansible_collections.ipam.provisioning.plugins.action.%s' % module).ActionModule
    assert set(EXCLUSIVE_TARGETS[module]) in [set(group) for group in action.MUTUALLY_EXCLUSIVE]


@pytest.mark.parametrize('given, sent', [
    ({}, {'group': 'users'}),
    ({'dhcp_group': 'administrators'}, {'group': 'administrators'}),
    ({'dhcp_group_name': 'Utenti DHCP'}, {'group_name': 'Utenti DHCP'}),
    ({'dhcp_group_sid': 'S-1-5-21-1-2-3-1001', 'dhcp_group': 'administrators'}, {'group_sid': 'S-1-5-21-1-2-3-1001'}),
    ({'dhcp_group_sid': 'S-1-5-21-1-2-3-1001', 'dhcp_group_name': 'Utenti DHCP'}, {'group_sid': 'S-1-5-21-1-2-3-1001'}),
])
def test_one_dhcp_group_selector_reaches_the_module(given, sent):
    setting = {'module': 'dhcp_users_membership', 'params': {'group': 'users'}}
    args = target_arguments(setting, {'options': given, 'principals': ['CORP\\IPAM01$'], 'state': 'present'},
                            ['group', 'group_sid', 'group_name', 'principals', 'state'])
    assert {k: v for k, v in args.items() if k.startswith('group')} == sent
