# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_junit import render_junit
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import build_report, entries_given
from report_samples import IPAM_SID, entry

HOSTS = ('dhcp01', 'dns01', 'nps01', 'ipam01')


def parse(entries, hosts=HOSTS):
    hosts = list(hosts)
    report = build_report(entries_given(hosts, entries), hosts, title='IPAM <audit>', generated='2026-01-02T03:04:05Z')
    return ET.fromstring(render_junit(report).encode('utf-8'))


def counts(element):
    return {k: element.get(k) for k in ('tests', 'failures', 'errors', 'skipped')}


def test_one_suite_per_host_one_case_per_setting_with_consistent_counts(entries):
    root = parse(entries)
    assert root.tag == 'testsuites' and root.get('name') == 'IPAM <audit>'
    assert counts(root) == {'tests': '13', 'failures': '1', 'errors': '2', 'skipped': '1'}
    suites = root.findall('testsuite')
    assert [s.get('name') for s in suites] == list(HOSTS)
    assert counts(suites[0]) == {'tests': '5', 'failures': '1', 'errors': '0', 'skipped': '0'}
    assert counts(suites[1]) == {'tests': '5', 'failures': '0', 'errors': '1', 'skipped': '1'}
    assert suites[0].get('timestamp') == '2026-01-02T03:04:05'  # JUnit's xs:dateTime has no zone
    for suite in suites:
        cases = suite.findall('testcase')
        assert len(cases) == int(suite.get('tests'))
        assert {c.get('classname') for c in cases} == {suite.get('name')}


def test_drift_is_a_failure_with_what_would_change(entries):
    case = parse(entries).find("testsuite[@name='dhcp01']/testcase[3]")
    assert case.get('name') == 'Read access on the DHCP Server service (dhcp_service_acl)'
    failure = case.find('failure')
    assert failure.get('type') == 'drift'
    assert failure.get('message') == 'would be added: (A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID
    assert case.find('error') is None and case.find('skipped') is None


def test_failed_and_unreachable_are_errors_not_applicable_is_skipped(entries):
    root = parse(entries)
    error = root.find("testsuite[@name='dns01']/testcase/error")
    assert error.get('type') == 'failed' and 'not valid SDDL' in error.text
    skipped = root.find("testsuite[@name='dns01']/testcase/skipped")
    assert skipped.get('message') == 'ipam_dns_standalone_admin is false'
    unreachable = root.find("testsuite[@name='ipam01']/testcase")
    assert unreachable.get('name') == 'Host reachable'
    assert unreachable.find('error').get('type') == 'unreachable'


def test_compliant_and_changed_pass_and_changed_keeps_what_it_did():
    root = parse([entry('dhcp01', 'dhcp_users', 'changed', check_mode=False,
                        changes={'added': [{'name': 'CORP\\IPAM01$', 'sid': IPAM_SID}]})], ['dhcp01'])
    case = root.find('testsuite/testcase')
    assert [child.tag for child in case] == ['system-out']
    assert case.find('system-out').text == 'added: CORP\\IPAM01$ (%s)' % IPAM_SID


def test_untrusted_text_is_escaped_and_invalid_xml_characters_replaced():
    nasty = '<script>alert("x")</script> & \x00\x1b end'
    root = parse([entry('<h&"1>', 'dhcp_users', 'failed', msg=nasty)], ['<h&"1>'])
    suite = root.find('testsuite')
    assert suite.get('name') == '<h&"1>'
    assert suite.find('testcase/error').text == '<script>alert("x")</script> & \ufffd\ufffd end'
