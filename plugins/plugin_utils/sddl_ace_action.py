# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared planning for modules that add or remove one allow ACE per principal in an SDDL string.

``service_acl``, ``eventlog_customsd`` and ``dns_domain_acl`` differ only in what object they
address and which rights the ACE carries; the merge rules (by SID, every other character kept)
live in ``module_utils.sddl`` and are applied here once. The ACEs added are recorded on the host
(``AcesAdded``); ``absent`` removes only recorded ones, unless ``remove_unrecorded``.
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils import sddl
from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import ace as make_ace
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

COMMON_OPTIONS: dict[str, dict[str, t.Any]] = {
    'principals': {'type': 'list', 'elements': 'str', 'required': True},
    'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    'allow_broad_principals': {'type': 'bool', 'default': False},
    'remove_conflicting_deny': {'type': 'bool', 'default': False},
    'remove_unrecorded': {'type': 'bool', 'default': False},
}

UNRECORDED_REASON = ('there before this collection added it (not in its ownership record); '
                     'remove_unrecorded: true removes it')


class SddlAceAction(RemoteAccessAction):
    """Plans ACE edits; subclasses name the object and the ACE."""

    ACE_FLAGS = ''
    SDDL_KEY = 'sddl'  # read/apply key carrying the descriptor

    def target_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Options that address the object (sent with read and apply)."""
        raise NotImplementedError

    def describe(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        """The object in words, for messages: "service 'DNS'"."""
        raise NotImplementedError

    def rights(self, params: dict[str, t.Any]) -> str:
        return params['rights']

    def missing_reason(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str | None:
        """Why the object cannot be edited (does not exist...), or None."""
        if not state.get('exists'):
            return '%s does not exist' % self.describe(params, state)
        if state.get(self.SDDL_KEY) is None:
            return '%s has no security descriptor to edit' % self.describe(params, state)
        return None

    def result_keys(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        """Extra keys returned to the user (the object's identity)."""
        return {}

    # ------------------------------------------------------------------
    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        if 'rights' in params:
            try:  # bad rights are refused before anything is sent to the host
                sddl.parse_ace(make_ace(params['rights'], 'S-1-5-18', self.ACE_FLAGS))
            except sddl.SddlError as e:
                # e.reason, not str(e): the offset would point into the ACE we built, not the user's text
                raise AnsibleActionFail('%s: option rights: %r is not an SDDL access mask (%s)' % (
                    self.MODULE, params['rights'], e.reason)) from None
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return dict(self.target_args(params), principals=params['principals'])

    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        reason = self.missing_reason(params, state)
        if reason:
            self._fail(reason)
        present = params['state'] == 'present'
        principals = self.resolved_principals(state, allow_broad=params['allow_broad_principals'], check_broad=present)
        domain_sid = (state.get('host') or {}).get('domain_sid')
        before = state[self.SDDL_KEY]
        what = self.describe(params, state)
        try:
            parsed = sddl.parse(before, domain_sid=domain_sid)
        except sddl.SddlError as e:
            self._fail('%s is not valid SDDL (%s): %r' % (what, e, before))
        if parsed.dacl is None and present:
            # No DACL means everyone has full access; adding one ACE would lock everyone else out.
            self._fail('%s has no DACL (which grants everyone access); refusing to add one: %r' % (what, before))

        # The ACE each principal gets (present) or loses (absent).
        wanted_aces = [(principal, make_ace(self.rights(params), principal['sid'], self.ACE_FLAGS))
                       for principal in principals]
        recorded, unreadable = self._recorded_aces(state, domain_sid)
        text, added, removed = before, [], []
        pre_existing: list[dict[str, t.Any]] = []
        kept: list[dict[str, t.Any]] = []
        record_add: list[str] = []
        record_remove: list[str] = []
        removed_deny = self._conflicting_denies(params, wanted_aces, before, domain_sid, what) if present else []
        if removed_deny:
            text = sddl.remove_aces(text, tuple(removed_deny))
        for principal, wanted in wanted_aces:
            ours = [r for r in recorded if sddl.same_ace(r, wanted, domain_sid=domain_sid)]
            try:
                edit = sddl.add_ace(text, wanted, domain_sid=domain_sid) if present \
                    else sddl.remove_ace(text, wanted, domain_sid=domain_sid)
            except sddl.SddlError as e:
                self._fail('cannot edit %s: %s' % (what, e))
            entry = {'sid': principal['sid'], 'name': principal['name'], 'ace': wanted}
            if present:
                if edit.changed:
                    text = edit.text
                    added.append(wanted)
                    record_add.append(wanted)
                elif not ours:
                    pre_existing.append(entry)
                continue
            # absent: the ACE goes only when the record says this collection added it.
            if edit.changed and not ours and not params['remove_unrecorded']:
                pre_existing.append(entry)
                kept.append(dict(entry, reason=UNRECORDED_REASON))
                continue
            if edit.changed:
                text = edit.text
                removed.append(wanted)
            # Recorded ACEs that are gone already (removed by hand, or a run stopped after its record)
            # are forgotten as well, so the record never outlives the grant.
            record_remove.extend(ours)
        forgotten = [r for r in record_remove if not any(sddl.same_ace(r, x, domain_sid=domain_sid) for x in removed)]

        changed = text != before or bool(forgotten)
        result = dict(self.result_keys(params, state))
        result.update({
            self.SDDL_KEY: text, 'added': added, 'removed': removed,
            'removed_deny': [ace.text for ace in removed_deny],
            'principals': [{'sid': p['sid'], 'name': p['name']} for p in principals],
            'pre_existing': pre_existing, 'kept': kept, 'forgotten': forgotten,
        })
        warnings = ['%s on %s: the ownership record of %s holds entries that are not ACEs and were ignored: %s' % (
            self.MODULE, self.host_label, what, ', '.join(repr(u) for u in unreadable))] if unreadable else []

        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            # Windows may normalize the text it stores (letter order, hex masks), so check meaning.
            after = reply.get(self.SDDL_KEY)
            if after is None:
                raise AnsibleActionFail('%s on %s: the host returned no descriptor after writing %s' % (
                    self.MODULE, self.host_label, what))
            for ace_text in added:
                if sddl.add_ace(after, ace_text, domain_sid=domain_sid).changed:
                    raise AnsibleActionFail('%s on %s: after writing, %s still lacks %s (host reports %r)' % (
                        self.MODULE, self.host_label, what, ace_text, after))
                left = sddl.conflicting_denies(after, ace_text, domain_sid=domain_sid)
                if left:
                    raise AnsibleActionFail('%s on %s: after writing, %s still denies what %s grants: %s' % (
                        self.MODULE, self.host_label, what, ace_text, ', '.join(a.text for a in left)))
            for ace_text in removed:
                if sddl.remove_ace(after, ace_text, domain_sid=domain_sid).changed:
                    raise AnsibleActionFail('%s on %s: after writing, %s still holds %s (host reports %r)' % (
                        self.MODULE, self.host_label, what, ace_text, after))
            return {self.SDDL_KEY: after}

        return Plan(
            changed=changed,
            result=result,
            apply_args=dict(self.target_args(params), record_add=record_add, record_remove=record_remove,
                            **{self.SDDL_KEY: text}) if changed else None,
            before={self.SDDL_KEY: before},
            after={self.SDDL_KEY: text},
            verify=verify,
            warnings=warnings,
        )

    @staticmethod
    def _recorded_aces(state: dict[str, t.Any], domain_sid: str | None) -> tuple[list[str], list[str]]:
        """The ACEs the host's ownership record holds for the object, and the entries that are not ACEs
        (a damaged or forged record is reported, never acted on)."""
        good, bad = [], []
        for entry in state.get('recorded') or []:
            try:
                sddl.parse_ace(str(entry), domain_sid=domain_sid)
            except sddl.SddlError:
                bad.append(str(entry))
                continue
            good.append(str(entry))
        return good, bad

    def _conflicting_denies(self, params: dict[str, t.Any], wanted_aces: list[tuple[dict[str, t.Any], str]], before: str,
                            domain_sid: str | None, what: str) -> list[sddl.Ace]:
        """The explicit Deny ACEs of the principals that would void the Allow we add (Windows applies
        them first); refused unless remove_conflicting_deny asks to remove them."""
        found: dict[int, tuple[dict[str, t.Any], sddl.Ace]] = {}
        for principal, wanted in wanted_aces:
            for ace in sddl.conflicting_denies(before, wanted, domain_sid=domain_sid):
                found.setdefault(ace.start, (principal, ace))
        if found and not params['remove_conflicting_deny']:
            self._fail('%s denies %s: %s. Windows applies an explicit Deny before any Allow, so the access stays '
                       'denied whatever is added. Remove the Deny, or set remove_conflicting_deny: true '
                       '(ipam_remove_conflicting_deny for the roles) to have it removed' % (
                           what, ', '.join(sorted({p['name'] for p, _ace in found.values()})),
                           '; '.join(sddl.describe(ace) for _p, ace in found.values())))
        return [ace for _p, ace in found.values()]
