# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.ipam_inventory: normalization, filter, grouping, caching, errors, and the
ipam_inventory.v1 script against the simulator's contract model.

The WinRM transport is replaced by FakeSession (monkeypatched over winrm.Session), so every test
counts the sessions the plugin opens and the scripts it runs.
"""
from __future__ import annotations

import base64
import copy
import json
import os
import sys
import typing as t

import pytest
import requests.exceptions
import winrm.exceptions
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import init_plugin_loader, inventory_loader

import ansible_collections.ipam.provisioning as collection_package
from ansible_collections.ipam.provisioning.plugins.plugin_utils import ipam_inventory_transport as transport
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_inventory_records import (
    IpamInventoryError,
    apply_filter,
    normalize_records,
    plan_hosts,
)
from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import NOT_APPLICABLE, NOT_CHECKED
from winsim import Simulator, contracts  # tests/simulator is on sys.path (tests/conftest.py)
from winsim import ipam_server as ipam_model
from winsim.engine import with_address

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PLUGIN = 'ipam.provisioning.ipam_inventory'
PASSWORD = 'Pa55-w0rd!never-shown'
TYPE_GROUPS = ('dhcp_servers', 'dns_servers', 'domain_controllers', 'nps_servers')


def record(name: str, types: t.Any, manageability: str = 'Managed', **extra: t.Any) -> dict[str, t.Any]:
    """A Get-IpamServerInventory object as the contract script prints it."""
    base = {'ServerName': name, 'ServerType': types, 'ManageabilityStatus': manageability,
            'IPAMAccessStatus': 'Unblocked', 'DhcpRpcAccessStatus': 'Not applicable', 'DnsRpcAccessStatus': 'Unblocked',
            'DhcpAuditShareAccessStatus': 'Not applicable', 'EventLogAccessStatus': 'Unblocked',
            'DomainName': 'corp.example.com', 'RecommendedAction': ''}
    base.update(extra)
    return base


LAB_RECORDS = [
    record('dc01.corp.example.com', ['DC', 'DNS', 'DHCP'], IPv4Address=['127.0.0.11']),
    record('dc02.corp.example.com', ['DC', 'DNS'], 'Unspecified', RecommendedAction='Set Manageability Status'),
    record('dhcp01.corp.example.com', ['DHCP'], IPAMAccessStatus='Blocked', DhcpRpcAccessStatus='Blocked'),
    record('dns01.corp.example.com', ['DNS'], 'Unmanaged'),
    record('nps01.corp.example.com', ['NPS']),
]


def reply(records: t.Any) -> bytes:
    return json.dumps({'contract': transport.CONTRACT, 'records': records}).encode()


class FakeResponse:
    def __init__(self, status_code: int, std_out: bytes, std_err: bytes = b'') -> None:
        self.status_code, self.std_out, self.std_err = status_code, std_out, std_err


class FakeSession:
    """Stands in for winrm.Session: records how it was built and what ran; answers from `answer`."""
    created: list[dict[str, t.Any]] = []
    scripts: list[str] = []
    answer: t.Any = FakeResponse(0, b'')   # a FakeResponse, an exception to raise, or a callable(script) -> FakeResponse

    def __init__(self, target: str, auth: tuple[str, str], **kwargs: t.Any) -> None:
        FakeSession.created.append(dict(kwargs, target=target, auth=auth))

    def run_ps(self, script: str) -> FakeResponse:
        FakeSession.scripts.append(script)
        answer = FakeSession.answer
        if isinstance(answer, BaseException):
            _raise(answer)
        return answer(script) if callable(answer) else answer


def _raise(error: BaseException) -> t.NoReturn:
    raise error


@pytest.fixture
def winrm_session(monkeypatch: pytest.MonkeyPatch) -> type[FakeSession]:
    monkeypatch.setattr(transport.winrm, 'Session', FakeSession)
    FakeSession.created, FakeSession.scripts = [], []
    FakeSession.answer = FakeResponse(0, reply(copy.deepcopy(LAB_RECORDS)))
    return FakeSession


@pytest.fixture(scope='module')
def plugin_loader() -> None:
    """The collection loader, so the plugin gets its options from DOCUMENTATION as under ansible-inventory."""
    init_plugin_loader([os.environ['ANSIBLE_COLLECTIONS_PATH']])
    # pytest imported the collection as a plain package (tests/conftest.py) before the collection loader
    # existed; give it the routing metadata the loader reads from meta/runtime.yml (none that matters here).
    if getattr(collection_package, '_collection_meta', None) is None:
        collection_package._collection_meta = {}


class Parsed(t.NamedTuple):
    inventory: InventoryData

    def groups(self) -> dict[str, set[str]]:
        return {name: {h.name for h in group.get_hosts()} for name, group in self.inventory.groups.items()}

    def hostvars(self, host: str) -> dict[str, t.Any]:
        return self.inventory.get_host(host).get_vars()


@pytest.fixture
def parse(plugin_loader: None, tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> t.Callable[..., Parsed]:
    """parse(config dict, cache=True, name='ipam.yml') -> Parsed; the password comes from the environment."""
    monkeypatch.setenv('IPAM_INVENTORY_PASSWORD', PASSWORD)

    def run(config: dict[str, t.Any], cache: bool = True, name: str = 'ipam.yml') -> Parsed:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN}, **config)))
        plugin = inventory_loader.get(PLUGIN)
        assert plugin.verify_file(str(path))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        if plugin.get_option('cache'):
            plugin.update_cache_if_changed()   # what the inventory manager does after parse
        return Parsed(inventory)
    return run


BASE = {'server': 'ipam01.corp.example.com', 'username': 'CORP\\svc-ipam-read'}


# --- normalization ----------------------------------------------------------------------------------
def test_lab_records_normalize_to_collection_names():
    records = normalize_records(copy.deepcopy(LAB_RECORDS))
    assert [r['name'] for r in records] == ['dc01.corp.example.com', 'dc02.corp.example.com', 'dhcp01.corp.example.com',
                                            'dns01.corp.example.com', 'nps01.corp.example.com']
    assert records[0] == {
        'name': 'dc01.corp.example.com', 'server_types': ['dhcp', 'dns', 'dc'], 'manageability': 'managed',
        'access_status': {'overall': 'Unblocked', 'dhcp_rpc': NOT_APPLICABLE, 'dns_rpc': 'Unblocked',
                          'dhcp_audit_share': NOT_APPLICABLE, 'event_log': 'Unblocked'},
        'domain': 'corp.example.com', 'forest': None, 'ipv4_addresses': ['127.0.0.11'], 'ipv6_addresses': [],
        'recommended_action': '', 'owner': None, 'description': None}
    assert [r['manageability'] for r in records] == ['managed', 'unspecified', 'managed', 'unmanaged', 'managed']


def test_other_spellings_of_names_and_enums_are_folded():
    raw = [{
        'name': 'DHCP02.Corp.Example.COM.',             # Name instead of ServerName, upper case, trailing dot
        'servertype': 'DHCP, Dns',                        # a [Flags] enum's ToString
        'Manageability_Status': 'MANAGED',
        'IpamAccessStatus': 'NotChecked',                 # enum name instead of console text
        'DhcpRpcAccessStatus': 'not_applicable',
        'EventLogAccessStatus': None,
        'IPv4Address': {'value': ['10.0.0.5', '10.0.0.6'], 'Count': 2},   # PowerShell 5.1 array wrapper
        'Owner': 'Network team',
    }]
    [normalized] = normalize_records(raw)
    assert normalized['name'] == 'dhcp02.corp.example.com'
    assert normalized['server_types'] == ['dhcp', 'dns']
    assert normalized['manageability'] == 'managed'
    assert normalized['access_status'] == {'overall': NOT_CHECKED, 'dhcp_rpc': NOT_APPLICABLE, 'dns_rpc': NOT_CHECKED,
                                           'dhcp_audit_share': NOT_CHECKED, 'event_log': NOT_CHECKED}
    assert normalized['domain'] == 'corp.example.com'      # from the FQDN when DomainName is missing
    assert normalized['ipv4_addresses'] == ['10.0.0.5', '10.0.0.6']
    assert normalized['owner'] == 'Network team'


def test_the_domain_is_a_dns_name():
    netbios, short = normalize_records([record('a.corp.example.com', ['DNS'], DomainName='CORP'),
                                        record('b', ['DNS'], DomainName=None)])
    assert (netbios['domain'], short['domain']) == ('corp.example.com', None)


def test_an_unknown_access_status_spelling_is_kept_as_given():
    [normalized] = normalize_records([record('a.corp.example.com', ['DNS'], DnsRpcAccessStatus='Partially blocked')])
    assert normalized['access_status']['dns_rpc'] == 'Partially blocked'


def test_records_wrapped_by_powershell_and_an_empty_inventory():
    assert normalize_records({'value': [record('a.corp.example.com', 'NPS')], 'Count': 1})[0]['server_types'] == ['nps']
    assert normalize_records([]) == []


@pytest.mark.parametrize('raw, message', [
    ([{'ServerType': ['DNS'], 'ManageabilityStatus': 'Managed'}], r'record #1 has no ServerName \(properties: '
                                                                  r'ManageabilityStatus, ServerType\)'),
    ([record('a.corp.example.com', ['DNS', 'VMM'])], r"record #1 \(a.corp.example.com\): unknown server type 'VMM'"),
    ([record('a.corp.example.com', [])], r'record #1 \(a.corp.example.com\) has no ServerType'),
    ([record('a.corp.example.com', ['DNS'], 'Retired')], r"unknown ManageabilityStatus 'Retired'"),
    ([record('a.corp.example.com', ['DNS'], '')], r'no ManageabilityStatus'),
    ([record('bad name.corp', ['DNS'])], r"ServerName 'bad name.corp' is not a host name"),
    (['dc01.corp.example.com'], r'record #1 is str, not an object'),
    ([record('a.corp.example.com', ['DNS']), record('A.corp.example.com', ['DHCP'])],
     r'record #2: a.corp.example.com is listed twice \(also record #1\)'),
    ({'servers': []}, 'the IPAM reply has no list of server records'),
])
def test_malformed_records_fail_naming_the_record_and_problem(raw, message):
    with pytest.raises(IpamInventoryError, match='malformed server records|no list of server records') as caught:
        normalize_records(raw)
    assert caught.match(message)


def test_many_problems_are_summarized():
    raw = [{'ServerType': ['DNS'], 'ManageabilityStatus': 'Managed'} for dummy in range(8)]
    with pytest.raises(IpamInventoryError, match=r'record #5 has no ServerName.* \(and 3 more\)$'):
        normalize_records(raw)


# --- filter -----------------------------------------------------------------------------------------
@pytest.fixture
def lab_records() -> list[dict[str, t.Any]]:
    return normalize_records(copy.deepcopy(LAB_RECORDS))


@pytest.mark.parametrize('expression, hosts', [
    (None, ['dc01', 'dc02', 'dhcp01', 'dns01', 'nps01']),
    ('', ['dc01', 'dc02', 'dhcp01', 'dns01', 'nps01']),
    ("[?contains(server_types, 'dhcp')]", ['dc01', 'dhcp01']),
    ("[?manageability != 'unspecified' && access_status.overall == 'Blocked']", ['dhcp01']),
    ("[?domain == 'other.example.com']", []),
    ('[0]', ['dc01']),
    ('nothing_here', []),
])
def test_filter_selects_whole_records(lab_records, expression, hosts):
    assert [r['name'].split('.')[0] for r in apply_filter(lab_records, expression)] == hosts


@pytest.mark.parametrize('expression, message', [
    ("[?domain=='corp.example.com'", r"is not a valid JMESPath expression"),
    ('[].name', r'must select whole records'),
    ('length(@)', r'must select whole records, .*\(it gave 5\)'),
    ("[?name=='dc01.corp.example.com'].{name: name}", r'must select whole records'),
])
def test_bad_filters_fail_naming_the_expression(lab_records, expression, message):
    with pytest.raises(IpamInventoryError, match=message):
        apply_filter(lab_records, expression)


# --- grouping and state -----------------------------------------------------------------------------
def test_manageability_decides_state_and_groups(lab_records):
    plans = {p.name: p for p in plan_hosts(lab_records)}
    assert plans['dc01.corp.example.com'].groups == ['dhcp_servers', 'dns_servers', 'domain_controllers']
    assert plans['dc01.corp.example.com'].variables['ipam_state'] == 'present'
    assert plans['dns01.corp.example.com'].groups == ['dns_servers']
    assert plans['dns01.corp.example.com'].variables['ipam_state'] == 'absent'
    assert plans['nps01.corp.example.com'].groups == ['nps_servers']
    # Unspecified: only ipam_unspecified, and no ipam_state so nothing acts on it.
    assert plans['dc02.corp.example.com'].groups == ['ipam_unspecified']
    assert 'ipam_state' not in plans['dc02.corp.example.com'].variables
    assert plans['dc02.corp.example.com'].variables['ipam_server_types'] == ['dns', 'dc']
    assert plans['dhcp01.corp.example.com'].variables == {
        'ansible_host': 'dhcp01.corp.example.com', 'ipam_server_types': ['dhcp'], 'ipam_manageability': 'managed',
        'ipam_access_status': {'overall': 'Blocked', 'dhcp_rpc': 'Blocked', 'dns_rpc': 'Unblocked',
                               'dhcp_audit_share': NOT_APPLICABLE, 'event_log': 'Unblocked'},
        'ipam_recommended_action': '', 'ipam_ipv4_addresses': [], 'ipam_domain': 'corp.example.com',
        'ipam_state': 'present'}


def test_short_host_names_and_their_collisions(lab_records):
    assert [p.name for p in plan_hosts(lab_records, 'short')] == ['dc01', 'dc02', 'dhcp01', 'dns01', 'nps01']
    assert plan_hosts(lab_records, 'short')[0].variables['ansible_host'] == 'dc01.corp.example.com'
    clash = normalize_records([record('dns01.corp.example.com', ['DNS']), record('dns01.res.example.com', ['DNS'])])
    with pytest.raises(IpamInventoryError, match='dns01.corp.example.com and dns01.res.example.com both become the '
                                                 'inventory host dns01; use hostname: fqdn'):
        plan_hosts(clash, 'short')


# --- the plugin -------------------------------------------------------------------------------------
def test_verify_file_wants_an_ipam_yml(plugin_loader, tmp_path):
    plugin = inventory_loader.get(PLUGIN)
    for name, wanted in (('ipam.yml', True), ('prod.ipam.yaml', True), ('hosts.yml', False), ('ipam.json', False)):
        path = tmp_path / name
        path.write_text('plugin: %s\n' % PLUGIN)
        assert plugin.verify_file(str(path)) is wanted, name


def test_inventory_groups_hostvars_and_one_winrm_command(parse, winrm_session):
    parsed = parse(BASE)
    groups = parsed.groups()
    assert groups['dhcp_servers'] == {'dc01.corp.example.com', 'dhcp01.corp.example.com'}
    assert groups['dns_servers'] == {'dc01.corp.example.com', 'dns01.corp.example.com'}
    assert groups['domain_controllers'] == {'dc01.corp.example.com'}
    assert groups['nps_servers'] == {'nps01.corp.example.com'}
    assert groups['ipam_unspecified'] == {'dc02.corp.example.com'}
    parent = parsed.inventory.groups['ipam_managed_servers']
    assert sorted(g.name for g in parent.child_groups) == sorted(TYPE_GROUPS)
    managed = {'dc01.corp.example.com', 'dhcp01.corp.example.com', 'dns01.corp.example.com', 'nps01.corp.example.com'}
    assert {h.name for h in parent.get_hosts()} == managed
    assert parsed.hostvars('dns01.corp.example.com')['ipam_state'] == 'absent'
    assert 'ipam_state' not in parsed.hostvars('dc02.corp.example.com')
    assert parsed.hostvars('dc01.corp.example.com')['ipam_ipv4_addresses'] == ['127.0.0.11']
    # One session, one script, built from the options: https on 5986 with NTLM and certificate checks by default.
    [session] = winrm_session.created
    assert session == {'target': 'https://ipam01.corp.example.com:5986/wsman', 'auth': ('CORP\\svc-ipam-read', PASSWORD),
                       'transport': 'ntlm', 'server_cert_validation': 'validate', 'read_timeout_sec': 30,
                       'operation_timeout_sec': 20}
    assert winrm_session.scripts == [transport.SCRIPT]


def test_type_groups_exist_even_when_ipam_lists_nothing(parse, winrm_session):
    winrm_session.answer = FakeResponse(0, reply([]))
    groups = parse(BASE).groups()
    assert all(groups[g] == set() for g in TYPE_GROUPS + ('ipam_unspecified', 'ipam_managed_servers'))


def test_options_reach_the_session(parse, winrm_session):
    parse(dict(BASE, scheme='http', transport='basic', validate_certs=False, connection_timeout=5, username='lab'))
    [session] = winrm_session.created
    assert session['target'] == 'http://ipam01.corp.example.com:5985/wsman'
    assert (session['transport'], session['server_cert_validation']) == ('basic', 'ignore')
    assert (session['read_timeout_sec'], session['operation_timeout_sec']) == (5, 4)
    parse(dict(BASE, port=15986, server='fd00::16'))
    assert winrm_session.created[-1]['target'] == 'https://[fd00::16]:15986/wsman'


def test_kerberos_needs_no_password(parse, winrm_session, monkeypatch):
    monkeypatch.delenv('IPAM_INVENTORY_PASSWORD')
    parse({'server': 'ipam01.corp.example.com', 'transport': 'kerberos'})
    assert winrm_session.created[-1]['auth'] == ('', '') and winrm_session.created[-1]['transport'] == 'kerberos'


def test_filter_hostname_and_constructed_options(parse, winrm_session):
    parsed = parse(dict(BASE, hostname='short', filter="[?manageability != 'unmanaged']",
                        compose={'ansible_host': "ipam_ipv4_addresses | first | default(ansible_host)"},
                        keyed_groups=[{'key': 'ipam_manageability', 'prefix': 'ipam'}],
                        groups={'ipam_blocked': "ipam_access_status.overall == 'Blocked'"}))
    groups = parsed.groups()
    assert set(parsed.inventory.hosts) == {'dc01', 'dc02', 'dhcp01', 'nps01'}    # dns01 filtered out
    assert groups['dns_servers'] == {'dc01'}
    assert groups['ipam_managed'] == {'dc01', 'dhcp01', 'nps01'} and groups['ipam_unspecified'] == {'dc02'}
    assert groups['ipam_blocked'] == {'dhcp01'}
    assert parsed.hostvars('dc01')['ansible_host'] == '127.0.0.11'
    assert parsed.hostvars('nps01')['ansible_host'] == 'nps01.corp.example.com'


def test_strict_compose_errors_fail_the_source(parse, winrm_session):
    with pytest.raises(AnsibleError, match='Could not set ansible_port'):
        parse(dict(BASE, strict=True, compose={'ansible_port': 'no_such_variable + 1'}))
    parse(dict(BASE, strict=False, compose={'ansible_port': 'no_such_variable + 1'}))   # skipped quietly


def test_the_example_inventory_file_works(parse, winrm_session):
    with open(os.path.join(REPO, 'inventory', 'example', 'ipam.yml'), encoding='utf-8') as handle:
        example = yaml.safe_load(handle)
    groups = parse(example).groups()
    assert groups['windows'] == {r['ServerName'] for r in LAB_RECORDS}      # group_vars/windows.yml applies
    assert groups['ipam_blocked'] == {'dhcp01.corp.example.com'}
    assert groups['ipam_unmanaged'] == {'dns01.corp.example.com'}
    assert winrm_session.created[0]['target'] == 'https://ipam01.corp.example.com:5986/wsman'


def test_the_documented_examples_work(parse, winrm_session, tmp_path):
    examples = sys.modules[type(inventory_loader.get(PLUGIN)).__module__].EXAMPLES
    # One YAML document per example file, as users would copy them.
    blocks = list(yaml.safe_load_all(examples))
    assert len(blocks) == 3
    for config in blocks:
        block = config
        if config.get('cache'):
            config['cache_connection'] = str(tmp_path / 'cache')   # not the documented /var/tmp
        parsed = parse(config)
        assert parsed.inventory.hosts, block
    assert set(parsed.inventory.hosts) == {'dc01.corp.example.com', 'dhcp01.corp.example.com'}
    assert parsed.hostvars('dc01.corp.example.com')['ansible_host'] == '127.0.0.11'


# --- caching ----------------------------------------------------------------------------------------
def test_a_cache_hit_makes_no_winrm_call(parse, winrm_session, tmp_path):
    cache = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache'),
             'cache_timeout': 600}
    first = parse(dict(BASE, **cache))
    assert len(winrm_session.scripts) == 1
    winrm_session.answer = ConnectionError('the cache was not used')   # any call now would fail the test
    second = parse(dict(BASE, **cache))
    assert len(winrm_session.scripts) == 1 and len(winrm_session.created) == 1
    assert second.groups() == first.groups()
    assert second.hostvars('dc01.corp.example.com') == first.hostvars('dc01.corp.example.com')
    # The raw reply is cached: a changed filter applies to a cache hit too.
    filtered = parse(dict(BASE, filter="[?contains(server_types, 'nps')]", **cache))
    assert set(filtered.inventory.hosts) == {'nps01.corp.example.com'} and len(winrm_session.scripts) == 1


def test_refresh_reads_ipam_again_and_updates_the_cache(parse, winrm_session, tmp_path):
    cache = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache')}
    parse(dict(BASE, **cache))
    winrm_session.answer = FakeResponse(0, reply([record('dhcp01.corp.example.com', ['DHCP'], 'Unmanaged')]))
    refreshed = parse(dict(BASE, **cache), cache=False)     # --flush-cache, meta: refresh_inventory
    assert len(winrm_session.scripts) == 2
    assert refreshed.hostvars('dhcp01.corp.example.com')['ipam_state'] == 'absent'
    winrm_session.answer = ConnectionError('the cache was not used')
    assert parse(dict(BASE, **cache)).hostvars('dhcp01.corp.example.com')['ipam_state'] == 'absent'
    assert len(winrm_session.scripts) == 2


def test_without_cache_every_parse_reads_ipam(parse, winrm_session):
    parse(BASE)
    parse(BASE)
    assert len(winrm_session.scripts) == 2


# --- errors -----------------------------------------------------------------------------------------
def _fails(parse: t.Callable[..., Parsed], config: dict[str, t.Any], message: str) -> str:
    with pytest.raises(AnsibleParserError) as caught:
        parse(config)
    text = str(caught.value)
    assert text.startswith(PLUGIN + ': '), text
    assert message in text, text
    assert PASSWORD not in text and PASSWORD not in repr(caught.value.__cause__ or '')
    return text


@pytest.mark.parametrize('answer, message', [
    (winrm.exceptions.InvalidCredentialsError('the specified credentials were rejected by the server'),
     'the IPAM server ipam01.corp.example.com (https://ipam01.corp.example.com:5986/wsman) rejected the credentials '
     '(HTTP 401) as CORP\\svc-ipam-read over ntlm'),
    (requests.exceptions.ConnectionError("HTTPSConnectionPool(host='ipam01.corp.example.com', port=5986): Max retries "
                                         "exceeded (Caused by NewConnectionError('[Errno 111] Connection refused'))"),
     'cannot reach the IPAM server ipam01.corp.example.com (https://ipam01.corp.example.com:5986/wsman): the IPAM server '
     'is unreachable'),
    (requests.exceptions.ConnectTimeout('timed out'), 'the IPAM server is unreachable (timed out)'),
    (requests.exceptions.SSLError('certificate verify failed'), 'certificate problem (certificate verify failed)'),
    (winrm.exceptions.WinRMTransportError('http', 500, 'bad gateway'), 'answered HTTP 500 (bad gateway)'),
    (winrm.exceptions.WinRMError('requested auth method is kerberos, but pykerberos is not installed'),
     'failed: WinRMError: requested auth method is kerberos, but pykerberos is not installed'),
    # A library that puts the password into its message: it is masked.
    (requests.exceptions.ConnectionError('proxy said: no for %s' % PASSWORD), 'no for ********'),
    (FakeResponse(2, json.dumps({'contract': transport.CONTRACT, 'error': 'ipam_module_missing',
                                 'message': ipam_model.IMPORT_ERROR}).encode()),
     'the IPAM server ipam01.corp.example.com has no IPAM Server module (Import-Module IpamServer failed: The specified '
     "module 'IpamServer' was not loaded"),
    (FakeResponse(3, json.dumps({'contract': transport.CONTRACT, 'error': 'query_failed',
                                 'message': 'Access is denied.'}).encode()),
     'Get-IpamServerInventory failed on the IPAM server ipam01.corp.example.com as CORP\\svc-ipam-read: Access is denied.'),
    (FakeResponse(0, b'Welcome to ipam01!\r\n{"contract": ...'),
     'the reply of the IPAM server ipam01.corp.example.com is not JSON (exit code 0): Welcome to ipam01!'),
    (FakeResponse(1, b'', b'powershell : The term is not recognized'),
     'failed on the IPAM server ipam01.corp.example.com (exit code 1) without a reply: powershell : The term is not recognized'),
    (FakeResponse(0, b'{"contract": "other.v9", "records": []}'), "is not an ipam_inventory.v1 reply (contract: 'other.v9')"),
    (FakeResponse(0, b'{"contract": "ipam_inventory.v1"}'), 'has no records'),
    (FakeResponse(0, reply([record('a.corp.example.com', ['VMM'])])),
     "malformed server records in the IPAM reply: record #1 (a.corp.example.com): unknown server type 'VMM'"),
    (FakeResponse(0, reply([{'ServerType': 'DNS', 'ManageabilityStatus': 'Managed'}])), 'record #1 has no ServerName'),
])
def test_failures_are_parser_errors_naming_the_problem_not_the_password(parse, winrm_session, answer, message):
    winrm_session.answer = answer
    _fails(parse, BASE, message)


@pytest.mark.parametrize('config, message', [
    ({'username': 'lab'}, 'option server is required'),
    (dict(BASE, filter="[?name=='x'"), 'option filter: "[?name==\'x\'" is not a valid JMESPath expression'),
    (dict(BASE, connection_timeout=1), 'option connection_timeout must be at least 2 seconds'),
    (dict(BASE, port=70000), 'option port must be between 1 and 65535'),
    ({'server': 'ipam01.corp.example.com'}, 'transport ntlm needs username'),
])
def test_bad_options_fail_before_any_connection(parse, winrm_session, config, message):
    _fails(parse, config, message)
    assert winrm_session.created == []


def test_missing_password_fails_before_any_connection(parse, winrm_session, monkeypatch):
    monkeypatch.delenv('IPAM_INVENTORY_PASSWORD')
    _fails(parse, BASE, 'transport ntlm needs password (options, or IPAM_INVENTORY_USERNAME and IPAM_INVENTORY_PASSWORD)')
    assert winrm_session.created == []


def test_settings_repr_hides_the_password():
    settings = transport.Settings('ipam01', 5986, 'https', 'ntlm', 'u', PASSWORD, True, 30)
    assert PASSWORD not in repr(settings) and '<hidden>' in repr(settings)


# --- the script and the simulator's contract model ---------------------------------------------------
def test_the_script_carries_the_marker_and_fits_a_windows_command_line():
    assert transport.SCRIPT.splitlines()[0] == '# ipam-contract: ipam_inventory.v1'
    assert contracts.contract_name(transport.SCRIPT) == transport.CONTRACT
    encoded = base64.b64encode(transport.SCRIPT.encode('utf-16-le')).decode()
    assert len('powershell -encodedcommand ' + encoded) < transport.MAX_COMMAND_LINE
    assert 'Set-' not in transport.SCRIPT and 'Remove-' not in transport.SCRIPT and 'Add-' not in transport.SCRIPT


def _lab(path: str) -> Simulator:
    """The lab of inventory/lab, seeded straight from its YAML (no ansible-inventory run)."""
    with open(os.path.join(REPO, 'inventory', 'lab', 'hosts.yml'), encoding='utf-8') as handle:
        hosts = yaml.safe_load(handle)['all']['children']['windows']['hosts']
    with open(os.path.join(REPO, 'inventory', 'lab', 'group_vars', 'windows.yml'), encoding='utf-8') as handle:
        domain = yaml.safe_load(handle)['winsim_domain']
    sim = Simulator(path)
    for name, hostvars in hosts.items():
        sim.seed_host(name, with_address(hostvars['winsim_profile'], hostvars['ansible_host']), domain)
    return sim


@pytest.fixture
def lab(tmp_path) -> Simulator:
    """The lab with IPAM's inventory as an administrator leaves it: discovery ran, NPS added, decisions made."""
    sim = _lab(str(tmp_path / 'state'))
    with sim.edit('ipam01') as ctx:
        ipam = ipam_model.ipam_state(ctx)
        ipam['discovery_domains']['corp.example.com'] = {'discover_dc': True, 'discover_dns': True, 'discover_dhcp': True}
        ipam_model.discover(ctx, ipam)
        ipam_model.finish_refresh(ctx, ipam)
        ipam['servers']['nps01.corp.example.com'] = ipam_model.new_server(['NPS'], 'corp.example.com', 'Managed')
        for name, manageability in (('dc01', 'Managed'), ('dhcp01', 'Managed'), ('dns01', 'Unmanaged')):
            ipam_model.set_manageability(ipam['servers'][name + '.corp.example.com'], manageability)
    return sim


