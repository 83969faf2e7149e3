# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""awx/configure_awx.yml: syntax, and what it would send to AWX (rendered with awx_render_to).

Every survey it defines must pass AWX's survey-spec rules (survey_rules.py), ask only for
variables the playbooks take (role argument specs, or variables a playbook documents) in a type
the roles accept once AWX turned the answer into an extra var, and the schedule must answer the
audit's survey by itself.
"""
from __future__ import annotations

import ast
import glob
import os
import re
import subprocess
import typing as t

import ansible
import pytest
import yaml
from ansible.module_utils.parsing.convert_bool import boolean

from awx_config import BIN, PLAYBOOK, REPO, ansible_env, configure_tasks, job_template, render, run_configure
from survey_rules import answer_errors, choice_list, launch_answers, launch_errors, scheduled_launch_errors, spec_errors

PROJECT = os.path.join(REPO, 'awx', 'project')
# Which collection playbook each job template's wrapper runs.
PLAYBOOK_OF = {'Provision': 'provision', 'Audit': 'audit', 'Deprovision': 'deprovision', 'Verify IPAM server': 'ipam_server'}
RRULE = re.compile(r'^DTSTART(;TZID=[A-Za-z_/+-]+)?:\d{8}T\d{6}Z? RRULE:FREQ=(MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[^; ]+)*$')


def role_options() -> dict[str, dict[str, t.Any]]:
    """Every option of every entry point of every role: {variable: option spec}."""
    options: dict[str, dict[str, t.Any]] = {}
    for path in sorted(glob.glob(os.path.join(REPO, 'roles', '*', 'meta', 'argument_specs.yml'))):
        with open(path, encoding='utf-8') as handle:
            specs = yaml.safe_load(handle)['argument_specs']
        for entry in specs.values():
            for name, spec in (entry.get('options') or {}).items():
                options.setdefault(name, spec)
    return options


def playbook_text(name: str) -> str:
    with open(os.path.join(REPO, 'playbooks', '%s.yml' % name), encoding='utf-8') as handle:
        return handle.read()


def documented_playbook_vars(name: str) -> set[str]:
    """ipam_* variables a playbook's header comment names (ipam_report, ipam_report_dir...)."""
    header = []
    for line in playbook_text(name).splitlines():
        if line.startswith('#'):
            header.append(line)
        elif line.strip() and line.strip() != '---':
            break
    return set(re.findall(r'\bipam_[a-z_]+\b', '\n'.join(header)))


def play_vars(name: str) -> set[str]:
    """Variables the playbook's plays set themselves, as play vars or set_fact (an extra var would override them)."""
    found: set[str] = set()
    for play in yaml.safe_load(playbook_text(name)):
        found.update(play.get('vars') or {})
        for section in ('pre_tasks', 'tasks', 'post_tasks'):
            for task in play.get(section) or []:
                facts = task.get('ansible.builtin.set_fact') or task.get('set_fact') or {}
                found.update(k for k in facts if k != 'cacheable')
    return found


def surveyed(rendered: t.Mapping[str, t.Any]) -> list[dict[str, t.Any]]:
    return [jt for jt in rendered['job_templates'] if jt['survey_enabled']]


# ---------------------------------------------------------------------------------------- syntax
def test_configure_awx_passes_syntax_check(awx_collections):
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '--syntax-check', PLAYBOOK],
                          env=ansible_env(awx_collections), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize('wrapper', sorted(os.path.basename(p) for p in glob.glob(os.path.join(PROJECT, '*.yml'))))
def test_project_wrappers_pass_syntax_check(awx_collections, wrapper):
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '--syntax-check', '-i', 'localhost,',
                           os.path.join(PROJECT, wrapper)],
                          env=ansible_env(awx_collections), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_missing_principals_are_refused_before_contacting_awx(awx_collections, tmp_path):
    proc = run_configure(awx_collections, {'awx_render_to': str(tmp_path / 'out.json')}, cwd=str(tmp_path))
    assert proc.returncode != 0
    assert 'Set awx_ipam_principals' in proc.stdout
    assert not (tmp_path / 'out.json').exists()


# ---------------------------------------------------------------------------------- the templates
def test_the_four_job_templates(rendered):
    names = [jt['name'] for jt in rendered['job_templates']]
    assert names == ['IPAM - Provision', 'IPAM - Audit', 'IPAM - Deprovision', 'IPAM - Verify IPAM server']
    common = rendered['job_template_common']
    assert common['ask_limit_on_launch'] is True           # the limit is asked at launch
    assert common['ask_variables_on_launch'] is False      # only survey answers come in
    assert common['credentials'] == ['IPAM - Windows administrator']


def test_audit_runs_in_check_mode_with_diff_and_is_scheduled_through_its_workflow(rendered):
    audit = job_template(rendered, 'Audit')
    assert audit['job_type'] == 'check' and audit['diff_mode'] is True
    assert audit.get('ask_job_type_on_launch') is False
    assert audit['playbook'] == 'audit.yml'
    # The schedule runs the Audit and verify workflow, whose first node is this template (test_awx_workflows.py).
    assert len(rendered['schedules']) == 1
    schedule = rendered['schedules'][0]
    assert schedule['unified_job_template'] == 'IPAM - Audit and verify' and schedule['enabled'] is True
    assert RRULE.match(schedule['rrule']), schedule['rrule']


