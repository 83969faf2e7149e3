# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers of the end-to-end tests: a simulated lab, the real ansible-playbook against it, and
reading the result back from the simulated hosts.

Import as ``from e2e.lab_helpers import ...`` (tests/ is on sys.path, tests/conftest.py).

- ``Lab``: a state directory seeded from inventory/lab; ``Lab.run`` wraps a playbook so that the
  ``ipam_report_entries`` of every managed host are saved (``Run.entries``).
- ``Run``: one run's output, PLAY RECAP, per-item lines (with their results under ``-v``), report files.
- ``granted``: whether the access a catalog setting describes is on the simulated host (or its domain).
- ``winrm_endpoint``: the fake WinRM endpoint (tests/simulator/winrm_endpoint.py) serving a lab.
- ``pwsh_service``: the process that runs the real modules in pwsh for every ``Lab.run`` of this
  test process (winsim/pwsh/service.py); the modules without fakes stay answered by their model.
"""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import select
import subprocess
import sys
import tempfile
import threading
import typing as t
import warnings
import xml.etree.ElementTree as ET

import yaml

from ansible_collections.ipam.provisioning.plugins.module_utils import catalog
from winsim import Simulator  # tests/simulator is on sys.path (tests/conftest.py)
from winsim.pwsh import service as pwsh_service_module
from winsim.pwsh.pool import find_pwsh

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INVENTORY = os.path.join(REPO, 'inventory', 'lab')
PLAYBOOKS = os.path.join(REPO, 'playbooks')
ENDPOINT = os.path.join(REPO, 'tests', 'simulator', 'winrm_endpoint.py')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
MANAGED = ('dc01', 'dc02', 'dhcp01', 'dns01', 'nps01')
DOMAIN = 'corp.example.com'
IPAM_SID = 'S-1-5-21-1004336348-1177238915-682003330-1205'      # CORP\IPAM01$ (winsim_domain computers order)
EVENT_LOG_READERS = catalog.EVENT_LOG_READERS_SID
MICROSOFT_DNS = catalog.microsoft_dns_dn('DC=corp,DC=example,DC=com')
DOMAIN_WIDE = {'event_log_readers', 'dhcp_users', 'dns_domain_acl'}
RECORD_KEY = 'HKLM\\SOFTWARE\\ipam.provisioning'
REPORT_BASENAME = 'ipam-compliance'
RECAP = re.compile(r'^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+'
                   r'unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)', re.M)
# ok/changed items print "[host] => (item=x)", failed ones "[host] (item=x)"; under -v (always when
# failed) the result follows on the same line as JSON.
ITEM = re.compile(r'^(?P<status>ok|changed|failed): \[(?P<host>[^\]]+)\](?: =>)? \(item=(?P<item>[a-z_]+)\)'
                  r'(?: => (?P<result>\{.*\}))?\s*$', re.M)
# What a follower's report entry says of the domain-wide setting its leader applied (ipam_follower_entries).
FOLLOWER = re.compile(r'\bvia \S+|^domain-wide setting not (?:confirmed|applied)')
# A task result the default callback prints as JSON, on one line (-v) or indented (a failure): managed_server_access's
# carries one result per setting, each with its setting as 'item'.
TASK_RESULT = re.compile(r'^(?:ok|changed|fatal): \[(?P<host>[^\]]+)\](?:: FAILED!)? => (?P<body>\{\n.*?\n\}|\{[^\n]*\})$',
                         re.M | re.S)

WRAPPER = '''
- name: Run the playbook under test
  ansible.builtin.import_playbook: {playbook}
- name: Save the report entries of the run
  hosts: all
  gather_facts: false
  tasks:
    - name: Write them (null for a host without the fact)
      ansible.builtin.copy:
        content: >-
          {{{{ '{{' }}}}{{% for h in managed %}}{{{{ h | to_json }}}}: {{{{ hostvars[h].ipam_report_entries | default(none) | to_json }}}}{{{{
          '' if loop.last else ', ' }}}}{{% endfor %}}{{{{ '}}' }}}}
        dest: {dest}
        mode: '0644'
      vars:
        managed: "{{{{ (groups.dhcp_servers + groups.dns_servers + groups.domain_controllers + groups.nps_servers) | unique }}}}"
      delegate_to: localhost
      run_once: true
      check_mode: false
      changed_when: false         # test plumbing: keep the PLAY RECAP about the playbook under test
'''


class Run:
    """One ansible-playbook run: its output, PLAY RECAP, per-item lines and the hosts' report entries."""

    def __init__(self, proc: subprocess.CompletedProcess, entries_path: str | None, report_dir: str) -> None:
        self.proc = proc
        self.report_dir = report_dir
        self.output = proc.stdout + proc.stderr
        self.recap = {m['host']: {k: int(m[k]) for k in ('ok', 'changed', 'unreachable', 'failed')}
                      for m in RECAP.finditer(proc.stdout)}
        self.items = [(m['host'], m['item'], m['status']) for m in ITEM.finditer(proc.stdout)]
        # {(host, item): result} for the item lines that carry one (-v, or a failure); the last one wins.
        self.item_results = {(m['host'], m['item']): json.loads(m['result'])
                             for m in ITEM.finditer(proc.stdout) if m['result']}
        # The settings managed_server_access applied, as (host, setting, status), when its result was printed;
        # their results join item_results. The read before planning (it has 'facts') is not an application.
        self.batch_items: list[tuple[str, str, str]] = []
        for match in TASK_RESULT.finditer(proc.stdout):
            try:
                body = json.loads(match['body'])
            except ValueError:
                continue
            if not isinstance(body, dict) or 'round_trips' not in body or 'facts' in body:
                continue
            for result in body.get('results') or []:
                setting = (result.get('item') or {}).get('id')
                status = 'failed' if result.get('failed') else 'changed' if result.get('changed') else 'ok'
                self.batch_items.append((match['host'], setting, status))
                self.item_results[(match['host'], setting)] = result
        self.entries: dict[str, t.Any] = {}
        if entries_path and os.path.exists(entries_path):
            with open(entries_path, encoding='utf-8') as handle:
                self.entries = {h: e for h, e in json.load(handle).items() if e is not None}
            os.unlink(entries_path)

    def report_path(self, suffix: str) -> str:
        return os.path.join(self.report_dir, REPORT_BASENAME + suffix)

    def report(self) -> dict[str, t.Any]:
        """The JSON compliance report the playbook wrote."""
        with open(self.report_path('.json'), encoding='utf-8') as handle:
            return json.load(handle)

    def junit(self) -> ET.Element:
        """The JUnit XML report's root element."""
        return ET.parse(self.report_path('.junit.xml')).getroot()

    def html(self) -> str:
        with open(self.report_path('.html'), encoding='utf-8') as handle:
            return handle.read()

    def domain_leaders(self) -> set[tuple[str, str]]:
        """(host, setting) for each domain-wide setting a host applied itself, by its report entries.

        A follower's entry names its leader ("applied via dc01", "drift found via dc01", "not confirmed:
        dc01 ... did not report it", "it failed on dc01"; ipam_follower_entries); a setting left in place
        is not_applicable.
        """
        return {(host, e['setting']) for host, entries in self.entries.items() for e in entries
                if e['setting'] in DOMAIN_WIDE and e['status'] != 'not_applicable' and not FOLLOWER.search(e.get('msg') or '')}

    def by_setting(self, host: str) -> dict[str, dict[str, t.Any]]:
        return {e['setting']: e for e in self.entries[host]}


