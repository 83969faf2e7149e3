# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import html.parser
import re

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_html import render_html
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import build_report, entries_given
from report_samples import IPAM_SID, entry

HOSTS = ('dhcp01', 'dns01', 'nps01', 'ipam01')


class Collector(html.parser.HTMLParser):
    """Tags with their attributes and the text, to check structure without a browser."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def render(entries, hosts=HOSTS, **kwargs):
    hosts = list(hosts)
    report = build_report(entries_given(hosts, entries), hosts, title='IPAM audit', generated='2026-01-02T03:04:05Z',
                          **kwargs)
    page = render_html(report)
    parsed = Collector()
    parsed.feed(page)
    return page, parsed


def test_page_has_summary_badges_matrix_and_host_details(entries):
    page, parsed = render(entries)
    text = ' '.join(' '.join(parsed.text).split())
    assert '<title>IPAM audit</title>' in page
    assert 'Generated 2026-01-02 03:04:05 UTC' in text
    assert 'Audit (check mode):' in text
    for badge in ('4 hosts', '13 settings', '9 compliant', '0 changed', '1 drift', '1 failed', '1 unreachable',
                  '1 not applicable'):
        assert badge in text
    tables = [attrs.get('class') for tag, attrs in parsed.tags if tag == 'table']
    assert tables[0] == 'matrix' and tables.count('detail') == 4
    # Matrix: one row per host, a coloured cell per applicable setting, unreachable hosts one wide cell.
    cells = [attrs['class'] for tag, attrs in parsed.tags if tag == 'td' and 'cell' in attrs.get('class', '')]
    assert cells.count('cell s-drift') == 1 and cells.count('cell s-failed') == 1
    assert cells.count('cell s-unreachable wide') == 1 and cells.count('cell s-not_applicable') == 1
    assert 'unreachable: no report entries' in text
    sections = [attrs for tag, attrs in parsed.tags if tag == 'details']
    assert [s['id'] for s in sections] == ['host-1', 'host-2', 'host-3', 'host-4']
    # Hosts needing a look are open; the all-compliant one is a single line.
    assert ['open' in s for s in sections] == [True, True, False, True]
    assert 'would be added:' in text and '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID in text


def test_page_is_self_contained():
    page, parsed = render([entry('dhcp01', 'dhcp_users')], ['dhcp01'])
    assert not [t for t, a in parsed.tags if t in ('script', 'link', 'img', 'iframe', 'object')]
    assert not re.search(r'(src|href)="(?!#)', page)   # only in-page anchors
    assert 'url(' not in page and '@import' not in page and 'http' not in page


def test_untrusted_host_names_and_messages_are_escaped():
    host = '<img src=x onerror=alert(1)>'
    page, parsed = render([entry(host, 'dhcp_users', 'failed', msg='<script>alert("pwned")</script>',
                                 changes={'added': ['"><u>x</u>']})], [host])
    assert '<script>alert' not in page and '<img src=x' not in page and '"><u>' not in page
    assert '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;' in page
    assert '&lt;img src=x onerror=alert(1)&gt;' in page
    assert not [t for t, a in parsed.tags if t in ('script', 'img', 'u')]
    assert [a['id'] for t, a in parsed.tags if t == 'details'] == ['host-1']   # ids never from host names


def test_enforcement_run_and_filter_are_stated():
    rows = entries_given([], [entry('dhcp01', 'dhcp_users', 'changed', check_mode=False)])
    report = build_report(rows, [], title='t', filter_expression="[?status=='changed']", unfiltered_count=7)
    page = render_html(report)
    assert 'Provisioning run:' in page
    assert 'filtered with <code>[?status==&#x27;changed&#x27;]</code>: 1 of 7 settings shown' in page
