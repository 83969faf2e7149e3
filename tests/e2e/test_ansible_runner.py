# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbooks as AWX runs them: ansible-runner against the simulated lab (awx_job.py).

- Audit (scheduled, check + diff) on a fresh estate reports drift and writes nothing; Provision with
  the survey's answers makes it compliant; a second audit finds nothing. The compliance report is
  among the job's artifacts, and its summary is the job's artifact data (set_stats).
- Job slicing: the inventory split into 2 and 3 slices the way AWX does; every slice finishes, the
  domain-wide settings (groups on the DCs, the MicrosoftDNS ACE) end up exactly once, and a second
  sliced run changes nothing, whether the slices run one after the other or at the same time. Two
  slices writing one domain object at the same instant: the later apply is refused and writes nothing,
  and that task reads, plans and applies once more, so the run converges (staged with the simulator's
  concurrent_change fault).
  After a sliced Provision, the unsliced Verify IPAM server job marks every server Managed.
- The workflows of configure_awx.yml (Provision and verify, Audit and verify) run node by node as AWX
  would, Provision and Audit sliced in 2: the unsliced Verify node after the slices marks every server
  Managed in IPAM, also when a slice failed (its always link), and a second launch changes nothing.
- A sliced deprovisioning of one DC keeps the domain-wide settings the other DC still needs: the
  slice's inventory does not hold dc01, but dc02 lists the domain's DCs from its own directory (and
  keeps them, saying why, when that directory cannot be read).
"""
from __future__ import annotations

import os
import sys
import typing as t

import pytest

from winsim import Simulator  # tests/simulator is on sys.path (tests/conftest.py)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'unit', 'awx'))

from awx_config import AwxCollectionUnavailable, ensure_awx_collection, job_template, render  # noqa: E402
from awx_job import LAB_INVENTORY, awx_inventory, lab_inventory, run_job, run_sliced, run_workflow, slice_hosts  # noqa: E402
from awx_workflow import workflow_job_template  # noqa: E402
from survey_rules import launch_answers, launch_errors  # noqa: E402

pytestmark = pytest.mark.e2e

MANAGED = ('dc01', 'dc02', 'dhcp01', 'dns01', 'nps01')
DOMAIN = 'corp.example.com'
IPAM_PRINCIPAL = 'CORP\\IPAM01$'
IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1205'
EVENT_LOG_READERS = 'S-1-5-32-573'
MICROSOFT_DNS = 'CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com'
DNS_ACE = '(A;CI;RPLCRC;;;%s)' % IPAM_SID
DOMAIN_WIDE = {'event_log_readers', 'dhcp_users', 'dns_domain_acl'}
# Left alone on purpose: local Administrators on a DNS member is opt-in, so IPAM's DNS RPC to it stays Blocked.
NOT_APPLICABLE = {('dns01', 'dns_local_administrators'), ('dns01', 'ipam_access_dns_rpc')}
# Survey answers if awx.awx cannot be had to render the real surveys (PyPI unreachable); with it,
# answers() takes the defaults of the real survey and checks the launch the way AWX does.
FALLBACK_ANSWERS = {'ipam_principals': [IPAM_PRINCIPAL], 'ipam_dhcp_group': 'users', 'ipam_dhcp_restart': 'no'}


@pytest.fixture(scope='module')
def surveys(tmp_path_factory) -> dict[str, dict[str, t.Any]] | None:
    """The survey specs configure_awx.yml would create for the lab's IPAM server, or None without awx.awx."""
    try:
        collections = ensure_awx_collection()
    except AwxCollectionUnavailable:
        return None
    rendered = render(collections, str(tmp_path_factory.mktemp('awx')), {'awx_ipam_principals': [IPAM_PRINCIPAL]})
    return {name: job_template(rendered, name)['survey_spec'] for name in ('Provision', 'Audit', 'Deprovision')}


def answers(surveys: dict[str, dict[str, t.Any]] | None, template: str, **overrides: t.Any) -> dict[str, t.Any]:
    """Survey answers of a launch that keeps the defaults but for overrides, checked as AWX checks them."""
    if surveys is None:
        return dict(FALLBACK_ANSWERS, **overrides)
    spec = surveys[template]
    given = launch_answers(spec, overrides)
    assert launch_errors(spec, given) == [], given
    return given


def new_lab(work: str) -> tuple[str, Simulator]:
    state = os.path.join(work, 'state')
    sim = Simulator(state)
    sim.seed_from_inventory(LAB_INVENTORY)
    return state, sim


