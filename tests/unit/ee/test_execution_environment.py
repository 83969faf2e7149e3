# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: `ansible-builder create` on execution-environment.yml, and the context it writes.

No image can be built here (no container engine), so the stages that matter are replayed on the
context instead: the galaxy stage (`ansible-galaxy collection install -r requirements.yml` in
_build, which must install this collection from the tarball) and the builder stage's
introspection (which must find the collection's Python and system requirements through
meta/execution-environment.yml).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import typing as t

import pytest
import yaml
from bindep.depends import Depends
from packaging.requirements import Requirement

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
EE_FILE = os.path.join(REPO, 'execution-environment.yml')
# What an EE needs to run this collection against Windows hosts: the connection plugins' Python
# packages with Kerberos support, and the Kerberos libraries, kinit and build headers.
PYTHON_NEEDED = {'pywinrm': {'kerberos'}, 'pypsrp': {'kerberos'}, 'jmespath': set()}
SYSTEM_NEEDED = {
    ('platform:rpm', 'compile'): {'gcc', 'krb5-devel', 'python3-devel', 'krb5-libs', 'krb5-workstation'},
    ('platform:rpm',): {'krb5-libs', 'krb5-workstation'},
    ('platform:dpkg', 'compile'): {'gcc', 'libkrb5-dev', 'python3-dev', 'libkrb5-3', 'krb5-user'},
    ('platform:dpkg',): {'libkrb5-3', 'krb5-user'},
}


def load_yaml(path: str) -> t.Any:
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def galaxy_version() -> str:
    return str(load_yaml(os.path.join(REPO, 'galaxy.yml'))['version'])


def tarball_name() -> str:
    return 'ipam-provisioning-%s.tar.gz' % galaxy_version()


def requirement_lines(path: str) -> list[str]:
    with open(path, encoding='utf-8') as handle:
        return [line.strip() for line in handle if line.strip() and not line.strip().startswith('#')]


def builder_create(ee_file: str, context: str) -> subprocess.CompletedProcess:
    # Containerfile whichever engine builder would pick (it finds only a docker client here); nothing is built.
    proc = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', ee_file, '-c', context,
                           '--output-filename', 'Containerfile', '-v', '2'],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def empty_ansible_env(tmp: str) -> dict[str, str]:
    """Only what the EE's galaxy stage would have: no repository ansible.cfg, no .lab collections."""
    cfg = os.path.join(tmp, 'empty-ansible.cfg')
    with open(cfg, 'w', encoding='utf-8'):
        pass
    env = {k: v for k, v in os.environ.items() if not k.startswith('ANSIBLE_')}
    env.update(ANSIBLE_CONFIG=cfg, ANSIBLE_GALAXY_DISABLE_GPG_VERIFY='1', ANSIBLE_NOCOLOR='1')
    return env


@pytest.fixture(scope='module')
def definition() -> dict[str, t.Any]:
    return load_yaml(EE_FILE)


@pytest.fixture(scope='module')
def repo_context(tmp_path_factory) -> tuple[str, subprocess.CompletedProcess]:
    """The context `ansible-builder create` writes from the repository's file as it is."""
    context = str(tmp_path_factory.mktemp('ee') / 'context')
    return context, builder_create(EE_FILE, context)


