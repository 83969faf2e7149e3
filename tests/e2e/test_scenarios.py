# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end-to-end scenarios of the roles issue: the real ansible-playbook on the simulated lab.

Every claim is read back from the simulated hosts (their state files), not only from Ansible's
output. One class per lab, so pytest-xdist (--dist loadscope) runs the labs side by side:

- ``TestFleetLifecycle``: one lab through scenarios 1 -> 2 -> 3 -> 4 -> 5 (provision, provision
  again, drift by hand + audit, deprovision dhcp01, then the de-DE host and the DC pair: drift +
  audit, deprovision dns01 and dc02). Before the first run an administrator has enabled one of the
  DHCP firewall rules by hand; it must survive deprovisioning.
- ``TestUnreachableHost`` (6), ``TestConcurrentChange`` (7): a fresh lab each, with a fault.
- ``TestWinrmTransport`` (8): scenario 1 through the fake WinRM endpoint and the real winrm plugin.
"""
from __future__ import annotations

import copy
import json
import os
import re
import typing as t

import pytest

from ansible_collections.ipam.provisioning.plugins.module_utils import catalog
from e2e.lab_helpers import (  # tests/ is on sys.path (tests/conftest.py)
    DOMAIN,
    DOMAIN_WIDE,
    EVENT_LOG_READERS,
    IPAM_SID,
    MANAGED,
    MICROSOFT_DNS,
    PLAYBOOKS,
    RECORD_KEY,
    Lab,
    Run,
    access_on,
    aces_of,
    granted,
    log_customsd,
    planned_settings,
    winrm_endpoint,
    without_counters,
    without_record,
)
from winsim import Simulator, defaults, handlers  # tests/simulator is on sys.path (tests/conftest.py)
from winsim.context import Context

# The modules' PowerShell runs in pwsh for every run of this file (tests/e2e/conftest.py).
RUN_IN_PWSH = True

pytestmark = pytest.mark.e2e

PROVISION = os.path.join(PLAYBOOKS, 'provision.yml')
AUDIT = os.path.join(PLAYBOOKS, 'audit.yml')
DEPROVISION = os.path.join(PLAYBOOKS, 'deprovision.yml')
DOMAIN_SID = IPAM_SID.rsplit('-', 1)[0]                                # CORP's domain SID
HELPDESK_SID = '%s-%d' % (DOMAIN_SID, defaults.RID_HELPDESK)        # seeded in dhcp01's DHCP Users
ORPHANED_SID = '%s-%d' % (DOMAIN_SID, defaults.RID_ORPHANED)        # a deleted account, also there
IPAM_NAME = 'CORP\\IPAM01$'
# A rule of the DHCP catalog setting that an administrator enabled before provisioning.
HAND_ENABLED_RULE = 'FPS-SMB-In-TCP'
DHCP_ACE = catalog.ace(catalog.SERVICE_READ_RIGHTS, IPAM_SID)
DNS_OBJECT_ACE = catalog.ace(catalog.DNS_OBJECT_READ_RIGHTS, IPAM_SID, catalog.DNS_OBJECT_READ_FLAGS)
GERMAN_EVENT_LOG_READERS = 'Ereignisprotokollleser'
# The report's statuses after a provisioning run that worked.
DONE = {'changed', 'compliant'}
OPT_IN_NOT_ASKED = ('dns01', 'dns_local_administrators')      # not_applicable unless ipam_dns_standalone_admin


def view(lab: Lab) -> dict[str, t.Any]:
    """What the simulator holds at one moment: counters of every simulated host (the IPAM server
    included), states of the managed ones (without counters), the domain, and every state file."""
    return {'counters': {h: lab.sim.counters(h) for h in lab.sim.hosts()}, 'states': lab.states(),
            'domain': lab.sim.domain_state(DOMAIN), 'files': lab.files()}


def writes_between(before: dict[str, t.Any], after: dict[str, t.Any]) -> dict[str, int]:
    """Writes per simulated host between two views; {host: 0, ...} for a run that wrote nothing."""
    return {h: after['counters'][h]['writes'] - before['counters'][h]['writes'] for h in after['counters']}


def no_writes(view_: dict[str, t.Any]) -> dict[str, int]:
    return dict.fromkeys(view_['counters'], 0)


def catalog_entries(report: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The report's entries for the catalog settings of the managed servers (what issue 4 enforces);
    the playbooks may add others, e.g. what the IPAM server itself says about them."""
    return [e for e in report['entries'] if e['setting'] in catalog.SETTINGS_BY_ID]


