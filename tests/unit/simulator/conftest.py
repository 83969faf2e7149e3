# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the simulator tests: a seeded lab per test, real ansible-core payloads, throw-away handlers."""
from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Callable, Iterator

import pytest

from winsim import Simulator
from winsim import handlers

# The tests import sim_action.py from here (pytest runs with --import-mode=importlib).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LAB_INVENTORY = os.path.join(REPO, 'inventory', 'lab')
ECHO_PS1 = os.path.join(REPO, 'tests', 'e2e', 'playbooks', 'library', 'winsim_echo.ps1')
DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330'
STANDALONE = {'kind': 'standalone', 'language': 'fr-FR', 'roles': ['DHCP'], 'address': '127.0.0.20'}


@pytest.fixture(scope='session')
def lab_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lab inventory seeded once (ansible-inventory is the slow part), plus a fr-FR standalone host."""
    path = str(tmp_path_factory.mktemp('lab-template'))
    sim = Simulator(path)
    seeded = sim.seed_from_inventory(LAB_INVENTORY)
    assert seeded == ['dc01', 'dc02', 'dhcp01', 'dns01', 'ipam01', 'nps01', 'vmm01']
    sim.seed_host('std01', STANDALONE)
    return path


@pytest.fixture(scope='session')
def pwsh_runtime() -> Iterator[Any]:
    """One pwsh worker per test process, for the modules that run for real (winsim/pwsh/runtime.py)."""
    from winsim.pwsh.pool import PwshUnavailable, find_pwsh
    from winsim.pwsh.runtime import PwshRuntime
    if find_pwsh() is None:
        reason = 'pwsh 7.6.10 is not installed (tools/test.sh installs it)'
        if os.environ.get('CI'):
            pytest.fail(reason + ': CI must run the PowerShell for real')
        pytest.skip(reason)
    try:
        runtime = PwshRuntime(size=1)
    except PwshUnavailable as exc:
        pytest.fail(str(exc))
    yield runtime
    runtime.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test file that sets RUN_IN_PWSH = True runs each test that builds a simulator (the lab
    fixture, or make_simulator) twice: against the Python model of the module (its handler) and
    against the module's own PowerShell in pwsh. The same assertions hold for both, so the model
    cannot drift from the module it stands in for."""
    if 'simulator_kind' in metafunc.fixturenames and getattr(metafunc.module, 'RUN_IN_PWSH', False):
        metafunc.parametrize('simulator_kind', ['model', 'pwsh'], indirect=True)


@pytest.fixture
def simulator_kind(request: pytest.FixtureRequest) -> str:
    return getattr(request, 'param', 'model')


@pytest.fixture
def make_simulator(simulator_kind: str, request: pytest.FixtureRequest) -> Callable[[Any], Simulator]:
    """make_simulator(state_dir): a Simulator, running the real modules in pwsh under the 'pwsh' kind."""
    def make(state_dir: Any) -> Simulator:
        if simulator_kind == 'pwsh':
            return Simulator(state_dir, pwsh=request.getfixturevalue('pwsh_runtime'))
        return Simulator(state_dir)
    return make


@pytest.fixture
def lab(lab_template: str, tmp_path: Any, make_simulator: Callable[[Any], Simulator]) -> Simulator:
    """A fresh copy of the seeded lab for one test (in pwsh where the test file asks for it)."""
    state = os.path.join(str(tmp_path), 'state')
    shutil.copytree(lab_template, state)
    return make_simulator(state)


@pytest.fixture
def fresh(lab_template: str, tmp_path: Any, pwsh_runtime: Any) -> Callable[[str], Simulator]:
    """fresh(name): another copy of the seeded lab, running the real modules in pwsh (crash and ownership tests)."""
    def make(name: str) -> Simulator:
        state = os.path.join(str(tmp_path), name)
        shutil.copytree(lab_template, state)
        return Simulator(state, pwsh=pwsh_runtime)
    return make


@pytest.fixture
def temp_handler() -> Iterator[Callable[..., Callable[..., Any]]]:
    """Register throw-away handlers for one test: temp_handler(fqcn, options, concurrent_change=None)."""
    names: list[str] = []

    def register(fqcn: str, options: Any, concurrent_change: Any = None) -> Callable[..., Any]:
        names.append(fqcn)
        return handlers.handler(fqcn, options=options, concurrent_change=concurrent_change)
    yield register
    for name in names:
        handlers.unregister(name)


@pytest.fixture
def make_payload() -> Callable[..., tuple[str, bytes]]:
    """(command line, stdin) exactly as ansible-core 2.19 builds them for a pipelined PowerShell module."""
    from ansible.executor.powershell import module_manifest
    from ansible.plugins.loader import shell_loader

    with open(ECHO_PS1, 'rb') as f:
        module_data = f.read()
    shell = shell_loader.get('powershell')

    def build(name: str, args: dict[str, Any] | None = None, check_mode: bool = False,
              module_name: str | None = None) -> tuple[str, bytes]:
        module_args = dict(args or {})
        module_args.update({'_ansible_check_mode': check_mode, '_ansible_no_log': False,
                            '_ansible_module_name': module_name or name.rsplit('.', 1)[-1],
                            '_ansible_verbosity': 0})
        stdin = module_manifest._create_powershell_wrapper(
            name=name, module_data=module_data, module_path='/somewhere/%s.ps1' % name.rsplit('.', 1)[-1],
            module_args=module_args, environment={}, async_timeout=0, become_plugin=None,
            substyle='powershell', task_vars={}, profile='legacy')
        command = shell.build_module_command('', '#!powershell', '')
        return command, stdin
    return build
