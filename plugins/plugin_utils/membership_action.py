# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared planning for the modules that add principals to, or remove them from, one Windows group.

``group_membership`` and ``dhcp_users_membership`` differ only in how they name the group (a
well-known SID, or the DHCP role's localized names) and in what the DHCP module adds around the
change (service restart). The rules live here once: members are compared by SID, ``present`` adds
only the principals that are missing and records them as added by this collection, ``absent``
removes only the given principals that record names (unless ``remove_unrecorded``), and every other
member (orphaned SIDs of deleted accounts, principals that were members before us) is kept.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import is_domain_controller
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

MEMBERSHIP_OPTIONS: dict[str, dict[str, t.Any]] = {
    # 'members' is what ansible.windows.win_group_membership calls them.
    'principals': {'type': 'list', 'elements': 'str', 'required': True, 'aliases': ['members']},
    'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    'allow_broad_principals': {'type': 'bool', 'default': False},
    'remove_unrecorded': {'type': 'bool', 'default': False},
}

UNRECORDED_REASON = ('a member before this collection added it (not in its ownership record); '
                     'remove_unrecorded: true removes it')

Member = dict[str, str]


def member_entry(sid: str, name: str | None) -> Member:
    """{sid, name}; a member whose SID no longer resolves is shown by its SID."""
    return {'sid': sid.upper(), 'name': name or sid.upper()}


def sorted_members(members: t.Iterable[Member]) -> list[Member]:
    """Deterministic order for results and diffs: by name (case-insensitive), then SID."""
    return sorted(members, key=lambda m: (m['name'].casefold(), m['sid']))


def member_labels(members: t.Iterable[Member]) -> list[str]:
    """What the diff shows per member: its name, or its SID when it has none."""
    return [m['name'] for m in sorted_members(members)]


class MembershipAction(RemoteAccessAction):
    """Plans group membership edits; subclasses say which group and add their own result keys."""

    def group_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Options that address the group (sent with read and apply)."""
        raise NotImplementedError

    def describe_group(self, params: dict[str, t.Any]) -> str:
        """The group as the user named it, for messages."""
        raise NotImplementedError

    def missing_group_message(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        return '%s was not found' % self.describe_group(params)

    def extra_result(self, params: dict[str, t.Any], state: dict[str, t.Any], changed: bool) -> dict[str, t.Any]:
        """Keys a subclass adds to the result."""
        return {}

    def extra_apply_args(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        """Options a subclass adds to the apply call."""
        return {}

    def verify_extra(self, params: dict[str, t.Any], state: dict[str, t.Any], reply: dict[str, t.Any],
                     result: dict[str, t.Any]) -> dict[str, t.Any]:
        """Result keys a subclass derives from the apply reply (may raise)."""
        return {}

    def plan_warnings(self, params: dict[str, t.Any], state: dict[str, t.Any], group: dict[str, t.Any],
                      changed: bool) -> list[str]:
        """Warnings a subclass attaches to the result."""
        return []

    # ------------------------------------------------------------------
    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return dict(self.group_args(params), principals=params['principals'])

    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def domain_note(self, group: dict[str, t.Any], present: bool) -> str:
        return ("%s is a domain controller: '%s' is a group of the Active Directory domain, shared by every domain "
                "controller of the domain, so %s here applies to all of them" % (
                    self.host_label, group['name'], 'adding' if present else 'removing'))

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        group = state.get('group')
        if not group or not group.get('sid'):
            self._fail(self.missing_group_message(params, state))
        present = params['state'] == 'present'
        principals = self.resolved_principals(state, allow_broad=params['allow_broad_principals'], check_broad=present)
        group_sid = group['sid'].upper()
        for principal in principals:
            if principal['sid'] == group_sid:
                self._fail("principal '%s' is the group '%s' itself" % (principal['input'], group['name']))

        before = [member_entry(m['sid'], m.get('name')) for m in state.get('members') or []]
        current = {m['sid'] for m in before}
        wanted = {p['sid'] for p in principals}
        recorded = {str(s).upper() for s in state.get('recorded') or []}
        # Wanted principals that are members although this collection never recorded adding them.
        pre_existing = sorted_members(m for m in before if m['sid'] in wanted and m['sid'] not in recorded)
        if present:
            added = [member_entry(p['sid'], p['name']) for p in principals if p['sid'] not in current]
            removed: list[Member] = []
            kept: list[dict[str, str]] = []
            record_add = [m['sid'] for m in added]
            record_remove: list[str] = []
        else:
            added = []
            ours = current & wanted if params['remove_unrecorded'] else current & wanted & recorded
            removed = sorted_members(m for m in before if m['sid'] in ours)
            kept = [dict(m, reason=UNRECORDED_REASON) for m in pre_existing if m['sid'] not in ours]
            record_add = []
            # Recorded members that are gone already (removed by hand, or a run stopped between its
            # record and its change) are forgotten too, so the record never outlives the grant.
            record_remove = sorted(wanted & (recorded | ours))
        removed_sids = {m['sid'] for m in removed}
        after = sorted_members([m for m in before if m['sid'] not in removed_sids] + added)
        forgotten = sorted(set(record_remove) - current)
        members_changed = bool(added or removed)
        changed = members_changed or bool(forgotten)

        host = state.get('host') or {}
        domain_wide = is_domain_controller(host.get('domain_role')) or group.get('scope') == 'domain'
        if members_changed and host.get('read_only_dc'):
            # Checked in check mode too, so that an audit predicts the refusal instead of a change.
            self._fail("%s is a read-only domain controller: '%s' is a group of the Active Directory domain, which "
                       "only a writable domain controller changes (a read-only one refers the write); run this against a "
                       "writable domain controller of the domain, whose change every domain controller then shares "
                       "(the roles let a writable domain controller of the play apply it for all)"
                       % (self.host_label, group['name']))
        group_result = {'name': group.get('name'), 'sid': group_sid, 'scope': 'domain' if domain_wide else 'local'}
        if 'matched_by' in group:  # dhcp_users_membership: found by SID or by one of the candidate names
            group_result['matched_by'] = group['matched_by']
        result: dict[str, t.Any] = {
            'group': group_result,
            'domain_wide': domain_wide,
            'added': added,
            'removed': removed,
            'members': after,
            'principals': [{'sid': p['sid'], 'name': p['name']} for p in principals],
            'pre_existing': pre_existing,
            'kept': kept,
            'forgotten': forgotten,
        }
        if domain_wide:
            result['note'] = self.domain_note(group_result, present)
        result.update(self.extra_result(params, state, members_changed))

        apply_args = None
        if changed:
            apply_args = dict(self.group_args(params), add=[m['sid'] for m in added], remove=sorted(removed_sids),
                              record_add=record_add, record_remove=record_remove)
            if members_changed:  # forgetting a stale record needs no service restart
                apply_args.update(self.extra_apply_args(params, state))

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            final = [member_entry(m['sid'], m.get('name')) for m in reply.get('members') or []]
            final_sids = {m['sid'] for m in final}
            missing = [m['name'] for m in added if m['sid'] not in final_sids]
            left = [m['name'] for m in removed if m['sid'] in final_sids]
            if missing or left:
                raise AnsibleActionFail('%s on %s: after writing, group %s %s (host reports members %s)' % (
                    self.MODULE, self.host_label, group_result['name'],
                    'still lacks %s' % ', '.join(missing) if missing else 'still holds %s' % ', '.join(left),
                    ', '.join(member_labels(final)) or 'none'))
            extra = {'members': sorted_members(final)}
            extra.update(self.verify_extra(params, state, reply, dict(result, **extra)))
            return extra

        return Plan(
            changed=changed,
            result=result,
            apply_args=apply_args,
            before={'members': member_labels(before)},
            after={'members': member_labels(after)},
            verify=verify,
            warnings=self.plan_warnings(params, state, group_result, members_changed),
        )
