# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workflow job templates of awx/configure_awx.yml (Provision and verify, Audit and verify).

Under job slicing a slice's IPAM server play knows only its own slice's servers, so each workflow
runs the (sliced) Provision or Audit and then the unsliced Verify IPAM server on the whole
inventory. Checked here on the rendered configuration: the nodes name templates that are created
and set only prompts those templates ask for, the links, the surveys and the schedule; and the
workflow semantics of AWX that awx_workflow.py models (and the e2e test runs the playbooks with).
"""
from __future__ import annotations

import os
import typing as t

import pytest
import yaml

from awx_config import REPO, configure_tasks, job_template, module_documentation, render
from awx_workflow import (DO_NOT_RUN, FAILED, SUCCESSFUL, WorkflowRefused, created, links_of, node_launch, node_template, parents_of, walk,
                          workflow_job_template)
from survey_rules import launch_answers, launch_errors, scheduled_launch_errors, spec_errors

PRINCIPALS = ['CORP\\IPAM01$', 'CORP\\IPAM02$']
NO_LINKS = {'success_nodes': [], 'failure_nodes': [], 'always_nodes': []}
LINK_NAMES = set(NO_LINKS)


@pytest.fixture(scope='module')
def sliced(awx_collections, tmp_path_factory) -> dict[str, t.Any]:
    return render(awx_collections, str(tmp_path_factory.mktemp('awx-sliced')), {'awx_ipam_principals': PRINCIPALS, 'awx_job_slice_count': 3})


def roots(workflow: t.Mapping[str, t.Any]) -> list[str]:
    return [identifier for identifier, parents in parents_of(workflow['workflow_nodes']).items() if not parents]


def node(workflow: t.Mapping[str, t.Any], identifier: str) -> t.Mapping[str, t.Any]:
    return next(n for n in workflow['workflow_nodes'] if n['identifier'] == identifier)


# ------------------------------------------------------------------------------------ the graph
def test_the_two_workflows_exist_sliced_or_not(rendered, sliced):
    """Decision: whenever Verify IPAM server exists, also unsliced (one more job that changes nothing)."""
    for configuration in (rendered, sliced):
        assert [wf['name'] for wf in created(configuration['workflow_job_templates'])] == ['IPAM - Provision and verify', 'IPAM - Audit and verify']
    common = rendered['workflow_job_template_common']
    assert common['organization'] == rendered['organization']
    # No limit: it would reach Verify, which runs on the IPAM servers only; only the survey's variables.
    assert common['ask_limit_on_launch'] is False and common['ask_variables_on_launch'] is False
    assert common['allow_simultaneous'] is False


@pytest.mark.parametrize('name', ['Provision and verify', 'Audit and verify'])
def test_every_node_names_a_created_job_template_and_sets_only_asked_prompts(sliced, name):
    workflow = workflow_job_template(sliced, name)
    parents_of(workflow['workflow_nodes'])   # links name nodes of the workflow, no cycle
    for each in workflow['workflow_nodes']:
        assert each['unified_job_template']['organization'] == {'name': sliced['organization']}
        node_template(sliced, each)
        node_launch(sliced, each, launch_answers(workflow['survey_spec']))   # AWX would accept the node's prompts


def test_provision_and_verify_starts_with_the_sliced_provision(sliced):
    workflow = workflow_job_template(sliced, 'Provision and verify')
    assert roots(workflow) == ['provision']
    provision = node(workflow, 'provision')
    assert node_template(sliced, provision)['name'] == job_template(sliced, 'Provision')['name']
    # The template's own slice count: Provision does not ask for one, so the node sets none.
    assert 'job_slice_count' not in provision
    launch = node_launch(sliced, provision, {})
    assert (launch.playbook, launch.check, launch.slice_count) == ('provision.yml', False, 3)
    # Verify follows whatever the slices' outcome, and nothing else follows.
    assert links_of(provision) == dict(NO_LINKS, always_nodes=['verify'])
    verify = node(workflow, 'verify')
    assert links_of(verify) == NO_LINKS
    launch = node_launch(sliced, verify, {})
    assert (launch.template, launch.playbook, launch.check, launch.diff, launch.slice_count) == (
        'IPAM - Verify IPAM server', 'ipam_server.yml', False, True, 1)


def test_audit_and_verify_reads_ipam_s_view_in_check_mode(sliced):
    workflow = workflow_job_template(sliced, 'Audit and verify')
    assert roots(workflow) == ['audit']
    audit = node(workflow, 'audit')
    launch = node_launch(sliced, audit, {})
    assert (launch.template, launch.playbook, launch.check, launch.diff, launch.slice_count) == ('IPAM - Audit', 'audit.yml', True, True, 3)
    assert links_of(audit) == dict(NO_LINKS, always_nodes=['verify'])
    verify = node(workflow, 'verify')
    assert verify['job_type'] == 'check'   # a prompt Verify IPAM server asks for
    launch = node_launch(sliced, verify, {})
    assert (launch.template, launch.check, launch.slice_count) == ('IPAM - Verify IPAM server', True, 1)


# ---------------------------------------------------------------------------- surveys, schedule
@pytest.mark.parametrize('name, first', [('Provision and verify', 'Provision'), ('Audit and verify', 'Audit')])
def test_workflow_survey_passes_awx_rules_and_answers_every_node(rendered, name, first):
    workflow = workflow_job_template(rendered, name)
    assert workflow['survey_enabled'] is True
    assert spec_errors(workflow['survey_spec']) == []
    # The survey of the template it starts with: same questions, same choices and defaults.
    assert workflow['survey_spec']['spec'] == job_template(rendered, first)['survey_spec']['spec']
    answers = launch_answers(workflow['survey_spec'])
    assert launch_errors(workflow['survey_spec'], answers) == []
    assert answers['ipam_principals'] == PRINCIPALS
    for each in workflow['workflow_nodes']:
        jt = node_template(rendered, each)
        extra_vars = node_launch(rendered, each, answers).extra_vars
        if jt['survey_enabled']:
            assert launch_errors(jt['survey_spec'], extra_vars) == [], each['identifier']
        for variable, value in answers.items():
            assert extra_vars[variable] == value, (each['identifier'], variable)   # workflow answers beat the rest


def test_verify_node_gets_what_ipam_server_yml_needs(rendered):
    """ipam_server.yml takes no survey variable; what the workflow passes must not trip its role's argument spec."""
    with open(os.path.join(REPO, 'roles', 'ipam_server', 'meta', 'argument_specs.yml'), encoding='utf-8') as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    for name in ('Provision and verify', 'Audit and verify'):
        workflow = workflow_job_template(rendered, name)
        extra_vars = node_launch(rendered, node(workflow, 'verify'), launch_answers(workflow['survey_spec'])).extra_vars
        assert {o for o, spec in options.items() if spec.get('required')} <= set(extra_vars)
        assert set(extra_vars) & set(options) == set(), 'the role would read a survey answer as its own option'


