# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles and playbooks end to end: the real ansible-playbook against the simulated lab.

One lab (module scope) goes through provision -> provision again -> audit (by FQCN) ->
deprovision dhcp01 -> deprovision dc02; each test reads one step's play output, the hosts'
ipam_report_entries and the simulator state. Every run is wrapped in a playbook that saves the
entries of every managed host to a JSON file; hosts without the fact (not in the run, or
unreachable) are left out of Run.entries.
"""
from __future__ import annotations

import os
import typing as t

import pytest

from e2e.lab_helpers import (  # tests/ is on sys.path (tests/conftest.py)
    DOMAIN,
    EVENT_LOG_READERS,
    INVENTORY,
    IPAM_SID,
    MANAGED,
    MICROSOFT_DNS,
    PLAYBOOKS,
    RECORD_KEY,
    Lab,
    log_customsd,
    sids_in,
    without_counters,
)

# The modules' PowerShell runs in pwsh for every run of this file (tests/e2e/conftest.py).
RUN_IN_PWSH = True

pytestmark = pytest.mark.e2e


@pytest.fixture(scope='module')
def lab(tmp_path_factory) -> Lab:
    return Lab(str(tmp_path_factory.mktemp('roles-lab')))


@pytest.fixture(scope='module')
def steps(lab: Lab) -> dict[str, t.Any]:
    """Run the whole sequence once; each step keeps its Run and the simulator's view after it."""
    done: dict[str, t.Any] = {}
    done['provision'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'))
    done['after_provision'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['again'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'))
    done['after_again'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['audit'] = lab.run('ipam.provisioning.audit')                 # by FQCN, as users may
    done['after_audit'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['deprovision_member'] = lab.run(os.path.join(PLAYBOOKS, 'deprovision.yml'), '--limit', 'dhcp01')
    done['after_deprovision_member'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['deprovision_dc'] = lab.run(os.path.join(PLAYBOOKS, 'deprovision.yml'), '--limit', 'dc02')
    done['after_deprovision_dc'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    return done


# ---------------------------------------------------------------------------- 1. provision
def test_provision_makes_every_setting_compliant(steps):
    run = steps['provision']
    assert run.proc.returncode == 0, run.output
    assert set(run.entries) == set(MANAGED)
    for host in MANAGED:
        assert run.recap[host]['failed'] == 0 and run.recap[host]['unreachable'] == 0, host
        for entry in run.entries[host]:
            if (host, entry['setting']) == ('dns01', 'dns_local_administrators'):
                assert entry['status'] == 'not_applicable'      # opt-in, not asked for
                assert 'ipam_dns_standalone_admin' in entry['msg']
                continue
            assert entry['status'] in ('changed', 'compliant'), (host, entry)
            assert entry['state'] == 'present' and entry['check_mode'] is False
    assert set(run.by_setting('dc01')) == {
        'event_log_readers', 'dhcp_users', 'dhcp_service_acl', 'dhcpaudit_share', 'dhcp_firewall', 'dns_eventlog_customsd',
        'dns_service_acl', 'dns_domain_acl', 'dns_firewall', 'eventlog_firewall'}
    assert set(run.by_setting('nps01')) == {'event_log_readers', 'eventlog_firewall'}


def test_provision_is_read_back_from_the_simulated_hosts(steps, lab):
    counters, states, domain = steps['after_provision']
    dhcp01, dns01, dc02 = states['dhcp01'], states['dns01'], states['dc02']
    assert sids_in(dhcp01['services']['DHCPServer']['sddl'])
    assert IPAM_SID in dhcp01['groups'][EVENT_LOG_READERS]['members']
    assert any(a['sid'] == IPAM_SID and a['right'] == 'Read' for a in dhcp01['shares']['dhcpaudit']['access'])
    dhcp_users = [g for g in dhcp01['groups'].values() if g['name'] == 'DHCP Users']
    assert IPAM_SID in dhcp_users[0]['members']
    # de-DE member DNS server: the same SIDs and rule Names whatever the display language.
    assert sids_in(dns01['services']['DNS']['sddl'])
    assert '(A;;0x1;;;%s)' % IPAM_SID in log_customsd(dns01)
    assert IPAM_SID in dns01['groups'][EVENT_LOG_READERS]['members']
    assert all(dns01['firewall_rules'][name]['enabled'] for name in ('DNSSrv-RPC-TCP-In', 'RemoteSvcAdmin-NP-In-TCP'))
    assert sids_in(dc02['services']['DNS']['sddl'])
    # Domain-wide objects, written once through dc01.
    assert IPAM_SID in domain['groups'][EVENT_LOG_READERS]['members']
    assert '(A;CI;RPLCRC;;;%s)' % IPAM_SID in domain['ad_objects'][MICROSOFT_DNS]['sddl']
    domain_dhcp_users = [g for g in domain['groups'].values() if g['name'] == 'DHCP Users']
    assert IPAM_SID in domain_dhcp_users[0]['members']
    assert all(nps for nps in (states['nps01']['firewall_rules']['RemoteEventLogSvc-In-TCP']['enabled'],))


def test_domain_wide_settings_are_applied_once_through_the_first_dc(steps):
    run = steps['provision']
    dc02 = run.by_setting('dc02')
    for setting in ('event_log_readers', 'dns_domain_acl'):
        assert dc02[setting]['status'] == 'compliant' and dc02[setting]['msg'] == 'applied via dc01'
        assert dc02[setting]['scope'] == 'domain'
        assert run.by_setting('dc01')[setting]['status'] == 'changed'
    leaders = {(host, item) for host, item in run.domain_leaders() if host in ('dc01', 'dc02')}
    assert leaders == {('dc01', 'event_log_readers'), ('dc01', 'dhcp_users'), ('dc01', 'dns_domain_acl')}
    # dc02 leads nothing: its round trips are the read before the first write (its facts and every
    # host-level setting at once) and the apply of its host-level changes; no domain-wide setting ran there.
    assert not {item for host, item in run.domain_leaders() if host == 'dc02'}
    host_level = {s: e['status'] for s, e in dc02.items() if e['scope'] == 'host' and e['status'] != 'not_applicable'}
    assert set(host_level) == {'dns_eventlog_customsd', 'dns_service_acl', 'dns_firewall', 'eventlog_firewall'}
    assert 'changed' in host_level.values() and set(host_level.values()) <= {'changed', 'compliant'}
    # Three round trips: eventlog_firewall shares the Remote Event Log rules with dns_firewall, so it
    # is read again after dns_firewall enabled them (and finds nothing left to do).
    counters = steps['after_provision'][0]
    assert counters['dc02']['round_trips'] == 3


# ---------------------------------------------------------------------------- 2. provision again
def test_provision_again_changes_nothing(steps):
    run = steps['again']
    assert run.proc.returncode == 0, run.output
    for host in MANAGED:
        assert run.recap[host]['changed'] == 0, (host, run.recap[host])
        assert {e['status'] for e in run.entries[host]} <= {'compliant', 'not_applicable'}, host
    before, after = steps['after_provision'][0], steps['after_again'][0]
    for host in MANAGED:
        assert after[host]['writes'] == before[host]['writes'], host
        # One round trip: the read before the first write, whose replies every setting is planned from,
        # the domain-wide ones a DC leads included; nothing to write.
        assert after[host]['round_trips'] - before[host]['round_trips'] == 1, host


# ---------------------------------------------------------------------------- 3. audit (check mode, FQCN)
def test_audit_by_fqcn_writes_nothing_and_finds_everything_compliant(steps, lab):
    run = steps['audit']
    assert run.proc.returncode == 0, run.output
    before, after = steps['after_again'], steps['after_audit']
    for host in MANAGED:
        assert after[0][host]['writes'] == before[0][host]['writes'], host
        assert all(e['check_mode'] is True for e in run.entries[host])
        assert {e['status'] for e in run.entries[host]} <= {'compliant', 'not_applicable'}, host
    assert after[1] == before[1] and after[2] == before[2]
    report = run.report()
    assert report['check_mode'] is True
    assert report['summary']['drift'] == report['summary']['failed'] == report['summary']['unreachable'] == 0


# ---------------------------------------------------------------------------- 4. deprovision a member
def test_deprovision_member_removes_exactly_what_was_granted(steps, lab):
    run = steps['deprovision_member']
    assert run.proc.returncode == 0, run.output
    assert set(run.entries) == {'dhcp01'}
    assert {e['status'] for e in run.entries['dhcp01']} == {'changed'}
    assert {e['state'] for e in run.entries['dhcp01']} == {'absent'}
    counters, states, domain = steps['after_deprovision_member']
    # Back to the seeded host: prior members (CORP\DHCPADMIN etc.), prior ACEs, firewall rules it did
    # not enable before are disabled again, the share it created is gone. Only the record's key stays:
    # Set-IpamRecord removes a value when its last entry goes (the module, run in pwsh, does exactly that).
    expected = without_counters(lab.seed['dhcp01'])
    expected['registry'] = dict(expected['registry'], **{RECORD_KEY: {}})
    assert states['dhcp01'] == expected


def test_deprovision_member_leaves_the_other_hosts_alone(steps):
    before, after = steps['after_audit'], steps['after_deprovision_member']
    for host in MANAGED:
        if host != 'dhcp01':
            assert after[1][host] == before[1][host], host
            assert after[0][host] == before[0][host], host        # not even contacted
    assert after[2] == before[2]


# ---------------------------------------------------------------------------- 5. deprovision one of two DCs
def test_deprovision_one_dc_keeps_domain_wide_settings(steps):
    run = steps['deprovision_dc']
    assert run.proc.returncode == 0, run.output
    entries = run.by_setting('dc02')
    for setting in ('event_log_readers', 'dns_domain_acl'):
        assert entries[setting]['status'] == 'not_applicable'
        assert 'dc01' in entries[setting]['msg'] and 'ipam_remove_domain_wide' in entries[setting]['msg']
    assert entries['dns_service_acl']['status'] == 'changed'
    before, after = steps['after_deprovision_member'], steps['after_deprovision_dc']
    assert after[2] == before[2]                                  # the domain is untouched
    assert IPAM_SID in after[2]['groups'][EVENT_LOG_READERS]['members']
    assert not sids_in(after[1]['dc02']['services']['DNS']['sddl'])
    assert IPAM_SID not in log_customsd(after[1]['dc02'])
    assert after[1]['dc01'] == before[1]['dc01']
    assert not run.domain_leaders()


# ============================================================================ a harder lab
# dc01 unreachable (dc02 must lead the domain-wide settings), dhcp01 changed behind our back between
# read and apply of its service ACL (the task reads again and applies) and twice in a row for its
# dhcpaudit share (the re-read apply is refused as well: that setting fails), dns01 wrongly in
# dhcp_servers with detection on.
OVERLAY = '''
all:
  hosts:
    dc01:
      winsim_faults: {unreachable: true}
  children:
    dhcp_servers:
      hosts:
        dns01:
'''
NPS_ROLE_PLAY = '''
- name: The NPS server role on its own
  hosts: nps_servers
  gather_facts: false
  roles:
    - role: ipam.provisioning.nps_server
  post_tasks:
    - name: Report
      ipam.provisioning.compliance_report:
        hosts: "{{ ansible_play_hosts_all }}"
        output_dir: "{{ ipam_report_dir }}"
      delegate_to: localhost
      run_once: true
'''


@pytest.fixture(scope='module')
def hard(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('roles-hard')))
    overlay = os.path.join(lab.work, 'overlay.yml')
    with open(overlay, 'w', encoding='utf-8') as handle:
        handle.write(OVERLAY)
    nps_play = os.path.join(lab.work, 'nps_role.yml')
    with open(nps_play, 'w', encoding='utf-8') as handle:
        handle.write(NPS_ROLE_PLAY)
    # An inventory without group_vars/all.yml, where the lab sets ipam_principals.
    bare = os.path.join(lab.work, 'bare')
    os.makedirs(os.path.join(bare, 'group_vars'))
    os.symlink(os.path.join(INVENTORY, 'hosts.yml'), os.path.join(bare, 'hosts.yml'))
    os.symlink(os.path.join(INVENTORY, 'group_vars', 'windows.yml'), os.path.join(bare, 'group_vars', 'windows.yml'))

    done: dict[str, t.Any] = {'lab': lab}
    # Armed once (an inventory's winsim_faults would arm it again on every task's connection): right after
    # dhcp01's services and share are read, another writer changes them, and the share once more after
    # the share is read again.
    lab.sim.set_faults('dhcp01', {'concurrent_change': ['service_acl', 'dhcpaudit_share', 'dhcpaudit_share']})
    done['provision'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), '-e', 'ipam_detect_server_types=true', overlay=overlay)
    done['after_provision'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['remove_domain_wide'] = lab.run(os.path.join(PLAYBOOKS, 'deprovision.yml'), '--limit', 'dc02',
                                         '-e', 'ipam_remove_domain_wide=true')
    done['after_remove_domain_wide'] = (lab.counters(), lab.states(), lab.sim.domain_state(DOMAIN))
    done['nps_role'] = lab.run(nps_play)
    done['after_nps_role'] = lab.counters()
    done['no_principals'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), '--limit', 'nps01', inventory=bare)
    done['after_no_principals'] = lab.counters()
    return done


def test_unreachable_dc_leaves_the_domain_wide_settings_to_the_next_dc(hard):
    run = hard['provision']
    assert run.proc.returncode == 4, run.output                    # some host unreachable, the others finished
    assert run.recap['dc01']['unreachable'] == 1
    assert 'dc01' not in run.entries
    dc02 = run.by_setting('dc02')
    assert dc02['event_log_readers']['status'] == dc02['dns_domain_acl']['status'] == 'changed'
    assert 'dhcp_users' not in dc02                                # dc01's DHCP was never reached
    domain = hard['after_provision'][2]
    assert IPAM_SID in domain['groups'][EVENT_LOG_READERS]['members']
    assert '(A;CI;RPLCRC;;;%s)' % IPAM_SID in domain['ad_objects'][MICROSOFT_DNS]['sddl']
    report = run.report()
    assert report['summary']['unreachable'] == 1
    assert any(e['host'] == 'dc01' and e['status'] == 'unreachable' for e in report['entries'])


def test_a_change_between_read_and_apply_is_read_again_and_applied(hard):
    run = hard['provision']
    entries = run.by_setting('dhcp01')
    statuses = {k: v['status'] for k, v in entries.items()}
    assert statuses.pop('dhcpaudit_share') == 'failed'   # see the next test
    assert statuses == {'event_log_readers': 'changed', 'dhcp_users': 'changed', 'dhcp_service_acl': 'changed',
                        'dhcp_firewall': 'changed'}
    assert 'ipam.provisioning.service_acl on dhcp01: the object changed between read and apply' in run.output
    dhcp01 = hard['after_provision'][1]['dhcp01']
    assert dhcp01['services']['DHCPServer']['sddl'].count(IPAM_SID) == 1   # applied once, after the re-read
    assert 'concurrent_change' not in dhcp01['faults']                               # every writer did write
    assert IPAM_SID in dhcp01['groups'][EVENT_LOG_READERS]['members']


def test_a_setting_that_keeps_changing_under_us_fails_alone_and_the_host_goes_on(hard):
    run = hard['provision']
    share = run.by_setting('dhcp01')['dhcpaudit_share']
    assert share['status'] == 'failed' and 'retried once' in share['msg'], share
    # Rescued into the report, so dhcp01's other settings ran; then, after the report, the host fails
    # for it (ipam_fail_on's default), and so does dns01 for its server-type mismatch.
    assert run.recap['dhcp01']['failed'] == run.recap['dns01']['failed'] == 1, run.recap
    assert ('dhcp01: 1 report row(s) with a status of ipam_fail_on (failed, unreachable): '
            'dhcp01/dhcpaudit_share failed (') in run.output
    assert run.recap['nps01']['failed'] == 0
    # The other writers created the share and granted their account; nothing of ours was written.
    share_access = hard['after_provision'][1]['dhcp01']['shares']['dhcpaudit']['access']
    assert IPAM_SID not in {ace['sid'] for ace in share_access}, share_access
    assert run.report()['summary']['failed'] >= 1


def test_server_type_mismatch_is_reported_not_guessed(hard):
    run = hard['provision']
    assert [(e['setting'], e['status']) for e in run.entries['dns01']] == [('server_types', 'failed')]
    msg = run.entries['dns01'][0]['msg']
    assert 'inventory groups say server type(s) dhcp, dns' in msg and 'host runs dns' in msg
    assert hard['after_provision'][0]['dns01'] == {'round_trips': 1, 'writes': 0}   # the detection read only
    assert {e['status'] for e in run.entries['nps01']} == {'changed'}                # detection agreed there


def test_remove_domain_wide_removes_them_from_the_domain(hard):
    run = hard['remove_domain_wide']
    assert run.proc.returncode == 0, run.output
    entries = run.by_setting('dc02')
    assert entries['event_log_readers']['status'] == entries['dns_domain_acl']['status'] == 'changed'
    domain = hard['after_remove_domain_wide'][2]
    assert IPAM_SID not in domain['groups'][EVENT_LOG_READERS]['members']
    assert IPAM_SID not in domain['ad_objects'][MICROSOFT_DNS]['sddl']
    assert domain['groups'][EVENT_LOG_READERS]['members'] == hard['lab'].seed_domain['groups'][EVENT_LOG_READERS]['members']


def test_a_server_type_role_on_its_own(hard):
    run = hard['nps_role']
    assert run.proc.returncode == 0, run.output
    assert {e['setting']: e['status'] for e in run.entries['nps01']} == {'event_log_readers': 'compliant',
                                                                         'eventlog_firewall': 'compliant'}
    assert run.recap['nps01']['changed'] == 0


def test_missing_principals_fail_clearly_before_any_round_trip(hard):
    run = hard['no_principals']
    assert run.proc.returncode == 2
    assert 'missing required arguments: ipam_principals' in run.output
    assert hard['after_no_principals']['nps01'] == hard['after_nps_role']['nps01']
