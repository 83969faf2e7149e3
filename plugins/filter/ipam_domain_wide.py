# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter ipam_domain_wide: which domain controller applies each domain-wide setting of a domain.

A group on a domain controller and the MicrosoftDNS object exist once per domain. Every DC of the
domain would otherwise read and write the same object, so one DC per domain and setting (the
leader) applies it and the others (followers) record the leader's outcome. The decision is made
from the ``ipam_host_plan`` facts every host of the play sets before, read through hostvars, so
every DC of a domain reaches the same answer without talking to the others.
"""
from __future__ import annotations

DOCUMENTATION = r'''
name: ipam_domain_wide
short_description: Decide which domain controller applies each domain-wide IPAM setting
version_added: 0.1.0
description:
  - Domain-wide settings (groups on domain controllers, the MicrosoftDNS ACE) are one object per
    domain. For each domain-wide setting in this host's plan, returns whether this host applies it
    (V(apply), it is the leader), records the leader's outcome (V(follow)), or leaves it alone
    (V(not_applicable)).
  - The leader is the first host in O(active_hosts) (the hosts of the batch still running, in inventory
    order) whose plan has the same domain, the same state and the setting, writable domain controllers
    before read-only ones (plan C(read_only_dc)), which refer every write to a writable one. A domain
    controller that became unreachable earlier in the play is not in O(active_hosts), so the next one leads.
  - When removing (state V(absent)), the setting is left in place (V(not_applicable)) while other
    domain controllers of the domain stay managed, that is, are not being removed in this play,
    unless the plan's C(remove_domain_wide) is true. The domain controllers considered are those of
    O(domain_controllers) and, when the plan has C(directory), every DC listed by the domain's own
    directory, because the run's inventory may hold only some of them (C(--limit), an AWX job
    slice). Domain controllers outside the play count as managed.
  - A plan whose C(directory) could not be read (C(controllers) null) keeps the setting, because
    whether another DC remains is unknown and removing shared access on a guess could cut IPAM off.
  - Used by the roles of this collection between the host-level settings and the domain-wide ones;
    needs the linear strategy so that every host has set its plan first.
options:
  _input:
    description:
      - This host's plan (the C(ipam_host_plan) fact the roles set), with C(host), C(domain),
        C(state), C(remove_domain_wide) and C(settings) (from P(ipam.provisioning.ipam_settings#filter)),
        and C(read_only_dc) (true for a read-only domain controller, as the host reported it).
      - A domain controller's plan has C(directory), what its own directory says (null on other hosts),
        with C(controllers) (the DNS host names of the domain's DCs, or null when unreadable),
        C(self) (its own name in that list) and C(error) (see RV(ipam.provisioning.access_info#module:domain)).
    type: dict
    required: true
  hostvars:
    description: C(hostvars), to read the other hosts' C(ipam_host_plan) and C(ipam_domain).
    type: dict
    required: true
  active_hosts:
    description:
      - C(ansible_play_batch), the hosts still running in this batch. With C(serial) each batch has
        its own leader (the setting is then read once per batch, which is harmless).
    type: list
    elements: str
    required: true
  play_hosts:
    description: C(ansible_play_hosts_all); plans of other hosts are only trusted for these.
    type: list
    elements: str
    required: true
  domain_controllers:
    description: The inventory group of managed domain controllers, C(groups['domain_controllers']).
    type: list
    elements: str
    default: []
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Decide who applies the domain-wide settings
  ansible.builtin.set_fact:
    ipam_domain_settings: >-
      {{ ipam_host_plan | ipam.provisioning.ipam_domain_wide(hostvars, ansible_play_batch, ansible_play_hosts_all,
         groups['domain_controllers'] | default([])) }}
'''

RETURN = r'''
_value:
  description: This host's domain-wide settings that are to be applied, each with a decision.
  type: list
  elements: dict
  contains:
    action:
      description: V(apply) (this host leads), V(follow) or V(not_applicable).
      type: str
      sample: follow
    leader:
      description: The host that applies the setting for the domain (null for V(not_applicable)).
      type: str
      sample: dc01
    reason:
      description: Why the setting is left alone (V(not_applicable)), else empty.
      type: str
'''

import ipaddress
import typing as t

from ansible.errors import AnsibleFilterError


def domain_from_name(name: str) -> str:
    """The DNS domain of an FQDN inventory name ('' for short names and IP addresses)."""
    try:
        ipaddress.ip_address(name)
        return ''
    except ValueError:
        pass
    return name.split('.', 1)[1].lower() if '.' in name else ''


class Fleet:
    """The plans of the play's hosts and the domains of the managed domain controllers."""

    def __init__(self, hostvars: t.Any, play_hosts: t.Iterable[str]) -> None:
        self.hostvars = hostvars
        self.play_hosts = set(play_hosts)

    def _vars(self, host: str) -> t.Mapping[str, t.Any]:
        try:
            found = self.hostvars[host]
        except KeyError:
            return {}
        return found if isinstance(found, t.Mapping) else {}

    def plan(self, host: str) -> t.Mapping[str, t.Any] | None:
        if host not in self.play_hosts:  # a fact left by an earlier play of the run says nothing about this one
            return None
        plan = self._vars(host).get('ipam_host_plan')
        return plan if isinstance(plan, t.Mapping) and plan.get('host') == host else None

    def domain(self, host: str) -> str:
        plan = self.plan(host)
        if plan is not None:
            return str(plan.get('domain') or '').lower()
        return str(self._vars(host).get('ipam_domain') or domain_from_name(host)).lower()

    def removing(self, host: str) -> bool:
        plan = self.plan(host)
        return plan is not None and plan.get('state') == 'absent'

    def names(self, host: str, plan: t.Mapping[str, t.Any] | None = None) -> set[str]:
        """Every lower-case name a host may have in a directory listing: as given, as FQDN, as it listed itself."""
        plan = plan if plan is not None else self.plan(host)
        found = {host.lower()}
        domain = str(plan.get('domain') or '').lower() if plan is not None else self.domain(host)
        if domain and not domain_from_name(host) and '.' not in host and ':' not in host:
            found.add('%s.%s' % (host.lower(), domain))
        listed_as = directory_of(plan).get('self') if plan is not None else None
        if listed_as:
            found.add(str(listed_as).lower())
        return found

    def remaining(self, plan: t.Mapping[str, t.Any], domain_controllers: t.Iterable[str]) -> list[str]:
        """Other DCs of the plan's domain that stay managed after this play (inventory names first)."""
        domain = str(plan.get('domain') or '').lower()
        leaving = self.names(plan['host'], plan)
        for host in self.play_hosts:
            if self.removing(host) and self.domain(host) == domain:
                leaving |= self.names(host)
        others: list[str] = []
        seen = set(leaving)
        for host in domain_controllers:
            if host == plan['host'] or self.domain(host) != domain or self.removing(host):
                continue
            others.append(host)
            seen |= self.names(host)
        for listed in directory_of(plan).get('controllers') or []:
            if str(listed).lower() not in seen:
                others.append(str(listed).lower())
                seen.add(str(listed).lower())
        return others

    def keep_reason(self, plan: t.Mapping[str, t.Any], domain_controllers: t.Iterable[str]) -> str:
        """Why a removal leaves the plan's domain-wide settings in place ('' when it does not)."""
        if plan.get('state') != 'absent' or plan.get('remove_domain_wide'):
            return ''
        domain = str(plan.get('domain') or '').lower() or 'this domain'
        directory = directory_of(plan)
        if directory and directory.get('controllers') is None:
            return ('domain-wide setting kept: the domain controllers of %s could not be listed from Active Directory (%s), '
                    'so whether others stay managed is unknown; set ipam_remove_domain_wide: true to remove it from the domain'
                    % (domain, directory.get('error') or 'no reason given'))
        others = self.remaining(plan, domain_controllers)
        if not others:
            return ''
        return ('domain-wide setting kept: other domain controller(s) of %s remain (%s), and a DC this run does not '
                'remove counts as managed; set ipam_remove_domain_wide: true to remove it from the domain'
                % (domain, ', '.join(others)))