def test_schedule_answers_the_survey_by_itself(rendered):
    """A scheduled run has no launch form: AWX applies only defaults that validate (not a multiselect's)."""
    templates = {jt['name']: jt for jt in rendered['job_templates'] + rendered['workflow_job_templates'] if not jt.get('skip')}
    for schedule in rendered['schedules']:
        scheduled = templates[schedule['unified_job_template']]
        assert scheduled_launch_errors(scheduled['survey_spec'], schedule['extra_data']) == [], schedule['name']
        # Without its extra_data, the schedule would fail for want of ipam_principals.
        assert scheduled_launch_errors(scheduled['survey_spec'], {}) == ["'ipam_principals' value missing"]


def test_deprovision_is_never_sliced(rendered, awx_collections, tmp_path):
    assert job_template(rendered, 'Deprovision')['job_slice_count'] == 1
    sliced = render(awx_collections, str(tmp_path), {'awx_ipam_principals': ['CORP\\IPAM01$'], 'awx_job_slice_count': 3})
    assert [jt['job_slice_count'] for jt in sliced['job_templates']] == [3, 3, 1, 1]


def test_job_template_playbooks_are_in_the_project(rendered):
    for suffix, name in PLAYBOOK_OF.items():
        jt = job_template(rendered, suffix)
        path = os.path.join(PROJECT, jt['playbook'])
        assert os.path.isfile(path), jt['playbook']
        with open(path, encoding='utf-8') as handle:
            plays = yaml.safe_load(handle)
        assert [p.get('ansible.builtin.import_playbook') for p in plays] == ['ipam.provisioning.%s' % name]
        assert os.path.isfile(os.path.join(REPO, 'playbooks', '%s.yml' % name)), name
    assert job_template(rendered, 'Verify IPAM server')['survey_enabled'] is False
    # Its job type is asked at launch: the Audit and verify workflow runs it in check mode.
    assert job_template(rendered, 'Verify IPAM server')['ask_job_type_on_launch'] is True


# ---------------------------------------------------------------------------------- the surveys
def test_every_survey_passes_awx_survey_rules(rendered):
    specs = surveyed(rendered)
    assert len(specs) == 3
    for jt in specs:
        assert spec_errors(jt['survey_spec']) == [], jt['name']


def test_survey_defaults_are_answers_a_launch_accepts(rendered):
    for jt in surveyed(rendered):
        answers = launch_answers(jt['survey_spec'])
        assert launch_errors(jt['survey_spec'], answers) == [], jt['name']
        assert answers['ipam_principals'] == ['CORP\\IPAM01$', 'CORP\\IPAM02$']


def test_survey_variables_are_what_the_playbooks_take(rendered):
    options = role_options()
    for suffix, name in PLAYBOOK_OF.items():
        if not job_template(rendered, suffix)['survey_enabled']:
            continue
        spec = job_template(rendered, suffix)['survey_spec']
        known = set(options) | documented_playbook_vars(name)
        for question in spec['spec']:
            assert question['variable'] in known, '%s asks for %s, which no role or playbook takes' % (suffix, question['variable'])
            # Survey answers are extra vars: one that the playbook sets itself would change its meaning.
            assert question['variable'] not in play_vars(name), (suffix, question['variable'])
            if question['variable'] in options:
                assert survey_type_problems(question, options[question['variable']]) == [], (suffix, question['variable'])


def survey_type_problems(question: t.Mapping[str, t.Any], option: t.Mapping[str, t.Any]) -> list[str]:
    """Whether the extra var AWX makes of the answer is what the role option accepts."""
    kind, qtype = option.get('type', 'str'), question['type']
    choices = choice_list(question.get('choices'))
    if kind == 'list':
        # Only a multiselect arrives as a list; a text answer would be one string the role refuses.
        return [] if qtype == 'multiselect' else ['%s is a list option, but a %s answer is a string' % (question['variable'], qtype)]
    if kind == 'bool':
        if qtype != 'multiplechoice':
            return ['%s is a bool option: offer it as a multiplechoice of boolean words' % question['variable']]
        try:
            values = {boolean(c, strict=True) for c in choices}
        except TypeError as e:
            return [str(e)]
        return [] if values == {True, False} else ['%s offers only %s' % (question['variable'], values)]
    if kind == 'str':
        if qtype not in ('text', 'textarea', 'multiplechoice'):
            return ['%s is a str option, but %s does not give one string' % (question['variable'], qtype)]
        allowed = option.get('choices')
        if allowed and (qtype != 'multiplechoice' or not set(choices) <= set(allowed)):
            return ['%s accepts only %s; the survey offers %s' % (question['variable'], allowed, choices or 'free text')]
        return []
    if kind == 'int':
        return [] if qtype == 'integer' else ['%s is an int option' % question['variable']]
    return ['%s is a %s option, which a survey cannot give' % (question['variable'], kind)]


