# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""compliance_report: reads hosts' report entries from hostvars and writes the report on the controller."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
import typing as t
import xml.etree.ElementTree as ET
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task

from ansible_collections.ipam.provisioning.plugins.action.compliance_report import ActionModule

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SID = 'S-1-5-21-1004336348-1177238915-682003330-1205'


def entry(host, setting, status='compliant', **extra):
    return dict({'host': host, 'setting': setting, 'server_types': ['dhcp'], 'scope': 'host', 'state': 'present',
                 'status': status, 'check_mode': True, 'changes': {'added': [], 'removed': []}, 'msg': ''}, **extra)


HOSTVARS = {
    'dhcp01': {'ipam_report_entries': [
        entry('dhcp01', 'dhcp_users'),
        entry('dhcp01', 'dhcp_service_acl', 'drift', changes={'added': ['(A;;CCLCSWLOCRRC;;;%s)' % SID]}),
    ]},
    'dns01': {'ipam_report_entries': [entry('dns01', 'dns_service_acl', 'failed', msg='access denied')]},
    'nps01': {'ansible_host': '127.0.0.15'},   # no entries: never got that far
    'localhost': {},
}
HOSTS = ['dhcp01', 'dns01', 'nps01']


def run(args: dict[str, t.Any], *, check_mode: bool = False, hostvars=None, play_batch=('localhost',),
        run_once: bool = False) -> tuple[dict[str, t.Any], MagicMock]:
    """Run the action like the TaskExecutor does; returns the result and the (unused) connection."""
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.diff = False
    task.async_val = 0
    task.run_once = run_once
    connection = MagicMock()
    connection._shell.tmpdir = None
    plugin = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    plugin._load_name = 'ipam.provisioning.compliance_report'
    task_vars = {'inventory_hostname': 'localhost', 'ansible_play_batch': list(play_batch),
                 'hostvars': copy.deepcopy(HOSTVARS if hostvars is None else hostvars)}
    return plugin.run(task_vars=task_vars), connection


def test_writes_all_three_formats_and_summarizes(tmp_path):
    result, connection = run({'hosts': HOSTS, 'output_dir': str(tmp_path)}, check_mode=True)

    assert result['changed'] is False and not result.get('failed')
    assert result['files'] == {'json': str(tmp_path / 'ipam-compliance.json'),
                               'junit': str(tmp_path / 'ipam-compliance.junit.xml'),
                               'html': str(tmp_path / 'ipam-compliance.html')}
    assert all(os.path.isfile(p) for p in result['files'].values())
    assert sorted(os.listdir(tmp_path)) == ['ipam-compliance.html', 'ipam-compliance.json', 'ipam-compliance.junit.xml']
    summary = result['summary']
    assert (summary['hosts'], summary['settings'], summary['compliant'], summary['drift'], summary['failed'],
            summary['unreachable']) == (3, 4, 1, 1, 1, 1)
    assert summary['hosts_with_findings'] == ['dhcp01', 'dns01', 'nps01']
    assert result['msg'] == ('IPAM compliance (check mode): 3 hosts, 4 settings: 1 compliant, 1 drift, 1 failed, '
                             '1 unreachable; report: %s' % (tmp_path / 'ipam-compliance.html'))
    # set_stats-style custom stats, so AWX keeps the summary in the job's artifacts.
    assert result['ansible_stats'] == {'data': {'ipam_compliance': summary}, 'per_host': False, 'aggregate': True}
    assert [(e['host'], e['setting'], e['status']) for e in result['entries']] == [
        ('dhcp01', 'dhcp_users', 'compliant'), ('dhcp01', 'dhcp_service_acl', 'drift'),
        ('dns01', 'dns_service_acl', 'failed'), ('nps01', '*', 'unreachable')]
    assert json.loads((tmp_path / 'ipam-compliance.json').read_text())['entries'] == result['entries']
    assert ET.parse(result['files']['junit']).getroot().get('tests') == '4'
    assert 'warnings' not in result
    # Runs wholly on the controller: nothing was ever asked of the connection.
    assert connection.method_calls == []
    assert ActionModule._requires_connection is False and ActionModule._supports_check_mode is True


