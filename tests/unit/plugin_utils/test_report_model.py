# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import re

import pytest

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import REPORT_STATUSES as STATUSES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import (
    UNREACHABLE_SETTING,
    ReportError,
    build_report,
    describe_changes,
    entries_from_hostvars,
    entries_given,
    normalize_entry,
    setting_columns,
    summary_line,
)
from report_samples import IPAM, entry

HOSTS = ['dhcp01', 'dns01', 'nps01', 'ipam01']


def test_normalize_fills_defaults_and_takes_the_title_from_the_catalog():
    result = normalize_entry({'host': 'dhcp01', 'setting': 'dhcp_service_acl', 'status': 'Drift'}, 'here')
    assert result['status'] == 'drift'
    assert result['title'] == 'Read access on the DHCP Server service'
    assert result['changes'] == {} and result['msg'] == '' and result['server_types'] == []


def test_normalize_keeps_keys_beyond_the_contract_as_given():
    result = normalize_entry(entry('dhcp01', 'custom_thing', extra={'k': 1}), 'here')
    assert result['extra'] == {'k': 1}
    assert result['title'] == 'custom_thing'  # unknown to the catalog: the id is the title


@pytest.mark.parametrize('bad, message', [
    ({'host': 'h', 'setting': 's', 'status': 'green'}, "h/s has status 'green'; expected one of compliant"),
    ({'host': 'h', 'setting': 's'}, 'h/s lacks status'),
    ({'setting': 's', 'status': 'drift'}, '?/s lacks host'),
    ({'host': 'h', 'setting': 's', 'status': 'drift', 'changes': ['x']}, 'changes must be a dict'),
    ('compliant', 'must be a dict, not str'),
])
def test_normalize_refuses_entries_it_cannot_report(bad, message):
    with pytest.raises(ReportError, match='^where: .*' + re.escape(message)):
        normalize_entry(bad, 'where')


def test_a_host_without_the_fact_gets_one_unreachable_row():
    hostvars = {'dhcp01': {'ipam_report_entries': [entry('dhcp01', 'dhcp_users')]}, 'ipam01': {'other': 1}}
    result = entries_from_hostvars(['dhcp01', 'ipam01'], hostvars)
    assert [(e['host'], e['setting'], e['status']) for e in result] == [
        ('dhcp01', 'dhcp_users', 'compliant'), ('ipam01', UNREACHABLE_SETTING, 'unreachable')]
    assert 'unreachable' in result[1]['msg']


def test_a_host_with_an_empty_list_was_reached_and_has_nothing_to_report():
    report = build_report(entries_from_hostvars(['ipam01'], {'ipam01': {'ipam_report_entries': []}}), ['ipam01'],
                          title='t')
    assert report.entries == [] and report.hosts == ['ipam01']
    assert report.host_statuses() == {'ipam01': None}


def test_hostvars_are_copied_not_shared():
    recorded = [entry('dhcp01', 'dhcp_users')]
    result = entries_from_hostvars(['dhcp01'], {'dhcp01': {'ipam_report_entries': recorded}})
    result[0]['changes']['added'].append('x')
    assert recorded[0]['changes']['added'] == []


def test_a_host_name_that_is_not_in_the_inventory_is_refused():
    with pytest.raises(ReportError, match="hosts: 'dhcp1' is not a host of the inventory"):
        entries_from_hostvars(['dhcp1'], {'dhcp01': {}})


def test_the_fact_must_be_a_list():
    with pytest.raises(ReportError, match='dhcp01: ipam_report_entries must be a list, not str'):
        entries_from_hostvars(['dhcp01'], {'dhcp01': {'ipam_report_entries': 'compliant'}})


def test_explicit_entries_mark_hosts_they_do_not_name_unreachable(entries):
    result = entries_given(HOSTS, entries)
    assert [(e['host'], e['setting']) for e in result if e['status'] == 'unreachable'] == [('ipam01', UNREACHABLE_SETTING)]
    assert len(result) == len(entries) + 1


def test_columns_come_in_catalog_order_with_markers_first_and_unknown_settings_last():
    settings = ('zz_custom', 'dns_firewall', 'event_log_readers', 'server_types', UNREACHABLE_SETTING, 'aa_custom')
    rows = [normalize_entry(entry('h', s), 'x') for s in settings]
    assert [c['id'] for c in setting_columns(rows)] == [
        UNREACHABLE_SETTING, 'server_types', 'event_log_readers', 'dns_firewall', 'zz_custom', 'aa_custom']


def test_report_orders_hosts_as_given_then_others_and_sorts_entries(entries):
    shuffled = list(reversed(entries))
    report = build_report(entries_given(['nps01', 'dns01'], shuffled), ['nps01', 'dns01'], title='t', generated='now')
    assert report.hosts == ['nps01', 'dns01', 'dhcp01']
    assert [e['host'] for e in report.entries] == ['nps01'] * 2 + ['dns01'] * 5 + ['dhcp01'] * 5
    assert [e['setting'] for e in report.entries[:2]] == ['event_log_readers', 'eventlog_firewall']


def test_summary_counts_every_status_and_names_hosts_with_findings(entries):
    report = build_report(entries_given(HOSTS, entries), HOSTS, title='t')
    summary = report.summary
    assert summary['hosts'] == 4 and summary['settings'] == 13
    assert {s: summary[s] for s in STATUSES} == {
        'compliant': 9, 'changed': 0, 'drift': 1, 'failed': 1, 'unreachable': 1, 'not_applicable': 1}
    assert summary['hosts_with_findings'] == ['dhcp01', 'dns01', 'ipam01']
    assert summary['check_mode'] is True
    assert 'filter' not in summary
    assert summary_line(summary) == '4 hosts, 13 settings: 9 compliant, 1 drift, 1 failed, 1 unreachable, 1 not applicable'


def test_summary_line_keeps_the_four_main_counts_even_at_zero():
    report = build_report([normalize_entry(entry('h', 'dhcp_users', 'changed', check_mode=False), 'x')], ['h'], title='t')
    assert summary_line(report.summary) == '1 host, 1 setting: 0 compliant, 1 changed, 0 drift, 0 failed, 0 unreachable'
    assert report.check_mode is False


@pytest.mark.parametrize('modes, default, expected', [
    ([True, True], False, True),
    ([True, False], True, False),
    ([None], True, True),   # only unreachable rows: nothing says, the task's own mode decides
    ([None], False, False),
])
def test_check_mode_of_the_report_comes_from_the_entries(modes, default, expected):
    rows = [normalize_entry(entry('h%d' % i, 'dhcp_users', check_mode=m), 'x') for i, m in enumerate(modes)]
    assert build_report(rows, [], title='t', check_mode_default=default).check_mode is expected


def test_a_filtered_report_lists_only_the_hosts_its_entries_name(entries):
    drift = [e for e in entries_given(HOSTS, entries) if e['status'] == 'drift']
    report = build_report(drift, HOSTS, title='t', filter_expression="[?status=='drift']", unfiltered_count=13)
    assert report.hosts == ['dhcp01']
    assert report.summary['filter'] == "[?status=='drift']" and report.summary['unfiltered_settings'] == 13


def test_changes_are_described_as_text_with_principals_by_name_and_sid():
    described = describe_changes({'added': [IPAM, 'FPS-SMB-In-TCP'], 'removed': [], 'restarted': True,
                                  'other': {'a': 1}, 'empty': None})
    assert described == [('added', ['CORP\\IPAM01$ (%s)' % IPAM['sid'], 'FPS-SMB-In-TCP']),
                         ('restarted', ['True']), ('other', ['{"a": 1}'])]
