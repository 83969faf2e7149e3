# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ConvertTo-IpamLdapFilterValue (plugins/module_utils/_IpamAccess.psm1) escapes a value as RFC 4515
section 3 asks, run by PowerShell's own engine."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from winsim.pwsh.pool import find_pwsh

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ACCESS_UTIL = os.path.join(REPO, 'plugins', 'module_utils', '_IpamAccess.psm1')

CASES = [
    ('DC=corp,DC=example,DC=com', 'DC=corp,DC=example,DC=com'),
    ('', ''),
    ('a*b', 'a\\2ab'),
    ('(x)', '\\28x\\29'),
    ('back\\slash', 'back\\5cslash'),
    ('nul\0end', 'nul\\00end'),
    # The backslash is escaped first, so an escape already in the value is not left to mean a character.
    ('\\2a', '\\5c2a'),
    ('*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'),
    ('Zürich é', 'Zürich é'),   # RFC 4515 lets other UTF-8 characters stand for themselves
]


def escape_all(values: list[str]) -> list[str]:
    pwsh = find_pwsh()
    if pwsh is None:
        if os.environ.get('CI'):
            pytest.fail('pwsh is not installed; CI must run the module util in PowerShell')
        pytest.skip('pwsh is not installed')
    script = (
        "Import-Module -Name '%s'; "
        "$values = [Console]::In.ReadToEnd() | ConvertFrom-Json; "
        "ConvertTo-Json -Compress -InputObject @($values | ForEach-Object { ConvertTo-IpamLdapFilterValue -Value $_ })"
    ) % ACCESS_UTIL
    out = subprocess.run([pwsh, '-NoProfile', '-NonInteractive', '-Command', script], input=json.dumps(values),
                         capture_output=True, text=True, check=True, encoding='utf-8').stdout
    return json.loads(out)


def test_values_are_escaped_as_rfc_4515_asks():
    assert escape_all([case[0] for case in CASES]) == [case[1] for case in CASES]
