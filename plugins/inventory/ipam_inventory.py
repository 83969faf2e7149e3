# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory plugin ipam.provisioning.ipam_inventory: the managed servers, from the IPAM server itself."""
from __future__ import annotations

DOCUMENTATION = r"""
name: ipam_inventory
short_description: Managed servers from the Microsoft IPAM server's own server inventory
version_added: 0.1.0
author: ipam.provisioning contributors (@ipam-provisioning)
description:
  - Reads the server inventory of a Microsoft IPAM server (C(Get-IpamServerInventory)) over WinRM with pywinrm, from the
    controller. It runs one read-only PowerShell script on the IPAM server and nothing on the managed servers; no module
    runs and nothing is changed anywhere.
  - Puts every server into the groups of its IPAM server types, the same groups the roles and playbooks of this
    collection use - C(dhcp_servers), C(dns_servers), C(domain_controllers), C(nps_servers) - which are children of
    C(ipam_managed_servers).
  - Sets C(ipam_state) from IPAM's manageability status. C(Managed) becomes C(present), C(Unmanaged) becomes C(absent).
  - C(Unspecified) servers (what IPAM's discovery adds) are left alone. They go only into the group C(ipam_unspecified)
    and get no C(ipam_state), so the provision, audit and deprovision playbooks, whose plays run over the server type
    groups, never touch a server nobody has decided about yet.
  - So IPAM's console becomes the switch. Marking a server Managed in the IPAM console is enough for the next scheduled
    AWX run of the provision playbook to provision it, and marking it Unmanaged is enough for that run to revoke the
    access it granted (the roles remove exactly what they added). This is what Microsoft's Group Policy provisioning
    does through GPO security filtering, plus the removal that the GPO method leaves to you.
  - The hosts get C(ansible_host) set to their FQDN; connection settings (C(ansible_connection=winrm), credentials) come
    from group_vars as usual, for example C(group_vars/ipam_managed_servers.yml) next to the configuration file.
  - The configuration file's name must end with C(ipam.yml) or C(ipam.yaml).
requirements:
  - pywinrm (C(pywinrm[kerberos]) for Kerberos, C(pywinrm[credssp]) for CredSSP)
  - jmespath (for O(filter))
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [ipam.provisioning.ipam_inventory]
  server:
    description:
      - Name or address of the IPAM server to read.
      - With O(transport=kerberos) use its FQDN (the Kerberos service name needs it).
    type: str
    env:
      - name: IPAM_INVENTORY_SERVER
  port:
    description:
      - WinRM port of the IPAM server.
      - Defaults to 5986 with O(scheme=https) and 5985 with O(scheme=http).
    type: int
    env:
      - name: IPAM_INVENTORY_PORT
  scheme:
    description: WinRM over HTTPS or HTTP.
    type: str
    default: https
    choices: [https, http]
    env:
      - name: IPAM_INVENTORY_SCHEME
  transport:
    description:
      - WinRM authentication.
      - V(ntlm) and V(credssp) use O(username) and O(password); V(ntlm) and V(kerberos) encrypt the messages even over
        HTTP.
      - V(kerberos) uses a ticket the controller already has (run C(kinit) before, or use a keytab); O(password) is not
        used and O(username), when given, picks the principal of the ticket cache.
      - V(basic) sends the password with every request; use it only over HTTPS, or with a local account on a test server.
    type: str
    default: ntlm
    choices: [ntlm, kerberos, credssp, basic]
    env:
      - name: IPAM_INVENTORY_TRANSPORT
  username:
    description:
      - The account to read the IPAM server inventory as, for example V(CORP\\svc-ipam-read) or V(svc-ipam-read@CORP.EXAMPLE.COM).
      - It needs WinRM access to the IPAM server and membership of the IPAM Users group (or a higher IPAM group) there.
    type: str
    env:
      - name: IPAM_INVENTORY_USERNAME
  password:
    description:
      - Password of O(username). Never logged and never part of an error message.
      - Prefer the environment variable (an AWX custom credential type can inject it) or a vaulted value.
    type: str
    env:
      - name: IPAM_INVENTORY_PASSWORD
  validate_certs:
    description: Validate the IPAM server's HTTPS certificate. Set V(false) only for a test server.
    type: bool
    default: true
    env:
      - name: IPAM_INVENTORY_VALIDATE_CERTS
  connection_timeout:
    description: Seconds to wait for the IPAM server to accept the connection and answer each request.
    type: int
    default: 30
  filter:
    description:
      - A JMESPath expression over the normalized IPAM records, applied before grouping. It must select whole records,
        for example V([?domain=='corp.example.com']) or V([?contains(server_types, 'dhcp')]).
      - "Each record has: C(name) (FQDN, lower case), C(server_types) (list of V(dhcp), V(dns), V(dc), V(nps)),
        C(manageability) (V(managed), V(unmanaged) or V(unspecified)), C(access_status) (C(overall), C(dhcp_rpc),
        C(dns_rpc), C(dhcp_audit_share), C(event_log); V(Unblocked), V(Blocked), V(Not applicable) or V(Not checked)),
        C(domain), C(forest), C(ipv4_addresses), C(ipv6_addresses), C(recommended_action), C(owner), C(description)."
      - A server the filter drops is not in the inventory at all; it is neither provisioned nor deprovisioned.
    type: str
  hostname:
    description:
      - Inventory host names. V(fqdn) is IPAM's server name in lower case, V(short) its first label.
      - Use the same style as any other inventory the hosts appear in. With V(short), two servers of the same short
        name in different domains are an error.
    type: str
    default: fqdn
    choices: [fqdn, short]
notes:
  - "Host variables: C(ansible_host) (the FQDN), C(ipam_server_types) (list of V(dhcp), V(dns), V(dc), V(nps)),
    C(ipam_manageability) (V(managed), V(unmanaged), V(unspecified)), C(ipam_state) (V(present) or V(absent); not set for
    Unspecified servers), C(ipam_access_status) (IPAM's overall status and the status per access type, as the IPAM
    console shows them), C(ipam_domain) (the AD DNS domain, which the roles use to apply domain-wide settings once per
    domain), C(ipam_recommended_action), C(ipam_ipv4_addresses)."
  - Servers appear only once IPAM knows them. Run IPAM's server discovery (ipam.provisioning.ipam_server_task) and add
    NPS servers by hand or with ipam.provisioning.ipam_server_inventory, since IPAM never discovers NPS servers.
  - "A failure to read IPAM (rejected credentials, unreachable server, no IPAM Server feature, malformed records) is an
    error naming the problem. ansible-playbook and ansible-inventory only warn about a source that fails and go on with
    the others; set C(any_unparsed_is_failed = true) in the C([inventory]) section of ansible.cfg
    (C(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true)) to stop instead. AWX runs inventory updates with
    C(ANSIBLE_INVENTORY_UNPARSED_FAILED=True), so the update fails and a job that updates the inventory on launch does
    not start on an inventory without the servers."
  - With O(cache) enabled the records IPAM returned are cached, so a cache hit connects to nothing; O(filter), grouping
    and O(compose) are applied again on each run. C(ansible-inventory --flush-cache) reads IPAM again.
seealso:
  - module: ipam.provisioning.ipam_server_inventory
  - module: ipam.provisioning.ipam_server_task
  - module: ipam.provisioning.ipam_access_status
"""

