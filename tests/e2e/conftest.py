# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which end-to-end tests run the modules' PowerShell in pwsh.

A test file that sets RUN_IN_PWSH = True (every file that runs this collection's playbooks on the lab,
except the AWX job-slicing tests) sends every Lab.run through the pwsh service
(lab_helpers.pwsh_service); the other files are answered by the modules' Python models, whose own tests run against the real PowerShell too
(tests/unit/simulator/handlers). A pwsh round trip costs about a second of CPU, and CI has 90
minutes on 2 cores for every gate.
"""
from __future__ import annotations

import typing as t

import pytest


@pytest.fixture(autouse=True, scope='module')
def _models_unless_pwsh_asked(request: pytest.FixtureRequest) -> t.Iterator[None]:
    # Module scope and autouse: in force before the module's own fixtures run their playbooks.
    with pytest.MonkeyPatch.context() as patch:
        if not getattr(request.module, 'RUN_IN_PWSH', False):
            patch.setenv('IPAM_E2E_MODELS_ONLY', '1')
        yield