def directory_of(plan: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any]:
    """The plan's directory listing of its domain's DCs ({} when the host did not read one)."""
    directory = plan.get('directory')
    return directory if isinstance(directory, t.Mapping) else {}


def domain_settings(plan: t.Mapping[str, t.Any]) -> list[t.Mapping[str, t.Any]]:
    return [s for s in plan.get('settings') or [] if s.get('scope') == 'domain' and s.get('action') == 'apply']


def ipam_domain_wide(plan: t.Any, hostvars: t.Any, active_hosts: t.Any, play_hosts: t.Any,
                     domain_controllers: t.Any = None) -> list[dict[str, t.Any]]:
    if not isinstance(plan, t.Mapping) or not plan.get('host'):
        raise AnsibleFilterError('ipam_domain_wide: expected the ipam_host_plan fact of this host, got %r' % (plan,))
    if not domain_settings(plan):
        # Most hosts (every member server) have none: answered without reading the other hosts' plans, which
        # would cost each host a pass over the whole batch (quadratic in the fleet).
        return []
    dcs = list(domain_controllers or [])
    fleet = Fleet(hostvars, list(play_hosts or []) + [plan['host']])
    me = str(plan['host'])
    domain = str(plan.get('domain') or '').lower()
    out = []
    reason = fleet.keep_reason(plan, dcs)
    # Who may lead, in the order of active_hosts: same domain and state, and not keeping its settings.
    candidates: list[tuple[str, set[str], bool]] = []
    if not reason:
        for host in active_hosts or []:
            peer = plan if host == me else fleet.plan(host)
            if peer is None or str(peer.get('domain') or '').lower() != domain or peer.get('state') != plan.get('state'):
                continue
            if peer is plan or not fleet.keep_reason(peer, dcs):
                candidates.append((host, {s['id'] for s in domain_settings(peer)}, bool(peer.get('read_only_dc'))))
        # A read-only DC refers writes to a writable one, so a writable DC of the play leads where there is one.
        candidates.sort(key=lambda candidate: candidate[2])
    for setting in domain_settings(plan):
        decided = dict(setting, leader=None, reason='')
        if reason:
            decided.update(action='not_applicable', reason=reason)
        else:
            leader = next((host for host, ids, _read_only in candidates if setting['id'] in ids), me)
            decided.update(action='apply' if leader == me else 'follow', leader=leader)
        out.append(decided)
    return out


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {'ipam_domain_wide': ipam_domain_wide}