def test_type_check_refuses_a_textarea_for_the_principals():
    """The decision the survey encodes: ipam_principals is a list, so a textarea (a string) does not fit."""
    option = role_options()['ipam_principals']
    textarea = {'variable': 'ipam_principals', 'type': 'textarea', 'question_name': 'Principals', 'required': True}
    assert survey_type_problems(textarea, option) == ['ipam_principals is a list option, but a textarea answer is a string']
    # And an answer typed as one line per principal reaches the playbook as a single string.
    assert answer_errors(textarea, {'ipam_principals': 'CORP\\IPAM01$\nCORP\\IPAMUG'}) == []


def test_awx_awx_is_an_optional_dependency():
    with open(os.path.join(REPO, 'galaxy.yml'), encoding='utf-8') as handle:
        galaxy = yaml.safe_load(handle)
    assert 'awx.awx' not in (galaxy.get('dependencies') or {})
    with open(os.path.join(REPO, 'docs', 'docsite', 'rst', 'guide_awx.rst'), encoding='utf-8') as handle:
        assert 'is an **optional** dependency' in handle.read()


# ------------------------------------------------------------------------------ credential types
def credential_types() -> dict[str, dict[str, t.Any]]:
    """The credential types configure_awx.yml defines, by the variable that names them."""
    found = {}
    for task in configure_tasks():
        args = task.get('awx.awx.credential_type')
        if args:
            found[args['name'].strip('{} ')] = args
    return found


def plugin_options(path: str) -> dict[str, t.Any]:
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', '') == 'DOCUMENTATION' for target in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))['options']
    raise AssertionError('no DOCUMENTATION in %s' % path)


def test_kerberos_credential_type_passes_krb5_config_to_kinit():
    injectors = credential_types()['awx_kerberos_credential_type']['injectors']
    assert injectors['env'] == {'KRB5_CONFIG': '{{ tower.filename.krb5_conf }}'}
    assert set(injectors['file']) == {'template.krb5_conf'}
    # The winrm plugin runs kinit with an empty environment unless this option lists the variables.
    assert injectors['extra_vars'] == {'ansible_winrm_kinit_env_vars': ['KRB5_CONFIG']}
    winrm = plugin_options(os.path.join(os.path.dirname(ansible.__file__), 'plugins', 'connection', 'winrm.py'))
    assert {'name': 'ansible_winrm_kinit_env_vars'} in winrm['kinit_env_vars']['vars']


def test_ipam_inventory_credential_type_sets_the_plugin_s_environment():
    plugin = os.path.join(REPO, 'plugins', 'inventory', 'ipam_inventory.py')
    if not os.path.exists(plugin):
        pytest.skip('ipam.provisioning.ipam_inventory is not there yet')
    options = plugin_options(plugin)
    env_of = {e['name']: name for name, option in options.items() for e in option.get('env') or []}
    injected = credential_types()['awx_ipam_inventory_credential_type']['injectors']['env']
    assert {env_of.get(v) for v in injected} == {'server', 'username', 'password'}, injected


# ------------------------------------------------------------------------------ the GPO step's become
def test_a_gpo_become_account_turns_on_become_for_the_gpo_step_only(awx_collections, tmp_path):
    """#13 item 2: the GPO method's step reaches AD from the IPAM server, a second hop NTLM cannot make."""
    (tmp_path / 'plain').mkdir()
    plain = render(awx_collections, str(tmp_path / 'plain'), {'awx_ipam_principals': ['CORP\\IPAM01$']})
    assert 'ipam_gpo_become' not in plain['job_template_common']['extra_vars']
    (tmp_path / 'gpo').mkdir()
    with_become = render(awx_collections, str(tmp_path / 'gpo'), {'awx_ipam_principals': ['CORP\\IPAM01$'],
                                                                  'awx_gpo_become_username': 'CORP\\svc-gpo'})
    common = with_become['job_template_common']
    assert common['extra_vars']['ipam_gpo_become'] is True
    assert common['become_enabled'] is False          # the rest of the job keeps the plain connection
    spec = role_options()['ipam_gpo_become']
    assert spec['type'] == 'bool' and spec['default'] is False


def test_the_machine_credential_carries_the_gpo_become_account_only_when_set():
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template

    task = next(t for t in configure_tasks() if t.get('name') == 'Machine credential for the Windows hosts')
    assert task.get('no_log') is True
    expression = trust_as_template(task['awx.awx.credential']['inputs'])
    base = {'awx_windows_username': 'CORP\\ansible', 'awx_windows_password': 'secret-1'}
    plain = Templar(loader=DataLoader(), variables=dict(base, awx_gpo_become_username='', awx_gpo_become_password='')).template(expression)
    assert dict(plain) == {'username': 'CORP\\ansible', 'password': 'secret-1'}
    gpo = Templar(loader=DataLoader(), variables=dict(base, awx_gpo_become_username='CORP\\svc-gpo',
                                                      awx_gpo_become_password='secret-2')).template(expression)
    assert dict(gpo) == {'username': 'CORP\\ansible', 'password': 'secret-1', 'become_method': 'runas',
                         'become_username': 'CORP\\svc-gpo', 'become_password': 'secret-2'}