def drift_of(report: dict[str, t.Any]) -> dict[tuple[str, str], dict[str, t.Any]]:
    return {(e['host'], e['setting']): e for e in report['entries'] if e['status'] == 'drift'}


def html_sections(html: str) -> dict[str, str]:
    """{host: its detail section} of the HTML report."""
    sections = {}
    for chunk in html.split('<details class="host"')[1:]:
        host = re.search(r'<summary>\s*([^<\s]+)', chunk)
        assert host, chunk[:200]
        sections[host.group(1)] = chunk.split('</details>', 1)[0]
    return sections


def assert_back_to_seed(lab: Lab, host: str, state: dict[str, t.Any]) -> None:
    """The host is as seeded (hand changes included) but for the collection's record, which is empty."""
    rest, record = without_record(state)
    assert rest == without_counters(lab.seed[host]), host
    assert all(value in ([], '', None) for value in record.values()), (host, record)
    assert IPAM_SID not in json.dumps(rest), host


def assert_provisioned(host: str, state: dict[str, t.Any], domain: dict[str, t.Any]) -> None:
    access = access_on(host, state, domain)
    assert access and all(access.values()), (host, access)


def statuses_of(run: Run, host: str) -> dict[str, str]:
    return {setting: entry['status'] for setting, entry in run.by_setting(host).items()}


def assert_finished(run: Run, hosts: t.Iterable[str]) -> None:
    for host in hosts:
        recap = run.recap.get(host)
        assert recap and recap['failed'] == 0 and recap['unreachable'] == 0, (host, run.output)


def enable_rule_by_hand(sim: Simulator) -> None:
    with sim.edit('dhcp01') as ctx:
        assert ctx.host['firewall_rules'][HAND_ENABLED_RULE]['enabled'] is False
        ctx.host['firewall_rules'][HAND_ENABLED_RULE]['enabled'] = True


# ============================================================================ scenarios 1-5: one lab
@pytest.fixture(scope='class')
def fleet(tmp_path_factory) -> dict[str, t.Any]:
    """Run the whole sequence once; each step keeps its Run and the simulator's view before/after it."""
    lab = Lab(str(tmp_path_factory.mktemp('scenarios-fleet')), prepare=enable_rule_by_hand)
    done: dict[str, t.Any] = {'lab': lab, 'seeded': view(lab)}
    # 1. Provision (-v: the item lines carry each module's result, e.g. the localized group name).
    done['provision'] = lab.run(PROVISION, '-v')
    done['after_provision'] = view(lab)
    # 2. Provision again.
    done['again'] = lab.run(PROVISION)
    done['after_again'] = view(lab)
    # 3. Someone removes the IPAM ACE from the DHCP Server service by hand; audit.
    with lab.sim.edit('dhcp01') as ctx:
        service = ctx.host['services'][catalog.DHCP_SERVICE]
        done['dhcp_sddl_provisioned'] = service['sddl']
        service['sddl'] = service['sddl'].replace(DHCP_ACE, '')
    done['before_audit'] = view(lab)
    done['audit'] = lab.run(AUDIT)
    done['after_audit'] = view(lab)
    # 4. dhcp01 leaves IPAM.
    done['deprovision_member'] = lab.run(DEPROVISION, '--limit', 'dhcp01')
    done['after_deprovision_member'] = view(lab)
    # 5. The de-DE host and the DC pair: drift by hand on dns01's (German) Event Log Readers and on
    #    the domain's MicrosoftDNS object; audit them; undo the drift by hand; deprovision dns01 and dc02.
    with lab.sim.edit('dns01') as ctx:
        readers = ctx.host['groups'][EVENT_LOG_READERS]
        kept_members, kept_sddl = list(readers['members']), ctx.domain['ad_objects'][MICROSOFT_DNS]['sddl']
        readers['members'] = [m for m in readers['members'] if m != IPAM_SID]
        ctx.domain['ad_objects'][MICROSOFT_DNS]['sddl'] = kept_sddl.replace(DNS_OBJECT_ACE, '')
    done['before_audit_5'] = view(lab)
    done['audit_5'] = lab.run(AUDIT, '--limit', 'dns01,dc01,dc02', '-v')
    done['after_audit_5'] = view(lab)
    with lab.sim.edit('dns01') as ctx:
        ctx.host['groups'][EVENT_LOG_READERS]['members'] = kept_members
        ctx.domain['ad_objects'][MICROSOFT_DNS]['sddl'] = kept_sddl
    done['before_deprovision_5'] = view(lab)
    done['deprovision_5'] = lab.run(DEPROVISION, '--limit', 'dns01,dc02')
    done['after_deprovision_5'] = view(lab)
    return done


