# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test plumbing for awx/configure_awx.yml: the awx.awx collection, and the configuration it would send.

awx.awx is an optional dependency that Galaxy cannot deliver here. PyPI's ``ansible`` package
carries it (ansible 12.3.0 -> awx.awx 24.6.1), so the wheel is downloaded once and only
``ansible_collections/awx/awx/`` is unpacked into .lab/awx/collections (git-ignored, test-only).
"""
from __future__ import annotations

import ast
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import typing as t
import zipfile

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
ANSIBLE_WHEEL_VERSION = '12.3.0'
AWX_ROOT = os.path.join(REPO, '.lab', 'awx')
AWX_COLLECTIONS = os.path.join(AWX_ROOT, 'collections')
AWX_MANIFEST = os.path.join(AWX_COLLECTIONS, 'ansible_collections', 'awx', 'awx', 'MANIFEST.json')
PLAYBOOK = os.path.join(REPO, 'awx', 'configure_awx.yml')


class AwxCollectionUnavailable(RuntimeError):
    """awx.awx could not be had (PyPI unreachable); the message says why."""


def ensure_awx_collection() -> str:
    """Unpack awx.awx into .lab/awx/collections once; return that collections path."""
    os.makedirs(AWX_ROOT, exist_ok=True)
    with open(os.path.join(AWX_ROOT, '.lock'), 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers: one downloads, the others wait
        if not os.path.exists(AWX_MANIFEST):
            _unpack(_download())
    return AWX_COLLECTIONS


def _download() -> str:
    wheels = os.path.join(AWX_ROOT, 'download')
    wheel = os.path.join(wheels, 'ansible-%s-py3-none-any.whl' % ANSIBLE_WHEEL_VERSION)
    if not os.path.exists(wheel):
        proc = subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps',
                               '-d', wheels, 'ansible==%s' % ANSIBLE_WHEEL_VERSION],
                              capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0 or not os.path.exists(wheel):
            raise AwxCollectionUnavailable('awx.awx comes from the ansible==%s wheel on PyPI, and pip could not download it: %s'
                                           % (ANSIBLE_WHEEL_VERSION, (proc.stderr or proc.stdout).strip()[-500:]))
    return wheel


def _unpack(wheel: str) -> None:
    staging = tempfile.mkdtemp(dir=AWX_ROOT, prefix='unpack-')
    try:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(staging, [n for n in archive.namelist() if n.startswith('ansible_collections/awx/awx/')])
        target = os.path.join(AWX_COLLECTIONS, 'ansible_collections', 'awx')
        os.makedirs(target, exist_ok=True)
        shutil.rmtree(os.path.join(target, 'awx'), ignore_errors=True)
        os.rename(os.path.join(staging, 'ansible_collections', 'awx', 'awx'), os.path.join(target, 'awx'))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ansible_env(awx_collections: str) -> dict[str, str]:
    """awx.awx plus this repository (the .lab link) on the collections path; no stray ANSIBLE_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('ANSIBLE_')}
    env.update(ANSIBLE_COLLECTIONS_PATH=os.pathsep.join([awx_collections, os.path.join(REPO, '.lab', 'collections')]),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_LOCALHOST_WARNING='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    return env


def run_configure(awx_collections: str, extra_vars: t.Mapping[str, t.Any], *args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([os.path.join(BIN, 'ansible-playbook'), PLAYBOOK, '-e', json.dumps(dict(extra_vars)), *args],
                          cwd=cwd, env=ansible_env(awx_collections), capture_output=True, text=True, timeout=300, check=False)


def render(awx_collections: str, work: str, extra_vars: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """What configure_awx.yml would configure (its awx_render_to output), contacting no AWX."""
    out = os.path.join(work, 'awx-render.json')
    proc = run_configure(awx_collections, dict(extra_vars, awx_render_to=out), cwd=work)
    if proc.returncode != 0:
        raise AssertionError('configure_awx.yml (render) failed:\n%s%s' % (proc.stdout, proc.stderr))
    with open(out, encoding='utf-8') as handle:
        return json.load(handle)


class PlaybookLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """YAML loader that reads Ansible's !unsafe tag as the plain string it marks."""


PlaybookLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def configure_tasks() -> list[dict[str, t.Any]]:
    """The tasks of configure_awx.yml as written (templates unrendered)."""
    with open(PLAYBOOK, encoding='utf-8') as handle:
        plays = yaml.load(handle, Loader=PlaybookLoader)  # nosec: a SafeLoader subclass
    return plays[0]['tasks']


def module_documentation(awx_collections: str, module: str) -> dict[str, t.Any]:
    """DOCUMENTATION of an awx.awx module as installed (its options, with suboptions)."""
    path = os.path.join(awx_collections, 'ansible_collections', 'awx', 'awx', 'plugins', 'modules', '%s.py' % module)
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', '') == 'DOCUMENTATION' for target in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError('no DOCUMENTATION in %s' % path)


def job_template(rendered: t.Mapping[str, t.Any], suffix: str) -> dict[str, t.Any]:
    """The job template whose name ends with suffix (names carry awx_name_prefix)."""
    found = [jt for jt in rendered['job_templates'] if jt['name'].endswith(suffix)]
    if len(found) != 1:
        raise AssertionError('expected one job template named *%s, found %s' % (suffix, [jt['name'] for jt in rendered['job_templates']]))
    return found[0]
