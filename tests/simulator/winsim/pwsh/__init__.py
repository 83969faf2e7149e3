# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PowerShell half, run for real: pwsh workers (pool.py), the fake Windows API's channel
(api.py), and the runtime that joins them to a simulated host (runtime.py)."""