class TestFleetLifecycle:
    """Scenarios 1 -> 2 -> 3 -> 4 -> 5 on one lab (the fleet fixture runs them in order)."""

    # ------------------------------------------------------------------------ 1. provision
    def test_scenario_1_provision_reports_every_setting_done(self, fleet):
        run = fleet['provision']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, MANAGED)
        assert set(run.entries) == set(MANAGED)
        states = fleet['after_provision']['states']
        for host in MANAGED:
            entries = run.by_setting(host)
            expected = set(planned_settings(host, states[host])) | ({OPT_IN_NOT_ASKED[1]} if host == OPT_IN_NOT_ASKED[0] else set())
            assert set(entries) == expected, host
            for setting, entry in entries.items():
                wanted = {'not_applicable'} if (host, setting) == OPT_IN_NOT_ASKED else DONE
                assert entry['status'] in wanted and entry['state'] == 'present', (host, entry)
        report = run.report()
        assert report['summary']['failed'] == report['summary']['drift'] == report['summary']['unreachable'] == 0
        ours = catalog_entries(report)
        assert {(e['host'], e['setting']) for e in ours} == {(h, s) for h in MANAGED for s in statuses_of(run, h)}
        assert [(e['host'], e['setting']) for e in ours if e['status'] == 'not_applicable'] == [OPT_IN_NOT_ASKED]

    def test_scenario_1_every_setting_is_read_back_from_the_hosts(self, fleet):
        after = fleet['after_provision']
        states, domain = after['states'], after['domain']
        for host in MANAGED:
            assert_provisioned(host, states[host], domain)
        # The examples of the issue, spelled out.
        assert DHCP_ACE in aces_of(states['dhcp01']['services']['DHCPServer']['sddl'])
        assert IPAM_SID in states['nps01']['groups'][EVENT_LOG_READERS]['members']
        assert {'sid': IPAM_SID, 'right': 'Read', 'type': 'Allow'} in states['dhcp01']['shares']['dhcpaudit']['access']
        for host, setting in (('dhcp01', 'dhcp_firewall'), ('dns01', 'dns_firewall'), ('nps01', 'eventlog_firewall'),
                              ('dc01', 'dhcp_firewall'), ('dc02', 'eventlog_firewall')):
            rules = catalog.SETTINGS_BY_ID[setting]['params']['names']
            assert all(states[host]['firewall_rules'][name]['enabled'] for name in rules), (host, setting)
        assert DNS_OBJECT_ACE in aces_of(domain['ad_objects'][MICROSOFT_DNS]['sddl'])
        assert catalog.ace(catalog.EVENTLOG_READ_RIGHTS, IPAM_SID) in aces_of(log_customsd(states['dns01']))
        # The rule enabled by hand was already compliant: not claimed, not recorded as ours.
        added = fleet['provision'].by_setting('dhcp01')['dhcp_firewall']['changes']['added']
        assert HAND_ENABLED_RULE not in added and added
        assert HAND_ENABLED_RULE not in states['dhcp01']['registry'][RECORD_KEY]['FirewallRulesEnabled']

    # ------------------------------------------------------------------------ 2. provision again
    def test_scenario_2_provision_again_changes_nothing(self, fleet):
        run = fleet['again']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, MANAGED)
        assert set(MANAGED) <= set(run.recap)
        for host, recap in run.recap.items():                            # every host of the run
            assert recap['changed'] == 0, (host, recap)
        for host in MANAGED:
            assert {e['status'] for e in run.entries[host]} <= {'compliant', 'not_applicable'}, host
        assert writes_between(fleet['after_provision'], fleet['after_again']) == no_writes(fleet['after_again'])
        assert fleet['after_again']['states'] == fleet['after_provision']['states']
        assert fleet['after_again']['domain'] == fleet['after_provision']['domain']

    # ------------------------------------------------------------------------ 3. drift by hand, audit
    def test_scenario_3_audit_reports_exactly_the_hand_made_drift(self, fleet):
        assert DHCP_ACE in aces_of(fleet['dhcp_sddl_provisioned'])     # the edit removed something real
        run = fleet['audit']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, MANAGED)
        report = run.report()
        assert report['check_mode'] is True
        drift = drift_of(report)
        assert list(drift) == [('dhcp01', 'dhcp_service_acl')]
        assert drift['dhcp01', 'dhcp_service_acl']['changes'] == {'added': [DHCP_ACE], 'removed': []}
        others = {e['status'] for e in report['entries'] if (e['host'], e['setting']) != ('dhcp01', 'dhcp_service_acl')}
        assert others <= {'compliant', 'not_applicable'}
        assert report['summary']['drift'] == 1
        assert report['summary']['failed'] == report['summary']['unreachable'] == report['summary']['changed'] == 0

    def test_scenario_3_audit_writes_nothing(self, fleet):
        before, after = fleet['before_audit'], fleet['after_audit']
        assert writes_between(before, after) == no_writes(after)
        assert all(after['counters'][h]['round_trips'] > before['counters'][h]['round_trips'] for h in MANAGED)
        assert after['states'] == before['states'] and after['domain'] == before['domain']
        assert not granted('dhcp_service_acl', after['states']['dhcp01'], after['domain'])

    def test_scenario_3_junit_and_html_show_the_one_drift(self, fleet):
        run = fleet['audit']
        junit = run.junit()
        assert (junit.get('failures'), junit.get('errors')) == ('1', '0')
        failures = [(case.get('classname'), case.get('name')) for case in junit.iter('testcase') if case.find('failure') is not None]
        assert len(failures) == 1 and failures[0][0] == 'dhcp01' and 'dhcp_service_acl' in failures[0][1]
        assert [case for case in junit.iter('testcase') if case.find('error') is not None] == []
        sections = html_sections(run.html())
        assert set(sections) == set(MANAGED)
        dhcp01 = sections['dhcp01']
        assert 'dhcp_service_acl' in dhcp01 and DHCP_ACE in dhcp01 and 'pill s-drift' in dhcp01
        assert [h for h, text in sections.items() if 'pill s-drift' in text] == ['dhcp01']

    # ------------------------------------------------------------------------ 4. deprovision a member
    def test_scenario_4_deprovision_member_removes_all_its_ipam_access(self, fleet):
        run = fleet['deprovision_member']
        lab = fleet['lab']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, ['dhcp01'])
        assert set(run.entries) == {'dhcp01'}
        statuses = {s: e['status'] for s, e in run.by_setting('dhcp01').items()}
        # The service ACE was removed by hand (scenario 3): nothing to remove there, but the ownership record still
        # named it, and forgetting that entry is the one write the setting makes.
        assert statuses == {'event_log_readers': 'changed', 'dhcp_users': 'changed', 'dhcp_service_acl': 'changed',
                            'dhcpaudit_share': 'changed', 'dhcp_firewall': 'changed'}
        service_acl = run.by_setting('dhcp01')['dhcp_service_acl']
        assert service_acl['changes'] == {'added': [], 'removed': []}
        assert 'ownership record' in service_acl['msg'] and DHCP_ACE in service_acl['msg']
        dhcp01 = fleet['after_deprovision_member']['states']['dhcp01']
        assert not any(access_on('dhcp01', dhcp01, fleet['after_deprovision_member']['domain']).values())
        assert_back_to_seed(lab, 'dhcp01', dhcp01)

    def test_scenario_4_what_was_there_before_provisioning_stays(self, fleet):
        seeded = fleet['lab'].seed['dhcp01']
        dhcp01 = fleet['after_deprovision_member']['states']['dhcp01']
        rules = catalog.SETTINGS_BY_ID['dhcp_firewall']['params']['names']
        assert dhcp01['firewall_rules'][HAND_ENABLED_RULE]['enabled'] is True        # enabled by hand before
        assert [r for r in rules if dhcp01['firewall_rules'][r]['enabled']] == [HAND_ENABLED_RULE]
        dhcp_users = next(g for g in dhcp01['groups'].values() if g['name'] == 'DHCP Users')
        assert dhcp_users['members'] == [HELPDESK_SID, ORPHANED_SID]
        sddl = dhcp01['services']['DHCPServer']['sddl']
        assert sddl == seeded['services']['DHCPServer']['sddl']
        assert {'SY', 'BA'} <= {ace[1:-1].rsplit(';', 1)[1] for ace in aces_of(sddl)}      # trustees kept
        assert 'dhcpaudit' not in dhcp01['shares']                                  # it was ours: created, then removed

    def test_scenario_4_the_other_hosts_are_untouched(self, fleet):
        before, after = fleet['after_audit']['files'], fleet['after_deprovision_member']['files']
        for name in before:
            if name != 'dhcp01':
                assert after[name] == before[name], name      # byte for byte, counters included: not even contacted

    # ------------------------------------------------------------------------ 5. the de-DE host and the DC pair
    def test_scenario_5_de_de_host_shows_german_names_with_the_same_sids(self, fleet):
        provision, audit = fleet['provision'], fleet['audit_5']
        german = provision.item_results['dns01', 'event_log_readers']['group']
        english = provision.item_results['dhcp01', 'event_log_readers']['group']
        assert german['name'] == GERMAN_EVENT_LOG_READERS and english['name'] == 'Event Log Readers'
        assert german['sid'] == english['sid'] == EVENT_LOG_READERS
        assert [m['sid'] for m in provision.item_results['dns01', 'event_log_readers']['added']] == [IPAM_SID]
        dns01 = fleet['after_provision']['states']['dns01']
        assert dns01['groups'][EVENT_LOG_READERS]['name'] == GERMAN_EVENT_LOG_READERS
        assert IPAM_SID in dns01['groups'][EVENT_LOG_READERS]['members']
        # The audit of the hand-made drift found it by SID, and names the group in German.
        drifted = audit.item_results['dns01', 'event_log_readers']
        assert drifted['group']['name'] == GERMAN_EVENT_LOG_READERS and drifted['changed'] is True
        assert [m['sid'] for m in drifted['added']] == [IPAM_SID]

    def test_scenario_5_domain_wide_settings_are_applied_once_by_the_leader_dc(self, fleet):
        run = fleet['provision']
        dc01, dc02 = run.by_setting('dc01'), run.by_setting('dc02')
        for setting in ('event_log_readers', 'dns_domain_acl'):
            assert dc01[setting]['status'] == 'changed' and dc01[setting]['scope'] == 'domain'
            assert dc02[setting]['status'] == 'compliant' and dc02[setting]['msg'] == 'applied via dc01'
        leaders = {(host, item) for host, item in run.domain_leaders() if host in ('dc01', 'dc02')}
        assert leaders == {('dc01', 'event_log_readers'), ('dc01', 'dhcp_users'), ('dc01', 'dns_domain_acl')}
        # Counters: dc02 leads nothing, so it made the read before the first write (its facts and every
        # host-level setting) and the apply of its host-level changes; none of them wrote a domain-wide object.
        assert not {item for host, item in run.domain_leaders() if host == 'dc02'}
        applied = {(item, status) for host, item, status in run.batch_items if host == 'dc02'}
        # A domain controller's Remote Event Log Management rules are enabled by default: only checked there.
        assert applied == {('dns_eventlog_customsd', 'changed'), ('dns_service_acl', 'changed'), ('dns_firewall', 'changed'),
                           ('eventlog_firewall', 'ok')}
        seeded, after = fleet['seeded']['counters'], fleet['after_provision']['counters']
        # eventlog_firewall shares the Remote Event Log rules with dns_firewall: read again after that apply.
        assert after['dc02']['round_trips'] - seeded['dc02']['round_trips'] == 3
        assert after['dc02']['writes'] > 0 and after['dc01']['writes'] > after['dc02']['writes']
        domain = fleet['after_provision']['domain']
        assert all(granted(s, fleet['after_provision']['states']['dc02'], domain) for s in DOMAIN_WIDE)

    def test_scenario_5_audit_finds_the_de_de_and_domain_drift_once(self, fleet):
        run = fleet['audit_5']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, ('dns01', 'dc01', 'dc02'))
        report = run.report()
        drift = drift_of(report)
        assert set(drift) == {('dns01', 'event_log_readers'), ('dc01', 'dns_domain_acl'), ('dc02', 'dns_domain_acl')}
        assert drift['dns01', 'event_log_readers']['changes'] == {'added': [IPAM_NAME], 'removed': []}
        assert drift['dc01', 'dns_domain_acl']['changes']['added'] == [DNS_OBJECT_ACE]
        assert 'via dc01' in drift['dc02', 'dns_domain_acl']['msg']          # listed once, on the leader
        assert not drift['dc02', 'dns_domain_acl']['changes'].get('added')
        rest = {e['status'] for e in report['entries'] if (e['host'], e['setting']) not in drift}
        assert rest <= {'compliant', 'not_applicable'}
        assert {(h, i) for h, i in run.domain_leaders() if i == 'dns_domain_acl'} == {('dc01', 'dns_domain_acl')}
        assert writes_between(fleet['before_audit_5'], fleet['after_audit_5']) == no_writes(fleet['after_audit_5'])
        assert fleet['after_audit_5']['files']['dhcp01'] == fleet['before_audit_5']['files']['dhcp01']

    def test_scenario_5_deprovisioning_dns01_and_dc02_keeps_domain_wide_settings(self, fleet):
        run, lab = fleet['deprovision_5'], fleet['lab']
        assert run.proc.returncode == 0, run.output
        assert_finished(run, ('dns01', 'dc02'))
        assert set(run.entries) == {'dns01', 'dc02'}
        dc02 = run.by_setting('dc02')
        for setting in ('event_log_readers', 'dns_domain_acl'):
            assert dc02[setting]['status'] == 'not_applicable'
            assert 'dc01' in dc02[setting]['msg'] and 'ipam_remove_domain_wide' in dc02[setting]['msg']
        assert not {item for host, item in run.domain_leaders() if host == 'dc02'}
        before, after = fleet['before_deprovision_5'], fleet['after_deprovision_5']
        for host in ('dns01', 'dc02'):
            state = after['states'][host]
            host_level = [s for s in planned_settings(host, state) if s not in DOMAIN_WIDE]
            assert not any(granted(s, state, after['domain']) for s in host_level), host
            assert_back_to_seed(lab, host, state)
        # The domain keeps what dc01 still needs, byte for byte; dc01 and the others were not contacted.
        for name in set(after['files']) - {'dns01', 'dc02'}:
            assert after['files'][name] == before['files'][name], name
        assert all(granted(s, after['states']['dc01'], after['domain']) for s in DOMAIN_WIDE)
        assert_provisioned('dc01', after['states']['dc01'], after['domain'])


