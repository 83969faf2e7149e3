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
    assert cells.count('cell s-unreachable wide') == 1 and cells.count('cell s-not_applicable optin') == 1
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


# ---------------------------------------------------------------------------- read without CSS
STATUS_WORDS = ('OK', 'changed', 'drift', 'failed', 'down', 'n/a', 'opt-in', 'compliant', 'not applicable')


class Flow(html.parser.HTMLParser):
    """The page as a reader without CSS gets it (a mail client, a text browser, copy and paste): the text
    nodes one after the other. Records each table cell, badge, pill or count that starts right after text
    without whitespace in between, where its text would run into the one before ("changedchanged")."""

    WATCHED_CLASSES = frozenset({'badge', 'pill', 'counts'})

    def __init__(self):
        super().__init__()
        self.text = []
        self.glued = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        self.skip = tag in ('style', 'title')
        classes = set((dict(attrs).get('class') or '').split())
        if tag in ('td', 'th', 'li', 'summary') or (tag == 'span' and classes & self.WATCHED_CLASSES):
            before = ''.join(self.text)
            if before and not before[-1].isspace():
                self.glued.append('%s.%s after %r' % (tag, '.'.join(sorted(classes)), before[-25:]))

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def flow(page):
    parsed = Flow()
    parsed.feed(page)
    return ''.join(parsed.text), parsed.glued


def test_cells_never_run_together_without_css(entries):
    # A host with the same status in every cell is where "changedchanged" showed.
    changed = [entry('ipam01', s, 'changed', check_mode=False) for s in ('event_log_readers', 'dhcp_users', 'dhcp_firewall')]
    page, dummy = render(entries + changed)
    text, glued = flow(page)
    assert glued == []
    words = '|'.join(re.escape(w) for w in STATUS_WORDS)
    assert not re.search(r'(%s)(%s)' % (words, words), text)
    assert not re.search(r'(%s)(dhcp01|dns01|nps01|ipam01)' % words, text)     # last cell and next row's host
    assert not re.search(r'[a-z]\d', text.replace('dhcp01', '').replace('dns01', '').replace('nps01', '')
                         .replace('ipam01', ''))                                  # "hosts23 settings5 compliant"


def test_zero_counts_are_not_highlighted(entries):
    page, parsed = render(entries)
    badges = [a['class'].split() for t, a in parsed.tags if t == 'span' and 'badge' in a.get('class', '').split()]
    text = ' '.join(' '.join(parsed.text).split())
    assert '0 changed' in text
    zero = [c for c in badges if 'zero' in c]
    assert len(zero) == 1                                     # changed is the only status with no entry
    assert not [c for c in zero if any(k.startswith('s-') for k in c)]   # no status colour on a zero
    coloured = [c for c in badges if any(k.startswith('s-') for k in c)]
    assert len(coloured) == 5 and not [c for c in coloured if 'zero' in c]


def test_an_opt_in_reads_as_an_opt_in_not_as_not_applicable(entries):
    """dns01 declined ipam_dns_standalone_admin: its local Administrators setting is not granted, and IPAM
    reports DNS RPC Blocked, as expected. Both say so, not 'n/a', which would read as 'does not concern dns01'."""
    ipam_view = entry('dns01', 'ipam_access_dns_rpc', 'not_applicable', server_types=['dns'], access_type='dns_rpc',
                      title='IPAM access status: DNS RPC', ipam_status='Blocked', opt_in='ipam_dns_standalone_admin',
                      msg='IPAM reports Blocked, as expected: ... only with ipam_dns_standalone_admin: true')
    really_na = entry('nps01', 'event_log_readers', 'not_applicable', server_types=['nps'],
                      msg='left in place: other domain controllers of corp.example.com stay managed')
    page, parsed = render(entries + [ipam_view])
    text = ' '.join(' '.join(parsed.text).split())
    cells = [(a['class'], a.get('title', '')) for t, a in parsed.tags if t == 'td' and 'cell' in a.get('class', '')]
    opt_in_cells = [c for c in cells if 'optin' in c[0].split()]
    assert len(opt_in_cells) == 2                      # dns01: dns_local_administrators (catalog opt-in) and DNS RPC
    assert all('opt-in ipam_dns_standalone_admin is off' in title for dummy, title in opt_in_cells)
    assert any('IPAM reports Blocked' in title for dummy, title in opt_in_cells)
    assert not [c for c in cells if c[0] == 'cell s-not_applicable']     # the sample's only n/a was the opt-in
    assert 'opt-in off' in text and 'IPAM: Blocked' in text
    assert '2 not applicable (2 opt-in off)' in text                   # the badge
    assert '6 settings: 3 compliant, 1 failed, 2 opt-in off' in text   # dns01's summary line
    assert 'an opt-in variable the run did not set' in text       # the key says what the cell means
    # A not_applicable entry that is no opt-in still reads "n/a".
    page, parsed = render([really_na], ['nps01'])
    assert [a['class'] for t, a in parsed.tags if t == 'td' and 'cell' in a.get('class', '')] == ['cell s-not_applicable']
    assert 'opt-in off' not in ' '.join(parsed.text)
