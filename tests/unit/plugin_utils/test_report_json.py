# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_json import FORMAT_VERSION, render_json
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import build_report, entries_given

HOSTS = ['dhcp01', 'dns01', 'nps01', 'ipam01']


def test_document_carries_generated_title_check_mode_summary_and_entries(entries):
    report = build_report(entries_given(HOSTS, entries), HOSTS, title='Audit', generated='2026-01-02T03:04:05Z')
    document = json.loads(render_json(report))
    assert list(document) == ['format_version', 'generated', 'title', 'check_mode', 'summary', 'entries']
    assert document['format_version'] == FORMAT_VERSION
    assert document['generated'] == '2026-01-02T03:04:05Z' and document['title'] == 'Audit'
    assert document['check_mode'] is True
    assert document['summary'] == report.summary
    assert document['entries'] == report.entries
    assert document['entries'][-1]['status'] == 'unreachable'


def test_non_ascii_is_kept_readable():
    german = {'host': 'dns01', 'setting': 'x', 'status': 'failed', 'msg': 'Zugriff verweigert für DNS-Server'}
    report = build_report(entries_given(['dns01'], [german]), [], title='t')
    text = render_json(report)
    assert 'für' in text and json.loads(text)['entries'][0]['msg'] == 'Zugriff verweigert für DNS-Server'