# ============================================================================ 6. one host unreachable
@pytest.fixture(scope='class')
def outage(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('scenarios-unreachable')),
              prepare=lambda sim: sim.set_faults('nps01', {'unreachable': True}))
    run = lab.run(PROVISION)
    return {'lab': lab, 'run': run, 'after': view(lab)}


@pytest.fixture(scope='class')
def ipam_outage(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('scenarios-ipam-unreachable')),
              prepare=lambda sim: sim.set_faults('ipam01', {'unreachable': True}))
    run = lab.run(PROVISION)
    return {'lab': lab, 'run': run, 'after': view(lab)}


class TestUnreachableHost:
    """Scenario 6: nps01 (or the IPAM server) is unreachable (fault) during a provisioning run of the whole fleet."""

    def test_scenario_6_the_other_hosts_finish(self, outage):
        run, lab, after = outage['run'], outage['lab'], outage['after']
        assert run.proc.returncode == 4, run.output                    # 4: some host was unreachable
        assert run.recap['nps01']['unreachable'] == 1 and run.recap['nps01']['failed'] == 0
        others = [h for h in MANAGED if h != 'nps01']
        assert_finished(run, others)
        assert set(run.entries) == set(others)
        for host in others:
            assert_provisioned(host, after['states'][host], after['domain'])
        assert after['counters']['nps01'] == {'round_trips': 0, 'writes': 0}
        assert after['states']['nps01'] == without_counters(lab.seed['nps01'])

    def test_scenario_6_the_report_names_the_unreachable_host(self, outage):
        run = outage['run']
        report = run.report()
        nps01 = [e for e in report['entries'] if e['host'] == 'nps01']
        assert [e['status'] for e in nps01] == ['unreachable']
        assert report['summary']['unreachable'] == 1 and report['summary']['failed'] == 0
        assert {e['status'] for e in report['entries'] if e['host'] != 'nps01'} <= DONE | {'not_applicable'}
        errors = [case.get('classname') for case in run.junit().iter('testcase') if case.find('error') is not None]
        assert errors == ['nps01']
        section = html_sections(run.html())['nps01']
        assert 'unreachable' in section
        assert '1 unreachable' in run.proc.stdout                     # the summary at the end of the run

    def test_scenario_6_an_unreachable_ipam_server_is_reported_too(self, ipam_outage):
        run, after = ipam_outage['run'], ipam_outage['after']
        assert run.recap['ipam01']['unreachable'] == 1
        assert_finished(run, MANAGED)                                     # the managed servers finish
        for host in MANAGED:
            assert_provisioned(host, after['states'][host], after['domain'])
        report = run.report()                                            # and the run still reports
        assert any(e['host'] == 'ipam01' and e['status'] == 'unreachable' for e in report['entries'])


