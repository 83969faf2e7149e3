# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a playbook the way AWX runs a job: ansible-runner, a private data directory, survey answers as
extra vars, an inventory AWX exported (optionally one slice of it), the project's wrapper playbook;
and a workflow job template that configure_awx.yml renders, node by node (run_workflow).

The lab's hosts are answered by the winsim simulator (tests/simulator) through the repository's
ansible.cfg, which points at the winsim connection plugin.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import typing as t

import ansible_runner

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'tests', 'unit', 'awx'))  # the AWX models shared with the unit tests

from awx_workflow import SUCCESSFUL, FAILED, WorkflowRun, node_launch, parents_of, walk  # noqa: E402  (path set above)

BIN = os.path.dirname(sys.executable)
LAB_INVENTORY = os.path.join(REPO, 'inventory', 'lab')
PROJECT = os.path.join(REPO, 'awx', 'project')
REPORT_SUBDIR = 'ipam-reports'
_PATH_LOCK = threading.Lock()


def lab_inventory() -> dict[str, t.Any]:
    """The lab as `ansible-inventory --list` sees it (what an AWX inventory sync would import)."""
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', LAB_INVENTORY, '--list'],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def slice_hosts(hostnames: t.Iterable[str], slice_number: int, slice_count: int) -> list[str]:
    """AWX Inventory.get_sliced_hosts: hosts ordered by name, slice k (1-based) takes every n-th from k-1."""
    return sorted(hostnames)[slice_number - 1::slice_count]


def awx_inventory(listing: t.Mapping[str, t.Any], hosts: t.Iterable[str] | None = None) -> dict[str, t.Any]:
    """The inventory AWX hands a job (Inventory.get_script_data): every group, only the given hosts.

    In a slice, groups keep only that slice's hosts: groups['domain_controllers'] of slice 2 does
    not name the domain controllers of slice 1.
    """
    hostvars = listing['_meta']['hostvars']
    chosen = set(hostvars if hosts is None else hosts)
    children = {}
    for group, body in listing.items():
        if group in ('_meta', 'all', 'ungrouped'):
            continue
        children[group] = {'hosts': {h: {} for h in body.get('hosts', []) if h in chosen}}
    return {'all': {'hosts': {h: hostvars[h] for h in sorted(chosen)}, 'children': children}}


class JobResult:
    """One ansible-runner job: status, per-host stats, its events and the compliance report in its artifacts."""

    def __init__(self, runner: ansible_runner.Runner, artifacts: str) -> None:
        self.runner = runner
        self.status = runner.status
        self.rc = runner.rc
        self.stats: dict[str, dict[str, int]] = runner.stats or {}
        self.artifacts = artifacts
        self.events = list(runner.events)
        with open(os.path.join(artifacts, 'stdout'), encoding='utf-8', errors='replace') as handle:
            self.stdout = handle.read()

    @property
    def report_dir(self) -> str:
        return os.path.join(self.artifacts, REPORT_SUBDIR)

    def report(self) -> dict[str, t.Any]:
        with open(os.path.join(self.report_dir, 'ipam-compliance.json'), encoding='utf-8') as handle:
            return json.load(handle)

    def artifact_data(self) -> dict[str, t.Any]:
        """set_stats data as AWX stores it in the job's artifacts (the playbook_on_stats event's artifact_data)."""
        stats = [e for e in self.events if e.get('event') == 'playbook_on_stats']
        assert len(stats) == 1, 'expected one playbook_on_stats event, got %d' % len(stats)
        return stats[0]['event_data'].get('artifact_data') or {}

    def changed(self) -> dict[str, int]:
        return {h: n for h, n in (self.stats.get('changed') or {}).items() if n}

    def explain(self) -> str:
        return 'status=%s rc=%s stats=%s\n%s' % (self.status, self.rc, json.dumps(self.stats), self.stdout[-6000:])


def put_ansible_on_path() -> None:
    """ansible-runner looks ansible-playbook up on PATH; the venv's bin may not be on it under plain pytest."""
    with _PATH_LOCK:
        old = os.environ.get('PATH', '')
        if BIN not in old.split(os.pathsep):
            os.environ['PATH'] = BIN + os.pathsep + old