def writes(sim: Simulator) -> dict[str, int]:
    return {h: sim.counters(h)['writes'] for h in MANAGED}


def assert_succeeded(job) -> None:
    assert job.status == 'successful' and job.rc == 0, job.explain()
    assert not job.stats.get('failures') and not job.stats.get('dark'), job.explain()


def entries_of(jobs) -> list[dict[str, t.Any]]:
    return [entry for job in jobs for entry in job.report()['entries']]


def assert_domain_wide_granted_once(sim: Simulator) -> None:
    domain = sim.domain_state(DOMAIN)
    assert domain['groups'][EVENT_LOG_READERS]['members'].count(IPAM_SID) == 1
    dhcp_users = [g for g in domain['groups'].values() if g['name'] == 'DHCP Users']
    assert len(dhcp_users) == 1 and dhcp_users[0]['members'].count(IPAM_SID) == 1
    sddl = domain['ad_objects'][MICROSOFT_DNS]['sddl']
    assert sddl.count(DNS_ACE) == 1 and sddl.count(IPAM_SID) == 1, sddl


def ipam_managed(sim: Simulator) -> dict[str, str]:
    """The IPAM server's Manageability status of each managed server (by host name)."""
    servers = (sim.host_state('ipam01').get('ipam') or {}).get('servers') or {}
    return {fqdn.split('.')[0]: server['manageability'] for fqdn, server in servers.items()}


def assert_entry_statuses(entries: t.Iterable[t.Mapping[str, t.Any]], wanted: tuple[str, ...]) -> None:
    # No tolerance for collisions of concurrent slices: a refused apply is read, planned and applied again.
    for entry in entries:
        if (entry['host'], entry['setting']) in NOT_APPLICABLE:
            assert entry['status'] == 'not_applicable', entry
        else:
            assert entry['status'] in wanted, entry


def assert_artifact_data_is_the_report_summary(job) -> None:
    data = job.artifact_data()
    assert set(data) == {'ipam_compliance'}, data
    assert data['ipam_compliance'] == job.report()['summary']


# ----------------------------------------------------------------------------- audit, provision
def test_audit_provision_audit_as_awx_runs_them(tmp_path, surveys):
    state, sim = new_lab(str(tmp_path))
    inventory = awx_inventory(lab_inventory())
    untouched = writes(sim)

    # The scheduled audit on an estate nobody provisioned yet: drift everywhere, nothing written.
    audit = run_job(str(tmp_path), 'audit-before', 'audit.yml', inventory, answers(surveys, 'Audit'), state, check=True, diff=True)
    assert_succeeded(audit)
    summary = audit.report()['summary']
    assert summary['check_mode'] is True and summary['hosts'] == len(MANAGED)
    assert summary['drift'] > 0 and summary['failed'] == 0 and summary['unreachable'] == 0, summary
    assert writes(sim) == untouched
    assert_artifact_data_is_the_report_summary(audit)

    # Provision with the survey answered "restart the DHCP Server service: yes" (the string 'yes').
    provision = run_job(str(tmp_path), 'provision', 'provision.yml', inventory,
                        answers(surveys, 'Provision', ipam_dhcp_restart='yes'), state)
    assert_succeeded(provision)
    report = provision.report()
    assert report['summary']['check_mode'] is False
    assert {e['host'] for e in report['entries']} == set(MANAGED)
    assert_entry_statuses(report['entries'], ('changed', 'compliant'))
    # The playbook's IPAM server play marked every server Managed and IPAM verified its access.
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}
    assert {(e['host'], e['setting']) for e in report['entries']} >= {(h, 'ipam_server_inventory') for h in MANAGED}
    dhcp_users = [e for e in report['entries'] if (e['host'], e['setting']) == ('dhcp01', 'dhcp_users')]
    assert dhcp_users[0]['status'] == 'changed' and 'was restarted' in dhcp_users[0]['msg'], dhcp_users
    for name in ('ipam-compliance.json', 'ipam-compliance.html', 'ipam-compliance.junit.xml'):
        assert os.path.isfile(os.path.join(provision.report_dir, name)), name
    assert provision.report_dir.startswith(provision.artifacts)
    assert os.path.isdir(os.path.join(provision.artifacts, 'job_events'))
    assert_artifact_data_is_the_report_summary(provision)
    assert_domain_wide_granted_once(sim)

    # The next scheduled audit: compliant, no change reported, nothing written.
    provisioned = writes(sim)
    again = run_job(str(tmp_path), 'audit-after', 'audit.yml', inventory, answers(surveys, 'Audit'), state, check=True, diff=True)
    assert_succeeded(again)
    assert again.changed() == {}, again.explain()
    assert_entry_statuses(again.report()['entries'], ('compliant',))
    assert writes(sim) == provisioned
    assert_artifact_data_is_the_report_summary(again)