# ============================================================================ 7. a change between read and apply
@pytest.fixture(scope='class')
def race(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('scenarios-race')),
              prepare=lambda sim: sim.set_faults('dhcp01', {'concurrent_change': ['service_acl']}))
    run = lab.run(PROVISION, '--limit', 'dhcp01')
    return {'lab': lab, 'run': run, 'after': view(lab)}


class TestConcurrentChange:
    """Scenario 7: dhcp01's DHCP Server service ACL changes between our read and our apply."""

    def test_scenario_7_the_task_reads_again_and_applies(self, race):
        run = race['run']
        # The apply was refused (nothing written); the task read the ACL again, planned and applied once more.
        assert run.by_setting('dhcp01')['dhcp_service_acl']['status'] == 'changed', run.output
        # Warnings are wrapped at the terminal's width before ansible-core 2.19: compare the words.
        words = ' '.join(run.output.split())
        assert 'ipam.provisioning.service_acl on dhcp01: the object changed between read and apply' in words, run.output
        assert 'so the task read it again and applied the plan made from the new state' in words, run.output
        assert run.proc.returncode == 0, run.output
        assert run.recap['dhcp01']['failed'] == 0
        entry = run.by_setting('dhcp01')['dhcp_service_acl']
        assert entry['status'] == 'changed' and entry['changes']['added'] == [DHCP_ACE], entry

    def test_scenario_7_the_other_writers_change_is_kept_and_ours_is_added_once(self, race):
        lab, after = race['lab'], race['after']
        # What the concurrent change left: the simulator's own change function applied to the seeded host.
        expected = copy.deepcopy(lab.seed['dhcp01'])
        change = handlers.get('ipam.provisioning.service_acl').concurrent_change
        change(Context(expected, copy.deepcopy(lab.seed_domain), module='test', external=True),
               {'name': catalog.DHCP_SERVICE})
        other = expected['services']['DHCPServer']['sddl']
        assert other != lab.seed['dhcp01']['services']['DHCPServer']['sddl']
        sddl = after['states']['dhcp01']['services']['DHCPServer']['sddl']
        assert sddl.count(DHCP_ACE) == 1 and sddl.replace(DHCP_ACE, '') == other
        assert 'concurrent_change' not in after['states']['dhcp01']['faults']        # it fired once

    def test_scenario_7_the_rest_of_the_host_is_correct(self, race):
        run, after = race['run'], race['after']
        access = access_on('dhcp01', after['states']['dhcp01'], after['domain'])
        assert access == {s: True for s in planned_settings('dhcp01', after['states']['dhcp01'])}
        report = run.report()
        statuses = {e['setting']: e['status'] for e in catalog_entries(report) if e['host'] == 'dhcp01'}
        assert statuses == {'event_log_readers': 'changed', 'dhcp_users': 'changed', 'dhcp_service_acl': 'changed',
                            'dhcpaudit_share': 'changed', 'dhcp_firewall': 'changed'}
        assert report['summary']['failed'] == 0


