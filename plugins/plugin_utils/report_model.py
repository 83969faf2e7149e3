# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance report as data: entries per host and setting, their order and the summary.

Input is the ``ipam_report_entries`` fact every managed host ends with (docs/design.md section 6).
A host without that fact was unreachable (or its play stopped before recording anything) and gets
one ``unreachable`` row. Everything here is pure Python; the writers (JSON, JUnit XML, HTML) and
the action plugin build on the :class:`Report` it returns.
"""
from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import json
import typing as t

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS, SETTINGS_BY_ID
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import FINDINGS, REPORT_STATUSES, SEVERITY

ENTRIES_FACT = 'ipam_report_entries'
UNREACHABLE_SETTING = '*'
# The detection check of the roles comes before the settings it decides on.
SERVER_TYPES_SETTING = 'server_types'

_DEFAULTS: dict[str, t.Any] = {
    'title': None, 'server_types': [], 'scope': None, 'access_type': None, 'state': None,
    'check_mode': None, 'changes': {}, 'msg': '',
}


class ReportError(ValueError):
    """The entries cannot be reported as they are; the message names the host and setting."""


@dataclasses.dataclass
class Report:
    """Everything the writers need, already validated and ordered."""

    title: str
    generated: str
    check_mode: bool
    hosts: list[str]
    entries: list[dict[str, t.Any]]
    filter: str | None = None
    unfiltered_count: int | None = None

    @property
    def summary(self) -> dict[str, t.Any]:
        return summarize(self)

    def settings(self) -> list[dict[str, t.Any]]:
        """The matrix columns: ``{id, title}`` of every setting reported, in catalog order."""
        return setting_columns(self.entries)

    def by_host(self) -> dict[str, list[dict[str, t.Any]]]:
        """The entries of each host, hosts in report order (hosts without entries included)."""
        grouped: dict[str, list[dict[str, t.Any]]] = {h: [] for h in self.hosts}
        for entry in self.entries:
            grouped.setdefault(entry['host'], []).append(entry)
        return grouped

    def host_statuses(self) -> dict[str, str | None]:
        """Each host's worst status (None for a host without entries)."""
        return {h: worst_status(e['status'] for e in rows) for h, rows in self.by_host().items()}


def utc_now() -> str:
    """ISO 8601 in UTC to the second, the form the JSON and HTML report carry."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace('+00:00', 'Z')


def plain(value: t.Any) -> t.Any:
    """A deep copy made of plain JSON types.

    Facts arrive as Ansible's tagged str/list/dict subclasses; JMESPath and the writers want plain
    types, and the report must not share objects with the host's variables.
    """
    return json.loads(json.dumps(value, default=str))


def worst_status(statuses: t.Iterable[str]) -> str | None:
    present = set(statuses)
    for status in SEVERITY:
        if status in present:
            return status
    return None


def unreachable_entry(host: str) -> dict[str, t.Any]:
    """The one row a host without report entries gets."""
    return dict(
        _DEFAULTS,
        host=host, setting=UNREACHABLE_SETTING, title='Host reachable', status='unreachable', changes={},
        msg='No %s were recorded for this host: it was unreachable, or its play stopped before '
            'the settings were checked.' % ENTRIES_FACT,
    )


def normalize_entry(entry: t.Any, where: str) -> dict[str, t.Any]:
    """One entry with its required keys checked and the optional ones defaulted.

    Keys beyond the contract are kept as given: the report writes entries, it does not curate them.
    """
    if not isinstance(entry, collections.abc.Mapping):
        raise ReportError('%s: a report entry must be a dict, not %s' % (where, type(entry).__name__))
    missing = [k for k in ('host', 'setting', 'status') if entry.get(k) in (None, '')]
    if missing:
        raise ReportError('%s: report entry %s lacks %s' % (where, _label(entry), ', '.join(missing)))
    result = dict(_DEFAULTS)
    result.update(entry)
    result['host'] = str(result['host'])
    result['setting'] = str(result['setting'])
    result['status'] = str(result['status']).lower()
    if result['status'] not in REPORT_STATUSES:
        raise ReportError('%s: report entry %s has status %r; expected one of %s'
                          % (where, _label(entry), entry['status'], ', '.join(REPORT_STATUSES)))
    if not result.get('title'):
        result['title'] = SETTINGS_BY_ID.get(result['setting'], {}).get('title') or result['setting']
    if result.get('changes') is None:
        result['changes'] = {}
    if not isinstance(result['changes'], collections.abc.Mapping):
        raise ReportError('%s: report entry %s: changes must be a dict such as {added: [...], removed: [...]}, not %s'
                          % (where, _label(entry), type(result['changes']).__name__))
    if result.get('msg') is None:
        result['msg'] = ''
    return result


def _label(entry: collections.abc.Mapping) -> str:
    return '%s/%s' % (entry.get('host', '?'), entry.get('setting', '?'))


def entries_from_hostvars(hosts: list[str], hostvars: collections.abc.Mapping) -> list[dict[str, t.Any]]:
    """The recorded entries of each host; a host without the fact gets an ``unreachable`` row."""
    entries: list[dict[str, t.Any]] = []
    for host in hosts:
        if host not in hostvars:
            raise ReportError("hosts: '%s' is not a host of the inventory" % host)
        recorded = hostvars[host].get(ENTRIES_FACT)
        if recorded is None:
            entries.append(unreachable_entry(host))
            continue
        if not isinstance(recorded, collections.abc.Sequence) or isinstance(recorded, (str, bytes)):
            raise ReportError('%s: %s must be a list, not %s' % (host, ENTRIES_FACT, type(recorded).__name__))
        entries.extend(normalize_entry(e, '%s: %s[%d]' % (host, ENTRIES_FACT, i)) for i, e in enumerate(plain(recorded)))
    return entries


def entries_given(hosts: list[str], entries: list[t.Any]) -> list[dict[str, t.Any]]:
    """Entries passed explicitly; a host of ``hosts`` with none of them gets an ``unreachable`` row."""
    result = [normalize_entry(e, 'entries[%d]' % i) for i, e in enumerate(plain(entries))]
    seen = {e['host'] for e in result}
    result.extend(unreachable_entry(h) for h in hosts if h not in seen)
    return result


def host_order(hosts: list[str], entries: list[dict[str, t.Any]]) -> list[str]:
    """The hosts as the play listed them, then any others the entries name, each once."""
    return list(dict.fromkeys(list(hosts) + [e['host'] for e in entries]))


def setting_columns(entries: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Setting ids in a stable order: the unreachable marker, detection, the catalog, then others as met."""
    catalog_rank = {s['id']: i for i, s in enumerate(SETTINGS)}
    titles: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        titles.setdefault(entry['setting'], entry.get('title') or entry['setting'])
        first_seen.setdefault(entry['setting'], index)

    def rank(setting: str) -> tuple[int, int]:
        if setting == UNREACHABLE_SETTING:
            return (0, 0)
        if setting == SERVER_TYPES_SETTING:
            return (1, 0)
        if setting in catalog_rank:
            return (2, catalog_rank[setting])
        return (3, first_seen[setting])

    return [{'id': s, 'title': titles[s]} for s in sorted(titles, key=rank)]