def run_job(work: str, ident: str, playbook: str, inventory: t.Mapping[str, t.Any], answers: t.Mapping[str, t.Any],
            state_dir: str, *, check: bool = False, diff: bool = False, limit: str | None = None) -> JobResult:
    """One job: private data dir <work>/<ident> with the project's wrappers, the report in the artifacts."""
    private = os.path.join(work, ident)
    shutil.copytree(PROJECT, os.path.join(private, 'project'))
    artifacts = os.path.join(private, 'artifacts', ident)
    extravars = dict(answers, ipam_report_dir=os.path.join(artifacts, REPORT_SUBDIR))
    cmdline = ' '.join(flag for flag, wanted in (('--check', check), ('--diff', diff)) if wanted)
    put_ansible_on_path()
    runner = ansible_runner.run(
        private_data_dir=private, ident=ident, playbook=playbook, inventory=dict(inventory), extravars=extravars,
        limit=limit, cmdline=cmdline or None, quiet=True, timeout=900,
        envvars={'ANSIBLE_CONFIG': os.path.join(REPO, 'ansible.cfg'), 'WINSIM_STATE_DIR': state_dir,
                 'ANSIBLE_COLLECTIONS_PATH': os.path.join(REPO, '.lab', 'collections'),
                 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_FORCE_COLOR': '0'})
    return JobResult(runner, artifacts)


def run_sliced(work: str, tag: str, playbook: str, listing: t.Mapping[str, t.Any], slice_count: int,
               answers: t.Mapping[str, t.Any], state_dir: str, *, concurrent: bool, check: bool = False, diff: bool = False) -> list[JobResult]:
    """A sliced job: one job per slice, one after the other or all at once (as AWX's workflow starts them)."""
    hostnames = list(listing['_meta']['hostvars'])
    jobs: list[JobResult | None] = [None] * slice_count

    def one(number: int) -> None:
        inventory = awx_inventory(listing, slice_hosts(hostnames, number, slice_count))
        jobs[number - 1] = run_job(work, '%s-slice%d' % (tag, number), playbook, inventory, answers, state_dir, check=check, diff=diff)

    if concurrent:
        threads = [threading.Thread(target=one, args=(n,)) for n in range(1, slice_count + 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for number in range(1, slice_count + 1):
            one(number)
    assert all(job is not None for job in jobs), 'a slice did not run'
    return t.cast(list[JobResult], jobs)


class WorkflowResult:
    """One workflow job: the outcome of each node (AWX's rules, awx_workflow.py) and the jobs each node ran."""

    def __init__(self, run: WorkflowRun, jobs: dict[str, list[JobResult]]) -> None:
        self.status = run.status
        self.outcomes = run.outcomes
        self.ran = run.ran()
        self.jobs = jobs

    def all_jobs(self) -> list[JobResult]:
        return [job for identifier in self.ran for job in self.jobs[identifier]]

    def explain(self) -> str:
        return 'workflow %s, nodes %s\n%s' % (self.status, self.outcomes, '\n'.join(job.explain() for job in self.all_jobs()))


def run_workflow(work: str, tag: str, configuration: t.Mapping[str, t.Any], workflow: t.Mapping[str, t.Any],
                 listing: t.Mapping[str, t.Any], answers: t.Mapping[str, t.Any], state_dir: str, *,
                 concurrent_slices: bool = False) -> WorkflowResult:
    """Launch a rendered workflow job template with these survey answers, as AWX would.

    Each node runs its job template's playbook with the template's job type and diff mode (or the
    node's prompts), on the whole inventory: a template sliced n ways runs as n slice jobs
    (run_sliced, n capped at the number of hosts as AWX does), else as one job (run_job). A node's
    outcome is failed when any of its jobs is; the links it follows and the workflow's status are AWX's.
    """
    nodes = workflow['workflow_nodes']
    parents = parents_of(nodes)
    jobs: dict[str, list[JobResult]] = {}
    artifacts: dict[str, dict[str, t.Any]] = {}   # what each node passes on to its children (set_stats)
    hostnames = list(listing['_meta']['hostvars'])

    def run(node: t.Mapping[str, t.Any]) -> str:
        identifier = node['identifier']
        inherited: dict[str, t.Any] = {}
        for parent, _link in parents[identifier]:
            inherited.update(artifacts.get(parent, {}))
        launch = node_launch(configuration, node, answers, inherited)
        ident = '%s-%s' % (tag, identifier)
        slices = min(launch.slice_count, len(hostnames))
        if slices > 1:
            results = run_sliced(work, ident, launch.playbook, listing, slices, launch.extra_vars, state_dir,
                                 concurrent=concurrent_slices, check=launch.check, diff=launch.diff)
            passed_on = dict(inherited)   # older AWX passes none from a slice workflow (recent AWX merges its slices')
        else:
            results = [run_job(work, ident, launch.playbook, awx_inventory(listing), launch.extra_vars, state_dir,
                               check=launch.check, diff=launch.diff, limit=launch.limit)]
            passed_on = dict(inherited, **results[0].artifact_data())
        jobs[identifier] = results
        artifacts[identifier] = passed_on
        return SUCCESSFUL if all(job.status == 'successful' for job in results) else FAILED

    return WorkflowResult(walk(nodes, run), jobs)