# ============================================================================ 8. scenario 1 over WinRM
@pytest.fixture(scope='class')
def over_winrm(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('scenarios-winrm')))
    # If anything went through the winsim connection plugin instead, it would land here, not in the lab.
    decoy = os.path.join(lab.work, 'decoy-state')
    with winrm_endpoint(lab.state_dir, os.path.join(lab.work, 'endpoint.log')) as endpoint:
        # wrap=False: the extra vars force winrm on every host, the wrapper's localhost copy included.
        run = lab.run(PROVISION, *endpoint.extra_vars(), wrap=False, env={'WINSIM_STATE_DIR': decoy})
    return {'lab': lab, 'run': run, 'after': view(lab), 'decoy': decoy}


class TestWinrmTransport:
    """Scenario 8: scenario 1 through the fake WinRM endpoint, the real winrm plugin and pywinrm."""

    def test_scenario_8_provision_through_winrm_makes_every_setting_compliant(self, over_winrm):
        run, after = over_winrm['run'], over_winrm['after']
        assert_finished(run, MANAGED)
        for host in MANAGED:
            assert after['counters'][host]['round_trips'] > 0, host    # served by the endpoint
            assert_provisioned(host, after['states'][host], after['domain'])
        assert not os.path.exists(os.path.join(over_winrm['decoy'], 'hosts'))

    def test_scenario_8_the_run_succeeds_and_reports_through_winrm(self, over_winrm):
        run = over_winrm['run']
        assert_finished(run, run.recap)                                 # the IPAM server's play included
        assert run.proc.returncode == 0, run.output
        report = run.report()
        for entry in catalog_entries(report):
            wanted = {'not_applicable'} if (entry['host'], entry['setting']) == OPT_IN_NOT_ASKED else DONE
            assert entry['status'] in wanted, entry
        assert {e['host'] for e in catalog_entries(report)} == set(MANAGED)
