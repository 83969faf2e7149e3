# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbooks as AWX runs them: ansible-runner against the simulated lab (awx_job.py).

- Audit (scheduled, check + diff) on a fresh estate reports drift and writes nothing; Provision with
  the survey's answers makes it compliant; a second audit finds nothing. The compliance report is
  among the job's artifacts, and its summary is the job's artifact data (set_stats).
- Job slicing: the inventory split into 2 and 3 slices the way AWX does; every slice finishes, the
  domain-wide settings (groups on the DCs, the MicrosoftDNS ACE) end up exactly once, and a second
  sliced run changes nothing, whether the slices run one after the other or at the same time. Two
  slices writing one domain object at the same instant: the later write is refused, not lost, and
  the next run converges (staged with the simulator's concurrent_change fault).
  After a sliced Provision, the unsliced Verify IPAM server job marks every server Managed.
- Two gaps of the playbooks under slicing, kept as strict xfails until they are fixed: a sliced
  Provision alone leaves the servers of the slices without the IPAM server unmanaged in IPAM, and
  a sliced deprovisioning of one DC removes the domain-wide settings the other DC still needs.
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
from awx_job import LAB_INVENTORY, awx_inventory, lab_inventory, run_job, run_sliced, slice_hosts  # noqa: E402
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
COLLISION = 'changed between read and apply; nothing was written'
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


def is_collision(entry: t.Mapping[str, t.Any]) -> bool:
    """Two slices' DCs wrote the same domain object at once: the later one's compare-and-swap refused to write.

    Not a lost update: the object holds what both wanted, which assert_domain_wide_granted_once and
    the second run (changed=0, all compliant) check.
    """
    return entry['status'] == 'failed' and entry['setting'] in DOMAIN_WIDE and COLLISION in entry['msg']


def ipam_managed(sim: Simulator) -> dict[str, str]:
    """The IPAM server's Manageability status of each managed server (by host name)."""
    servers = (sim.host_state('ipam01').get('ipam') or {}).get('servers') or {}
    return {fqdn.split('.')[0]: server['manageability'] for fqdn, server in servers.items()}


def assert_entry_statuses(entries: t.Iterable[t.Mapping[str, t.Any]], wanted: tuple[str, ...], tolerate_collisions: bool = False) -> None:
    for entry in entries:
        if (entry['host'], entry['setting']) in NOT_APPLICABLE:
            assert entry['status'] == 'not_applicable', entry
        elif tolerate_collisions and is_collision(entry):
            continue  # the other slice's DC wrote it between this one's read and apply; checked by the caller
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
    assert_entry_statuses(entries, ('changed', 'compliant'), tolerate_collisions=first == 'concurrent')
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


def test_a_collision_between_slices_is_refused_and_the_next_run_converges(tmp_path, surveys):
    """Staged: right after dc01 reads Event Log Readers, the group changes (what another slice's DC
    writing it looks like). dc01 writes nothing, its entry says why, and the next run applies it."""
    state, sim = new_lab(str(tmp_path))
    listing = lab_inventory()
    dc01_slice = awx_inventory(listing, slice_hosts(listing['_meta']['hostvars'], 1, 2))
    sim.set_faults('dc01', {'concurrent_change': ['group_membership']})
    job = run_job(str(tmp_path), 'collided', 'provision.yml', dc01_slice, answers(surveys, 'Provision'), state)
    assert_succeeded(job)  # the roles rescue it into the report; the slice finishes
    failed = [e for e in job.report()['entries'] if e['status'] == 'failed']
    assert [(e['host'], e['setting']) for e in failed] == [('dc01', 'event_log_readers')], failed
    assert is_collision(failed[0]), failed[0]
    assert IPAM_SID not in sim.domain_state(DOMAIN)['groups'][EVENT_LOG_READERS]['members']

    sim.set_faults('dc01', {'concurrent_change': None})
    again = run_job(str(tmp_path), 'after-collision', 'provision.yml', dc01_slice, answers(surveys, 'Provision'), state)
    assert_succeeded(again)
    statuses = {(e['host'], e['setting']): e['status'] for e in again.report()['entries']}
    assert statuses[('dc01', 'event_log_readers')] == 'changed'
    assert_entry_statuses(again.report()['entries'], ('changed', 'compliant'))


@pytest.mark.xfail(strict=True, reason=(
    'playbooks: in a sliced Provision the IPAM server play runs only in the slice that holds the IPAM server and '
    'plans only the servers of that slice (groups of the sliced inventory), so the servers of the other slices are '
    'never marked Managed; the AWX guide runs the unsliced Verify IPAM server job after a sliced Provision.'))
def test_sliced_provision_alone_marks_every_server_managed_in_ipam(tmp_path, surveys):
    state, sim = new_lab(str(tmp_path))
    jobs = run_sliced(str(tmp_path), 'sliced', 'provision.yml', lab_inventory(), 2, answers(surveys, 'Provision'), state, concurrent=False)
    for job in jobs:
        assert_succeeded(job)
    assert ipam_managed(sim) == {h: 'Managed' for h in MANAGED}


@pytest.mark.xfail(strict=True, reason=(
    'roles: under job slicing groups[domain_controllers] holds only the slice\'s DCs, so removing IPAM from dc02 '
    '(limit dc02) believes no other DC of the domain stays managed and removes the domain-wide settings dc01 '
    'still needs. The Deprovision job template is therefore never sliced (awx/vars/job_templates.yml).'))
def test_sliced_deprovision_of_one_dc_keeps_the_domain_wide_settings(tmp_path, surveys):
    state, sim = new_lab(str(tmp_path))
    listing = lab_inventory()
    provision = run_job(str(tmp_path), 'provision', 'provision.yml', awx_inventory(listing), answers(surveys, 'Provision'), state)
    assert_succeeded(provision)
    # The slice of a 2-slice job that holds dc02; the other slice has no host matching the limit.
    dc02_slice = slice_hosts(listing['_meta']['hostvars'], 2, 2)
    assert 'dc02' in dc02_slice and 'dc01' not in dc02_slice
    job = run_job(str(tmp_path), 'deprovision-dc02', 'deprovision.yml', awx_inventory(listing, dc02_slice),
                  answers(surveys, 'Deprovision'), state, limit='dc02')
    assert_succeeded(job)
    assert_domain_wide_granted_once(sim)  # dc01 stays managed: the domain keeps IPAM's groups and ACE
