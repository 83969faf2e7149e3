# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What can refuse a run is refused before the first write (issue #11, item 4), end to end.

Before, ``ipam_principals: [Everyone]`` still enabled dhcp01's firewall rules (firewall_rules takes
no principal) and the IPAM server marked every server Managed, with exit code 0; an IPv6 inventory
name failed at the IPAM step after dhcp01 had been written to. Now the managed-server roles check
the principals and the inventory name on the controller first: a refused host gets no round trip,
the IPAM server leaves it alone, the report says why, and the run fails.

What only the host can tell is checked in the one read before the first write: a principal that does
not resolve there, a broad principal under a localized name (``Jeder`` is Everyone on dns01, which is
German: before, dns01's firewall rules were enabled before any setting looked at a principal), and a
member server listed as a domain controller (before, its groups were reported "applied via dc01"
while its own groups never got IPAM).
"""
from __future__ import annotations

import os
import typing as t

import pytest

from e2e.lab_helpers import MANAGED, PLAYBOOKS, Lab  # tests/ is on sys.path (tests/conftest.py)

pytestmark = pytest.mark.e2e
RUN_IN_PWSH = True

FAST = ('-e', 'ipam_verify_delay=0')
IPV6_HOST = '2001:db8::10'
# dhcp01, a member server, listed as a domain controller as well.
MEMBER_AS_DC_OVERLAY = "all:\n  children:\n    domain_controllers:\n      hosts:\n        dhcp01:\n"
# A DHCP server named by its IPv6 address, with no ipam_server_fqdn (no winsim_profile: nothing may reach it).
IPV6_OVERLAY = "all:\n  children:\n    dhcp_servers:\n      hosts:\n        '%s':\n          ansible_host: 127.0.0.99\n" % IPV6_HOST


def counters(lab: Lab) -> dict[str, dict[str, int]]:
    return {h: lab.sim.counters(h) for h in MANAGED + ('ipam01',)}


@pytest.fixture(scope='module')
def steps(tmp_path_factory) -> dict[str, t.Any]:
    lab = Lab(str(tmp_path_factory.mktemp('refusals')))
    done: dict[str, t.Any] = {'lab': lab, 'ipam_before': dict(lab.sim.host_state('ipam01').get('ipam', {}).get('servers', {}))}
    done['everyone'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST, '-e', '{"ipam_principals": ["Everyone"]}')
    done['after_everyone'] = counters(lab)
    done['ipam_after_everyone'] = dict(lab.sim.host_state('ipam01').get('ipam', {}).get('servers', {}))
    overlay = os.path.join(lab.work, 'ipv6.yml')
    with open(overlay, 'w', encoding='utf-8') as handle:
        handle.write(IPV6_OVERLAY)
    done['ipv6'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST, overlay=overlay)
    done['ipam_after_ipv6'] = lab.sim.host_state('ipam01').get('ipam', {}).get('servers', {})
    before = counters(lab)
    done['jeder'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST, '-e', '{"ipam_principals": ["Jeder"]}')
    done['after_jeder'] = {h: {k: v - before[h][k] for k, v in c.items()} for h, c in counters(lab).items()}
    member_as_dc = os.path.join(lab.work, 'member_as_dc.yml')
    with open(member_as_dc, 'w', encoding='utf-8') as handle:
        handle.write(MEMBER_AS_DC_OVERLAY)
    before = counters(lab)
    done['member_as_dc'] = lab.run(os.path.join(PLAYBOOKS, 'provision.yml'), *FAST, overlay=member_as_dc)
    done['after_member_as_dc'] = {h: {k: v - before[h][k] for k, v in c.items()} for h, c in counters(lab).items()}
    return done


def test_a_broad_principal_refuses_every_host_with_no_round_trip(steps):
    run = steps['everyone']
    assert run.proc.returncode == 2, run.output
    for host in MANAGED:
        assert run.recap[host]['failed'] == 1, (host, run.recap)
        assert steps['after_everyone'][host] == {'round_trips': 0, 'writes': 0}, host
    assert ("dhcp01: 1 report row(s) with a status of ipam_fail_on (failed, unreachable): dhcp01/preflight failed "
            "(principal 'Everyone' is Everyone (S-1-1-0)") in run.output


def test_the_ipam_server_leaves_refused_servers_alone(steps):
    assert steps['after_everyone']['ipam01']['writes'] == 0, steps['after_everyone']
    assert steps['ipam_after_everyone'] == steps['ipam_before']


def test_the_report_says_why_each_host_was_refused(steps):
    rows = {(e['host'], e['setting']): e for e in steps['everyone'].report()['entries']}
    for host in MANAGED:
        row = rows[(host, 'preflight')]
        assert row['status'] == 'failed' and 'Everyone (S-1-1-0)' in row['msg'] and 'nothing was written' in row['msg']
    assert all(e['status'] != 'unreachable' for e in rows.values())


def test_an_ip_address_as_inventory_name_is_refused_and_the_others_go_on(steps):
    run = steps['ipv6']
    assert run.proc.returncode == 2, run.output
    assert run.recap[IPV6_HOST]['failed'] == 1
    assert "the inventory name '%s' is an IP address, but IPAM knows servers by FQDN" % IPV6_HOST in run.output
    assert all(run.recap[h]['failed'] == 0 for h in MANAGED), run.recap
    servers = steps['ipam_after_ipv6']
    assert 'dhcp01.corp.example.com' in servers and servers['dhcp01.corp.example.com']['manageability'] == 'Managed'
    assert not any(IPV6_HOST in name for name in servers), sorted(servers)


def test_a_localized_broad_name_and_an_unknown_name_are_refused_after_one_read(steps):
    run = steps['jeder']
    assert run.proc.returncode == 2, run.output
    for host in MANAGED:
        assert run.recap[host]['failed'] == 1, (host, run.recap)
        # The read that resolved the principal, and nothing else.
        assert steps['after_jeder'][host] == {'round_trips': 1, 'writes': 0}, (host, steps['after_jeder'])
    rows = {(e['host'], e['setting']): e for e in run.report()['entries']}
    assert "principal 'Jeder' is Everyone (S-1-1-0)" in rows[('dns01', 'preflight')]['msg']
    for host in ('dc01', 'dhcp01', 'nps01'):
        msg = rows[(host, 'preflight')]['msg']
        assert "principal 'Jeder' could not be resolved to a SID on the host" in msg and 'nothing was written' in msg
    # One row per refused host: the root cause is not repeated per setting.
    assert [k for k in rows if k[0] == 'dhcp01'] == [('dhcp01', 'preflight')]
    assert steps['after_jeder']['ipam01']['writes'] == 0


def test_a_member_server_listed_as_a_domain_controller_is_refused_before_any_write(steps):
    run = steps['member_as_dc']
    assert run.proc.returncode == 2, run.output
    assert run.recap['dhcp01']['failed'] == 1, run.recap
    assert steps['after_member_as_dc']['dhcp01'] == {'round_trips': 1, 'writes': 0}, steps['after_member_as_dc']
    assert ("dhcp01 is declared a domain controller (inventory group domain_controllers) but reports domain role 3 "
            "(not a domain controller)") in run.output
    assert all(run.recap[h]['failed'] == 0 for h in MANAGED if h != 'dhcp01'), run.recap
