# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/docsite: the guides are listed, parse as reStructuredText, link to labels that exist, and the
settings matrix guide says what plugins/module_utils/catalog.py says."""
from __future__ import annotations

import glob
import os
import re
import typing as t

import docutils.core
import docutils.nodes
import docutils.parsers.rst.roles
import docutils.utils
import pytest
import yaml

from ansible_collections.ipam.provisioning.plugins.module_utils import catalog

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DOCSITE = os.path.join(REPO, 'docs', 'docsite')
RST = sorted(glob.glob(os.path.join(DOCSITE, 'rst', '*.rst')))
LABEL = '.. _ansible_collections.ipam.provisioning.docsite.%s:'
ROLE_OF_TYPE = {'dhcp': 'dhcp_server', 'dns': 'dns_server', 'dc': 'domain_controller', 'nps': 'nps_server'}


def read(path: str) -> str:
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def name_of(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # pylint: disable=unused-argument
    """Stand-in for Sphinx's :ref: (plain docutils does not know it)."""
    return [docutils.nodes.literal(rawtext, text)], []


docutils.parsers.rst.roles.register_local_role('ref', sphinx_role)


def test_every_guide_is_listed_and_every_listed_guide_exists():
    extra = yaml.safe_load(read(os.path.join(DOCSITE, 'extra-docs.yml')))
    listed = [name for section in extra['sections'] for name in section['toctree']]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(name_of(p) for p in RST)


def test_links_file_loads():
    links = yaml.safe_load(read(os.path.join(DOCSITE, 'links.yml')))
    assert set(links) <= {'edit_on_github', 'extra_links', 'communication'}
    for link in links.get('extra_links', []):
        assert set(link) == {'description', 'url'}


@pytest.mark.parametrize('path', RST, ids=name_of)
def test_guide_parses_cleanly_with_its_label(path):
    text = read(path)
    assert (LABEL % name_of(path)) in text
    messages: list[str] = []
    settings = {'report_level': docutils.utils.Reporter.WARNING_LEVEL, 'halt_level': docutils.utils.Reporter.SEVERE_LEVEL + 1,
                'warning_stream': False}
    doctree = docutils.core.publish_doctree(text, source_path=path, settings_overrides=settings)
    for message in doctree.findall(docutils.nodes.system_message):
        if message['level'] >= docutils.utils.Reporter.WARNING_LEVEL:
            messages.append('%s:%s: %s' % (name_of(path), message.get('line'), message.astext()))
    assert messages == []


def test_references_point_at_existing_labels():
    labels = {m for p in RST for m in re.findall(r'^\.\. _([\w.]+):$', read(p), re.M)}
    for path in RST:
        for target in re.findall(r':ref:`(?:[^`<]*<)?([\w.]+)>?`', read(path)):
            assert target in labels, '%s refers to %s' % (name_of(path), target)


# ---------------------------------------------------------------------------- the settings matrix
def list_table_rows(text: str, first_cell: str) -> dict[str, str]:
    """Rows of the list-table whose first cell (a literal) is first_cell-like: {cell text: whole row}."""
    rows = {}
    for block in re.split(r'\n   \* - ', text):
        block = re.split(r'\n(?=\S)', block)[0]  # the table ends at the first unindented line
        cell = re.match(r'``([^`]+)``', block)
        if cell and re.fullmatch(first_cell, cell.group(1)):
            rows[cell.group(1)] = ' '.join(block.split())
    return rows


@pytest.fixture(scope='module')
def matrix() -> str:
    return read(os.path.join(DOCSITE, 'rst', 'guide_settings_matrix.rst'))


def test_every_catalog_setting_is_in_the_matrix_with_its_types_and_module(matrix):
    rows = list_table_rows(matrix, r'[a-z_]+')
    for setting in catalog.SETTINGS:
        assert setting['id'] in rows, 'setting %s is missing from guide_settings_matrix.rst' % setting['id']
        row = rows[setting['id']]
        assert '``%s``' % setting['module'] in row, (setting['id'], setting['module'])
        assert ', '.join(setting['server_types']) in row, (setting['id'], setting['server_types'])
        scope = 'domain' if setting['scope'] == 'domain' or setting.get('on_dc') == 'domain' else 'host'
        assert scope in row, (setting['id'], scope)
    assert set(rows) == {s['id'] for s in catalog.SETTINGS}, 'the guide documents settings the catalog does not have'


def test_exact_aces_and_sids_are_the_catalog_s(matrix):
    for text in (catalog.ace(catalog.SERVICE_READ_RIGHTS, '<SID>'), catalog.ace(catalog.EVENTLOG_READ_RIGHTS, '<SID>'),
                 catalog.ace(catalog.DNS_OBJECT_READ_RIGHTS, '<SID>', catalog.DNS_OBJECT_READ_FLAGS),
                 catalog.EVENT_LOG_READERS_SID, catalog.ADMINISTRATORS_SID, '0x%X' % catalog.SHARE_READ_MASK,
                 catalog.DHCP_AUDIT_SHARE, catalog.DHCP_LOG_PATH_VALUE, catalog.DHCP_SERVICE, catalog.DNS_EVENT_LOG):
        assert text in matrix, text


@pytest.mark.parametrize('server_type', catalog.SERVER_TYPES)
def test_role_table_lists_the_settings_of_each_type(matrix, server_type):
    row = list_table_rows(matrix, r'ipam\.provisioning\.[a-z_]+')['ipam.provisioning.%s' % ROLE_OF_TYPE[server_type]]
    listed = set(re.findall(r'``([a-z_]+)``', row))
    assert listed == {s['id'] for s in catalog.SETTINGS if server_type in s['server_types']}


def test_firewall_table_is_the_catalog_s(matrix):
    rows = list_table_rows(matrix, r'[A-Za-z][A-Za-z_-]+-[A-Za-z_-]+')
    assert set(rows) == set(catalog.FIREWALL_RULES)
    for name, display in catalog.FIREWALL_RULES.items():
        types = [ty for ty in catalog.SERVER_TYPES if name in catalog.FIREWALL_RULES_BY_TYPE[ty]]
        assert display in rows[name] and rows[name].endswith(', '.join(types)), (name, rows[name])


def test_catalog_accessors_used_above_exist() -> None:
    # The matrix checks read these names; a rename in catalog.py should fail here, not silently pass.
    needed: tuple[str, ...] = ('SETTINGS', 'SERVER_TYPES', 'FIREWALL_RULES', 'FIREWALL_RULES_BY_TYPE', 'ace')
    assert all(hasattr(catalog, n) for n in needed)
    assert isinstance(t.cast(t.Any, catalog.SETTINGS), tuple)