def sort_entries(hosts: list[str], entries: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Host order first, then setting order; stable for entries of the same host and setting."""
    host_rank = {h: i for i, h in enumerate(hosts)}
    setting_rank = {c['id']: i for i, c in enumerate(setting_columns(entries))}
    return sorted(entries, key=lambda e: (host_rank[e['host']], setting_rank[e['setting']]))


def report_check_mode(entries: list[dict[str, t.Any]], default: bool) -> bool:
    """True when every entry that says so came from a check-mode run (an audit)."""
    modes = [bool(e['check_mode']) for e in entries if e.get('check_mode') is not None]
    return all(modes) if modes else default


def build_report(entries: list[dict[str, t.Any]], hosts: list[str], *, title: str, check_mode_default: bool = False,
                 generated: str | None = None, filter_expression: str | None = None,
                 unfiltered_count: int | None = None) -> Report:
    """A Report from normalized entries (see entries_from_hostvars / entries_given).

    A filtered report lists only the hosts its entries name: a host the filter left nothing of is
    noise in the matrix, not a finding.
    """
    ordered_hosts = host_order(hosts, entries)
    if filter_expression is not None:
        named = {e['host'] for e in entries}
        ordered_hosts = [h for h in ordered_hosts if h in named]
    return Report(
        title=title,
        generated=generated or utc_now(),
        check_mode=report_check_mode(entries, check_mode_default),
        hosts=ordered_hosts,
        entries=sort_entries(ordered_hosts, entries),
        filter=filter_expression,
        unfiltered_count=unfiltered_count,
    )


def summarize(report: Report) -> dict[str, t.Any]:
    """Counts per status plus hosts and settings: what the run summary, AWX stats and the HTML badges show."""
    counts = collections.Counter(e['status'] for e in report.entries)
    summary: dict[str, t.Any] = {
        'hosts': len(report.hosts),
        'settings': len(report.entries),
    }
    summary.update((status, counts.get(status, 0)) for status in REPORT_STATUSES)
    statuses = report.host_statuses()
    summary['hosts_with_findings'] = [h for h in report.hosts if statuses[h] in FINDINGS]
    summary['check_mode'] = report.check_mode
    if report.filter is not None:
        summary['filter'] = report.filter
        summary['unfiltered_settings'] = report.unfiltered_count
    return summary


def summary_line(summary: dict[str, t.Any]) -> str:
    """``6 hosts, 41 settings: 38 compliant, 2 drift, 1 failed, 0 unreachable`` (zero counts of rarer statuses left out)."""
    always = ('compliant', 'drift', 'failed', 'unreachable')
    parts = ['%d %s' % (summary[s], s.replace('_', ' ')) for s in REPORT_STATUSES if s in always or summary[s]]
    return '%d host%s, %d setting%s: %s' % (
        summary['hosts'], '' if summary['hosts'] == 1 else 's',
        summary['settings'], '' if summary['settings'] == 1 else 's', ', '.join(parts))


def _describe_value(value: t.Any) -> str:
    if isinstance(value, collections.abc.Mapping):
        name, sid = value.get('name'), value.get('sid')
        if name and sid and name != sid:
            return '%s (%s)' % (name, sid)
        if name or sid:
            return str(name or sid)
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def changes_are_planned(entry: collections.abc.Mapping) -> bool:
    """True when an entry's changes were not made but would be (check mode, or drift)."""
    return bool(entry.get('check_mode')) or entry.get('status') == 'drift'


def describe_changes(changes: collections.abc.Mapping) -> list[tuple[str, list[str]]]:
    """``[(key, [value, ...]), ...]`` for every non-empty key of an entry's ``changes``, as text.

    Principals shown as ``name (SID)`` when both are known; other structures as compact JSON.
    """
    described = []
    for key, value in changes.items():
        if value in (None, '', [], {}):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        described.append((str(key), [_describe_value(v) for v in values]))
    return described