# --------------------------------------------------------------------------------- job slicing
# AWX orders the inventory's hosts by name and gives slice k (1-based) every n-th host from k-1.
EXPECTED_SLICES = {
    2: [['dc01', 'dhcp01', 'ipam01', 'vmm01'], ['dc02', 'dns01', 'nps01']],
    3: [['dc01', 'dns01', 'vmm01'], ['dc02', 'ipam01'], ['dhcp01', 'nps01']],
}


@pytest.mark.parametrize('slice_count, first, second', [
    (2, 'sequential', 'concurrent'),
    (3, 'concurrent', 'sequential'),
], ids=['2-slices-sequential-then-concurrent', '3-slices-concurrent-then-sequential'])
def test_sliced_provision_converges_and_is_idempotent(tmp_path, surveys, slice_count, first, second):
    state, sim = new_lab(str(tmp_path))
    listing = lab_inventory()
    hostnames = list(listing['_meta']['hostvars'])
    assert [slice_hosts(hostnames, k, slice_count) for k in range(1, slice_count + 1)] == EXPECTED_SLICES[slice_count]
    given = answers(surveys, 'Provision')

    jobs = run_sliced(str(tmp_path), 'first', 'provision.yml', listing, slice_count, given, state, concurrent=first == 'concurrent')
    for job in jobs:
        assert_succeeded(job)
    entries = entries_of(jobs)
    assert {e['host'] for e in entries} == set(MANAGED)
    assert_entry_statuses(entries, ('changed', 'compliant'))
    assert_domain_wide_granted_once(sim)

    provisioned = writes(sim)
    again = run_sliced(str(tmp_path), 'again', 'provision.yml', listing, slice_count, given, state, concurrent=second == 'concurrent')
    for job in again:
        assert_succeeded(job)
        assert job.changed() == {}, job.explain()
    assert_entry_statuses(entries_of(again), ('compliant',))
    assert writes(sim) == provisioned
    assert_domain_wide_granted_once(sim)

    # Each slice's IPAM server play sees only its own slice's servers: the unsliced "Verify IPAM
    # server" job after the sliced Provision (the AWX guide's workflow) makes every one Managed.
    verify = run_job(str(tmp_path), 'verify', 'ipam_server.yml', awx_inventory(listing), {}, state)
    assert_succeeded(verify)
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}
    assert_entry_statuses(verify.report()['entries'], ('changed', 'compliant'))


def setting_results(job, host: str, setting: str) -> list[dict[str, t.Any]]:
    """The results the job's events hold for one catalog setting on one host: a result of access_setting, or
    one of the results of managed_server_access (the read before planning, in check mode, excepted)."""
    results = []
    for event in job.events:
        data = event.get('event_data') or {}
        kinds = ('runner_item_on_ok', 'runner_item_on_failed', 'runner_on_ok', 'runner_on_failed')
        res = data.get('res') if event.get('event') in kinds else None
        if data.get('host') != host or not isinstance(res, dict) or 'facts' in res:
            continue
        for one in ([res] if 'ipam_setting' in res else res.get('results') or []):
            if isinstance(one, dict) and (one.get('ipam_setting') or {}).get('id') == setting:
                results.append(one)
    return results


