# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python -m winsim ... (run with tests/simulator on PYTHONPATH)."""
from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
