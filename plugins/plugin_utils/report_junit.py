# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance report as JUnit XML, for CI systems.

One ``testsuite`` per host, one ``testcase`` per setting (``classname`` the host). Drift is a
``failure`` (the check ran and the host is not as it should be), ``failed`` and ``unreachable`` are
``error`` (the check itself could not run), ``not_applicable`` is ``skipped``; compliant and changed
pass. This is the subset of the format that Jenkins, GitLab, GitHub test reporters and Azure
Pipelines all read.
"""
from __future__ import annotations

import re
import typing as t
import xml.etree.ElementTree as ET

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import (
    UNREACHABLE_SETTING,
    Report,
    changes_are_planned,
    describe_changes,
)

# Characters XML 1.0 cannot carry even escaped; host messages are untrusted and may hold them.
_INVALID_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')

_OUTCOME = {'drift': 'failure', 'failed': 'error', 'unreachable': 'error', 'not_applicable': 'skipped'}


def _clean(text: t.Any) -> str:
    return _INVALID_XML.sub('\ufffd', '' if text is None else str(text))


def case_name(entry: dict[str, t.Any]) -> str:
    """``Title (setting_id)``: readable in a CI view and stable across runs."""
    if entry['setting'] == UNREACHABLE_SETTING:
        return entry['title']
    if entry['title'] == entry['setting']:
        return entry['setting']
    return '%s (%s)' % (entry['title'], entry['setting'])


def details(entry: dict[str, t.Any]) -> str:
    """What changed or would change, then the message; one fact per line."""
    lines = []
    verb = 'would be ' if changes_are_planned(entry) else ''
    for key, values in describe_changes(entry['changes']):
        lines.append('%s%s: %s' % (verb, key, ', '.join(values)))
    if entry.get('msg'):
        lines.append(str(entry['msg']))
    return '\n'.join(lines)


def _counts(entries: list[dict[str, t.Any]]) -> dict[str, str]:
    outcomes = [_OUTCOME.get(e['status']) for e in entries]
    return {
        'tests': str(len(entries)),
        'failures': str(outcomes.count('failure')),
        'errors': str(outcomes.count('error')),
        'skipped': str(outcomes.count('skipped')),
        'time': '0',
    }


def render_junit(report: Report) -> str:
    root = ET.Element('testsuites', dict(name=_clean(report.title), **_counts(report.entries)))
    for index, (host, entries) in enumerate(report.by_host().items()):
        suite = ET.SubElement(root, 'testsuite', dict(
            name=_clean(host), id=str(index), hostname=_clean(host), timestamp=report.generated.rstrip('Z'),
            **_counts(entries)))
        properties = ET.SubElement(suite, 'properties')
        ET.SubElement(properties, 'property', name='check_mode', value=str(report.check_mode).lower())
        for entry in entries:
            case = ET.SubElement(suite, 'testcase', classname=_clean(host), name=_clean(case_name(entry)), time='0')
            text = _clean(details(entry))
            outcome = _OUTCOME.get(entry['status'])
            if outcome is not None:
                first_line = text.split('\n', 1)[0] if text else entry['status']
                element = ET.SubElement(case, outcome, message=first_line, type=entry['status'])
                if outcome != 'skipped':
                    element.text = text or entry['status']
            elif text:  # compliant or changed: what was done is still worth keeping
                ET.SubElement(case, 'system-out').text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'
