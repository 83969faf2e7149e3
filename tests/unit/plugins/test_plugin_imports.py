# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a plugin may import from this collection (#12 item 5).

Ansible loads each action plugin and filter by its own name; one importing another couples two
public interfaces and loads code twice under different names. What several of them share lives in
plugin_utils (controller only) or module_utils (pure data and helpers, no Ansible controller code).
"""
from __future__ import annotations

import ast
import glob
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PACKAGE = 'ansible_collections.ipam.provisioning.plugins.'
# Plugin folder -> the folders of this collection its files may import from.
ALLOWED = {
    'action': ('module_utils', 'plugin_utils'),
    'filter': ('module_utils', 'plugin_utils'),
    'inventory': ('module_utils', 'plugin_utils'),
    'test': ('module_utils', 'plugin_utils'),
    'plugin_utils': ('module_utils', 'plugin_utils'),
    'module_utils': ('module_utils',),
}


def collection_imports(path):
    """(line, 'folder.name') for every import of this collection's plugins in a file."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.startswith(PACKAGE):
                yield node.lineno, name[len(PACKAGE):]


def plugin_files():
    for folder in sorted(ALLOWED):
        for path in sorted(glob.glob(os.path.join(REPO, 'plugins', folder, '*.py'))):
            yield folder, path


@pytest.mark.parametrize('folder, path', list(plugin_files()), ids=lambda p: os.path.relpath(p, REPO) if '/' in str(p) else p)
def test_a_plugin_imports_only_shared_code(folder, path):
    wrong = ['line %d imports %s' % (line, name) for line, name in collection_imports(path)
             if name.split('.', 1)[0] not in ALLOWED[folder]]
    assert wrong == []


def test_the_scan_sees_an_import_between_plugins(tmp_path):
    """The check above must see such an import where one is written (else it proves nothing)."""
    source = tmp_path / 'bad.py'
    source.write_text('from %saction.access_info import ActionModule\nimport %sfilter.ipam_settings\n' % (PACKAGE, PACKAGE))
    assert list(collection_imports(str(source))) == [(1, 'action.access_info'), (2, 'filter.ipam_settings')]