def test_check_mode_still_writes_the_report_because_that_is_its_purpose(tmp_path):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path / 'new' / 'dir')}, check_mode=True)
    assert os.path.isfile(result['files']['html'])


def test_relative_output_dir_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, dummy = run({'hosts': HOSTS, 'formats': ['html']})
    assert result['files'] == {'html': str(tmp_path / 'ipam-reports' / 'ipam-compliance.html')}
    assert result['msg'].endswith('; report: ipam-reports/ipam-compliance.html')


def test_formats_title_and_basename(tmp_path):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path), 'formats': ['junit', 'junit'],
                         'title': 'Nightly <audit>', 'basename': 'nightly'})
    assert result['files'] == {'junit': str(tmp_path / 'nightly.junit.xml')}
    assert ET.parse(result['files']['junit']).getroot().get('name') == 'Nightly <audit>'
    assert result['msg'].endswith('report: %s' % (tmp_path / 'nightly.junit.xml'))


def test_no_formats_only_summarizes(tmp_path):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path), 'formats': []})
    assert result['files'] == {} and 'report:' not in result['msg']


def test_filter_selects_entries_before_anything_is_written_or_counted(tmp_path):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path), 'filter': "[?status=='drift']"})
    assert [(e['host'], e['setting']) for e in result['entries']] == [('dhcp01', 'dhcp_service_acl')]
    assert result['summary']['hosts'] == 1 and result['summary']['settings'] == 1
    assert result['summary']['filter'] == "[?status=='drift']" and result['summary']['unfiltered_settings'] == 4
    assert len(json.loads((tmp_path / 'ipam-compliance.json').read_text())['entries']) == 1


def test_bad_filter_fails_naming_the_expression_and_writes_nothing(tmp_path):
    with pytest.raises(AnsibleActionFail, match=r"compliance_report: filter: \"\[\?status=='drift'\" is not a valid JMESPath"):
        run({'hosts': HOSTS, 'output_dir': str(tmp_path), 'filter': "[?status=='drift'"})
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize('fail_on, expected', [
    (['drift', 'failed', 'unreachable'], 'failing because of 1 drift, 1 failed, 1 unreachable (fail_on: drift, failed, unreachable)'),
    (['unreachable'], 'failing because of 1 unreachable (fail_on: unreachable)'),
])
def test_fail_on_fails_after_writing_the_report(tmp_path, fail_on, expected):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path), 'fail_on': fail_on})
    assert result['failed'] is True
    assert result['msg'].endswith(expected)
    assert os.path.isfile(result['files']['html'])


def test_fail_on_passes_when_no_entry_has_those_statuses(tmp_path):
    result, dummy = run({'hosts': ['dhcp01'], 'output_dir': str(tmp_path), 'fail_on': ['failed', 'unreachable']})
    assert not result.get('failed')


def test_explicit_entries_replace_hostvars_and_unnamed_hosts_are_unreachable(tmp_path):
    result, dummy = run({'hosts': ['dhcp01', 'dns01'], 'output_dir': str(tmp_path),
                         'entries': [entry('dhcp01', 'dhcp_users', 'changed', check_mode=False)]}, hostvars={})
    assert [(e['host'], e['status']) for e in result['entries']] == [('dhcp01', 'changed'), ('dns01', 'unreachable')]
    assert result['summary']['check_mode'] is False and result['msg'].startswith('IPAM compliance: ')


def test_entries_without_hosts_report_the_hosts_they_name(tmp_path):
    result, dummy = run({'output_dir': str(tmp_path), 'entries': [entry('dhcp01', 'dhcp_users')]}, hostvars={})
    assert result['summary']['hosts'] == 1


@pytest.mark.parametrize('args, message', [
    ({}, 'one of the following is required: hosts, entries'),
    ({'hosts': ['dhcp1']}, "compliance_report: hosts: 'dhcp1' is not a host of the inventory"),
    ({'hosts': HOSTS, 'formats': ['pdf']}, 'value of formats must be one or more of: json, junit, html'),
    ({'hosts': HOSTS, 'fail_on': ['red']}, 'value of fail_on must be one or more of: compliant, changed, drift'),
    ({'hosts': HOSTS, 'basename': '../x'}, "basename '../x' must be a plain file name"),
    ({'hosts': HOSTS, 'bogus': 1}, r'Unsupported parameters for \(ipam.provisioning.compliance_report\) module: bogus'),
    ({'entries': [{'host': 'h', 'setting': 's', 'status': 'green'}]}, "entries\\[0\\]: report entry h/s has status 'green'"),
])
def test_bad_input_fails_clearly_and_writes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=message):
        run(args)
    assert os.listdir(tmp_path) == []


