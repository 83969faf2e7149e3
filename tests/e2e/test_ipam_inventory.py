# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_inventory with the real ansible-inventory and ansible-playbook against the
simulated IPAM server (ipam01) behind the fake WinRM endpoint.

The lab's IPAM server is first set up the way an administrator would, with this collection's own
modules over the winsim connection: discovery domain corp.example.com, ServerDiscovery (dc01, dc02,
dhcp01 and dns01 come in Unspecified), then dc01 and dhcp01 Managed, dns01 Unmanaged and nps01 (never
discovered) added Managed; dc02 stays Unspecified. The plugin then reads that inventory over WinRM
(basic over http, the endpoint's only authentication).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import typing as t

import pytest
import yaml

from e2e.lab_helpers import Lab, WinrmEndpoint, access_on, winrm_endpoint
from winsim import contracts  # tests/simulator is on sys.path (tests/conftest.py)
from winsim import ipam_server as ipam_model

pytestmark = [pytest.mark.e2e, pytest.mark.winrm]
RUN_IN_PWSH = True

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ANSIBLE_INVENTORY = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
IPAM_HOST = 'ipam01'
IPAM_ADDRESS = '127.0.0.16'
CONTRACT = 'ipam_inventory.v1'
DOMAIN = 'corp.example.com'
TYPE_GROUPS = ('dhcp_servers', 'dns_servers', 'domain_controllers', 'nps_servers')


def fqdn(host: str) -> str:
    return '%s.%s' % (host, DOMAIN)


SET_UP_IPAM = '''
- name: IPAM as an administrator leaves it
  hosts: ipam01
  gather_facts: false
  tasks:
    - name: Discover the lab domain
      ipam.provisioning.ipam_discovery_domain:
        name: corp.example.com
    - name: Run ServerDiscovery (adds dc01, dc02, dhcp01, dns01 as Unspecified)
      ipam.provisioning.ipam_server_task:
        tasks: [ServerDiscovery]
    - name: Decide about the servers, and add the NPS server IPAM cannot discover
      ipam.provisioning.ipam_server_inventory:
        servers: "{{ servers }}"
'''


class IpamLab(t.NamedTuple):
    lab: Lab
    endpoint: WinrmEndpoint

    def config(self, **options: t.Any) -> dict[str, t.Any]:
        """An ipam.yml for this lab's IPAM server; the password comes from the environment."""
        return dict({'plugin': 'ipam.provisioning.ipam_inventory', 'server': IPAM_ADDRESS, 'port': self.endpoint.port,
                     'scheme': 'http', 'transport': 'basic', 'username': self.endpoint.user}, **options)

    def write_config(self, config: dict[str, t.Any], name: str = 'ipam.yml') -> str:
        folder = os.path.join(self.lab.work, 'inventory-%d' % len(os.listdir(self.lab.work)))
        os.makedirs(folder)
        path = os.path.join(folder, name)
        with open(path, 'w', encoding='utf-8') as handle:
            yaml.safe_dump(config, handle)
        return path

    def env(self, password: str | None = None) -> dict[str, str]:
        # Without any_unparsed_is_failed a failing source is only a warning and the inventory is empty.
        return dict(os.environ, IPAM_INVENTORY_PASSWORD=password or self.endpoint.password, ANSIBLE_NOCOLOR='1',
                    ANSIBLE_FORCE_COLOR='0', ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1')

    def inventory(self, config: dict[str, t.Any], *args: str, password: str | None = None) -> subprocess.CompletedProcess:
        path = self.write_config(config)
        return subprocess.run([ANSIBLE_INVENTORY, '-i', path, '--list', *args], cwd=os.path.dirname(path),
                              env=self.env(password), capture_output=True, text=True, timeout=120, check=False)

    def round_trips(self) -> int:
        return self.lab.sim.counters(IPAM_HOST)['round_trips']

    def set_up_ipam(self, servers: list[dict[str, t.Any]]) -> None:
        """Discovery, ServerDiscovery, then ipam_server_inventory with servers on ipam01 (winsim connection), as in the console."""
        playbook = os.path.join(self.lab.work, 'set_up_ipam.yml')
        with open(playbook, 'w', encoding='utf-8') as handle:
            handle.write(SET_UP_IPAM)
        run = self.lab.run(playbook, '-e', json.dumps({'servers': servers}), wrap=False)
        assert run.proc.returncode == 0, run.output


def unsafe_free(value: t.Any) -> t.Any:
    """ansible-inventory --list marks what came from the IPAM server as {'__ansible_unsafe': value}."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {k: unsafe_free(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unsafe_free(v) for v in value]
    return value


class Listed(t.NamedTuple):
    data: dict[str, t.Any]

    @classmethod
    def of(cls, proc: subprocess.CompletedProcess) -> Listed:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return cls(unsafe_free(json.loads(proc.stdout)))

    def hosts(self, group: str) -> set[str]:
        """The group's hosts, its children's included."""
        entry = self.data.get(group) or {}
        found = set(entry.get('hosts') or [])
        for child in entry.get('children') or []:
            found |= self.hosts(child)
        return found

    def hostvars(self, host: str) -> dict[str, t.Any]:
        return self.data['_meta']['hostvars'][host]


@pytest.fixture(scope='module')
def ipam_lab(tmp_path_factory) -> t.Iterator[IpamLab]:
    work = str(tmp_path_factory.mktemp('ipam-inventory'))
    lab = Lab(work)
    with winrm_endpoint(lab.state_dir, os.path.join(work, 'endpoint.log')) as endpoint:
        ipam_lab = IpamLab(lab, endpoint)
        ipam_lab.set_up_ipam([
            {'name': fqdn('dc01'), 'manageability': 'managed'},
            {'name': fqdn('dhcp01'), 'manageability': 'managed'},
            {'name': fqdn('dns01'), 'manageability': 'unmanaged'},
            {'name': fqdn('nps01'), 'server_types': ['nps'], 'manageability': 'managed'},
        ])
        yield ipam_lab


def test_groups_hostvars_and_states_come_from_the_ipam_server(ipam_lab):
    before = ipam_lab.round_trips()
    listed = Listed.of(ipam_lab.inventory(ipam_lab.config()))

    assert ipam_lab.round_trips() == before + 1     # one WinRM command on the IPAM server
    assert listed.hosts('dhcp_servers') == {fqdn('dc01'), fqdn('dhcp01')}
    assert listed.hosts('dns_servers') == {fqdn('dc01'), fqdn('dns01')}
    assert listed.hosts('domain_controllers') == {fqdn('dc01')}
    assert listed.hosts('nps_servers') == {fqdn('nps01')}
    assert listed.hosts('ipam_unspecified') == {fqdn('dc02')}
    assert sorted(listed.data['ipam_managed_servers']['children']) == sorted(TYPE_GROUPS)
    states = {host: listed.hostvars(host).get('ipam_state') for host in listed.data['_meta']['hostvars']}
    assert states == {fqdn('dc01'): 'present', fqdn('dhcp01'): 'present', fqdn('nps01'): 'present',
                      fqdn('dns01'): 'absent', fqdn('dc02'): None}
    dc01 = listed.hostvars(fqdn('dc01'))
    assert dc01['ansible_host'] == fqdn('dc01')
    assert dc01['ipam_server_types'] == ['dhcp', 'dns', 'dc'] and dc01['ipam_manageability'] == 'managed'
    assert dc01['ipam_domain'] == DOMAIN and dc01['ipam_ipv4_addresses'] == ['127.0.0.11']
    # Nothing granted yet: IPAM's last ServerDiscovery found every type Blocked.
    assert dc01['ipam_access_status'] == {'overall': 'Blocked', 'dhcp_rpc': 'Blocked', 'dns_rpc': 'Blocked',
                                          'dhcp_audit_share': 'Blocked', 'event_log': 'Blocked'}
    assert listed.hostvars(fqdn('dc02'))['ipam_manageability'] == 'unspecified'
    assert listed.hostvars(fqdn('dns01'))['ipam_access_status']['overall'] == 'Not checked'   # Unmanaged: purged
    assert IPAM_HOST not in json.dumps(listed.data['_meta'])   # the IPAM server is not a managed server


def test_filter_short_names_compose_and_keyed_groups(ipam_lab):
    config = ipam_lab.config(filter="[?contains(server_types, 'dns')]", hostname='short',
                             compose={'ansible_host': 'ipam_ipv4_addresses | first'},
                             keyed_groups=[{'key': 'ipam_manageability', 'prefix': 'ipam'}])
    listed = Listed.of(ipam_lab.inventory(config))

    assert set(listed.data['_meta']['hostvars']) == {'dc01', 'dc02', 'dns01'}
    assert listed.hosts('dns_servers') == {'dc01', 'dns01'} and listed.hosts('dhcp_servers') == {'dc01'}
    assert listed.hosts('ipam_managed') == {'dc01'} and listed.hosts('ipam_unmanaged') == {'dns01'}
    assert listed.hostvars('dns01')['ansible_host'] == '127.0.0.14'


def test_a_cache_hit_connects_to_nothing_until_the_cache_is_flushed(ipam_lab, tmp_path):
    config = ipam_lab.config(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path),
                             cache_timeout=600)
    path = ipam_lab.write_config(config)

    def listed(*args: str) -> Listed:
        return Listed.of(subprocess.run([ANSIBLE_INVENTORY, '-i', path, '--list', *args], env=ipam_lab.env(),
                                        capture_output=True, text=True, timeout=120, check=False))

    before = ipam_lab.round_trips()
    first = listed()
    assert ipam_lab.round_trips() == before + 1 and os.listdir(tmp_path)
    assert listed().data == first.data
    assert ipam_lab.round_trips() == before + 1       # the cache answered
    assert listed('--flush-cache').data == first.data
    assert ipam_lab.round_trips() == before + 2


def test_a_rejected_password_is_a_clear_error_without_the_password(ipam_lab):
    wrong = 'Wr0ng-secret-%d' % os.getpid()
    proc = ipam_lab.inventory(ipam_lab.config(), password=wrong)

    assert proc.returncode != 0
    assert ('ipam.provisioning.ipam_inventory: the IPAM server %s (http://%s:%d/wsman) rejected the credentials (HTTP 401) '
            'as %s over basic' % (IPAM_ADDRESS, IPAM_ADDRESS, ipam_lab.endpoint.port, ipam_lab.endpoint.user)) in proc.stderr
    assert wrong not in proc.stdout + proc.stderr


def test_an_unreachable_ipam_server_is_a_clear_error(ipam_lab):
    ipam_lab.lab.sim.set_faults(IPAM_HOST, {'unreachable': True})   # the endpoint drops the connection
    try:
        proc = ipam_lab.inventory(ipam_lab.config())
    finally:
        ipam_lab.lab.sim.set_faults(IPAM_HOST, {'unreachable': None})
    assert proc.returncode != 0
    assert 'cannot reach the IPAM server %s (http://%s:%d/wsman): the IPAM server is unreachable' % (
        IPAM_ADDRESS, IPAM_ADDRESS, ipam_lab.endpoint.port) in proc.stderr


def test_a_stopped_endpoint_is_a_clear_unreachable_error(ipam_lab):
    # A second endpoint over the same lab, stopped before the inventory runs: nothing listens on its port.
    log = os.path.join(ipam_lab.lab.work, 'stopped-endpoint.log')
    with winrm_endpoint(ipam_lab.lab.state_dir, log) as stopped:
        pass
    config = dict(ipam_lab.config(), port=stopped.port, username=stopped.user)
    proc = ipam_lab.inventory(config, password=stopped.password)

    assert proc.returncode != 0
    assert 'cannot reach the IPAM server %s (http://%s:%d/wsman): the IPAM server is unreachable' % (
        IPAM_ADDRESS, IPAM_ADDRESS, stopped.port) in proc.stderr
    assert 'Connection refused' in proc.stderr
    assert stopped.password not in proc.stdout + proc.stderr


def test_a_server_that_is_not_the_ipam_server_is_a_clear_error(ipam_lab):
    proc = ipam_lab.inventory(dict(ipam_lab.config(), server='127.0.0.13'))     # dhcp01
    assert proc.returncode != 0
    assert "the IPAM server 127.0.0.13 has no IPAM Server module (Import-Module IpamServer failed: The specified module " \
           "'IpamServer' was not loaded" in proc.stderr


def test_malformed_replies_are_clear_errors(ipam_lab):
    sim = ipam_lab.lab.sim
    with sim.edit(IPAM_HOST) as ctx:
        contracts.set_reply(ctx.host, CONTRACT, 'WARNING: profile loaded\r\n{"records": [')
    try:
        not_json = ipam_lab.inventory(ipam_lab.config())
    finally:
        with sim.edit(IPAM_HOST) as ctx:
            contracts.set_reply(ctx.host, CONTRACT, None)
    assert not_json.returncode != 0
    assert 'the reply of the IPAM server %s is not JSON (exit code 0): WARNING: profile loaded' % IPAM_ADDRESS \
        in not_json.stderr

    # A record IPAM should never hold (a server type outside its enum), written into its database directly.
    with sim.edit(IPAM_HOST) as ctx:
        ipam_model.ipam_state(ctx)['servers']['vmm01.corp.example.com'] = ipam_model.new_server([], DOMAIN, 'Managed')
        ipam_model.ipam_state(ctx)['servers']['vmm01.corp.example.com']['server_types'] = ['VMM']
    try:
        bad_record = ipam_lab.inventory(ipam_lab.config())
    finally:
        with sim.edit(IPAM_HOST) as ctx:
            del ipam_model.ipam_state(ctx)['servers']['vmm01.corp.example.com']
    assert bad_record.returncode != 0
    assert "malformed server records in the IPAM reply: record #6 (vmm01.corp.example.com): unknown server type 'VMM'" \
        in bad_record.stderr


def test_the_ipam_console_decides_what_the_next_provision_run_does(ipam_lab):
    """Managed in IPAM -> the next provision run grants; Unmanaged -> the next one revokes; Unspecified -> untouched."""
    lab, endpoint = ipam_lab.lab, ipam_lab.endpoint
    path = ipam_lab.write_config(ipam_lab.config(compose={'ansible_host': 'ipam_ipv4_addresses | first'}))
    hosts = ('dhcp01', 'dns01', 'dc02')

    def provision() -> dict[str, dict[str, int]]:
        before = {h: lab.sim.counters(h) for h in hosts}
        run = lab.run(os.path.join(REPO, 'playbooks', 'provision.yml'), *endpoint.extra_vars(),
                      '-e', json.dumps({'ipam_principals': ['CORP\\IPAM01$']}), '--limit', ','.join(fqdn(h) for h in hosts),
                      inventory=path, wrap=False, env=ipam_lab.env())
        assert run.proc.returncode == 0, run.output
        return {h: {k: lab.sim.counters(h)[k] - before[h][k] for k in before[h]} for h in hosts}

    first = provision()
    dhcp01 = access_on('dhcp01', lab.sim.host_state('dhcp01'), lab.sim.domain_state(DOMAIN))
    assert dhcp01 and all(dhcp01.values()), dhcp01                                  # Managed: granted
    assert first['dhcp01']['writes'] > 0
    assert first['dns01']['writes'] == 0 and first['dns01']['round_trips'] > 0       # Unmanaged: checked, nothing to remove
    assert not any(access_on('dns01', lab.sim.host_state('dns01'), lab.sim.domain_state(DOMAIN)).values())
    assert first['dc02'] == {'round_trips': 0, 'writes': 0}                          # Unspecified: left alone

    ipam_lab.set_up_ipam([{'name': fqdn('dhcp01'), 'manageability': 'unmanaged'}])
    second = provision()
    dhcp01 = access_on('dhcp01', lab.sim.host_state('dhcp01'), lab.sim.domain_state(DOMAIN))
    assert not any(dhcp01.values()), dhcp01                                          # Unmanaged now: revoked
    assert second['dhcp01']['writes'] > 0 and second['dc02'] == {'round_trips': 0, 'writes': 0}
