# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side ipam.provisioning.compliance_report: the report of a provisioning or audit run.

Reads the ``ipam_report_entries`` fact of each host (docs/design.md section 6) and writes JSON,
JUnit XML and HTML files on the controller. It never opens a connection to a managed host.
"""
from __future__ import annotations

import os
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_filter import filter_entries
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_html import render_html
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_json import render_json
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_junit import render_junit
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import REPORT_STATUSES
from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import (
    Report,
    ReportError,
    build_report,
    entries_from_hostvars,
    entries_given,
    summary_line,
)

FORMATS: dict[str, tuple[str, t.Callable[[Report], str]]] = {
    'json': ('.json', render_json),
    'junit': ('.junit.xml', render_junit),
    'html': ('.html', render_html),
}
STATS_KEY = 'ipam_compliance'

ARGUMENT_SPEC: dict[str, dict[str, t.Any]] = {
    'hosts': {'type': 'list', 'elements': 'str'},
    'entries': {'type': 'list', 'elements': 'dict'},
    'output_dir': {'type': 'path', 'default': 'ipam-reports'},
    'formats': {'type': 'list', 'elements': 'str', 'choices': list(FORMATS), 'default': list(FORMATS)},
    'filter': {'type': 'str'},
    'title': {'type': 'str', 'default': 'IPAM access compliance'},
    'basename': {'type': 'str', 'default': 'ipam-compliance'},
    'fail_on': {'type': 'list', 'elements': 'str', 'choices': list(REPORT_STATUSES), 'default': []},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Writing the report is the point of an audit run, so the task runs (and writes) in check mode.
    _supports_check_mode = True
    _supports_async = False
    # Runs wholly on the controller: Ansible does not even open the task host's connection.
    _requires_connection = False

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        dummy, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC, required_one_of=[['hosts', 'entries']])
        check_basename(params['basename'])

        hosts = list(dict.fromkeys(params['hosts'] or []))
        try:
            if params['entries'] is not None:
                entries = entries_given(hosts, params['entries'])
            else:
                entries = entries_from_hostvars(hosts, task_vars.get('hostvars') or {})
            unfiltered = len(entries)
            if params['filter'] is not None:
                entries = filter_entries(entries, params['filter'])
        except ReportError as e:
            raise AnsibleActionFail('compliance_report: %s' % e) from e

        report = build_report(entries, hosts, title=params['title'], check_mode_default=bool(self._task.check_mode),
                              filter_expression=params['filter'],
                              unfiltered_count=unfiltered if params['filter'] is not None else None)
        files = write_report(report, params['output_dir'], params['basename'], params['formats'])
        summary = report.summary

        msg = 'IPAM compliance%s: %s' % (' (check mode)' if report.check_mode else '', summary_line(summary))
        shown = files.get('html') or next(iter(files.values()), None)
        if shown:
            msg += '; report: %s' % display_path(shown)
        result.update(
            changed=False,  # the report is output, not managed state: a run with nothing to do stays changed=0
            msg=msg,
            summary=summary,
            files=files,
            entries=report.entries,
            ansible_stats={'data': {STATS_KEY: summary}, 'per_host': False, 'aggregate': True},
        )
        if len(task_vars.get('ansible_play_batch') or []) > 1 and not self._task.run_once:
            result['warnings'] = ['compliance_report runs once per host of this play and every host writes the same '
                                  'files; run it in a play on localhost or with run_once: true.']

        gate = {s: summary[s] for s in params['fail_on'] if summary[s]}
        if gate:
            result['failed'] = True
            result['msg'] = '%s; failing because of %s (fail_on: %s)' % (
                msg, ', '.join('%d %s' % (n, s) for s, n in gate.items()), ', '.join(params['fail_on']))
        return result


def check_basename(basename: str) -> None:
    """The basename names files in output_dir; a path here would write somewhere else."""
    if not basename or basename in ('.', '..') or '/' in basename or os.sep in basename:
        raise AnsibleActionFail("compliance_report: basename '%s' must be a plain file name without a directory, "
                                "such as ipam-compliance" % basename)


def write_report(report: Report, output_dir: str, basename: str, formats: list[str]) -> dict[str, str]:
    """Render each format and write it atomically; returns ``{format: absolute path}``."""
    directory = os.path.abspath(output_dir)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise AnsibleActionFail("compliance_report: cannot create output_dir '%s': %s" % (output_dir, e)) from e
    files: dict[str, str] = {}
    for name in dict.fromkeys(formats):
        suffix, render = FORMATS[name]
        path = os.path.join(directory, basename + suffix)
        write_atomically(path, render(report))
        files[name] = path
    return files


def write_atomically(path: str, text: str) -> None:
    """Readers (a CI job, a web server) never see half a report."""
    partial = '%s.%d.partial' % (path, os.getpid())
    try:
        with open(partial, 'w', encoding='utf-8', newline='\n') as handle:
            handle.write(text)
        os.replace(partial, path)
    except OSError as e:
        if os.path.exists(partial):
            os.unlink(partial)
        raise AnsibleActionFail("compliance_report: cannot write '%s': %s" % (path, e)) from e


def display_path(path: str) -> str:
    """Relative to the working directory when inside it, as a user would type it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative
