# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_filter import filter_entries
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import ReportError, entries_given


@pytest.fixture
def normalized(entries):
    return entries_given([], entries)


def test_selects_entries_by_status(normalized):
    result = filter_entries(normalized, "[?status=='drift']")
    assert [(e['host'], e['setting']) for e in result] == [('dhcp01', 'dhcp_service_acl')]


def test_functions_and_boolean_expressions_work(normalized):
    result = filter_entries(normalized, "[?contains(server_types, 'dns') && status!='compliant']")
    assert [e['status'] for e in result] == ['failed', 'not_applicable']


def test_nothing_selected_is_an_empty_report(normalized):
    assert filter_entries(normalized, "[?host=='nobody']") == []
    assert filter_entries(normalized, 'missing_key') == []   # null


def test_a_single_entry_is_a_list_of_one(normalized):
    assert [e['setting'] for e in filter_entries(normalized, '[0]')] == ['event_log_readers']


@pytest.mark.parametrize('expression, message', [
    ("[?status=='drift'", r"filter: \"\[\?status=='drift'\" is not a valid JMESPath expression"),
    ('', 'filter: the JMESPath expression is empty'),
    ('length(@)', 'selects int, not report entries'),
    ('[].host', 'the filter must keep whole entries'),
    ('[].{host: host}', r'lacks setting, status; the filter must keep whole entries'),
])
def test_bad_expressions_fail_naming_the_expression(normalized, expression, message):
    with pytest.raises(ReportError, match=message):
        filter_entries(normalized, expression)
