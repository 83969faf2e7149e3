# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How AWX runs a workflow job template that configure_awx.yml renders, without AWX.

From ansible/awx (its main branch; older releases where noted): ``docs/workflow.md``,
``awx/main/scheduler/dag_workflow.py`` (WorkflowDAG) and ``awx/main/models/workflow.py``
(WorkflowJobNode.get_job_kwargs):

- the nodes without a parent start; a child runs when the link from a finished parent matches the
  parent's outcome: ``success_nodes`` after a successful job, ``failure_nodes`` after a failed one,
  ``always_nodes`` after either. A node none of whose links can match any more does not run
  (do_not_run). With ``all_parents_must_converge`` every parent's link must match.
- "A workflow job is marked as failed if a job spawned by a workflow job fails, without a failure
  handler. A failure handler is a failure or always link."
- a node may set a launch prompt (job_type, diff_mode, job_slice_count, limit, extra_data) only if
  its job template asks for it; otherwise AWX refuses the node ("Field is not configured to prompt
  on launch."), which :func:`node_launch` does too.
- a job template node's job gets, as extra vars: its template's extra vars, then the artifacts
  (set_stats) of its ancestors' jobs, then the workflow job's extra vars (the survey answers), the
  highest, whether or not the template asks for variables. A sliced job runs as a workflow of its
  own, whose artifacts older AWX does not pass on (recent AWX merges its slices'; no playbook of
  this collection reads its artifact ipam_compliance as a variable).

AWX starts ready nodes at the same time; :func:`walk` runs them one by one in the order the
workflow lists them, which gives the same outcome for graphs whose nodes do not race.
"""
from __future__ import annotations

import dataclasses
import typing as t

from survey_rules import defaults_awx_applies

LINKS = ('success_nodes', 'failure_nodes', 'always_nodes')
SUCCESSFUL, FAILED, DO_NOT_RUN = 'successful', 'failed', 'do_not_run'
# Node prompt -> the job template field that must allow it (awx/main/models/jobs.py JobTemplate ask_*).
PROMPTS = {'job_type': 'ask_job_type_on_launch', 'diff_mode': 'ask_diff_mode_on_launch',
           'job_slice_count': 'ask_job_slice_count_on_launch', 'limit': 'ask_limit_on_launch'}


class WorkflowRefused(ValueError):
    """AWX would refuse this workflow or node; the message says why."""


@dataclasses.dataclass(frozen=True)
class NodeLaunch:
    """What a node's job runs: the template's playbook with the node's prompts applied."""

    identifier: str
    template: str
    playbook: str
    check: bool
    diff: bool
    slice_count: int
    limit: str | None
    extra_vars: dict[str, t.Any]


@dataclasses.dataclass
class WorkflowRun:
    """The outcome of each node, in the order they were decided, and the workflow job's status."""

    outcomes: list[tuple[str, str]]
    status: str

    def outcome(self, identifier: str) -> str:
        return dict(self.outcomes)[identifier]

    def ran(self) -> list[str]:
        return [identifier for identifier, outcome in self.outcomes if outcome != DO_NOT_RUN]


def links_of(node: t.Mapping[str, t.Any]) -> dict[str, list[str]]:
    """{link type: [child identifier]} of one node."""
    related = node.get('related') or {}
    return {link: [child['identifier'] for child in related.get(link) or []] for link in LINKS}


def parents_of(nodes: t.Sequence[t.Mapping[str, t.Any]]) -> dict[str, list[tuple[str, str]]]:
    """{identifier: [(parent identifier, link type)]}; refuses what AWX refuses (unknown child, cycle)."""
    identifiers = [node['identifier'] for node in nodes]
    if len(set(identifiers)) != len(identifiers):
        raise WorkflowRefused('node identifiers repeat: %s' % identifiers)
    parents: dict[str, list[tuple[str, str]]] = {identifier: [] for identifier in identifiers}
    for node in nodes:
        for link, children in links_of(node).items():
            for child in children:
                if child not in parents:
                    raise WorkflowRefused('node %s links (%s) to %s, which is no node of the workflow' % (node['identifier'], link, child))
                parents[child].append((node['identifier'], link))
    _refuse_cycles(nodes, parents)
    return parents


def _refuse_cycles(nodes: t.Sequence[t.Mapping[str, t.Any]], parents: t.Mapping[str, list[tuple[str, str]]]) -> None:
    placed: set[str] = set()
    while len(placed) < len(nodes):
        ready = [n['identifier'] for n in nodes if n['identifier'] not in placed and all(p in placed for p, _link in parents[n['identifier']])]
        if not ready:
            raise WorkflowRefused('the workflow has a cycle among %s' % sorted(set(parents) - placed))
        placed.update(ready)


def link_matches(link: str, outcome: str) -> bool:
    if outcome == DO_NOT_RUN:
        return False
    return link == 'always_nodes' or (link == 'success_nodes') == (outcome == SUCCESSFUL)


def walk(nodes: t.Sequence[t.Mapping[str, t.Any]], run: t.Callable[[t.Mapping[str, t.Any]], str]) -> WorkflowRun:
    """Run the workflow's graph: run(node) starts the node's job and returns successful or failed."""
    parents = parents_of(nodes)
    decided: dict[str, str] = {}
    order: list[tuple[str, str]] = []
    while len(decided) < len(nodes):
        node = next(n for n in nodes if n['identifier'] not in decided and all(p in decided for p, _link in parents[n['identifier']]))
        identifier = node['identifier']
        matched = [link_matches(link, decided[parent]) for parent, link in parents[identifier]]
        wanted = not matched or (all(matched) if node.get('all_parents_must_converge') else any(matched))
        outcome = run(node) if wanted else DO_NOT_RUN
        if outcome not in (SUCCESSFUL, FAILED, DO_NOT_RUN):
            raise ValueError('node %s: run() returned %r' % (identifier, outcome))
        decided[identifier] = outcome
        order.append((identifier, outcome))
    return WorkflowRun(order, workflow_status(nodes, decided))


def workflow_status(nodes: t.Sequence[t.Mapping[str, t.Any]], outcomes: t.Mapping[str, str]) -> str:
    """AWX: failed when a node's job failed and that node has no failure or always link."""
    for node in nodes:
        links = links_of(node)
        if outcomes.get(node['identifier']) == FAILED and not links['failure_nodes'] and not links['always_nodes']:
            return FAILED
    return SUCCESSFUL


def created(items: t.Iterable[t.Mapping[str, t.Any]]) -> list[t.Mapping[str, t.Any]]:
    """What configure_awx.yml creates of a rendered list (skip: true marks what it leaves out)."""
    return [item for item in items if not item.get('skip')]


def node_template(configuration: t.Mapping[str, t.Any], node: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any]:
    """The job template a node names, among those configure_awx.yml creates."""
    reference = node['unified_job_template']
    if reference.get('type') != 'job_template':
        raise WorkflowRefused('node %s: only job template nodes are modelled, not %r' % (node['identifier'], reference.get('type')))
    found = [jt for jt in created(configuration['job_templates']) if jt['name'] == reference['name']]
    if len(found) != 1:
        raise WorkflowRefused('node %s names job template %r, which the configuration does not create' % (node['identifier'], reference['name']))
    return found[0]


def node_launch(configuration: t.Mapping[str, t.Any], node: t.Mapping[str, t.Any], workflow_extra_vars: t.Mapping[str, t.Any],
                ancestor_artifacts: t.Mapping[str, t.Any] | None = None) -> NodeLaunch:
    """The job a node starts: its template, the node's prompts (refused unless asked for), the extra vars it gets."""
    jt = node_template(configuration, node)
    for prompt, ask in PROMPTS.items():
        if node.get(prompt) is not None and node[prompt] != jt.get(prompt) and not jt.get(ask, False):
            raise WorkflowRefused('node %s sets %s, but job template %r does not ask for it (%s): '
                                  'Field is not configured to prompt on launch.' % (node['identifier'], prompt, jt['name'], ask))
    if node.get('extra_data') and not jt['survey_enabled'] and not configuration['job_template_common']['ask_variables_on_launch']:
        raise WorkflowRefused('node %s sets extra_data, but job template %r has no survey and does not ask for variables' % (node['identifier'], jt['name']))
    extra_vars = dict(configuration['job_template_common'].get('extra_vars') or {})
    if jt['survey_enabled']:
        extra_vars.update(defaults_awx_applies(jt['survey_spec']))
    extra_vars.update(node.get('extra_data') or {})
    extra_vars.update(ancestor_artifacts or {})
    extra_vars.update(workflow_extra_vars)
    job_type = node.get('job_type') or jt['job_type']
    diff = node['diff_mode'] if node.get('diff_mode') is not None else jt['diff_mode']
    return NodeLaunch(identifier=node['identifier'], template=jt['name'], playbook=jt['playbook'], check=job_type == 'check',
                      diff=bool(diff), slice_count=int(node.get('job_slice_count') or jt['job_slice_count']),
                      limit=node.get('limit'), extra_vars=extra_vars)


def workflow_job_template(configuration: t.Mapping[str, t.Any], suffix: str) -> t.Mapping[str, t.Any]:
    """The workflow job template whose name ends with suffix (names carry awx_name_prefix)."""
    found = [wf for wf in configuration['workflow_job_templates'] if wf['name'].endswith(suffix)]
    if len(found) != 1:
        raise AssertionError('expected one workflow job template named *%s, found %s'
                             % (suffix, [wf['name'] for wf in configuration['workflow_job_templates']]))
    return found[0]
