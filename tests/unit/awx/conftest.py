# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the AWX configuration tests; lets them import survey_rules and awx_config (--import-mode=importlib)."""
from __future__ import annotations

import os
import sys
import typing as t

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from awx_config import AwxCollectionUnavailable, ensure_awx_collection, render  # noqa: E402  (path set above)

# Settings of a site with two IPAM servers; everything else is configure_awx.yml's defaults.
SITE = {'awx_ipam_principals': ['CORP\\IPAM01$', 'CORP\\IPAM02$']}


@pytest.fixture(scope='session')
def awx_collections() -> str:
    try:
        return ensure_awx_collection()
    except AwxCollectionUnavailable as e:
        pytest.skip('awx.awx is not available: %s' % e)


@pytest.fixture(scope='module')
def rendered(awx_collections, tmp_path_factory) -> dict[str, t.Any]:
    return render(awx_collections, str(tmp_path_factory.mktemp('awx-render')), SITE)