class Lab:
    """A simulated lab in its own state directory, seeded from inventory/lab before the first run.

    ``prepare(sim)``, when given, changes the seeded hosts by hand (as an administrator did before
    the collection ever ran); ``seed`` and ``seed_domain`` are taken after it.
    """

    def __init__(self, work: str, prepare: t.Callable[[Simulator], None] | None = None) -> None:
        self.work = work
        self.state_dir = os.path.join(work, 'state')
        self.sim = Simulator(self.state_dir)
        self.sim.seed_from_inventory(INVENTORY)
        if prepare is not None:
            prepare(self.sim)
        self.seed = {h: self.sim.host_state(h) for h in self.sim.hosts()}
        self.seed_domain = self.sim.domain_state(DOMAIN)
        self.runs = 0

    def run(self, playbook: str, *args: str, overlay: str | None = None, inventory: str = INVENTORY,
            wrap: bool = True, env: dict[str, str] | None = None) -> Run:
        """Run a playbook; wrap=False runs it as is (no entries saved: the wrapper's copy to localhost
        would go through whatever connection extra vars force on every host). env overrides the environment."""
        self.runs += 1
        report_dir = os.path.join(self.work, 'reports-%d' % self.runs)
        entries_path = os.path.join(self.work, 'entries.json') if wrap else None
        if wrap:
            wrapper = os.path.join(self.work, 'wrapper.yml')
            with open(wrapper, 'w', encoding='utf-8') as handle:
                handle.write(WRAPPER.format(playbook=playbook, dest=entries_path))
            playbook = wrapper
        inventories = ['-i', inventory] + (['-i', overlay] if overlay else [])
        environment = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), WINSIM_STATE_DIR=self.state_dir,
                           ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_STDOUT_CALLBACK='default',
                           ANSIBLE_RETRY_FILES_ENABLED='0')
        socket_path = pwsh_service()
        if socket_path:
            environment[pwsh_service_module.ENV] = socket_path
        environment.update(env or {})
        proc = subprocess.run([ANSIBLE_PLAYBOOK, *inventories, playbook, '-e', 'ipam_report_dir=%s' % report_dir,
                               *args], cwd=self.work, env=environment, capture_output=True, text=True, timeout=600,
                              check=False)
        return Run(proc, entries_path, report_dir)

    def counters(self) -> dict[str, dict[str, int]]:
        return {h: self.sim.counters(h) for h in MANAGED}

    def states(self) -> dict[str, dict[str, t.Any]]:
        return {h: without_counters(self.sim.host_state(h)) for h in MANAGED}

    def files(self) -> dict[str, bytes]:
        """The state files byte for byte: every simulated host's, and the domain's under its DNS name."""
        store = self.sim.store
        paths = {h: store.host_path(h) for h in self.sim.hosts()}
        paths[DOMAIN] = store.domain_path(DOMAIN)
        found = {}
        for name, path in paths.items():
            with open(path, 'rb') as handle:
                found[name] = handle.read()
        return found