def simulator_answer(sim: Simulator, host: str) -> t.Callable[[str], FakeResponse]:
    """run_ps as pywinrm sends it (powershell -encodedcommand <UTF-16LE base64>), answered by sim."""
    def answer(script: str) -> FakeResponse:
        encoded = base64.b64encode(script.encode('utf_16_le')).decode('ascii')
        rc, out, err = sim.execute(host, 'powershell -encodedcommand {0}'.format(encoded), b'')
        return FakeResponse(rc, out, err)
    return answer


def test_the_simulated_ipam_server_answers_the_script(parse, winrm_session, lab):
    before = lab.counters('ipam01')
    winrm_session.answer = simulator_answer(lab, 'ipam01')
    parsed = parse(BASE)
    assert lab.counters('ipam01') == {'round_trips': before['round_trips'] + 1, 'writes': before['writes']}
    groups = parsed.groups()
    assert groups['dhcp_servers'] == {'dc01.corp.example.com', 'dhcp01.corp.example.com'}
    assert groups['dns_servers'] == {'dc01.corp.example.com', 'dns01.corp.example.com'}
    assert groups['nps_servers'] == {'nps01.corp.example.com'}
    assert groups['ipam_unspecified'] == {'dc02.corp.example.com'}
    dhcp01 = parsed.hostvars('dhcp01.corp.example.com')
    assert (dhcp01['ipam_state'], dhcp01['ipam_ipv4_addresses'], dhcp01['ipam_domain']) == \
        ('present', ['127.0.0.13'], 'corp.example.com')
    assert dhcp01['ipam_access_status'] == {'overall': 'Blocked', 'dhcp_rpc': 'Blocked', 'dns_rpc': NOT_APPLICABLE,
                                            'dhcp_audit_share': 'Blocked', 'event_log': 'Blocked'}
    assert parsed.hostvars('dns01.corp.example.com')['ipam_access_status']['overall'] == NOT_CHECKED   # purged


