# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only lookup: the simulated host's counters, so integration targets can prove check mode wrote nothing."""
from __future__ import annotations

DOCUMENTATION = r'''
name: winsim_counters
short_description: Round-trip and write counters of a simulated Windows host (tests only)
description:
  - Returns one dict per host name with C(round_trips) and C(writes), read from the simulator's state directory.
options:
  _terms:
    description: Inventory host names.
    required: true
  state_dir:
    description: The simulator state directory.
    env:
      - name: WINSIM_STATE_DIR
    vars:
      - name: winsim_state_dir
'''

import os
import sys

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from winsim import Simulator  # noqa: E402  (path set above)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        state_dir = self.get_option('state_dir')
        if not state_dir:
            repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            state_dir = os.path.join(repo, '.lab', 'state')
        sim = Simulator(state_dir)
        try:
            return [sim.counters(host) for host in terms]
        except Exception as e:  # a missing host file means the test addressed the wrong host
            raise AnsibleLookupError('winsim_counters: %s' % e) from e
