# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance report as JSON, for machines: ``{generated, title, check_mode, summary, entries}``."""
from __future__ import annotations

import json

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import Report

# Bump when a consumer would have to change how it reads the file.
FORMAT_VERSION = 1


def render_json(report: Report) -> str:
    document = {
        'format_version': FORMAT_VERSION,
        'generated': report.generated,
        'title': report.title,
        'check_mode': report.check_mode,
        'summary': report.summary,
        'entries': report.entries,
    }
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + '\n'
