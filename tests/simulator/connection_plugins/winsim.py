# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only connection plugin: the real ansible-playbook talks to the winsim simulated host in-process."""
from __future__ import annotations

DOCUMENTATION = r'''
name: winsim
short_description: Simulated Windows host for tests (PowerShell modules answered by the winsim simulator)
description:
  - Hands the pipelined PowerShell module payload Ansible would send over WinRM to the winsim
    simulator (tests/simulator/winsim), which answers from a Python model of the host.
  - The host is seeded on first contact from its inventory variables; state is kept in JSON files
    under I(state_dir) because tasks run in forked workers.
  - Test use only; not shipped with the collection.
author: ipam.provisioning contributors
options:
  host:
    description: Inventory name of the host; selects its state file.
    type: str
    vars:
      - name: inventory_hostname
  remote_addr:
    description: Address of the host, used as the profile's address when the profile gives none.
    type: str
    vars:
      - name: ansible_host
  state_dir:
    description:
      - Simulator state directory.
      - Defaults to C(<repo>/.lab/state).
    type: path
    env:
      - name: WINSIM_STATE_DIR
    vars:
      - name: winsim_state_dir
  profile:
    description: The host's profile (kind, language, roles, address, hostname, domain_role).
    type: dict
    vars:
      - name: winsim_profile
  domain:
    description: The domain of a DC or member (dns_name, netbios, sid; optional language, computers, ipam_servers, ad_integrated_dns, dhcp_on_dcs).
    type: dict
    vars:
      - name: winsim_domain
  faults:
    description: Faults merged into the host's state on every connection (see winsim/faults.py).
    type: dict
    vars:
      - name: winsim_faults
'''

import os
import sys

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_bytes
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

_SIMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_REPO = os.path.dirname(os.path.dirname(_SIMULATOR_DIR))
if _SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, _SIMULATOR_DIR)

from winsim import HostUnreachable, Simulator  # noqa: E402  (path set above)
from winsim.pwsh import service as pwsh_service  # noqa: E402  (path set above)
from winsim.engine import with_address  # noqa: E402

display = Display()


class Connection(ConnectionBase):
    """Pipelined PowerShell modules go to the simulator; nothing else is supported."""

    transport = 'winsim'
    module_implementation_preferences = ('.ps1', '.exe', '')
    allow_executable = False
    has_pipelining = True
    always_pipeline_modules = True
    allow_extras = True

    def __init__(self, *args, **kwargs):
        # The shell plugin is chosen in ConnectionBase.__init__; without this it would be sh.
        self._shell_type = 'powershell'
        super().__init__(*args, **kwargs)
        self._simulator = None
        self._seeded = False

    def _host(self):
        # With delegate_to, inventory_hostname stays the original host while ansible_host is the
        # delegate's address: prefer the lab host that owns that address.
        address = self.get_option('remote_addr')
        if address and self._simulator is not None:
            owner = self._simulator.host_for_address(address)
            if owner:
                return owner
        return self.get_option('host') or self._play_context.remote_addr

    def _connect(self):
        if not self._connected:
            state_dir = self.get_option('state_dir') or os.path.join(_REPO, '.lab', 'state')
            self._simulator = Simulator(state_dir)
            self._connected = True
        return self

    def _seed(self):
        """Create the host on first contact (idempotent); re-arm inventory faults once per connection."""
        if self._seeded:
            return
        host = self._host()
        profile = self.get_option('profile')
        if profile:
            address = self.get_option('remote_addr') or self._play_context.remote_addr
            try:
                self._simulator.seed_host(host, with_address(profile, address),
                                          self.get_option('domain'), self.get_option('faults'))
            except ValueError as exc:
                raise AnsibleError('winsim: cannot seed %s: %s' % (host, exc)) from exc
        self._seeded = True

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        self._connect()
        self._seed()
        host = self._host()
        display.vvv('WINSIM EXEC on %s (%d bytes of input)' % (host, len(in_data or b'')), host=host)
        stdin = to_bytes(in_data) if in_data is not None else None
        try:
            service = os.environ.get(pwsh_service.ENV)
            if service:
                # A long-lived process keeps pwsh warm and runs the real modules there (winsim/pwsh/service.py).
                return pwsh_service.forward(service, self._simulator.state_dir, host, cmd, stdin)
            return self._simulator.execute(host, cmd, stdin)
        except HostUnreachable as exc:
            raise AnsibleConnectionFailure(str(exc)) from exc

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        raise AnsibleError('winsim: put_file (%s -> %s) is not simulated; only pipelined PowerShell modules '
                           'run on a simulated host (no win_copy/win_template/script)' % (in_path, out_path))

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        raise AnsibleError('winsim: fetch_file (%s -> %s) is not simulated; only pipelined PowerShell modules '
                           'run on a simulated host' % (in_path, out_path))

    def close(self):
        self._connected = False
        self._seeded = False