def test_the_schedule_runs_audit_and_verify_with_its_answers(rendered):
    schedule = rendered['schedules'][0]
    workflow = workflow_job_template(rendered, 'Audit and verify')
    assert schedule['unified_job_template'] == workflow['name']
    assert schedule['moved_from'] == 'IPAM - Audit'   # an older configuration's schedule there is removed
    assert scheduled_launch_errors(workflow['survey_spec'], schedule['extra_data']) == []
    assert schedule['extra_data']['ipam_principals'] == PRINCIPALS


def test_without_the_verify_template_there_is_no_workflow(awx_collections, tmp_path):
    plain = render(awx_collections, str(tmp_path), {'awx_ipam_principals': PRINCIPALS, 'awx_ipam_server_template': False})
    assert created(plain['workflow_job_templates']) == []
    schedule = plain['schedules'][0]
    assert (schedule['unified_job_template'], schedule['moved_from']) == ('IPAM - Audit', '')
    assert scheduled_launch_errors(job_template(plain, 'Audit')['survey_spec'], schedule['extra_data']) == []
    assert 'Provision and verify' not in job_template(plain, 'Provision')['description']


def test_provision_description_points_at_the_workflow(rendered):
    assert 'launch IPAM - Provision and verify' in job_template(rendered, 'Provision')['description']


# ------------------------------------------------------------------ real awx.awx module options
def option_names(options: t.Mapping[str, t.Any]) -> set[str]:
    return {name for name, spec in options.items() for name in [name, *(spec.get('aliases') or [])]}


def test_awx_tasks_use_only_real_module_options(awx_collections):
    """Every awx.awx task of configure_awx.yml passes options its module documents (awx.awx as installed)."""
    tasks = [task for task in configure_tasks() if any(key.startswith('awx.awx.') for key in task)]
    assert 'awx.awx.workflow_job_template' in {key for task in tasks for key in task}
    for task in tasks:
        module = next(key for key in task if key.startswith('awx.awx.'))
        documented = module_documentation(awx_collections, module.rsplit('.', 1)[1])['options']
        assert set(task[module]) <= option_names(documented), (task['name'], set(task[module]) - option_names(documented))


def test_workflow_nodes_use_only_real_suboptions(awx_collections, rendered):
    suboptions = module_documentation(awx_collections, 'workflow_job_template')['options']['workflow_nodes']['suboptions']
    reference = suboptions['unified_job_template']['suboptions']
    related = suboptions['related']['suboptions']
    for workflow in rendered['workflow_job_templates']:
        for each in workflow['workflow_nodes']:
            assert set(each) <= option_names(suboptions), set(each) - option_names(suboptions)
            assert set(each['unified_job_template']) <= option_names(reference)
            assert set(each.get('related') or {}) <= option_names(related)
            for link in LINK_NAMES & set(each.get('related') or {}):
                assert all(set(child) == {'identifier'} for child in each['related'][link])
            if 'job_type' in each:
                assert each['job_type'] in suboptions['job_type']['choices']


