# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IPAM server side end to end: the real ansible-playbook against the simulated lab.

One lab (module scope) goes through:
1. provision the fleet with the default variables: the managed servers, then the IPAM server
   marks them managed and verifies; dns01's DNS RPC is Blocked without the opt-in
   ipam_dns_standalone_admin, and that is what IPAM must report;
2. provision dns01 (and the IPAM server) again with the opt-in: Unblocked everywhere;
3. take IPAM01$ out of dhcp01's DHCP Users by hand; an audit (which never asks IPAM to check again)
   shows IPAM's Unblocked as stale, then the IPAM side alone: Blocked for exactly that server and
   access type;
4. bad input (an unknown discovery domain, a server IPAM cannot know, an unreachable VMM server):
   each fails clearly and writes nothing anywhere;
5. VMM integration applied, repeated, removed;
6. a provisioning run whose IPAM server cannot be reached still ends with the report.

The simulated IPAM server computes each server's access status from that server's settings when
its ServerDiscovery task runs (tests/simulator/winsim/ipam_server.py), so what the runs report is
checked against the simulator, not against the role's own idea.
"""
from __future__ import annotations

import json
import os
import re
import typing as t

import pytest

from e2e.lab_helpers import IPAM_SID, MANAGED, PLAYBOOKS, Lab, Run  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True

IPAM_SERVER = 'ipam01'
VMM_SERVER = 'vmm01'
ALL_HOSTS = MANAGED + (IPAM_SERVER, VMM_SERVER)
FQDN = {h: '%s.corp.example.com' % h for h in ALL_HOSTS}
# IPAM server types (ServerRole names, IPAM's order) from the lab's inventory groups.
IPAM_TYPES = {'dc01': ['DC', 'DNS', 'DHCP'], 'dc02': ['DC', 'DNS'], 'dhcp01': ['DHCP'], 'dns01': ['DNS'], 'nps01': ['NPS']}
# The access types each server has (the others are Not applicable and get no report entry).
ACCESS_TYPES = {
    'dc01': ['dhcp_rpc', 'dns_rpc', 'dhcp_audit_share', 'event_log'],
    'dc02': ['dns_rpc', 'event_log'],
    'dhcp01': ['dhcp_rpc', 'dhcp_audit_share', 'event_log'],
    'dns01': ['dns_rpc', 'event_log'],
    'nps01': ['event_log'],
}
LABELS = {'DHCP RPC': 'dhcp_rpc', 'DNS RPC': 'dns_rpc', 'DHCP audit share': 'dhcp_audit_share', 'event log': 'event_log'}
SVC_VMM = 'CORP\\svc-vmm'
SVC_VMM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1106'
REMOTE_MANAGEMENT_USERS = 'S-1-5-32-580'
# Unique enough that finding it anywhere means it leaked.
RUN_AS_PASSWORD = 'Vmm-RunAs-9f3c1e7a-not-in-logs'
FAST = ('-e', 'ipam_verify_delay=0')          # the simulated IPAM refreshes within a few polls
IPAM_PLAYBOOK = 'ipam.provisioning.ipam_server'  # by FQCN, as users may
# One line of the role's summary: "dhcp01 (dhcp01.corp.example.com): Blocked - DHCP RPC Blocked, ...".
SUMMARY_LINE = re.compile(r'^\s*"(?P<host>[\w-]+) \((?P<fqdn>[\w.-]+)\): (?P<overall>Blocked|Unblocked) - (?P<parts>[^"]*)",?$', re.M)


def vmm_vars(work: str, **extra: t.Any) -> tuple[str, str]:
    """-e @file with the VMM integration variables (the password never goes on a command line)."""
    path = os.path.join(work, 'vmm-vars.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(dict({'ipam_vmm_integration': True, 'ipam_vmm_account': SVC_VMM,
                        'ipam_vmm_run_as_password': RUN_AS_PASSWORD}, **extra), handle)
    return ('-e', '@' + path)


def summary(run: Run) -> dict[str, dict[str, str]]:
    """{host: {overall, access type: status}} from the last summary the IPAM server role printed."""
    found: dict[str, dict[str, str]] = {}
    for match in SUMMARY_LINE.finditer(run.proc.stdout):
        parts = {'overall': match['overall']}
        for part in match['parts'].split(', '):
            label, dummy, status = part.partition(' (')[0].rpartition(' ')
            parts[LABELS[label]] = status
        found[match['host']] = parts
    return found


def ipam_entries(run: Run) -> list[dict[str, t.Any]]:
    """The report entries the IPAM server contributed (its view of each managed server)."""
    return [e for e in run.report()['entries'] if e['setting'].startswith('ipam_')]


def access_statuses(run: Run) -> dict[tuple[str, str], str]:
    """{(host, access type): report status} of the IPAM access entries."""
    return {(e['host'], e['access_type']): e['status'] for e in ipam_entries(run) if e['setting'].startswith('ipam_access_')}


def writes(lab: Lab) -> dict[str, int]:
    return {h: lab.sim.counters(h)['writes'] for h in ALL_HOSTS}


def ipam_inventory(lab: Lab) -> dict[str, dict[str, t.Any]]:
    return lab.sim.host_state(IPAM_SERVER)['ipam']['servers']


def local_group(lab: Lab, name: str) -> dict[str, t.Any] | None:
    return next((g for g in lab.sim.host_state(IPAM_SERVER)['groups'].values() if g['name'] == name), None)


def network_service(lab: Lab, name: str = 'IPAM') -> dict[str, t.Any] | None:
    vmm = lab.sim.host_state(VMM_SERVER)['vmm']
    return next((s for s in vmm['network_services'].values() if s['name'] == name), None)


def run_as_account(lab: Lab, name: str = 'IPAM Run As') -> dict[str, t.Any] | None:
    """The Run As account of that name, with its VMM ID under ``id``."""
    vmm = lab.sim.host_state(VMM_SERVER)['vmm']
    return next((dict(a, id=i) for i, a in vmm['run_as_accounts'].items() if a['name'] == name), None)


def assert_no_password(run: Run) -> None:
    assert RUN_AS_PASSWORD not in run.output
    for name in os.listdir(run.report_dir):
        with open(os.path.join(run.report_dir, name), encoding='utf-8') as handle:
            assert RUN_AS_PASSWORD not in handle.read(), name


# ============================================================================ the lab, step by step
@pytest.fixture(scope='module')
def steps(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('ipam-server')))
    done: dict[str, t.Any] = {'lab': lab}
    done['provision'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST)
    done['after_provision'] = (writes(lab), ipam_inventory(lab))

    opt_in = ('-e', 'ipam_dns_standalone_admin=true')
    done['opt_in'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), '--limit', 'dns01:ipam_servers', *opt_in, *FAST)
    done['after_opt_in'] = (writes(lab), ipam_inventory(lab))

    # Someone takes the IPAM server out of dhcp01's DHCP Users; IPAM notices at its next discovery.
    with lab.sim.edit('dhcp01') as ctx:
        dhcp_users = next(g for g in ctx.host['groups'].values() if g['name'] == 'DHCP Users')
        dhcp_users['members'].remove(IPAM_SID)
    done['stale_audit'] = lab.run(os.path.join(PLAYBOOKS, 'audit.yml'), '--limit', 'dhcp01:ipam_servers', *opt_in, *FAST)
    done['blocked'] = lab.run(IPAM_PLAYBOOK, *opt_in, *FAST, '-e', 'ipam_start_discovery=true', wrap=False)
    done['after_blocked'] = writes(lab)
    # The same view, with the run asked to fail on drift (a scheduled audit's choice).
    done['blocked_fails'] = lab.run(IPAM_PLAYBOOK, *opt_in, *FAST, '-e', '{"ipam_fail_on": ["drift"]}', wrap=False)

    before = writes(lab)
    domains = os.path.join(lab.work, 'domains.json')
    with open(domains, 'w', encoding='utf-8') as handle:
        json.dump({'ipam_discovery_domains': [{'name': 'corp.example.com'}, {'name': 'nowhere.example.net'}]}, handle)
    done['unknown_domain'] = (lab.run(IPAM_PLAYBOOK, *opt_in, *FAST, '-e', '@' + domains, wrap=False), before, writes(lab))

    before = writes(lab)
    overlay = os.path.join(lab.work, 'ghost.yml')
    with open(overlay, 'w', encoding='utf-8') as handle:
        handle.write('all:\n  children:\n    dhcp_servers:\n      hosts:\n        ghost01:\n          ipam_domain: corp.example.com\n')
    done['unknown_server'] = (lab.run(IPAM_PLAYBOOK, *opt_in, *FAST, overlay=overlay, wrap=False), before, writes(lab))

    vmm = vmm_vars(lab.work)
    lab.sim.set_faults(VMM_SERVER, {'unreachable': True})
    before = writes(lab)
    done['vmm_unreachable'] = (lab.run(IPAM_PLAYBOOK, *opt_in, *FAST, *vmm, wrap=False), before, writes(lab),
                               local_group(lab, 'VMM Users'))
    lab.sim.set_faults(VMM_SERVER, {'unreachable': None})

    before = writes(lab)
    done['vmm_check'] = (lab.run(IPAM_PLAYBOOK, '--check', *opt_in, *FAST, *vmm, wrap=False), before, writes(lab))
    done['vmm'] = lab.run(IPAM_PLAYBOOK, '-v', *opt_in, *FAST, *vmm, wrap=False)
    done['after_vmm'] = (writes(lab), local_group(lab, 'VMM Users'), network_service(lab), run_as_account(lab),
                         lab.sim.host_state(IPAM_SERVER)['groups'])
    done['vmm_again'] = lab.run(IPAM_PLAYBOOK, '-v', *opt_in, *FAST, *vmm, wrap=False)
    done['after_vmm_again'] = writes(lab)
    done['vmm_removed'] = lab.run(IPAM_PLAYBOOK, '-v', *opt_in, *FAST,
                                  *vmm_vars(lab.work, ipam_vmm_integration_state='absent'), wrap=False)
    done['after_vmm_removed'] = (local_group(lab, 'VMM Users'), network_service(lab), run_as_account(lab),
                                 lab.sim.host_state(IPAM_SERVER)['groups'])

    lab.sim.set_faults(IPAM_SERVER, {'unreachable': True})
    done['ipam_unreachable'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), '--limit', 'nps01:ipam_servers', *FAST)
    lab.sim.set_faults(IPAM_SERVER, {'unreachable': None})
    done['deprovision_without_ipam'] = lab.run(os.path.join(PLAYBOOKS, 'deprovision.yml'), '--limit', 'nps01', *FAST)
    done['ipam_after_deprovision_without_ipam'] = ipam_inventory(lab)
    # With the IPAM server in the limit, nps01 becomes Unmanaged; the next audit must say so.
    lab.run(os.path.join(PLAYBOOKS, 'deprovision.yml'), '--limit', 'nps01:ipam_servers', *FAST)
    done['audit_after_unmanaged'] = lab.run(os.path.join(PLAYBOOKS, 'audit.yml'), '--limit', 'nps01:ipam_servers', *FAST)
    return done


# ---------------------------------------------------------------------------- 1. provision
def test_provision_marks_the_fleet_managed_in_ipam(steps):
    run = steps['provision']
    assert run.proc.returncode == 0, run.output
    assert all(run.recap[h]['failed'] == 0 for h in MANAGED + (IPAM_SERVER,)), run.recap
    servers = steps['after_provision'][1]
    assert set(servers) == {FQDN[h] for h in MANAGED}                 # vmm01 and ipam01 run no IPAM server type
    for host in MANAGED:
        assert servers[FQDN[host]]['manageability'] == 'Managed', host
        assert servers[FQDN[host]]['server_types'] == IPAM_TYPES[host], host
    # IPAM never discovers NPS servers: nps01 is there because the role added it.
    inventory_entry = {e['host']: e for e in ipam_entries(run) if e['setting'] == 'ipam_server_inventory'}
    assert 'server type nps' in inventory_entry['nps01']['changes']['added']
    assert {e['status'] for e in inventory_entry.values()} == {'changed'}


def test_without_the_opt_in_only_dns01_dns_rpc_is_blocked(steps):
    run = steps['provision']
    seen = summary(run)
    assert set(seen) == set(MANAGED)
    assert seen['dns01'] == {'overall': 'Blocked', 'dns_rpc': 'Blocked', 'event_log': 'Unblocked'}
    for host in MANAGED:
        if host != 'dns01':
            assert seen[host] == dict({'overall': 'Unblocked'}, **{a: 'Unblocked' for a in ACCESS_TYPES[host]}), host
    # The simulated IPAM server computed the same from the servers' settings.
    servers = steps['after_provision'][1]
    assert servers[FQDN['dns01']]['access']['dns_rpc'] == 'Blocked'
    assert {servers[FQDN[h]]['access']['ipam'] for h in MANAGED if h != 'dns01'} == {'Unblocked'}
    # In the report it sits next to dns01's own opt-in entry: not applicable, IPAM's status in the message.
    entry = next(e for e in ipam_entries(run) if (e['host'], e['setting']) == ('dns01', 'ipam_access_dns_rpc'))
    assert entry['status'] == 'not_applicable' and entry['ipam_status'] == 'Blocked'
    assert 'ipam_dns_standalone_admin' in entry['msg'] and entry['opt_in'] == 'ipam_dns_standalone_admin'
    own = next(e for e in run.report()['entries'] if (e['host'], e['setting']) == ('dns01', 'dns_local_administrators'))
    assert own['status'] == 'not_applicable'
    # The HTML page says what both are, an opt-in that is off (and IPAM's Blocked), not "n/a".
    dns01 = run.html().split('<details class="host"')[1:]
    dns01 = next(s for s in dns01 if re.search(r'<summary>\s*dns01\b', s))
    assert dns01.count('>opt-in off</span>') == 2 and 'IPAM: Blocked' in dns01 and '>not applicable<' not in dns01
    statuses = access_statuses(run)
    assert set(statuses) == {(h, a) for h in MANAGED for a in ACCESS_TYPES[h]}
    assert {s for k, s in statuses.items() if k != ('dns01', 'dns_rpc')} == {'compliant'}


# ---------------------------------------------------------------------------- 2. with the opt-in
def test_with_the_opt_in_ipam_is_unblocked_everywhere(steps):
    run = steps['opt_in']
    assert run.proc.returncode == 0, run.output
    seen = summary(run)
    assert set(seen) == set(MANAGED)                                  # the IPAM side verifies the whole inventory
    for host in MANAGED:
        assert seen[host] == dict({'overall': 'Unblocked'}, **{a: 'Unblocked' for a in ACCESS_TYPES[host]}), host
    servers = steps['after_opt_in'][1]
    assert {servers[FQDN[h]]['access']['ipam'] for h in MANAGED} == {'Unblocked'}
    # The JSON report: one entry per managed server and access type it has, next to its own settings.
    assert access_statuses(run) == {(h, a): 'compliant' for h in MANAGED for a in ACCESS_TYPES[h]}
    report = run.report()
    assert report['summary']['drift'] == report['summary']['failed'] == report['summary']['unreachable'] == 0
    assert {e['setting'] for e in report['entries'] if e['host'] == 'dns01'} >= {'dns_local_administrators', 'ipam_access_dns_rpc'}
    assert {e['host'] for e in report['entries'] if not e['setting'].startswith('ipam_')} == {'dns01'}   # --limit
    # Only dns01 and the IPAM server were written to.
    before, after = steps['after_provision'][0], steps['after_opt_in'][0]
    assert {h for h in ALL_HOSTS if after[h] != before[h]} == {'dns01', IPAM_SERVER}


# ---------------------------------------------------------------------------- 3. a setting removed by hand
def test_a_setting_removed_by_hand_blocks_exactly_that_access(steps):
    run = steps['blocked']
    assert run.proc.returncode == 0, run.output
    seen = summary(run)
    blocked = {(h, a) for h, parts in seen.items() for a, s in parts.items() if s == 'Blocked' and a != 'overall'}
    assert blocked == {('dhcp01', 'dhcp_rpc')}
    assert seen['dhcp01']['overall'] == 'Blocked'
    statuses = access_statuses(run)
    assert {k for k, s in statuses.items() if s != 'compliant'} == {('dhcp01', 'dhcp_rpc')}
    assert statuses[('dhcp01', 'dhcp_rpc')] == 'drift'
    drift = [e for e in ipam_entries(run) if e['status'] == 'drift']
    assert [(e['host'], e['setting'], e['ipam_status']) for e in drift] == [('dhcp01', 'ipam_access_dhcp_rpc', 'Blocked')]
    assert 'Unblock IPAM Access' in drift[0]['msg']
    # Only the IPAM server was written to (ServerDiscovery started); nothing was put back on dhcp01.
    before, after = steps['after_opt_in'][0], steps['after_blocked']
    assert {h for h in ALL_HOSTS if after[h] != before[h]} == {IPAM_SERVER}


def test_an_audit_marks_ipams_older_view_stale_when_the_host_contradicts_it(steps):
    run = steps['stale_audit']
    entries = {(e['host'], e['setting']): e for e in run.report()['entries']}
    assert entries[('dhcp01', 'dhcp_users')]['status'] == 'drift'
    rpc = entries[('dhcp01', 'ipam_access_dhcp_rpc')]
    # IPAM has not checked since: it still says Unblocked, which the audit shows is no longer true.
    assert rpc['ipam_status'] == 'Unblocked' and rpc['ipam_status_stale'] is True and rpc['status'] == 'drift'
    assert rpc['ipam_checked_at'] and ('stale: IPAM last checked at %s, but dhcp_users is not in place now'
                                       % rpc['ipam_checked_at']) in rpc['msg']
    # The other access types of dhcp01 agree with its settings: not stale, and they say when IPAM checked.
    share = entries[('dhcp01', 'ipam_access_dhcp_audit_share')]
    assert share['status'] == 'compliant' and share['ipam_status_stale'] is False
    assert share['msg'] == 'IPAM reports Unblocked (last checked at %s)' % share['ipam_checked_at']


def test_a_status_ipam_refreshed_after_this_runs_changes_is_not_stale(steps):
    # Provisioning changed every server's settings, then asked IPAM to check again and waited.
    run = steps['provision']
    assert {e['host'] for e in run.report()['entries'] if e['status'] == 'changed'} >= set(MANAGED)
    access = [e for e in ipam_entries(run) if e['setting'].startswith('ipam_access_')]
    assert access and not [e for e in access if e['ipam_status_stale']]


def test_ipam_fail_on_drift_fails_the_ipam_server_for_a_blocked_server(steps):
    run = steps['blocked_fails']
    assert run.proc.returncode == 2, run.output
    assert run.recap[IPAM_SERVER]['failed'] == 1
    # dhcp01 is not in the IPAM server's playbook, so its Blocked row is charged to the IPAM server.
    assert ('%s: 1 report row(s) with a status of ipam_fail_on (drift): dhcp01/ipam_access_dhcp_rpc drift ('
            % IPAM_SERVER) in run.output
    assert steps['blocked'].recap[IPAM_SERVER]['failed'] == 0       # the default does not fail on drift


def test_a_check_mode_preview_of_the_vmm_integration_shows_what_would_be_created(steps):
    run, before, after = steps['vmm_check']
    assert run.proc.returncode == 0, run.output
    assert after == before                                            # a preview writes nothing
    assert "would be added to 'VMM Users', which this run would create" in run.output, run.output
    assert run.recap[IPAM_SERVER]['changed'] > 0 and run.recap[IPAM_SERVER]['failed'] == 0


# ---------------------------------------------------------------------------- 4. bad input
def assert_failed_without_writes(done: tuple[t.Any, ...], *expected: str) -> None:
    run, before, after = done[:3]
    assert run.proc.returncode == 2, run.output
    assert run.recap[IPAM_SERVER]['failed'] == 1
    for text in expected:
        assert text in run.output, text
    assert after == before


def test_unknown_discovery_domain_fails_without_changes(steps):
    assert_failed_without_writes(steps['unknown_domain'],
                                 "the Active Directory domain 'nowhere.example.net' does not exist or cannot be contacted")


def test_unknown_server_fails_without_changes(steps):
    assert_failed_without_writes(steps['unknown_server'], 'ghost01.corp.example.com (dhcp)', 'IPAM adds only NPS servers',
                                 'set ipam_start_discovery: true')
    assert 'ghost01.corp.example.com' not in ipam_inventory(steps['lab'])


def test_unreachable_vmm_server_fails_without_changes(steps):
    assert_failed_without_writes(steps['vmm_unreachable'], 'VMM server(s) vmm01 could not be reached')
    assert steps['vmm_unreachable'][3] is None                        # no VMM Users group on the IPAM server


# ---------------------------------------------------------------------------- 5. VMM integration
def test_vmm_integration_is_applied(steps):
    run = steps['vmm']
    assert run.proc.returncode == 0, run.output
    assert run.recap[IPAM_SERVER]['changed'] > 0
    dummy, group, service, account, groups = steps['after_vmm']
    assert group is not None and SVC_VMM_SID in group['members']
    asm = next(g for g in groups.values() if g['name'] == 'IPAM ASM Administrators')
    assert SVC_VMM_SID in asm['members']
    assert SVC_VMM_SID in groups[REMOTE_MANAGEMENT_USERS]['members']
    assert service is not None and account is not None
    assert service['connection_string'] == FQDN[IPAM_SERVER]
    assert service['model'] == 'Microsoft Windows Server IP Address Management'
    assert service['run_as_account'] == account['id']
    assert_no_password(run)


def test_vmm_integration_repeated_changes_nothing(steps):
    run = steps['vmm_again']
    assert run.proc.returncode == 0, run.output
    assert run.recap[IPAM_SERVER]['changed'] == 0, run.recap
    assert steps['after_vmm_again'] == steps['after_vmm'][0]
    assert_no_password(run)


def test_vmm_integration_is_removed(steps):
    run = steps['vmm_removed']
    assert run.proc.returncode == 0, run.output
    group, service, account, groups = steps['after_vmm_removed']
    assert group is None                                             # created by the collection, so deleted
    asm = next(g for g in groups.values() if g['name'] == 'IPAM ASM Administrators')
    assert SVC_VMM_SID not in asm['members']
    assert SVC_VMM_SID not in groups[REMOTE_MANAGEMENT_USERS]['members']
    assert service is None and account is None
    vmm = steps['lab'].sim.host_state(VMM_SERVER)['vmm']
    assert [s['name'] for s in vmm['network_services'].values()] == ['NC']   # the seeded service stays
    assert_no_password(run)


# ---------------------------------------------------------------------------- 6. IPAM server unreachable
def test_an_unreachable_ipam_server_still_leaves_the_report(steps):
    run = steps['ipam_unreachable']
    assert run.proc.returncode == 4, run.output
    assert run.recap[IPAM_SERVER]['unreachable'] == 1
    assert run.recap['nps01']['failed'] == run.recap['nps01']['unreachable'] == 0
    report = run.report()
    assert {e['host'] for e in report['entries']} == {'nps01', IPAM_SERVER}
    assert not [e for e in report['entries'] if e['setting'].startswith('ipam_')]
    assert {e['status'] for e in report['entries'] if e['host'] == 'nps01'} == {'compliant'}
    # IPAM's checks did not happen, and the report says so: the IPAM server's unreachable row.
    assert [(e['setting'], e['status']) for e in report['entries'] if e['host'] == IPAM_SERVER] == [('*', 'unreachable')]
    assert report['summary']['unreachable'] == 1


def test_a_deprovision_that_leaves_out_the_ipam_server_says_ipam_still_lists_the_server(steps):
    run = steps['deprovision_without_ipam']
    assert run.proc.returncode == 0, run.output
    assert ("IPAM still lists nps01 as Managed: no IPAM server was in this run. Run again with the IPAM server in "
            "the limit (for example --limit 'nps01:ipam_servers') to mark it Unmanaged.") in ' '.join(run.output.split())
    assert steps['ipam_after_deprovision_without_ipam']['nps01.corp.example.com']['manageability'] == 'Managed'


def test_the_audit_after_a_deprovision_says_ipam_lists_the_server_unmanaged(steps):
    run = steps['audit_after_unmanaged']
    entry = {e['host']: e for e in ipam_entries(run) if e['setting'] == 'ipam_server_inventory'}['nps01']
    assert entry['status'] == 'drift'
    assert entry['msg'] == ('IPAM lists nps01.corp.example.com as Unmanaged (nps); a run that is not in check mode '
                            'marks it Managed (nps)'), entry
    assert 'nps01 (nps01.corp.example.com): not checked (IPAM lists nps01.corp.example.com as Unmanaged' in run.output