def without_counters(state: dict[str, t.Any]) -> dict[str, t.Any]:
    return {k: v for k, v in state.items() if k != 'counters'}


def without_record(state: dict[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """(state without counters and without the collection's record key, the record's values)."""
    registry = dict(state['registry'])
    record = registry.pop(RECORD_KEY, {})
    return dict(without_counters(state), registry=registry), record


def sids_in(sddl: str | None) -> bool:
    return IPAM_SID in (sddl or '')


def aces_of(sddl: str | None) -> list[str]:
    """The ACE strings of an SDDL text, in order ('(A;;CC;;;SY)', ...)."""
    return re.findall(r'\([^()]*\)', sddl or '')


def event_log_customsd(state: dict[str, t.Any], log: str = catalog.DNS_EVENT_LOG) -> str:
    for key, values in state['registry'].items():
        if key.endswith('\\EventLog\\' + log):
            return values.get('CustomSD') or ''
    raise AssertionError('no %s event log key on %s' % (log, state['name']))


def log_customsd(state: dict[str, t.Any]) -> str:
    return event_log_customsd(state, catalog.DNS_EVENT_LOG)


# ---------------------------------------------------------------------------- reading access back
def _inventory_groups() -> dict[str, list[str]]:
    with open(os.path.join(INVENTORY, 'hosts.yml'), encoding='utf-8') as handle:
        children = yaml.safe_load(handle)['all']['children']
    return {group: list((spec or {}).get('hosts') or {}) for group, spec in children.items()}


def _server_type_groups() -> dict[str, str]:
    with open(os.path.join(REPO, 'roles', 'common', 'defaults', 'main.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)['ipam_server_type_groups']


def server_types_of(host: str) -> list[str]:
    """The host's server types as the roles read them from the lab's inventory groups."""
    groups = _inventory_groups()
    return [kind for kind, group in _server_type_groups().items() if host in groups.get(group, [])]


def planned_settings(host: str, state: dict[str, t.Any]) -> list[str]:
    """Catalog ids the roles apply on this host by default (opt-ins off), in catalog order."""
    return [s['id'] for s in catalog.settings_for(server_types_of(host), state['domain_role'])]


def _group(groups: dict[str, t.Any], sid: str | None = None, names: t.Iterable[str] = ()) -> dict[str, t.Any]:
    if sid is not None:
        return groups[sid]
    wanted = set(names)
    return next(g for g in groups.values() if g['name'] in wanted)


def granted(setting_id: str, state: dict[str, t.Any], domain: dict[str, t.Any] | None, sid: str = IPAM_SID) -> bool:
    """Whether the access of one catalog setting is on the simulated host (or in its domain) for sid.

    Read from the simulator's state the way Windows would show it: the group's members, the ACE
    in the service or event log descriptor, the share's access list, the rules' Enabled, the ACE
    on the domain's MicrosoftDNS object.
    """
    setting = catalog.SETTINGS_BY_ID[setting_id]
    module, params = setting['module'], setting['params']
    on_dc = catalog.is_domain_controller(state['domain_role'])
    groups = domain['groups'] if on_dc and domain is not None else state['groups']
    if module == 'group_membership':
        return sid in _group(groups, sid=params['group'])['members']
    if module == 'dhcp_users_membership':
        return sid in _group(groups, names=catalog.DHCP_GROUP_NAMES[params['group']])['members']
    if module == 'service_acl':
        return catalog.ace(params['rights'], sid) in aces_of(state['services'][params['name']]['sddl'])
    if module == 'eventlog_customsd':
        return catalog.ace(catalog.EVENTLOG_READ_RIGHTS, sid) in aces_of(event_log_customsd(state, params['log']))
    if module == 'dhcpaudit_share':
        share = state['shares'].get(params['name'])
        return share is not None and {'sid': sid, 'right': 'Read', 'type': 'Allow'} in share['access']
    if module == 'firewall_rules':
        return all(state['firewall_rules'][name]['enabled'] for name in params['names'])
    if module == 'dns_domain_acl':
        sddl = domain['ad_objects'][catalog.microsoft_dns_dn(domain['dn'])]['sddl']
        return catalog.ace(catalog.DNS_OBJECT_READ_RIGHTS, sid, catalog.DNS_OBJECT_READ_FLAGS) in aces_of(sddl)
    raise AssertionError('no read-back for module %s (setting %s)' % (module, setting_id))


def access_on(host: str, state: dict[str, t.Any], domain: dict[str, t.Any] | None) -> dict[str, bool]:
    """{setting id: granted} for every setting the roles apply on this host."""
    return {s: granted(s, state, domain) for s in planned_settings(host, state)}


# ---------------------------------------------------------------------------- the fake WinRM endpoint
_SERVICE: dict[str, t.Any] = {}
_SERVICE_LOCK = threading.Lock()


def pwsh_service() -> str | None:
    """The socket of this test process's pwsh service, started on first use and stopped at exit.

    None (with a warning) where pwsh is not installed, outside CI: the runs are then answered by
    the Python models alone. Under CI a missing pwsh fails the run. IPAM_E2E_MODELS_ONLY=1 asks for
    the models on purpose (tests/e2e/conftest.py sets it for the files that do not ask for pwsh, and
    tools/test.sh's matrix gate for the releases outside MATRIX_PWSH_CORES).
    """
    if os.environ.get('IPAM_E2E_MODELS_ONLY') == '1':
        return None
    with _SERVICE_LOCK:
        if 'path' in _SERVICE:
            return _SERVICE['path']
        if find_pwsh() is None:
            if os.environ.get('CI'):
                raise RuntimeError('pwsh 7.6.10 is not installed: CI must run the modules for real')
            warnings.warn('pwsh is not installed: the e2e runs use the Python models of every module')
            _SERVICE['path'] = None
            return None
        path = os.path.join(tempfile.mkdtemp(prefix='winsim-service-'), 'pwsh.sock')
        log = tempfile.NamedTemporaryFile('w+', prefix='winsim-service-', suffix='.log', delete=False)  # pylint: disable=consider-using-with
        python_path = [os.path.join(REPO, 'tests', 'simulator')] + ([os.environ['PYTHONPATH']] if os.environ.get('PYTHONPATH') else [])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(python_path))
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, '-m', 'winsim.pwsh.service', '--socket', path, '--workers', '2'],
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True, env=env)
        ready, dummy, dummy2 = select.select([proc.stdout], [], [], 120)
        line = proc.stdout.readline() if ready else ''
        if not line.startswith('listening '):
            proc.kill()
            log.seek(0)
            raise RuntimeError('winsim pwsh service did not start: %r\n%s' % (line, log.read()))

        def stop() -> None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        atexit.register(stop)
        _SERVICE.update(path=path, proc=proc)
        return path


class WinrmEndpoint(t.NamedTuple):
    port: int
    user: str
    password: str
    addresses: list[str]

    def extra_vars(self) -> list[str]:
        """ansible-playbook arguments that send every host through this endpoint with the real winrm plugin."""
        pairs = {'ansible_connection': 'winrm', 'ansible_port': str(self.port), 'ansible_winrm_transport': 'basic',
                 'ansible_winrm_scheme': 'http', 'ansible_user': self.user, 'ansible_password': self.password}
        return [arg for key, value in pairs.items() for arg in ('-e', '%s=%s' % (key, value))]


@contextlib.contextmanager
def winrm_endpoint(state_dir: str, log_path: str, start_timeout: float = 120) -> t.Iterator[WinrmEndpoint]:
    """Serve the lab in state_dir (seeded hosts keep their state) until the block ends."""
    user, password = 'lab-admin', secrets.token_urlsafe(12)
    with open(log_path, 'w+', encoding='utf-8') as log:
        # Not a context manager: the server must outlive the start-up block until the caller is done.
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, ENDPOINT, '--inventory', os.path.join(INVENTORY, 'hosts.yml'), '--state-dir', state_dir,
             '--port', '0', '--user', user, '--password=' + password],  # '=': a random password may start with '-'
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True)
        try:
            ready, dummy, dummy2 = select.select([proc.stdout], [], [], start_timeout)
            line = proc.stdout.readline() if ready else ''
            if not line.startswith('listening '):
                log.seek(0)
                raise RuntimeError('winrm endpoint did not start (exit %s): %r\n%s' % (proc.poll(), line, log.read()))
            dummy, port, addresses = line.split()
            yield WinrmEndpoint(int(port), user, password, addresses.split(','))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            proc.stdout.close()