# ------------------------------------------------------------------- AWX's workflow semantics
def chain(link: str) -> list[dict[str, t.Any]]:
    return [{'identifier': 'first', 'related': {link: [{'identifier': 'then'}]}}, {'identifier': 'then'}]


@pytest.mark.parametrize('link, first, then, status', [
    ('success_nodes', SUCCESSFUL, SUCCESSFUL, SUCCESSFUL),
    ('success_nodes', FAILED, DO_NOT_RUN, FAILED),        # no failure handler: the workflow fails
    ('failure_nodes', SUCCESSFUL, DO_NOT_RUN, SUCCESSFUL),
    ('failure_nodes', FAILED, SUCCESSFUL, SUCCESSFUL),    # handled
    ('always_nodes', SUCCESSFUL, SUCCESSFUL, SUCCESSFUL),
    ('always_nodes', FAILED, SUCCESSFUL, SUCCESSFUL),     # handled: the price of "always"
])
def test_links_follow_the_parent_s_outcome(link, first, then, status):
    outcomes = {'first': first, 'then': SUCCESSFUL}
    run = walk(chain(link), lambda n: outcomes[n['identifier']])
    assert run.outcomes == [('first', first), ('then', then)]
    assert run.status == status


def test_a_failed_node_after_the_handler_fails_the_workflow():
    run = walk(chain('always_nodes'), lambda n: FAILED)
    assert run.outcomes == [('first', FAILED), ('then', FAILED)] and run.status == FAILED


def test_children_of_a_node_that_did_not_run_do_not_run():
    nodes = [{'identifier': 'a', 'related': {'success_nodes': [{'identifier': 'b'}]}},
             {'identifier': 'b', 'related': {'always_nodes': [{'identifier': 'c'}]}}, {'identifier': 'c'}]
    run = walk(nodes, lambda n: FAILED)
    assert run.outcomes == [('a', FAILED), ('b', DO_NOT_RUN), ('c', DO_NOT_RUN)] and run.ran() == ['a']


@pytest.mark.parametrize('converge, ran', [(False, ['a', 'b', 'c']), (True, ['a', 'b'])])
def test_all_parents_must_converge(converge, ran):
    nodes = [{'identifier': 'a', 'related': {'success_nodes': [{'identifier': 'c'}]}},
             {'identifier': 'b', 'related': {'success_nodes': [{'identifier': 'c'}]}},
             {'identifier': 'c', 'all_parents_must_converge': converge}]
    outcomes = {'a': SUCCESSFUL, 'b': FAILED, 'c': SUCCESSFUL}
    assert walk(nodes, lambda n: outcomes[n['identifier']]).ran() == ran


def test_a_failed_sliced_provision_still_runs_verify(sliced):
    """The decision of job_templates.yml: Verify marks and verifies whatever the slices did."""
    workflow = workflow_job_template(sliced, 'Provision and verify')
    outcomes = {'provision': FAILED, 'verify': SUCCESSFUL}
    run = walk(workflow['workflow_nodes'], lambda n: outcomes[n['identifier']])
    assert run.ran() == ['provision', 'verify'] and run.status == SUCCESSFUL


@pytest.mark.parametrize('nodes, message', [
    ([{'identifier': 'a', 'related': {'success_nodes': [{'identifier': 'z'}]}}], 'no node of the workflow'),
    ([{'identifier': 'a', 'related': {'always_nodes': [{'identifier': 'b'}]}},
      {'identifier': 'b', 'related': {'always_nodes': [{'identifier': 'a'}]}}], 'cycle'),
    ([{'identifier': 'a'}, {'identifier': 'a'}], 'repeat'),
])
def test_graphs_awx_refuses(nodes, message):
    with pytest.raises(WorkflowRefused, match=message):
        parents_of(nodes)


@pytest.mark.parametrize('identifier, prompt, message', [
    ('provision', {'job_slice_count': 2}, 'does not ask for it'),     # Provision has no ask_job_slice_count_on_launch
    ('provision', {'job_type': 'check'}, 'does not ask for it'),
    ('verify', {'extra_data': {'ipam_start_discovery': True}}, 'has no survey'),
    ('verify', {'unified_job_template': {'type': 'job_template', 'name': 'IPAM - Nothing'}}, 'does not create'),
])
def test_node_prompts_awx_refuses(sliced, identifier, prompt, message):
    workflow = workflow_job_template(sliced, 'Provision and verify')
    with pytest.raises(WorkflowRefused, match=message):
        node_launch(sliced, dict(node(workflow, identifier), **prompt), {})