def test_a_collision_between_slices_is_retried_and_converges_in_the_same_run(tmp_path, surveys):
    """Staged: right after dc01 reads Event Log Readers, the group changes (what another slice's DC
    writing it looks like). The apply is refused and writes nothing; dc01 reads the group again, plans
    against what it finds and applies that: two more round trips, and the setting converges in this run."""
    listing = lab_inventory()
    dc01_slice = awx_inventory(listing, slice_hosts(listing['_meta']['hostvars'], 1, 2))
    # The same slice on an identical lab where nobody else writes: what the round trips are without a collision.
    calm_state, calm = new_lab(str(tmp_path / 'calm'))
    assert_succeeded(run_job(str(tmp_path), 'calm', 'provision.yml', dc01_slice, answers(surveys, 'Provision'), calm_state))

    state, sim = new_lab(str(tmp_path / 'collided'))
    sim.set_faults('dc01', {'concurrent_change': ['group_membership']})
    job = run_job(str(tmp_path), 'collided', 'provision.yml', dc01_slice, answers(surveys, 'Provision'), state)
    assert_succeeded(job)
    assert 'concurrent_change' not in sim.host_state('dc01')['faults']   # the other writer did write
    entries = job.report()['entries']
    assert [e for e in entries if e['status'] == 'failed'] == []
    assert_entry_statuses(entries, ('changed', 'compliant'))
    entry = [e for e in entries if (e['host'], e['setting']) == ('dc01', 'event_log_readers')]
    assert len(entry) == 1 and entry[0]['status'] == 'changed' and entry[0]['scope'] == 'domain', entry
    assert entry[0]['changes'] == {'added': [IPAM_PRINCIPAL], 'removed': []}, entry

    # IPAM once, and the other writer's member kept: nothing lost, nothing doubled.
    members = sim.domain_state(DOMAIN)['groups'][EVENT_LOG_READERS]['members']
    calm_members = calm.domain_state(DOMAIN)['groups'][EVENT_LOG_READERS]['members']
    assert members.count(IPAM_SID) == 1 and calm_members.count(IPAM_SID) == 1
    assert len(set(members) - set(calm_members)) == 1 and set(calm_members) < set(members)
    # The retry: one more read and one more apply; the refused apply wrote nothing.
    assert sim.counters('dc01')['round_trips'] == calm.counters('dc01')['round_trips'] + 2
    assert sim.counters('dc01')['writes'] == calm.counters('dc01')['writes']
    results = setting_results(job, 'dc01', 'event_log_readers')
    assert len(results) == 1 and results[0]['changed'] is True, results
    assert results[0]['retried_after_concurrent_change'] is True, results
    assert 'changed between read and apply (another writer' in job.stdout


def test_sliced_provision_workflow_marks_every_server_managed_in_ipam(tmp_path):
    """The workflows of configure_awx.yml, Provision and Audit sliced in 2, launched as AWX would.

    A slice's IPAM server play knows only its own slice's servers; the unsliced Verify IPAM server
    node after the slices covers every server: read only after the Audit, marking every server
    Managed after the Provision, even when a slice failed (the always link, awx/vars/job_templates.yml).
    """
    configuration = render(ensure_awx_collection(), str(tmp_path), {'awx_ipam_principals': [IPAM_PRINCIPAL], 'awx_job_slice_count': 2})
    provision = workflow_job_template(configuration, 'Provision and verify')
    audit = workflow_job_template(configuration, 'Audit and verify')
    given = launch_answers(provision['survey_spec'])
    assert launch_errors(provision['survey_spec'], given) == [], given
    listing = lab_inventory()
    everywhere = MANAGED + ('ipam01',)
    work = str(tmp_path / 'lab')
    state, sim = new_lab(work)

    # The scheduled audit on a fresh estate: the slices see IPAM's view of their own servers only,
    # the Verify node in check mode sees it for all of them; nothing is written anywhere.
    untouched = {h: sim.counters(h)['writes'] for h in everywhere}
    audited = run_workflow(work, 'audit', configuration, audit, listing, launch_answers(audit['survey_spec']), state)
    assert audited.outcomes == [('audit', 'successful'), ('verify', 'successful')] and audited.status == 'successful', audited.explain()
    assert len(audited.jobs['audit']) == 2
    seen_by_slices = {e['host'] for e in entries_of(audited.jobs['audit']) if e['setting'] == 'ipam_server_inventory'}
    assert seen_by_slices < set(MANAGED), seen_by_slices
    verify_report = audited.jobs['verify'][0].report()
    assert verify_report['summary']['check_mode'] is True
    assert {e['host'] for e in verify_report['entries'] if e['setting'] == 'ipam_server_inventory'} == set(MANAGED)
    assert {h: sim.counters(h)['writes'] for h in everywhere} == untouched
    assert ipam_managed(sim) == {}

    # Provision and verify: every server provisioned and Managed, IPAM's access verified for each,
    # the domain-wide settings granted once.
    first = run_workflow(work, 'first', configuration, provision, listing, given, state)
    assert first.outcomes == [('provision', 'successful'), ('verify', 'successful')] and first.status == 'successful', first.explain()
    assert len(first.jobs['provision']) == 2
    for job in first.all_jobs():
        assert_succeeded(job)
    assert {e['host'] for e in entries_of(first.jobs['provision'])} == set(MANAGED)
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}
    assert_domain_wide_granted_once(sim)
    verified = first.jobs['verify'][0].report()['entries']
    assert {e['host'] for e in verified if e['setting'] == 'ipam_server_inventory'} == set(MANAGED)
    assert_entry_statuses(verified, ('changed', 'compliant'))

    # A second launch changes nothing and writes nothing.
    provisioned = {h: sim.counters(h)['writes'] for h in everywhere}
    again = run_workflow(work, 'again', configuration, provision, listing, given, state)
    assert again.outcomes == [('provision', 'successful'), ('verify', 'successful')] and again.status == 'successful', again.explain()
    for job in again.all_jobs():
        assert_succeeded(job)
        assert job.changed() == {}, job.explain()
    assert_entry_statuses(entries_of(again.all_jobs()), ('compliant',))
    assert {h: sim.counters(h)['writes'] for h in everywhere} == provisioned
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}
    assert_domain_wide_granted_once(sim)

    # Another lab, nps01 unreachable: its slice fails, and the always link still runs Verify, which
    # marks every server Managed; IPAM reports nps01's access Blocked. AWX counts that link as the
    # failure's handler, so the workflow ends successful (the price of "always", job_templates.yml).
    work = str(tmp_path / 'unreachable')
    state, sim = new_lab(work)
    sim.set_faults('nps01', {'unreachable': True})
    hobbled = run_workflow(work, 'unreachable', configuration, provision, listing, given, state)
    assert hobbled.outcomes == [('provision', 'failed'), ('verify', 'successful')], hobbled.explain()
    assert hobbled.status == 'successful'
    assert [job.status for job in hobbled.jobs['provision']] == ['successful', 'failed'], hobbled.explain()
    assert hobbled.jobs['provision'][1].stats.get('dark') == {'nps01': 1}, hobbled.explain()
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}
    nps01_access = [e for e in hobbled.jobs['verify'][0].report()['entries'] if e['host'] == 'nps01' and e['setting'].startswith('ipam_access_')]
    assert nps01_access and all(e['status'] == 'drift' for e in nps01_access), nps01_access