EXAMPLES = r"""
# ipam.yml: every server in IPAM's server inventory, over HTTPS with NTLM.
# The password comes from the environment (IPAM_INVENTORY_PASSWORD), e.g. an AWX credential.
plugin: ipam.provisioning.ipam_inventory
server: ipam01.corp.example.com
username: CORP\svc-ipam-read

---
# ipam.yml: Kerberos (a ticket from kinit or a keytab), one domain only, short host names,
# a group per manageability status and per domain, and the records cached for 10 minutes.
plugin: ipam.provisioning.ipam_inventory
server: ipam01.corp.example.com
transport: kerberos
filter: "[?domain=='corp.example.com']"
hostname: short
keyed_groups:
  - key: ipam_manageability
    prefix: ipam
  - key: ipam_domain
    prefix: domain
groups:
  # Managed servers IPAM cannot fully reach yet: what the next provision run will fix.
  ipam_blocked: ipam_state | default('') == 'present' and ipam_access_status.overall == 'Blocked'
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /var/tmp/ipam-inventory-cache
cache_timeout: 600

---
# ipam.yml: only DHCP servers that IPAM manages or should stop managing, reached by the IPv4
# address IPAM knows (fine with NTLM to the managed servers; Kerberos to them needs the names).
plugin: ipam.provisioning.ipam_inventory
server: ipam01.corp.example.com
username: svc-ipam-read@CORP.EXAMPLE.COM
filter: "[?contains(server_types, 'dhcp') && manageability != 'unspecified']"
compose:
  ansible_host: ipam_ipv4_addresses | first | default(ansible_host)
"""

