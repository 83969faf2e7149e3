# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The server types, statuses and access types are declared once (module_utils/vocabulary.py, #12 item 5).

Checked here: no plugin declares one of them again; the catalog, the module and role documentation and
the roles' defaults use exactly those words; and the status lists agree with each other.
"""
from __future__ import annotations

import ast
import glob
import os

import pytest
import yaml

from ansible_collections.ipam.provisioning.plugins.module_utils import vocabulary as v
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
VOCABULARY_FILE = os.path.join(REPO, 'plugins', 'module_utils', 'vocabulary.py')
DECLARED = {
    'SERVER_TYPES': v.SERVER_TYPES,
    'SETTING_STATUSES': v.SETTING_STATUSES,
    'AUDIT_STATUSES': v.AUDIT_STATUSES,
    'REPORT_STATUSES': v.REPORT_STATUSES,
    'FINDINGS': v.FINDINGS,
    'ACCESS_TYPES': tuple(v.ACCESS_TYPES),
    'MANAGEABILITY': tuple(v.MANAGEABILITY),
    'SERVER_TYPE_GROUPS': tuple(v.SERVER_TYPE_GROUPS.values()),
    'IPAM_ACCESS_STATUSES': v.IPAM_ACCESS_STATUSES,
}


def python_files():
    return sorted(f for f in glob.glob(os.path.join(REPO, 'plugins', '**', '*.py'), recursive=True)
                  if os.path.realpath(f) != os.path.realpath(VOCABULARY_FILE))


def string_collections(path):
    """(line, set of strings) for every tuple, list or set literal of 2+ strings assigned in a file.

    A dict keyed by server type or status (a label per status, the rules per server type) maps the
    vocabulary to something else; it does not declare it, so dicts are not scanned.
    """
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        value = node.value
        items = value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) else None
        if not items or len(items) < 2:
            continue
        if all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
            yield node.lineno, {i.value for i in items}


def test_no_plugin_declares_a_vocabulary_again():
    again = []
    for path in python_files():
        for line, words in string_collections(path):
            for name, declared in DECLARED.items():
                if words == set(declared):
                    again.append('%s:%d repeats vocabulary.%s' % (os.path.relpath(path, REPO), line, name))
    assert again == []


def test_the_scan_finds_a_declaration(tmp_path):
    """The check above must see a copy where one is written (else it proves nothing)."""
    copy = tmp_path / 'copy.py'
    copy.write_text("KINDS: tuple = ('dhcp', 'dns', 'dc', 'nps')\nLABELS = {'compliant': 1, 'drift': 2}\nBAD = ['failed', 'drift']\n")
    assert [words for _line, words in string_collections(str(copy))] == [set(v.SERVER_TYPES), {'failed', 'drift'}]


def test_the_statuses_agree():
    assert set(v.REPORT_STATUSES) - set(v.SETTING_STATUSES) == {'unreachable'}, 'only a host can be unreachable'
    assert set(v.SETTING_STATUSES) - set(v.AUDIT_STATUSES) == {'changed'}, 'an audit changes nothing'
    assert sorted(v.SEVERITY) == sorted(v.REPORT_STATUSES)
    assert set(v.FINDINGS) < set(v.REPORT_STATUSES)
    assert 'compliant' not in v.FINDINGS and 'changed' not in v.FINDINGS


@pytest.mark.parametrize('setting', SETTINGS, ids=lambda s: s['id'])
def test_every_setting_uses_the_vocabulary(setting):
    assert set(setting['server_types']) <= set(v.SERVER_TYPES)
    assert setting['access_type'] in v.SETTING_ACCESS_TYPES
    if setting['access_type'] in v.ACCESS_TYPES:
        _label, needed_by = v.ACCESS_TYPES[setting['access_type']]
        assert set(setting['server_types']) <= set(needed_by), 'IPAM checks %s on %s only' % (
            setting['access_type'], ', '.join(needed_by))


def test_every_ipam_access_type_is_served_by_a_setting():
    assert {s['access_type'] for s in SETTINGS} >= set(v.ACCESS_TYPES)


def documented_options(node, path=()):
    """(option path, spec) for every option of a module DOCUMENTATION or role argument spec, nested ones too."""
    for name, spec in (node or {}).items():
        if isinstance(spec, dict):
            yield path + (name,), spec
            yield from documented_options(spec.get('options') or spec.get('suboptions'), path + (name,))


def module_docs():
    for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))):
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read(), path)
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
                yield os.path.basename(path), yaml.safe_load(node.value.value)['options']


def role_specs():
    for path in sorted(glob.glob(os.path.join(REPO, 'roles', '*', 'meta', 'argument_specs.yml'))):
        with open(path, encoding='utf-8') as handle:
            for entry, spec in yaml.safe_load(handle)['argument_specs'].items():
                yield '%s (%s)' % (os.path.relpath(path, REPO), entry), spec.get('options')


def test_documented_server_type_and_status_choices_are_the_vocabulary():
    """An option offering server types or statuses offers exactly one of the declared lists, in its order."""
    lists = {tuple(words) for words in DECLARED.values()}
    checked = 0
    for where, options in list(module_docs()) + list(role_specs()):
        for path, spec in documented_options(options):
            choices = spec.get('choices')
            if not isinstance(choices, list) or not set(choices) & (set(v.SERVER_TYPES) | set(v.REPORT_STATUSES)):
                continue
            checked += 1
            assert tuple(choices) in lists, '%s option %s: choices %s are not a list of vocabulary.py' % (
                where, '.'.join(path), choices)
    assert checked >= 8, 'the documentation offers server types or statuses in at least 8 options'


def test_the_roles_default_groups_are_the_vocabulary():
    for role in ('common', 'ipam_server'):
        with open(os.path.join(REPO, 'roles', role, 'defaults', 'main.yml'), encoding='utf-8') as handle:
            assert yaml.safe_load(handle)['ipam_server_type_groups'] == v.SERVER_TYPE_GROUPS, role
