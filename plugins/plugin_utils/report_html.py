# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance report as one self-contained HTML page, for people.

Inline CSS only: no scripts, fonts, images or links outside the page, so it can be mailed, attached
to a CI job or opened from an AWX artifact as is. Every value from a host (names, messages,
principals) is untrusted and goes through ``html.escape``; element ids are generated, never taken
from host names.

The page also reads without CSS (a mail client that strips styles, a text browser, copy and paste):
every table cell, badge and count is separated from the one before by whitespace, so statuses never
run together ("changedchanged").
"""
from __future__ import annotations

import html
import typing as t

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS_BY_ID
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import FINDINGS, REPORT_STATUSES, SEVERITY
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import (
    UNREACHABLE_SETTING,
    Report,
    changes_are_planned,
    describe_changes,
)

LABELS = {
    'compliant': 'compliant', 'changed': 'changed', 'drift': 'drift', 'failed': 'failed',
    'unreachable': 'unreachable', 'not_applicable': 'not applicable',
}
# Short cell texts: the colour carries the status at a glance, the word keeps it readable without colour.
CELL_TEXT = {
    'compliant': 'OK', 'changed': 'changed', 'drift': 'drift', 'failed': 'failed',
    'unreachable': 'down', 'not_applicable': 'n/a',
}
# A not_applicable entry of an opt-in the run did not set (ipam_dns_standalone_admin) is no "n/a": the
# setting concerns the host and was declined, and IPAM may well report its access Blocked.
OPT_IN_CELL_TEXT = 'opt-in'
OPT_IN_LABEL = 'opt-in off'

CSS = """
:root { --fg: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #ffffff; --head: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
h2 { margin: 32px 0 10px; font-size: 17px; font-weight: 650; }
.meta { color: var(--muted); margin: 0 0 6px; }
.mode { display: inline-block; margin: 6px 0 0; padding: 6px 10px; border-radius: 6px; background: var(--head);
        border: 1px solid var(--line); }
.badges { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 4px; }
.badge { display: inline-flex; align-items: baseline; gap: 6px; padding: 6px 12px; border-radius: 999px;
         font-weight: 600; border: 1px solid transparent; }
.badge b { font-size: 20px; font-weight: 700; }
.badge.total { background: var(--head); border-color: var(--line); color: var(--fg); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-compliant { background: #d3f2e0; color: #0b6b3a; }
.s-changed { background: #d6e4ff; color: #1d4ed8; }
.s-drift { background: #fde68a; color: #7c3d06; }
.s-failed { background: #fecaca; color: #991b1b; }
.s-unreachable { background: #4b5563; color: #ffffff; }
.s-not_applicable { background: #eef1f4; color: #6b7785; }
.badge.zero { background: transparent; border-color: var(--line); color: var(--muted); font-weight: 400; }
.badge .sub { font-weight: 400; }
.matrix td.optin { background: repeating-linear-gradient(135deg, #eef1f4 0 4px, #f8f9fb 4px 8px); color: #52606d; }
.ipam { display: block; margin-top: 3px; color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; }
.matrix { margin-top: 6px; }
.matrix th, .matrix td { border: 1px solid var(--line); }
.matrix thead th { background: var(--head); vertical-align: bottom; padding: 6px 4px; font-weight: 600; font-size: 12px; }
.matrix thead th.setting { height: 170px; width: 44px; }
.matrix thead th.setting span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.matrix th.host { text-align: left; padding: 4px 12px 4px 8px; font-weight: 600; white-space: nowrap; background: #fff; }
.matrix th.host a { color: var(--fg); text-decoration: none; }
.matrix th.host a:hover { text-decoration: underline; }
.matrix td.cell { width: 44px; height: 28px; padding: 0; text-align: center; font-size: 11px; font-weight: 600; }
.matrix td.cell a { display: block; line-height: 28px; color: inherit; text-decoration: none; }
.matrix td.none { background: #fff; color: #c3ccd5; }
.matrix td.wide { text-align: left; padding-left: 12px; }
.matrix td.overall { padding: 2px 8px; }
.key { margin: 10px 0 0; padding: 0; list-style: none; columns: 2 420px; color: var(--muted); font-size: 13px; }
.key li { break-inside: avoid; }
.key code { color: var(--fg); }
details.host { margin: 10px 0; border: 1px solid var(--line); border-radius: 8px; }
details.host > summary { cursor: pointer; padding: 10px 14px; background: var(--head); border-radius: 8px;
                         font-weight: 600; list-style-position: inside; }
details.host[open] > summary { border-bottom: 1px solid var(--line); border-radius: 8px 8px 0 0; }
details.host > summary .counts { font-weight: 400; color: var(--muted); margin-left: 8px; }
.detail { width: 100%; table-layout: fixed; }
.detail col.c-setting { width: 26%; } .detail col.c-status { width: 120px; } .detail col.c-scope { width: 80px; }
.detail col.c-state { width: 80px; } .detail col.c-changes { width: 30%; }
.detail th, .detail td { text-align: left; vertical-align: top; padding: 7px 12px; border-bottom: 1px solid var(--line); }
.detail th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fff; }
.detail tr:last-child td { border-bottom: 0; }
.detail .id { display: block; color: var(--muted); font-size: 12px; font-family: ui-monospace, SFMono-Regular, Consolas, monospace; }
.changes { margin: 0; padding: 0; list-style: none; }
.changes li { margin: 0 0 2px; }
.changes .verb { color: var(--muted); }
.changes code, .msg code { font-family: ui-monospace, SFMono-Regular, Consolas, monospace; font-size: 12px; word-break: break-all; }
.msg { white-space: pre-wrap; overflow-wrap: break-word; }
.none { color: #9aa5b1; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
"""


def _e(value: t.Any) -> str:
    return html.escape('' if value is None else str(value), quote=True)


def _pill(status: str, text: str | None = None) -> str:
    return '<span class="pill s-%s">%s</span>' % (status, _e(text or LABELS[status]))


def opt_in_of(entry: dict[str, t.Any]) -> str | None:
    """The opt-in variable a not_applicable entry stands for: the entry's own ``opt_in`` (the IPAM server role
    sets it on dns01's expected DNS RPC Blocked), else the catalog setting's; None for any other entry."""
    if entry.get('status') != 'not_applicable':
        return None
    return entry.get('opt_in') or SETTINGS_BY_ID.get(entry.get('setting'), {}).get('opt_in') or None


def _opt_in_note(entry: dict[str, t.Any], opt_in: str) -> str:
    note = 'opt-in %s is off' % opt_in
    if entry.get('ipam_status'):
        note += '; IPAM reports %s' % entry['ipam_status']
    return note


def _mode_text(report: Report) -> str:
    if report.check_mode:
        return ('<b>Audit (check mode):</b> nothing was changed; <i>drift</i> is what a provisioning run '
                'would change.')
    return '<b>Provisioning run:</b> <i>changed</i> is what this run changed; <i>compliant</i> needed nothing.'


def _badges(summary: dict[str, t.Any], opt_ins: int) -> str:
    parts = [
        '<span class="badge total"><b>%d</b> hosts</span>' % summary['hosts'],
        '<span class="badge total"><b>%d</b> settings</span>' % summary['settings'],
    ]
    for status in REPORT_STATUSES:
        count = summary[status]
        # A zero is no news: plain, without its status colour, so the eye goes to what is there.
        sub = (' <span class="sub">(%d %s)</span>' % (opt_ins, OPT_IN_LABEL)
               if status == 'not_applicable' and opt_ins else '')
        parts.append('<span class="badge %s"><b>%d</b> %s%s</span>'
                     % ('s-' + status if count else 'zero', count, _e(LABELS[status]), sub))
    return '<div class="badges">\n%s\n</div>' % '\n'.join(parts)


def _matrix(report: Report, anchors: dict[str, str]) -> str:
    # An unreachable host has no settings to show: its row is one cell across the matrix.
    columns = [c for c in report.settings() if c['id'] != UNREACHABLE_SETTING]
    grid: dict[tuple[str, str], dict[str, t.Any]] = {}
    for entry in report.entries:
        key = (entry['host'], entry['setting'])
        # Several entries for one cell (unusual): show the worst.
        if key not in grid or _severity_rank(entry['status']) < _severity_rank(grid[key]['status']):
            grid[key] = entry
    head = '\n'.join('<th class="setting" title="%s"><span>%s</span></th>' % (_e(c['title']), _e(c['id'])) for c in columns)
    rows = []
    statuses = report.host_statuses()
    for host in report.hosts:
        if not any((host, c['id']) in grid for c in columns) and (host, UNREACHABLE_SETTING) in grid:
            cells = ['<td class="cell s-unreachable wide" colspan="%d"><a href="#%s">unreachable: no report entries</a></td>'
                     % (max(len(columns), 1), anchors[host])]
        else:
            cells = [_cell(grid.get((host, c['id'])), c, anchors[host]) for c in columns]
        overall = statuses[host]
        rows.append('<tr>\n<th class="host"><a href="#%s">%s</a></th>\n%s\n<td class="overall">%s</td>\n</tr>' % (
            anchors[host], _e(host), '\n'.join(cells), _pill(overall) if overall else '<span class="none">no settings</span>'))
    return ('<table class="matrix">\n<thead><tr>\n<th class="host">Host</th>\n%s\n<th>Overall</th>\n</tr></thead>\n'
            '<tbody>\n%s\n</tbody></table>' % (head, '\n'.join(rows)))


def _cell(entry: dict[str, t.Any] | None, column: dict[str, t.Any], anchor: str) -> str:
    if entry is None:  # does not apply to this host; no tooltip keeps a large fleet's page small
        return '<td class="cell none">&middot;</td>'
    status = entry['status']
    opt_in = opt_in_of(entry)
    if opt_in:
        return '<td class="cell s-%s optin" title="%s: %s"><a href="#%s">%s</a></td>' % (
            status, _e(column['title']), _e(_opt_in_note(entry, opt_in)), anchor, _e(OPT_IN_CELL_TEXT))
    return '<td class="cell s-%s" title="%s: %s"><a href="#%s">%s</a></td>' % (
        status, _e(column['title']), _e(LABELS[status]), anchor, _e(CELL_TEXT[status]))


def _severity_rank(status: str) -> int:
    return SEVERITY.index(status)


def _key(report: Report) -> str:
    items = ['<li><code>%s</code> &mdash; %s</li>' % (_e(c['id']), _e(c['title']))
             for c in report.settings() if c['id'] != UNREACHABLE_SETTING]
    cells = ', '.join('<code>%s</code> %s' % (_e(CELL_TEXT[s]), _e(LABELS[s])) for s in REPORT_STATUSES)
    items.append('<li>Cells: %s; <code>%s</code>: an opt-in variable the run did not set, so the setting was not '
                 'applied (and IPAM may report that access Blocked, as expected).</li>' % (cells, OPT_IN_CELL_TEXT))
    return '<ul class="key">\n%s\n</ul>' % '\n'.join(items)


def _changes(entry: dict[str, t.Any]) -> str:
    described = describe_changes(entry['changes'])
    if not described:
        return '<span class="none">&mdash;</span>'
    planned = changes_are_planned(entry)
    items = []
    for key, values in described:
        verb = ('would be %s' % key) if planned else key
        items.append('<li><span class="verb">%s:</span> %s</li>' % (
            _e(verb), ', '.join('<code>%s</code>' % _e(v) for v in values)))
    return '<ul class="changes">\n%s\n</ul>' % '\n'.join(items)


def _host_counts(entries: list[dict[str, t.Any]]) -> str:
    opt_ins = sum(1 for e in entries if opt_in_of(e))
    counts = [(s, sum(1 for e in entries if e['status'] == s) - (opt_ins if s == 'not_applicable' else 0))
              for s in REPORT_STATUSES]
    parts = ['%d %s' % (n, LABELS[s]) for s, n in counts if n]
    if opt_ins:
        parts.append('%d %s' % (opt_ins, OPT_IN_LABEL))
    text = ', '.join(parts)
    return '%d setting%s%s' % (len(entries), '' if len(entries) == 1 else 's', (': ' + text) if text else '')


def _status(entry: dict[str, t.Any]) -> str:
    opt_in = opt_in_of(entry)
    if not opt_in:
        return _pill(entry['status'])
    ipam = ' <span class="ipam">IPAM: %s</span>' % _e(entry['ipam_status']) if entry.get('ipam_status') else ''
    return '<span title="%s">%s</span>%s' % (_e(_opt_in_note(entry, opt_in)), _pill(entry['status'], OPT_IN_LABEL), ipam)


def _host_section(host: str, entries: list[dict[str, t.Any]], anchor: str, overall: str | None) -> str:
    # Open what needs a look; an all-compliant host stays one line.
    is_open = overall in FINDINGS or overall == 'changed' or not entries
    rows = []
    for entry in entries:
        setting = '' if entry['setting'] == UNREACHABLE_SETTING else '<span class="id">%s</span>' % _e(entry['setting'])
        rows.append('<tr>\n<td>%s %s</td>\n<td>%s</td>\n<td>%s</td>\n<td>%s</td>\n<td>%s</td>\n<td class="msg">%s</td>\n</tr>' % (
            _e(entry['title']), setting, _status(entry), _e(entry.get('scope') or ''),
            _e(entry.get('state') or ''), _changes(entry), _e(entry.get('msg') or '')))
    body = ('\n<table class="detail"><colgroup><col class="c-setting"><col class="c-status"><col class="c-scope">'
            '<col class="c-state"><col class="c-changes"><col></colgroup>\n<thead><tr>\n<th>Setting</th>\n<th>Status</th>\n'
            '<th>Scope</th>\n<th>State</th>\n<th>What changed / would change</th>\n<th>Message</th>\n</tr></thead>\n'
            '<tbody>\n%s\n</tbody></table>\n' % '\n'.join(rows)
            if rows else '\n<p class="meta" style="padding: 10px 14px">No settings apply to this host.</p>\n')
    return '<details class="host" id="%s"%s>\n<summary>%s %s <span class="counts">%s</span></summary>%s</details>\n' % (
        anchor, ' open' if is_open else '', _e(host), _pill(overall) if overall else '', _e(_host_counts(entries)), body)


def render_html(report: Report) -> str:
    summary = report.summary
    anchors = {host: 'host-%d' % i for i, host in enumerate(report.hosts, start=1)}
    statuses = report.host_statuses()
    by_host = report.by_host()
    meta = ['Generated %s' % _e(report.generated.replace('T', ' ').replace('Z', ' UTC'))]
    if report.filter is not None:
        meta.append('filtered with <code>%s</code>: %d of %d settings shown' % (
            _e(report.filter), summary['settings'], report.unfiltered_count or 0))
    sections = ''.join(_host_section(h, by_host[h], anchors[h], statuses[h]) for h in report.hosts)
    opt_ins = sum(1 for e in report.entries if opt_in_of(e))
    return """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title>
<style>%(css)s</style>
</head>
<body>
<header>
<h1>%(title)s</h1>
<p class="meta">%(meta)s</p>
<div class="mode">%(mode)s</div>
%(badges)s
</header>
<main>
<h2>Hosts &times; settings</h2>
%(matrix)s
%(key)s
<h2>Per host</h2>
%(sections)s
</main>
<footer>ipam.provisioning compliance report &middot; the same data is in the JSON and JUnit XML files beside this page.</footer>
</body>
</html>
""" % {
        'title': _e(report.title), 'css': CSS, 'meta': ' &middot; '.join(meta), 'mode': _mode_text(report),
        'badges': _badges(summary, opt_ins), 'matrix': _matrix(report, anchors), 'key': _key(report), 'sections': sections,
    }
