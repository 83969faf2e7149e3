# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Microsoft's GPO method through the ipam_server role, end to end, and the second hop (issue #13, item 2).

The GPO step runs on the IPAM server and reaches Active Directory from there. Over WinRM with NTLM, or
Kerberos without delegation, that logon has no network credentials, and the domain controllers answer
it as anonymous (the simulated host's fault no_network_credentials). Before, the module read that as
"server 'dc01.corp.example.com' has no computer account"; now the run fails naming the second hop and
the role variable that fixes it, and nothing is created. With credentials the same run creates the GPOs.
"""
from __future__ import annotations

import os

import pytest

from e2e.lab_helpers import DOMAIN, PLAYBOOKS, Lab  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True             # the real module in pwsh: its Python model does not model the second hop

GPO_METHOD = ('-e', 'ipam_provisioning_method=gpo', '-e', 'ipam_verify_delay=0')


def test_the_gpo_step_names_the_second_hop_and_creates_nothing_until_it_has_credentials(tmp_path):
    lab = Lab(str(tmp_path))
    lab.sim.set_faults('ipam01', {'no_network_credentials': True})
    refused = lab.run(os.path.join(PLAYBOOKS, 'ipam_server.yml'), *GPO_METHOD)
    output = refused.proc.stdout + refused.proc.stderr
    assert refused.proc.returncode != 0, output[-3000:]
    assert 'no network credentials' in output and 'second hop' in output and 'ipam_gpo_become' in output, output[-3000:]
    assert not lab.sim.domain_state(DOMAIN).get('gpos')

    lab.sim.set_faults('ipam01', {'no_network_credentials': None})
    created = lab.run(os.path.join(PLAYBOOKS, 'ipam_server.yml'), *GPO_METHOD)
    assert created.proc.returncode == 0, (created.proc.stdout + created.proc.stderr)[-3000:]
    names = sorted(g['name'] for g in lab.sim.domain_state(DOMAIN)['gpos'].values())
    assert names == ['IPAM_DC_NPS', 'IPAM_DHCP', 'IPAM_DNS']