import typing as t

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SERVER_TYPE_GROUPS
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_inventory_records import (
    PARENT_GROUP,
    UNSPECIFIED_GROUP,
    HostPlan,
    IpamInventoryError,
    apply_filter,
    check_filter,
    normalize_records,
    plan_hosts,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.ipam_inventory_transport import Settings, fetch_records

CONFIG_SUFFIXES = ('ipam.yml', 'ipam.yaml')
DEFAULT_PORTS = {'https': 5986, 'http': 5985}


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """Hosts, groups and ipam_state from the IPAM server inventory (see DOCUMENTATION)."""

    NAME = 'ipam.provisioning.ipam_inventory'

    def verify_file(self, path: str) -> bool:
        return bool(super().verify_file(path)) and str(path).endswith(CONFIG_SUFFIXES)

    def parse(self, inventory: t.Any, loader: t.Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            settings = self._settings()
            check_filter(self.get_option('filter'))   # a bad expression fails before anything is sent
            raw = self._raw_records(path, cache, settings)
            records = apply_filter(normalize_records(raw), self.get_option('filter'))
            plans = plan_hosts(records, self.get_option('hostname'))
        except IpamInventoryError as e:
            raise AnsibleParserError('%s: %s' % (self.NAME, e)) from None
        self._populate(plans)

    def _settings(self) -> Settings:
        scheme = self.get_option('scheme')
        port = self.get_option('port')
        return Settings(
            server=(self.get_option('server') or '').strip(),
            port=int(port) if port is not None else DEFAULT_PORTS.get(scheme, 5986),
            scheme=scheme,
            transport=self.get_option('transport'),
            username=self.get_option('username') or None,
            password=self.get_option('password') or None,
            validate_certs=bool(self.get_option('validate_certs')),
            connection_timeout=int(self.get_option('connection_timeout')),
        )

    def _raw_records(self, path: str, cache: bool, settings: Settings) -> list[t.Any]:
        """IPAM's records from the inventory cache when allowed and present, else from the IPAM server.

        The raw reply is cached (not the normalized records), so a cache hit is checked, filtered and
        grouped exactly like a fresh read.
        """
        use_cache = bool(self.get_option('cache'))
        cache_key = self.get_cache_key(path)
        if use_cache and cache:
            try:
                return self._cache[cache_key]
            except KeyError:
                pass   # expired or never written: read IPAM and store the reply below
        raw = fetch_records(settings)
        if use_cache:
            self._cache[cache_key] = raw
        return raw

    def _populate(self, plans: list[HostPlan]) -> None:
        # The type groups exist even when empty, so the playbooks' host patterns always match a group.
        self.inventory.add_group(PARENT_GROUP)
        for group in SERVER_TYPE_GROUPS.values():
            self.inventory.add_group(group)
            self.inventory.add_child(PARENT_GROUP, group)
        self.inventory.add_group(UNSPECIFIED_GROUP)
        strict = self.get_option('strict')
        for plan in plans:
            host = self.inventory.add_host(plan.name)
            for group in plan.groups:
                self.inventory.add_child(group, host)
            for key, value in plan.variables.items():
                self.inventory.set_variable(host, key, value)
            variables = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)