@pytest.mark.parametrize('directory', ['readable', 'unreadable'])
def test_sliced_deprovision_of_one_dc_keeps_the_domain_wide_settings(tmp_path, surveys, directory):
    """dc02's slice does not hold dc01: dc02 learns of it from its own directory, or, when that
    cannot be read, keeps the shared settings rather than guess."""
    state, sim = new_lab(str(tmp_path))
    listing = lab_inventory()
    provision = run_job(str(tmp_path), 'provision', 'provision.yml', awx_inventory(listing), answers(surveys, 'Provision'), state)
    assert_succeeded(provision)
    # The slice of a 2-slice job that holds dc02; the other slice has no host matching the limit.
    dc02_slice = slice_hosts(listing['_meta']['hostvars'], 2, 2)
    assert 'dc02' in dc02_slice and 'dc01' not in dc02_slice
    if directory == 'unreadable':
        sim.set_faults('dc02', {'directory_unreadable': True})
    job = run_job(str(tmp_path), 'deprovision-dc02', 'deprovision.yml', awx_inventory(listing, dc02_slice),
                  answers(surveys, 'Deprovision'), state, limit='dc02')
    assert_succeeded(job)
    assert_domain_wide_granted_once(sim)  # dc01 stays managed: the domain keeps IPAM's groups and ACE
    entries = {e['setting']: e for e in job.report()['entries'] if e['host'] == 'dc02'}
    kept = {setting: e for setting, e in entries.items() if setting in DOMAIN_WIDE}
    assert set(kept) == {'event_log_readers', 'dns_domain_acl'}, kept
    why = 'dc01.corp.example.com' if directory == 'readable' else 'could not be listed from Active Directory'
    for entry in kept.values():
        assert entry['status'] == 'not_applicable' and why in entry['msg'], entry
    # dc02's own settings are removed all the same (its event log rules were on before provisioning: kept).
    own = {setting: e['status'] for setting, e in entries.items() if setting not in DOMAIN_WIDE}
    assert set(own.values()) == {'changed', 'compliant'} and own['dns_service_acl'] == 'changed', own