def test_output_dir_that_is_a_file_fails_clearly(tmp_path):
    blocker = tmp_path / 'reports'
    blocker.write_text('')
    with pytest.raises(AnsibleActionFail, match="cannot create output_dir '%s'" % blocker):
        run({'hosts': HOSTS, 'output_dir': str(blocker)})


def test_warns_when_every_host_of_a_play_would_write_the_same_files(tmp_path):
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path)}, play_batch=HOSTS)
    assert 'run it in a play on localhost or with run_once: true' in result['warnings'][0]
    result, dummy = run({'hosts': HOSTS, 'output_dir': str(tmp_path)}, play_batch=HOSTS, run_once=True)
    assert 'warnings' not in result


@pytest.mark.e2e
def test_real_playbook_reads_facts_of_other_hosts_and_sets_custom_stats(tmp_path):
    """Through ansible-playbook: hostvars across plays, check mode, custom stats (what AWX keeps)."""
    (tmp_path / 'hosts.ini').write_text('dhcp01\ndns01\nnps01\n[all:vars]\nansible_connection=local\n')
    (tmp_path / 'site.yml').write_text(textwrap.dedent('''\
        - name: Record entries like the roles do
          hosts: all
          gather_facts: false
          tasks:
            - name: Remember the hosts of this run
              ansible.builtin.set_fact:
                ipam_report_hosts: "{{ ansible_play_hosts_all }}"
              delegate_to: localhost
              delegate_facts: true
              run_once: true
            - name: Entries (nps01 records none, as if unreachable)
              ansible.builtin.set_fact:
                ipam_report_entries:
                  - {host: "{{ inventory_hostname }}", setting: event_log_readers, status: compliant, check_mode: true}
                  - {host: "{{ inventory_hostname }}", setting: dhcp_service_acl, status: drift, check_mode: true,
                     changes: {added: ["<script>x</script>"]}}
              when: inventory_hostname != 'nps01'
        - name: Report
          hosts: localhost
          gather_facts: false
          tasks:
            - name: Write the report
              ipam.provisioning.compliance_report:
                hosts: "{{ ipam_report_hosts }}"
                output_dir: "{{ out }}"
              register: report
            - name: Check it
              ansible.builtin.assert:
                that:
                  - report.summary.hosts == 3
                  - report.summary.drift == 2
                  - report.summary.unreachable == 1
                  - report is not changed
            - name: A filtered report (tagged strings from facts and task args reach JMESPath)
              ipam.provisioning.compliance_report:
                hosts: "{{ ipam_report_hosts }}"
                output_dir: "{{ out }}"
                basename: dhcp-drift
                formats: [json]
                filter: "[?contains(setting, 'dhcp') && status=='drift']"
              register: filtered
            - name: Check the filtered one
              ansible.builtin.assert:
                that:
                  - filtered.summary.settings == 2
                  - filtered.summary.hosts == 2
        '''))
    (tmp_path / 'ansible.cfg').write_text('[defaults]\n')
    env = dict(os.environ, ANSIBLE_SHOW_CUSTOM_STATS='true', ANSIBLE_NOCOLOR='1', ANSIBLE_CONFIG=str(tmp_path / 'ansible.cfg'),
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    env['ANSIBLE_PYTHON_INTERPRETER'] = sys.executable
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i',
                           str(tmp_path / 'hosts.ini'), str(tmp_path / 'site.yml'), '--check',
                           '-e', 'out=%s' % (tmp_path / 'out')],
                          capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'CUSTOM STATS' in proc.stdout and '"ipam_compliance"' in proc.stdout, proc.stdout
    page = (tmp_path / 'out' / 'ipam-compliance.html').read_text()
    assert '&lt;script&gt;x&lt;/script&gt;' in page and '<script>' not in page
    assert json.loads((tmp_path / 'out' / 'ipam-compliance.json').read_text())['check_mode'] is True
