# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Three-way contract test: PowerShell $spec == action plugin REMOTE_OPTIONS == simulator handler options.

See tests/contract/contract.py for the rules. The fixture tests run always, so the parser and the
comparison are proven even while plugins/modules holds no .ps1 yet.
"""
from __future__ import annotations

import glob
import importlib.util
import os

import pytest

from contract import contract
from contract.ps_spec import SpecError, Unparsed, parse_spec, parse_spec_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(HERE, 'fixtures')
MODULES = sorted(os.path.splitext(os.path.basename(p))[0]
                 for p in glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.ps1')))


def _load_fixture(name):
    spec = importlib.util.spec_from_file_location('contract_fixture_' + name, os.path.join(FIXTURES, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the parser --------------------------------------------------------------------------------

def test_parser_reads_every_literal_form_of_the_fixture():
    options = parse_spec_file(os.path.join(FIXTURES, 'sample_module.ps1'))

    assert set(options) == {'mode', 'principals', 'token', 'share_name', 'path', 'settings', 'comment'}
    assert options['mode'] == {'type': 'str', 'required': True, 'choices': ['read', 'apply'],
                               'elements': None, 'default': None, 'options': None}
    assert options['principals']['type'] == 'list'
    assert options['principals']['elements'] == 'str'
    assert options['principals']['default'] == []
    assert options['token'] == {'type': 'str', 'required': False, 'choices': None,
                                'elements': None, 'default': None, 'options': None}
    assert options['share_name']['required'] is True  # quoted key, double-quoted value
    assert options['share_name']['type'] == 'str'
    assert options['path']['type'] == 'path'
    assert options['comment']['default'] == Unparsed('"$env:COMPUTERNAME"')

    settings = options['settings']
    assert settings['type'] == 'dict'
    assert set(settings['options']) == {'recurse', 'depth', 'names'}
    assert settings['options']['recurse'] == {'type': 'bool', 'required': False, 'choices': None,
                                              'elements': None, 'default': False, 'options': None}
    assert settings['options']['depth']['default'] == -1
    assert settings['options']['names']['default'] == ['a', 'b']


def test_parser_defaults_and_nesting_of_arrays():
    options = parse_spec("$spec = @{ options = @{ a = @{ default = @(,@(1, 2)) }; b = @{ choices = 1, 'x', $null } } }")
    assert options['a']['type'] == 'str' and options['a']['required'] is False
    assert options['a']['default'] == [[1, 2]]
    assert options['b']['choices'] == [1, 'x', None]


def test_parser_is_case_insensitive_for_the_variable_and_ignores_other_hashtables():
    text = "$other = @{ options = @{ x = @{} } }\n$Spec = @{ options = @{ y = @{ type = 'int' } } }"
    assert list(parse_spec(text)) == ['y']


@pytest.mark.parametrize('text, message', [
    ("$module = 1", 'no assignment $spec'),
    ("$spec = Get-Spec", 'not assigned a literal hashtable'),
    ("$spec = @{ supports_check_mode = $true }", 'has no options key'),
    ("$spec = @{ options = $common }", 'is not a literal hashtable'),
    ("$spec = @{ options = @{ a = $x } }", 'option a is not a literal hashtable'),
    ("$spec = @{ options = @{ a = @{ type = 'str' }", 'does not parse'),
])
def test_parser_refuses_specs_it_cannot_read(text, message):
    with pytest.raises(SpecError, match=message.replace('$', r'\$')):
        parse_spec(text)


# --- the comparison ----------------------------------------------------------------------------

def test_fixture_sides_in_step_pass():
    options = parse_spec_file(os.path.join(FIXTURES, 'sample_module.ps1'))
    actions = _load_fixture('sample_action')
    handlers = _load_fixture('sample_handler')

    assert contract.check('sample', options, actions.ActionModule, handlers.HANDLER) == []
    assert contract.check('sample', options, actions.NoRequiredActionModule, handlers.HANDLER) == []


def test_fixture_mismatch_is_reported_per_side_with_the_names():
    options = parse_spec_file(os.path.join(FIXTURES, 'sample_module.ps1'))
    actions = _load_fixture('sample_action')
    handlers = _load_fixture('sample_handler')

    problems = contract.check('sample', options, actions.DriftedActionModule, handlers.DRIFTED_HANDLER)

    assert problems == [
        "in $spec but not sent by the action plugin: ['path']",
        "sent by the action plugin but not in $spec: ['shares']",
        "in $spec but not accepted by the simulator: ['comment']",
        "accepted by the simulator but not in $spec: ['force']",
        "required = $true in $spec but not in REMOTE_REQUIRED (the action plugin may omit it): ['share_name']",
    ]
    assert contract.format_problems('sample', problems[:1] + problems[3:4]) == (
        "sample: in $spec but not sent by the action plugin: ['path']; "
        "accepted by the simulator but not in $spec: ['force']")


def test_required_must_be_subset_of_remote_options():
    problems = contract.compare('m', {'a': {'required': False}}, {'a'}, {'a'}, remote_required={'a', 'b'})
    assert problems == ["in REMOTE_REQUIRED but not in REMOTE_OPTIONS: ['b']"]


def test_declarations_must_be_sets_of_names():
    class Listed:
        REMOTE_OPTIONS = ['mode']

    with pytest.raises(contract.ContractError, match='must be a frozenset'):
        contract.check('m', {'mode': {}}, Listed, _load_fixture('sample_handler').HANDLER)


def test_missing_action_plugin_is_reported():
    with pytest.raises(contract.ContractError, match='has no action plugin plugins/action/no_such_module.py'):
        contract.action_class('no_such_module')


def test_missing_simulator_handler_is_reported():
    with pytest.raises(contract.ContractError, match='the simulator has no handler for ipam.provisioning.no_such_module'):
        contract.handler('no_such_module')


# --- the real modules --------------------------------------------------------------------------

@pytest.mark.parametrize('module', MODULES)
def test_module_contract(module):
    spec_options = parse_spec_file(contract.spec_file(REPO, module))
    action_cls = contract.action_class(module)
    handler_entry = contract.handler(module)
    problems = contract.check(module, spec_options, action_cls, handler_entry)
    assert not problems, contract.format_problems(module, problems)
