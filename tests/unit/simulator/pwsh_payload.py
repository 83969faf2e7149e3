# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ansible-playbook sends a Windows host to run one PowerShell module: the command line and the
pipelined payload, built in-process by the same ansible-core functions a playbook run uses
(module_common.modify_module and the powershell shell plugin), so a test can hand it to the pwsh
runtime without the cost of starting ansible-playbook for every call."""
from __future__ import annotations

import os
from typing import Any, Mapping

from ansible.executor import module_common
from ansible.plugins.loader import init_plugin_loader, module_loader, shell_loader
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.template import Templar
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_READY = False


def _ready() -> None:
    global _READY  # pylint: disable=global-statement
    if _READY:
        return
    import sys
    sys.path.insert(0, os.path.join(REPO, 'tests'))
    from collection_path import ensure_collection_link  # pylint: disable=import-error,import-outside-toplevel
    root = ensure_collection_link(REPO)
    if not any(isinstance(hook, _AnsibleCollectionFinder) for hook in sys.meta_path):
        init_plugin_loader([root])
    _READY = True


def build(fqcn: str, args: Mapping[str, Any], *, check_mode: bool = False) -> tuple[str, bytes]:
    """(command line, stdin) for running module fqcn with args, as the winrm connection sends them."""
    _ready()
    context = module_loader.find_plugin_with_context(fqcn)
    if not context.resolved:
        raise LookupError('no module %s' % fqcn)
    module_args = dict(args)
    module_args.update({
        '_ansible_check_mode': check_mode, '_ansible_no_log': False, '_ansible_debug': False,
        '_ansible_diff': False, '_ansible_verbosity': 0, '_ansible_version': ANSIBLE_VERSION,
        '_ansible_module_name': fqcn, '_ansible_keep_remote_files': False, '_ansible_tmpdir': None,
        '_ansible_remote_tmp': '%TEMP%', '_ansible_ignore_unknown_opts': False,
    })
    built = module_common.modify_module(
        module_name=fqcn, module_path=context.plugin_resolved_path, module_args=module_args,
        templar=Templar(loader=None), task_vars={}, environment={})
    shell = shell_loader.get('powershell')
    command = shell.build_module_command('', '#!powershell', '')
    return command, built.b_module_data
