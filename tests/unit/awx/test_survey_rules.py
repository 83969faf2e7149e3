# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The survey-spec validator itself: each of AWX's rules refuses what AWX refuses, with AWX's message."""
from __future__ import annotations

import copy
import typing as t

import pytest

from survey_rules import (
    answer_errors,
    defaults_awx_applies,
    launch_answers,
    scheduled_launch_errors,
    spec_errors,
)

GOOD: dict[str, t.Any] = {
    'name': 'IPAM', 'description': '',
    'spec': [
        {'question_name': 'Principals', 'variable': 'ipam_principals', 'type': 'multiselect', 'required': True,
         'choices': ['CORP\\IPAM01$', 'CORP\\IPAM02$'], 'default': 'CORP\\IPAM01$\nCORP\\IPAM02$'},
        {'question_name': 'Restart', 'variable': 'ipam_dhcp_restart', 'type': 'multiplechoice', 'required': True,
         'choices': 'no\nyes', 'default': 'no'},
        {'question_name': 'Name', 'variable': 'site_name', 'type': 'text', 'required': True, 'min': 2, 'max': 10, 'default': 'lab'},
        {'question_name': 'Count', 'variable': 'site_count', 'type': 'integer', 'required': False, 'min': 1, 'max': 5, 'default': 3},
        {'question_name': 'Ratio', 'variable': 'site_ratio', 'type': 'float', 'required': False, 'default': 0.5},
        {'question_name': 'Secret', 'variable': 'site_secret', 'type': 'password', 'required': False},
    ],
}


def with_question(index: int, **changes: t.Any) -> dict[str, t.Any]:
    spec = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is KeyError:
            spec['spec'][index].pop(key)
        else:
            spec['spec'][index][key] = value
    return spec


def test_a_good_spec_passes():
    assert spec_errors(GOOD) == []


@pytest.mark.parametrize('spec, message', [
    ({'description': '', 'spec': [{}]}, "Field 'name' is missing from survey spec."),
    ({'name': 'x', 'spec': [{}]}, "Field 'description' is missing from survey spec."),
    ({'name': 'x', 'description': '', 'spec': {}}, "Expected list of items for field 'spec', received dict type."),
    ({'name': 1, 'description': '', 'spec': [{}]}, "Expected string for field 'name', received int type."),
    ({'name': 'x', 'description': '', 'spec': []}, "'spec' doesn't contain any items."),
])
def test_top_level(spec, message):
    assert message in spec_errors(spec)


@pytest.mark.parametrize('index, changes, message', [
    (0, {'question_name': KeyError}, "'question_name' missing from survey question 0"),
    (0, {'variable': KeyError}, "'variable' missing from survey question 0"),
    (0, {'type': KeyError}, "'type' missing from survey question 0"),
    (0, {'required': KeyError}, "'required' missing from survey question 0"),
    (1, {'required': 'yes'}, "'required' in survey question 1 expected to be boolean."),
    (1, {'variable': 'ipam_principals'}, "'variable' 'ipam_principals' duplicated in survey question 1."),
    (2, {'type': 'checkbox'}, "'checkbox' in survey question 2 is not one of 'text, textarea, password, multiplechoice, "
                              "multiselect, integer, float' allowed question types."),
    (3, {'default': '3'}, 'Default value 3 in survey question 3 expected to be integer.'),
    (4, {'default': 'half'}, 'Default value half in survey question 4 expected to be float.'),
    (2, {'default': 7}, 'Default value 7 in survey question 2 expected to be string.'),
    (0, {'default': ['CORP\\IPAM01$']}, "Default value ['CORP\\\\IPAM01$'] in survey question 0 expected to be string."),
    (2, {'min': '2'}, 'The min limit in survey question 2 expected to be integer.'),
    (1, {'choices': KeyError}, 'Survey question 1 of type multiplechoice must specify choices.'),
    (1, {'default': 'no\nyes'}, 'Multiple Choice (Single Select) can only have one default value.'),
    (2, {'default': '$encrypted$'}, '$encrypted$ is a reserved keyword for password question defaults, survey question 2 is type text.'),
    (5, {'default': '$encrypted$'}, '$encrypted$ is a reserved keyword, may not be used for new default in position 5.'),
])
def test_awx_rules(index, changes, message):
    assert message in spec_errors(with_question(index, **changes))


