# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lets the report tests import report_samples (pytest runs with --import-mode=importlib)."""
from __future__ import annotations

import copy
import os
import sys
import typing as t

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report_samples import lab_entries  # noqa: E402  (path set above)


@pytest.fixture
def entries() -> list[dict[str, t.Any]]:
    return copy.deepcopy(lab_entries())
