# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX's rules for job template survey specs, and for the answers a launch gives them.

Two sources in ansible/awx (read at commit e21dd0a0, 2024-10):

- ``awx/api/views/__init__.py`` ``JobTemplateSurveySpec._validate_spec_data``: what
  ``POST /api/v2/job_templates/N/survey_spec/`` (and so ``awx.awx.job_template survey_spec``)
  accepts. AWX stops at the first error; :func:`spec_errors` reports all of them, with AWX's text.
- ``awx/main/models/mixins.py`` ``SurveyJobTemplateMixin._survey_element_validation``: how a
  launch (form, API, schedule ``extra_data``) is checked against the survey, and
  ``_update_unified_job_kwargs``: which defaults AWX applies by itself.

:func:`spec_errors` with ``strict=True`` adds this project's rules where AWX is lax or quirky
(they are marked "[strict]" in the messages): AWX checks a default against a choices *string* as a
substring, accepts ``True`` where an integer is due, and lets a question send an empty string that
overrides the inventory.
"""
from __future__ import annotations

import keyword
import re
import typing as t

# awx/main/constants.py SURVEY_TYPE_MAPPING: the allowed question types and their default's type.
SURVEY_TYPE_MAPPING: dict[str, tuple[type, ...]] = {
    'text': (str,), 'textarea': (str,), 'password': (str,), 'multiplechoice': (str,), 'multiselect': (str,),
    'integer': (int,), 'float': (float, int),
}
REQUIRED_KEYS: tuple[tuple[str, type, str], ...] = (
    ('type', str, 'string'), ('question_name', str, 'string'), ('variable', str, 'string'), ('required', bool, 'boolean'))
ENCRYPTED = '$encrypted$'
# AWX adds awx_* and tower_* job variables (JOB_VARIABLE_PREFIXES); a survey variable so named clashes.
RESERVED_PREFIXES = ('awx_', 'tower_')
VARIABLE_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
CHOICE_TYPES = ('multiplechoice', 'multiselect')
STRING_TYPES = ('text', 'textarea', 'password')


def choice_list(choices: t.Any) -> list[t.Any]:
    """Choices as AWX reads them: a list, or a newline-separated string without blank lines."""
    if isinstance(choices, str):
        return [c for c in choices.splitlines() if c.strip() != '']
    return list(choices or [])


def default_list(default: t.Any) -> list[t.Any]:
    if isinstance(default, str):
        return [d for d in default.splitlines() if d.strip() != '']
    return list(default) if isinstance(default, (list, tuple)) else [default]


def _limit(value: t.Any) -> bool:
    """min/max: AWX wants an integer or null."""
    return value is None or isinstance(value, int)


def spec_errors(spec: t.Any, old_spec: t.Mapping[str, t.Any] | None = None, strict: bool = True) -> list[str]:
    """Every reason AWX (and, with strict, this project) refuses the survey spec; [] when it is fine."""
    errors: list[str] = []
    if not isinstance(spec, t.Mapping):
        return ['survey spec must be a mapping, got %s' % type(spec).__name__]
    for field, expect, label in (('name', str, 'string'), ('description', str, 'string'), ('spec', list, 'list of items')):
        if field not in spec:
            errors.append("Field '%s' is missing from survey spec." % field)
        elif not isinstance(spec[field], expect):
            errors.append("Expected %s for field '%s', received %s type." % (label, field, type(spec[field]).__name__))
    if isinstance(spec.get('spec'), list) and not spec['spec']:
        errors.append("'spec' doesn't contain any items.")
    if errors:
        return errors

    old_by_variable = {q.get('variable'): q for q in (old_spec or {}).get('spec', []) if isinstance(q, t.Mapping)}
    seen: set[str] = set()
    for idx, item in enumerate(spec['spec']):
        errors.extend(question_errors(idx, item, seen, old_by_variable, strict))
    return errors


def question_errors(idx: int, item: t.Any, seen: set[str], old_by_variable: t.Mapping[str, t.Any], strict: bool) -> list[str]:
    if not isinstance(item, t.Mapping):
        return ['Survey question %d is not a json object.' % idx]
    for field, expect, label in REQUIRED_KEYS:
        if field not in item:
            return ["'%s' missing from survey question %d" % (field, idx)]
        if not isinstance(item[field], expect):
            return ["'%s' in survey question %d expected to be %s." % (field, idx, label)]
    errors: list[str] = []
    variable, qtype = item['variable'], item['type']
    if variable in seen:
        errors.append("'variable' '%s' duplicated in survey question %d." % (variable, idx))
    seen.add(variable)
    if qtype not in SURVEY_TYPE_MAPPING:
        return errors + ["'%s' in survey question %d is not one of '%s' allowed question types." % (
            qtype, idx, ', '.join(SURVEY_TYPE_MAPPING))]
    default = item.get('default')
    if 'default' in item and default != '' and not isinstance(default, SURVEY_TYPE_MAPPING[qtype]):
        label = qtype if qtype in ('integer', 'float') else 'string'
        errors.append('Default value %s in survey question %d expected to be %s.' % (default, idx, label))
    for key in ('min', 'max'):
        if key in item and not _limit(item[key]):
            errors.append('The %s limit in survey question %d expected to be integer.' % (key, idx))
    if qtype in CHOICE_TYPES:
        errors.extend(_choice_errors(idx, item, strict))
    errors.extend(_encrypted_errors(idx, item, old_by_variable))
    if strict:
        errors.extend(_strict_errors(idx, item))
    return errors


def _choice_errors(idx: int, item: t.Mapping[str, t.Any], strict: bool) -> list[str]:
    if 'choices' not in item:
        return ['Survey question %d of type %s must specify choices.' % (idx, item['type'])]
    choices = choice_list(item['choices'])
    errors: list[str] = []
    if strict:
        if not isinstance(item['choices'], (str, list)):
            errors.append('[strict] choices of survey question %d must be a list or a newline-separated string' % idx)
        if not choices:
            errors.append('[strict] survey question %d of type %s has no choices' % (idx, item['type']))
        if not all(isinstance(c, str) for c in choices):
            errors.append('[strict] choices of survey question %d must be strings (answers arrive as strings)' % idx)
        if len(set(map(str, choices))) != len(choices):
            errors.append('[strict] survey question %d repeats a choice' % idx)
    if 'default' in item and item['default'] not in ('', None):
        defaults = default_list(item['default'])
        if item['type'] == 'multiplechoice' and len(defaults) > 1:
            errors.append('Multiple Choice (Single Select) can only have one default value.')
        # AWX tests `default in choices`, a substring test when choices is a string; test membership.
        if any(d not in choices for d in defaults):
            errors.append('Default choice must be answered from the choices listed. (question %d: %r not in %r)' % (
                idx, item['default'], choices))
    return errors


def _encrypted_errors(idx: int, item: t.Mapping[str, t.Any], old_by_variable: t.Mapping[str, t.Any]) -> list[str]:
    default = item.get('default')
    if not (isinstance(default, str) and default.startswith(ENCRYPTED)):
        return []
    if item['type'] != 'password':
        return ['$encrypted$ is a reserved keyword for password question defaults, survey question %d is type %s.' % (
            idx, item['type'])]
    old_default = old_by_variable.get(item['variable'], {}).get('default')
    if not (isinstance(old_default, str) and (old_default.startswith(ENCRYPTED) or old_default == '')):
        return ['$encrypted$ is a reserved keyword, may not be used for new default in position %d.' % idx]
    return []


def _strict_errors(idx: int, item: t.Mapping[str, t.Any]) -> list[str]:
    errors: list[str] = []
    variable, qtype, default = item['variable'], item['type'], item.get('default')
    if not VARIABLE_NAME.match(variable) or keyword.iskeyword(variable):
        errors.append('[strict] variable %r of survey question %d is not a valid Ansible variable name' % (variable, idx))
    if variable.startswith(RESERVED_PREFIXES):
        errors.append('[strict] variable %r of survey question %d uses a prefix AWX reserves for job variables' % (variable, idx))
    if not item['question_name'].strip():
        errors.append('[strict] survey question %d has an empty question_name' % idx)
    for key in ('min', 'max'):
        if isinstance(item.get(key), bool):
            errors.append('[strict] the %s limit of survey question %d is a boolean' % (key, idx))
    low, high = item.get('min'), item.get('max')
    if isinstance(low, int) and isinstance(high, int) and low > high:
        errors.append('[strict] survey question %d has min %d above max %d' % (idx, low, high))
    if qtype in ('integer', 'float') and isinstance(default, bool):
        errors.append('[strict] default of survey question %d is a boolean, not a number' % idx)
    if qtype == 'password' and default not in (None, ''):
        # AWX encrypts it once posted, but a survey kept as code would hold the secret in clear text.
        errors.append('[strict] password question %d has a default: keep secrets out of the survey definition' % idx)
    if qtype in STRING_TYPES and not item['required'] and default == '':
        errors.append("[strict] optional question %d (%s) has default '': AWX would send an empty string that overrides "
                      "the inventory's value; drop the default or make the question required" % (idx, variable))
    if default not in (None, '') and 'default' in item and qtype != 'password':
        # The default must be an answer the launch accepts (min/max of length or value).
        errors.extend('[strict] default of survey question %d is no valid answer: %s' % (idx, e)
                      for e in answer_errors(item, {variable: launch_value(item)}))
    return errors


def launch_value(item: t.Mapping[str, t.Any]) -> t.Any:
    """The answer the launch form submits when the user keeps the default (multiselect: a list)."""
    default = item.get('default')
    if item['type'] == 'multiselect':
        return default_list(default) if default not in (None, '') else []
    return default


def launch_answers(spec: t.Mapping[str, t.Any], overrides: t.Mapping[str, t.Any] | None = None) -> dict[str, t.Any]:
    """Extra vars a launch through the form sends: every default kept, then the overrides."""
    answers = {q['variable']: launch_value(q) for q in spec['spec'] if q.get('default') not in (None, '')}
    answers.update(overrides or {})
    return answers


def answer_errors(item: t.Mapping[str, t.Any], data: t.Mapping[str, t.Any], validate_required: bool = True) -> list[str]:
    """_survey_element_validation: why AWX refuses these launch answers for one question."""
    variable, qtype = item['variable'], item['type']
    present = variable in data
    value = data.get(variable)
    if qtype == 'password' and value == ENCRYPTED:
        if item.get('default') is None and item['required'] and validate_required:
            return ["'%s' value missing" % variable]
        return []
    if not present:
        return ["'%s' value missing" % variable] if item['required'] and validate_required else []
    if qtype in STRING_TYPES:
        return _string_answer_errors(item, value)
    if qtype in ('integer', 'float'):
        return _number_answer_errors(item, value)
    choices = choice_list(item.get('choices'))
    if qtype == 'multiselect':
        if not isinstance(value, list):
            return ["'%s' value is expected to be a list." % variable]
        return ["Value %s for '%s' expected to be one of %s." % (v, variable, choices) for v in value if v not in choices]
    if value not in choices:  # multiplechoice
        return ["Value %s for '%s' expected to be one of %s." % (value, variable, choices)]
    return []


def _string_answer_errors(item: t.Mapping[str, t.Any], value: t.Any) -> list[str]:
    variable = item['variable']
    if not isinstance(value, str):
        return ["Value %s for '%s' expected to be a string." % (value, variable)]
    errors = []
    if item.get('min') not in ('', None) and len(value) < int(item['min']):
        errors.append("'%s' value %s is too small (length is %d must be at least %s)." % (variable, value, len(value), item['min']))
    if item.get('max') not in ('', None) and len(value) > int(item['max']):
        errors.append("'%s' value %s is too large (must be no more than %s)." % (variable, value, item['max']))
    return errors


def _number_answer_errors(item: t.Mapping[str, t.Any], value: t.Any) -> list[str]:
    variable, qtype = item['variable'], item['type']
    # AWX compares type(value) exactly, so a boolean (an int subclass) is no number there either.
    if qtype == 'integer' and (isinstance(value, bool) or not isinstance(value, int)):
        return ["Value %s for '%s' expected to be an integer." % (value, variable)]
    if qtype == 'float' and (isinstance(value, bool) or not isinstance(value, (float, int))):
        return ["Value %s for '%s' expected to be a numeric type." % (value, variable)]
    convert = int if qtype == 'integer' else float
    errors = []
    if item.get('min') not in ('', None) and value < convert(item['min']):
        errors.append("'%s' value %s is too small (must be at least %s)." % (variable, value, item['min']))
    if item.get('max') not in ('', None) and value > convert(item['max']):
        errors.append("'%s' value %s is too large (must be no more than %s)." % (variable, value, item['max']))
    return errors


def launch_errors(spec: t.Mapping[str, t.Any], data: t.Mapping[str, t.Any]) -> list[str]:
    """Every survey question's complaint about a launch's extra vars."""
    return [e for q in spec['spec'] for e in answer_errors(q, data)]


def defaults_awx_applies(spec: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """_update_unified_job_kwargs: the defaults AWX adds to a launch by itself (schedules, API).

    Only defaults that pass the answer validation: a multiselect default (a string) never does, so
    a scheduled run gets no value for that question unless its extra_data gives one.
    """
    applied = {}
    for item in spec['spec']:
        if item.get('default') is not None and not answer_errors(item, {item['variable']: item['default']}):
            applied[item['variable']] = item['default']
    return applied


def scheduled_launch_errors(spec: t.Mapping[str, t.Any], extra_data: t.Mapping[str, t.Any]) -> list[str]:
    """What a scheduled run with this extra_data would miss or get wrong."""
    data = dict(defaults_awx_applies(spec))
    data.update(extra_data)
    return launch_errors(spec, data)
