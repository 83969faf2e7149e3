# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ansible-playbook sends a Windows host to run one PowerShell module: the command line and the
pipelined payload, built by the same ansible-core functions a playbook run uses
(module_common.modify_module and the powershell shell plugin), so a test can hand it to the pwsh
runtime without the cost of starting ansible-playbook for every call (Simulator.run_module).

The payload is built in a helper process (this file run as a script, started once and kept): the
collection loader must own the ansible_collections namespace, which a test process that imports
the collection's plugins as plain packages has already taken.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import Any, Mapping

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
_SERVER: subprocess.Popen[str] | None = None
_LOCK = threading.Lock()


def build(fqcn: str, args: Mapping[str, Any], *, check_mode: bool = False) -> tuple[str, bytes]:
    """(command line, stdin) for running module fqcn with args, as the winrm connection sends them."""
    global _SERVER  # pylint: disable=global-statement
    with _LOCK:
        if _SERVER is None or _SERVER.poll() is not None:
            _SERVER = subprocess.Popen([sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, encoding='utf-8', bufsize=1)
        assert _SERVER.stdin is not None and _SERVER.stdout is not None
        _SERVER.stdin.write(json.dumps({'fqcn': fqcn, 'args': dict(args), 'check_mode': check_mode}) + '\n')
        _SERVER.stdin.flush()
        reply = json.loads(_SERVER.stdout.readline() or '{"error": "the payload builder exited"}')
    if 'error' in reply:
        raise LookupError('winsim: cannot build the payload of %s: %s' % (fqcn, reply['error']))
    return reply['command'], reply['stdin'].encode('utf-8')


def _serve() -> int:
    """The helper process: one JSON request per line in, one JSON reply per line out."""
    from ansible.executor import module_common  # pylint: disable=import-outside-toplevel
    from ansible.plugins.loader import init_plugin_loader, module_loader, shell_loader  # pylint: disable=import-outside-toplevel
    from ansible.release import __version__  # pylint: disable=import-outside-toplevel
    from ansible.template import Templar  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.join(REPO, 'tests'))
    from collection_path import ensure_collection_link  # pylint: disable=import-error,import-outside-toplevel
    init_plugin_loader([ensure_collection_link(REPO)])
    command = shell_loader.get('powershell').build_module_command('', '#!powershell', '')
    for line in sys.stdin:
        request = json.loads(line)
        try:
            context = module_loader.find_plugin_with_context(request['fqcn'])
            if not context.resolved:
                raise LookupError('no module %s' % request['fqcn'])
            module_args = dict(request['args'])
            module_args.update({
                '_ansible_check_mode': request['check_mode'], '_ansible_no_log': False, '_ansible_debug': False,
                '_ansible_diff': False, '_ansible_verbosity': 0, '_ansible_version': __version__,
                '_ansible_module_name': request['fqcn'], '_ansible_keep_remote_files': False,
                '_ansible_tmpdir': None, '_ansible_remote_tmp': '%TEMP%', '_ansible_ignore_unknown_opts': False,
            })
            built = module_common.modify_module(
                module_name=request['fqcn'], module_path=context.plugin_resolved_path, module_args=module_args,
                templar=Templar(loader=None), task_vars={}, environment={})
            reply = {'command': command, 'stdin': built.b_module_data.decode('utf-8')}
        except Exception as exc:  # reported to the caller, which raises it
            reply = {'error': '%s: %s' % (type(exc).__name__, exc)}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()
    return 0


def parse_reply(rc: int, stdout: bytes, stderr: bytes) -> dict[str, Any]:
    """The module result as the controller reads it (ActionBase._parse_returned_data): the JSON document
    among the lines of stdout, else a MODULE FAILURE with what the host printed."""
    text = stdout.decode('utf-8', errors='replace')
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('{'):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return {'failed': True, 'msg': 'MODULE FAILURE: no JSON in the module output (rc %d)' % rc,
            'module_stdout': text, 'module_stderr': stderr.decode('utf-8', errors='replace'), 'rc': rc}


if __name__ == '__main__':
    sys.exit(_serve())