@pytest.fixture(scope='module')
def built_context(tmp_path_factory) -> str:
    """The documented recipe: build the collection into dist/, then `ansible-builder create`.

    Done on a copy of the three definition files so the repository gets no dist/ directory.
    """
    work = tmp_path_factory.mktemp('ee-built')
    for name in ('execution-environment.yml', 'requirements.txt', 'bindep.txt'):
        shutil.copy(os.path.join(REPO, name), work / name)
    dist = work / 'dist'
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(dist), REPO],
                          capture_output=True, text=True, timeout=300, check=False, env=empty_ansible_env(str(work)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    context = str(work / 'context')
    builder_create(str(work / 'execution-environment.yml'), context)
    return context


# ---------------------------------------------------------------------------------- the definition
def test_definition_is_version_3_with_core_runner_and_the_collection(definition):
    assert definition['version'] == 3  # without it ansible-builder silently reads the file as version 1
    deps = definition['dependencies']
    core = Requirement(deps['ansible_core']['package_pip'])
    assert core.name == 'ansible-core' and core.specifier.contains('2.19.14') and not core.specifier.contains('2.20.0')
    assert Requirement(deps['ansible_runner']['package_pip']).name == 'ansible-runner'
    assert deps['python'] == 'requirements.txt' and deps['system'] == 'bindep.txt'
    collections = deps['galaxy']['collections']
    assert collections == [{'name': 'collections/%s' % tarball_name(), 'type': 'file'}], (
        'execution-environment.yml must install the tarball of galaxy.yml version %s' % galaxy_version())
    assert {'src': 'dist/ipam-provisioning-*.tar.gz', 'dest': 'collections'} in definition['additional_build_files']


def test_meta_execution_environment_points_at_shipped_files():
    meta = load_yaml(os.path.join(REPO, 'meta', 'execution-environment.yml'))
    assert meta['dependencies'] == {'python': 'requirements.txt', 'system': 'bindep.txt'}
    ignored = load_yaml(os.path.join(REPO, 'galaxy.yml')).get('build_ignore') or []
    for name in meta['dependencies'].values():
        assert os.path.isfile(os.path.join(REPO, name)), name
        assert name not in ignored, '%s is in build_ignore, so the installed collection would not have it' % name


def test_python_requirements_parse_and_have_kerberos_extras():
    found = {}
    for line in requirement_lines(os.path.join(REPO, 'requirements.txt')):
        assert ' #' not in line, 'inline comment in requirements.txt (ansible-builder cannot parse it): %s' % line
        req = Requirement(line)
        found[req.name] = set(req.extras)
    for name, extras in PYTHON_NEEDED.items():
        assert name in found, 'requirements.txt lacks %s' % name
        assert extras <= found[name], '%s needs the extras %s' % (name, sorted(extras))


@pytest.mark.parametrize('profiles', sorted(SYSTEM_NEEDED), ids=['+'.join(p) for p in sorted(SYSTEM_NEEDED)])
def test_bindep_has_kerberos_packages_for_rpm_and_dpkg(profiles):
    with open(os.path.join(REPO, 'bindep.txt'), encoding='utf-8') as handle:
        depends = Depends(handle.read())
    active = {rule[0] for rule in depends.active_rules(list(profiles))}
    assert SYSTEM_NEEDED[profiles] <= active, sorted(SYSTEM_NEEDED[profiles] - active)
    if 'compile' not in profiles:  # compilers and headers stay out of the final image
        assert not active & {'gcc', 'krb5-devel', 'python3-devel', 'libkrb5-dev', 'python3-dev'}


# ------------------------------------------------------------------------ ansible-builder create
def test_create_writes_containerfile_and_requirement_files(repo_context):
    context, _proc = repo_context
    build = os.path.join(context, '_build')
    assert os.path.isfile(os.path.join(context, 'Containerfile'))
    for name in ('requirements.txt', 'bindep.txt'):
        with open(os.path.join(build, name), encoding='utf-8') as copied, open(os.path.join(REPO, name), encoding='utf-8') as source:
            assert copied.read() == source.read(), name
    assert load_yaml(os.path.join(build, 'requirements.yml')) == {'collections': [{'name': 'collections/%s' % tarball_name(), 'type': 'file'}]}
    assert os.path.isfile(os.path.join(build, 'scripts', 'introspect.py'))


def test_containerfile_installs_core_the_collection_and_checks_them(repo_context):
    context, _proc = repo_context
    with open(os.path.join(context, 'Containerfile'), encoding='utf-8') as handle:
        text = handle.read()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream10"' in text
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.19,<2.20 ansible-runner>=2.4"' in text
    # The galaxy stage copies _build (with collections/<tarball>) to /build and installs from there.
    galaxy = text.index('FROM base AS galaxy')
    assert text.index('COPY _build /build', galaxy) < text.index('ansible-galaxy collection install', galaxy)
    assert 'introspect.py introspect --user-pip=requirements.txt --user-bindep=bindep.txt' in text
    assert "RUN ansible-doc -t role ipam.provisioning.managed_server" in text
    assert text.index('install-from-bindep') < text.index('RUN ansible-doc -t role ipam.provisioning.managed_server')


def test_create_warns_when_the_collection_tarball_was_not_built(repo_context):
    # From a clean checkout the tarball is missing: builder only warns, and the image build would
    # then fail in the galaxy stage. The docs say to run `ansible-galaxy collection build` first.
    _context, proc = repo_context
    if os.path.exists(os.path.join(REPO, 'dist', tarball_name())):
        pytest.skip('dist/%s exists in the work tree' % tarball_name())
    assert "No matches for 'dist/ipam-provisioning-*.tar.gz'" in proc.stdout + proc.stderr


def test_built_collection_is_in_the_context(built_context):
    assert os.path.isfile(os.path.join(built_context, '_build', 'collections', tarball_name()))


def test_galaxy_stage_installs_this_collection(built_context, tmp_path):
    """Replays the galaxy stage: `ansible-galaxy collection install -r requirements.yml` in _build."""
    target = tmp_path / 'usr-share-ansible-collections'
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-r', 'requirements.yml',
                           '--collections-path', str(target)],
                          cwd=os.path.join(built_context, '_build'), capture_output=True, text=True, timeout=120, check=False,
                          env=empty_ansible_env(str(tmp_path)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    installed = target / 'ansible_collections' / 'ipam' / 'provisioning'
    manifest = json.loads((installed / 'MANIFEST.json').read_text(encoding='utf-8'))
    assert manifest['collection_info']['version'] == galaxy_version()
    assert (installed / 'meta' / 'execution-environment.yml').is_file()
    assert (installed / 'roles' / 'managed_server' / 'meta' / 'argument_specs.yml').is_file()
    assert not (installed / 'tests' / 'simulator').exists()  # build_ignore keeps the simulator out

    # Replays the builder stage's introspection over the installed collections, as the
    # Containerfile does (there the folder is /usr/share/ansible/collections).
    written_pip, written_bindep = tmp_path / 'pip.txt', tmp_path / 'bindep.txt'
    proc = subprocess.run([sys.executable, 'scripts/introspect.py', 'introspect', str(target), '--user-pip=requirements.txt',
                           '--user-bindep=bindep.txt', '--write-pip=%s' % written_pip, '--write-bindep=%s' % written_bindep],
                          cwd=os.path.join(built_context, '_build'), capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The output names where each requirement came from: the collection itself declares them.
    assert 'ipam.provisioning' in proc.stdout
    pip_text = written_pip.read_text(encoding='utf-8')
    for name, extras in PYTHON_NEEDED.items():
        wanted = '%s[%s]' % (name, ','.join(sorted(extras))) if extras else name
        assert wanted in pip_text, pip_text
    bindep_text = written_bindep.read_text(encoding='utf-8')
    assert 'krb5-devel [compile platform:rpm]' in bindep_text and 'krb5-workstation [platform:rpm]' in bindep_text