def test_the_simulator_models_a_server_without_ipam_and_access_denied(parse, winrm_session, lab):
    winrm_session.answer = simulator_answer(lab, 'dhcp01')
    _fails(parse, BASE, 'has no IPAM Server module (Import-Module IpamServer failed')
    winrm_session.answer = simulator_answer(lab, 'ipam01')
    lab.set_faults('ipam01', {'access_denied': 'all'})
    _fails(parse, BASE, 'Get-IpamServerInventory failed on the IPAM server ipam01.corp.example.com as '
                        'CORP\\svc-ipam-read: Access is denied.')


def test_a_canned_contract_reply_and_a_raw_script_without_contract(lab):
    with lab.edit('ipam01') as ctx:
        contracts.set_reply(ctx.host, transport.CONTRACT, 'not json', rc=0)
    assert simulator_answer(lab, 'ipam01')(transport.SCRIPT).std_out == b'not json'
    with lab.edit('ipam01') as ctx:
        contracts.set_reply(ctx.host, transport.CONTRACT, None)
        assert contracts.REPLIES_KEY not in ctx.host
    assert json.loads(simulator_answer(lab, 'ipam01')(transport.SCRIPT).std_out)['contract'] == transport.CONTRACT
    # Raw scripts without a marker keep failing as before; an unknown contract says so.
    plain = simulator_answer(lab, 'ipam01')('Get-Date')
    assert plain.status_code == 1 and b'not a pipelined module payload' in plain.std_err
    unknown = simulator_answer(lab, 'ipam01')('# ipam-contract: nothing.v0\nGet-Date')
    assert unknown.status_code == 1 and b"no model for the raw PowerShell contract 'nothing.v0'" in unknown.std_err