def test_default_outside_the_choices():
    errors = spec_errors(with_question(1, default='maybe'))
    assert any(e.startswith('Default choice must be answered from the choices listed.') for e in errors)
    # AWX itself tests a default against a choices *string* as a substring ('es' in 'no\nyes');
    # this validator does not let that through.
    assert spec_errors(with_question(1, default='es'))


def test_encrypted_default_is_accepted_when_the_old_spec_had_one():
    old = with_question(5, default='$encrypted$abc')
    assert spec_errors(with_question(5, default='$encrypted$'), old_spec=old, strict=False) == []


@pytest.mark.parametrize('index, changes, fragment', [
    (2, {'variable': 'site-name'}, 'not a valid Ansible variable name'),
    (2, {'variable': 'awx_site'}, 'prefix AWX reserves'),
    (2, {'min': 11}, 'min 11 above max 10'),
    (2, {'default': 'x'}, 'is too small'),
    (3, {'default': 9}, 'is too large'),
    (3, {'default': True}, 'a boolean, not a number'),
    (5, {'default': 'hunter2'}, 'keep secrets out of the survey definition'),
    (2, {'required': False, 'default': ''}, 'would send an empty string'),
    (1, {'choices': ['no', 'no', 'yes']}, 'repeats a choice'),
    (1, {'choices': [], 'default': ''}, 'has no choices'),
    (1, {'choices': ['no', 1], 'default': 'no'}, 'must be strings'),
])
def test_strict_rules(index, changes, fragment):
    spec = with_question(index, **changes)
    assert any(fragment in e for e in spec_errors(spec)), spec_errors(spec)


def test_launch_answers_turn_a_multiselect_default_into_a_list():
    answers = launch_answers(GOOD, {'site_count': 2})
    assert answers['ipam_principals'] == ['CORP\\IPAM01$', 'CORP\\IPAM02$']
    assert answers['ipam_dhcp_restart'] == 'no' and answers['site_count'] == 2
    assert 'site_secret' not in answers


@pytest.mark.parametrize('index, value, message', [
    (0, 'CORP\\IPAM01$', "'ipam_principals' value is expected to be a list."),
    (0, ['CORP\\OTHER$'], "Value CORP\\OTHER$ for 'ipam_principals' expected to be one of ['CORP\\\\IPAM01$', 'CORP\\\\IPAM02$']."),
    (1, True, "Value True for 'ipam_dhcp_restart' expected to be one of ['no', 'yes']."),
    (2, 5, "Value 5 for 'site_name' expected to be a string."),
    (2, 'a', "'site_name' value a is too small (length is 1 must be at least 2)."),
    (3, 2.0, "Value 2.0 for 'site_count' expected to be an integer."),
    (3, 0, "'site_count' value 0 is too small (must be at least 1)."),
    (4, 'x', "Value x for 'site_ratio' expected to be a numeric type."),
])
def test_answer_rules(index, value, message):
    question = GOOD['spec'][index]
    assert answer_errors(question, {question['variable']: value}) == [message]


def test_required_answer_missing():
    assert answer_errors(GOOD['spec'][1], {}) == ["'ipam_dhcp_restart' value missing"]
    assert answer_errors(GOOD['spec'][3], {}) == []


def test_awx_applies_no_multiselect_default_by_itself():
    applied = defaults_awx_applies(GOOD)
    assert 'ipam_principals' not in applied
    assert applied['ipam_dhcp_restart'] == 'no'
    assert scheduled_launch_errors(GOOD, {}) == ["'ipam_principals' value missing"]
    assert scheduled_launch_errors(GOOD, {'ipam_principals': ['CORP\\IPAM02$']}) == []
