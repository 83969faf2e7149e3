# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.dhcpaudit_share: the DHCP audit log share with Read for IPAM.

The PowerShell half reports the share (path and access list, by SID) and the audit folder; this
plugin decides whether to create the share, which principals to grant or revoke, and whether a
removal deletes the share (only when this collection created it, per the host's record).
"""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    DHCP_AUDIT_SHARE,
    DHCP_LOG_PATH_KEY,
    DHCP_LOG_PATH_VALUE,
    EVERYONE_SID,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan, RemoteAccessAction

ALLOW, DENY = 'Allow', 'Deny'
READ = 'Read'
# The access mask of the share right Read (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE, 0x1200A9), and the generic
# rights a share ACE may hold instead: GENERIC_ALL, or GENERIC_READ with GENERIC_EXECUTE. Whether an ACE lets
# IPAM read is decided from these bits, never from the name of a mask: neither this module's names nor the SMB
# provider's (which calls every mask it does not know Custom) are documented mask by mask (windows-api.md R7).
# https://learn.microsoft.com/windows/win32/fileio/file-security-and-access-rights
READ_MASK = 0x1200A9
_GENERIC_ALL = 0x10000000
_GENERIC_READ_EXECUTE = 0xA0000000
# A Deny for these reaches every account that connects over the network, whatever the principal.
_DENY_FOR_ALL = {'S-1-1-0': 'Everyone', 'S-1-5-2': 'NETWORK', 'S-1-5-11': 'Authenticated Users'}
UNRECORDED_REASON = ('had this right before this collection granted it (not in its ownership record); '
                     'remove_unrecorded: true revokes it')


def access_label(entry: dict[str, t.Any]) -> str:
    """One access entry for diffs: 'CORP\\IPAM01$: Allow Read' (the SID when there is no name)."""
    return '%s: %s %s' % (entry.get('name') or entry['sid'], entry['type'], entry['right'])


def grants_read(entry: dict[str, t.Any]) -> bool:
    """Whether an access entry is an Allow whose mask holds every right of Read, whatever the mask is called."""
    mask = int(entry.get('mask') or 0)
    return entry['type'] == ALLOW and ((mask & READ_MASK) == READ_MASK or bool(mask & _GENERIC_ALL)
                                       or (mask & _GENERIC_READ_EXECUTE) == _GENERIC_READ_EXECUTE)


def shown(entries: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Access entries as results show them: {sid, name, type, right}; the mask only serves the decisions."""
    return [{k: v for k, v in e.items() if k != 'mask'} for e in entries]


def share_view(exists: bool, path: str | None, access: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    """The share as the diff shows it."""
    return {'exists': exists, 'path': path, 'access': [access_label(e) for e in access]}


def normalize_path(path: str) -> str:
    """Windows paths compare case-insensitively and without a trailing separator."""
    return path.replace('/', '\\').rstrip('\\').casefold()


class ActionModule(RemoteAccessAction):
    MODULE = 'ipam.provisioning.dhcpaudit_share'
    ARGUMENT_SPEC = {
        'principals': {'type': 'list', 'elements': 'str', 'required': True},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
        'allow_broad_principals': {'type': 'bool', 'default': False},
        'name': {'type': 'str', 'default': DHCP_AUDIT_SHARE},
        'path': {'type': 'str'},
        'remove_everyone': {'type': 'bool', 'default': False},
        'remove_unrecorded': {'type': 'bool', 'default': False},
    }
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'name', 'path', 'create', 'grant', 'revoke', 'delete',
                                'record_created', 'record_add', 'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode', 'name'})

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        name = params['name']
        # Share names cannot hold these characters (Windows refuses them; a path is a common mistake).
        if not name or any(c in name for c in '\\/[]:|<>+=;,?*"') or len(name) > 80:
            raise AnsibleActionFail('%s: option name: %r is not a valid SMB share name' % (self.MODULE, name))
        if params['path'] is not None and not params['path'].strip():
            raise AnsibleActionFail('%s: option path must not be empty; omit it to share the folder in %s\\%s'
                                    % (self.MODULE, DHCP_LOG_PATH_KEY, DHCP_LOG_PATH_VALUE))
        return params, no_log_values

    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        return {'name': params['name'], 'path': params['path'], 'principals': params['principals']}

    # ------------------------------------------------------------------ planning
    def _fail(self, message: str) -> t.NoReturn:
        raise AnsibleActionFail('%s on %s: %s; nothing was changed' % (self.MODULE, self.host_label, message))

    def _wanted_path(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        """The folder to share; fails when it is not configured or does not exist on the host."""
        info = state.get('path') or {}
        value = info.get('value')
        if not value:
            if info.get('source') == 'option':
                self._fail('option path is empty')
            self._fail('the DHCP audit log folder is not configured: registry value %s\\%s is missing or empty '
                       '(is the DHCP Server role installed and its audit log set with Set-DhcpServerAuditLog -Path?); '
                       'set option path to share another folder' % (DHCP_LOG_PATH_KEY, DHCP_LOG_PATH_VALUE))
        if not info.get('exists'):
            where = 'option path' if info.get('source') == 'option' else 'registry value %s\\%s' % (
                DHCP_LOG_PATH_KEY, DHCP_LOG_PATH_VALUE)
            self._fail("folder '%s' (from %s) does not exist" % (value, where))
        return value

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        present = params['state'] == 'present'
        name = params['name']
        principals = self.resolved_principals(state, allow_broad=params['allow_broad_principals'], check_broad=present)
        share = state.get('share')
        exists = bool(share and share.get('exists'))
        share_path = share.get('path') if exists else None
        before_access: list[dict[str, t.Any]] = [dict(e, sid=str(e['sid']).upper()) for e in (share.get('access') or [])] \
            if exists else []
        created_by_us = bool(state.get('created_by_collection'))
        recorded = {str(s).upper() for s in state.get('recorded') or []}
        if present:
            plan = self._plan_present(params, state, principals, exists, share_path, before_access, created_by_us)
        else:
            plan = self._plan_absent(params, principals, exists, share_path, before_access, created_by_us, recorded)
        if exists and not created_by_us:
            # Read (or more) that the principals had although this collection's record does not say it granted it.
            plan.result['pre_existing'] = [
                {'sid': e['sid'], 'name': e.get('name') or e['sid'], 'type': e['type'], 'right': e['right']}
                for e in before_access if e['type'] == ALLOW and e['sid'] in {p['sid'] for p in principals}
                and e['sid'] not in recorded]
        else:
            plan.result['pre_existing'] = []
        plan.result.setdefault('kept', [])
        plan.result.setdefault('forgotten', [])
        return plan

    def _plan_present(self, params: dict[str, t.Any], state: dict[str, t.Any], principals: list[dict[str, t.Any]],
                      exists: bool, share_path: str | None, before_access: list[dict[str, t.Any]],
                      created_by_us: bool) -> Plan:
        name = params['name']
        remove_everyone = params['remove_everyone']
        path = self._wanted_path(params, state)
        if remove_everyone and any(p['sid'] == EVERYONE_SID for p in principals):
            self._fail("principal '%s' is Everyone (%s), which remove_everyone: true removes" % (
                next(p['input'] for p in principals if p['sid'] == EVERYONE_SID), EVERYONE_SID))

        actions: list[str] = []
        create = not exists
        if exists:
            if normalize_path(share_path or '') != normalize_path(path):
                self._fail("share '%s' already exists for folder '%s', not '%s'; this module never repoints an existing "
                           "share: remove or rename that share, or set path: '%s'" % (name, share_path, path, share_path))
            for principal in principals:
                denied = [e for e in before_access if e['sid'] == principal['sid'] and e['type'] == DENY]
                if denied:
                    self._fail("share '%s' has a Deny ACE for '%s' (%s), which overrides any Read this module could "
                               "grant; remove it first (Unblock-SmbShareAccess)" % (name, principal['name'], principal['sid']))
            for entry in before_access:
                if entry['type'] == DENY and entry['sid'] in _DENY_FOR_ALL:
                    self._fail("share '%s' has a Deny ACE for %s (%s), which denies every principal access; remove it "
                               "first (Unblock-SmbShareAccess)" % (name, entry.get('name') or _DENY_FOR_ALL[entry['sid']], entry['sid']))
            access = [dict(e) for e in before_access]
        else:
            actions.append('New-SmbShare -Name %s -Path %s' % (name, path))
            # New-SmbShare without access parameters grants Everyone Read: plan what Windows will do.
            everyone = next((p for p in principals if p['sid'] == EVERYONE_SID), None)
            access = [{'sid': EVERYONE_SID, 'name': everyone['name'] if everyone else None, 'type': ALLOW, 'right': READ,
                       'mask': READ_MASK}]

        grant: list[dict[str, t.Any]] = []
        for principal in principals:
            allows = [e for e in access if e['sid'] == principal['sid'] and e['type'] == ALLOW]
            if any(grants_read(e) for e in allows):
                continue
            if allows:
                # Grant-SmbShareAccess replaces every Allow ACE of the account: the right someone gave it would be lost.
                self._fail("share '%s' gives '%s' (%s) %s without every right of Read (mask 0x%X lacks some of 0x%X); "
                           "granting Read would replace it, so give it Read or more, or revoke it, first" % (
                               name, principal['name'], principal['sid'], allows[0]['right'],
                               int(allows[0].get('mask') or 0), READ_MASK))
            grant.append(principal)
        # Grant-SmbShareAccess takes account names only: a SID that names no account cannot be granted.
        unnamed = {(e.get('sid') or '').upper() for e in state.get('principals') or [] if e.get('sid') and not e.get('name')}
        for principal in grant:
            if principal['sid'] in unnamed:
                self._fail("principal '%s' (%s) maps to no account on the host, and Grant-SmbShareAccess can only "
                           "grant to an account name" % (principal['input'], principal['sid']))
        revoke: list[dict[str, t.Any]] = []
        if remove_everyone:
            revoke = [e for e in access if e['sid'] == EVERYONE_SID and e['type'] == ALLOW][:1]

        added = [{'sid': p['sid'], 'name': p['name'], 'type': ALLOW, 'right': READ, 'mask': READ_MASK} for p in grant]
        removed = [e for e in access if e['type'] == ALLOW and any(r['sid'] == e['sid'] for r in revoke)]
        granted_sids = {p['sid'] for p in grant}
        revoked_sids = {r['sid'] for r in revoke}
        # Grant-SmbShareAccess replaces the right of an existing Allow ACE of the same account.
        after_access = [e for e in access if not (e['type'] == ALLOW and (e['sid'] in granted_sids or e['sid'] in revoked_sids))]
        after_access.extend(added)
        actions.extend(self._grant_action(name, p) for p in grant)
        actions.extend('Revoke-SmbShareAccess -Name %s -AccountName %s -Force' % (name, r.get('name') or r['sid']) for r in revoke)
        # On creation the planned removals are part of what this task does but were never on the host before.
        if create:
            removed = []

        changed = create or bool(grant) or bool(revoke)
        apply_args = None
        if changed:
            apply_args = {
                # The folder planned, not the option: the host must not re-read a registry value that may have moved.
                'name': name, 'path': path if create else None, 'create': create or None,
                'grant': [p['sid'] for p in grant] or None,
                'revoke': sorted(revoked_sids) or None,
                'record_created': True if create else None,
                'record_add': [p['sid'] for p in grant] or None,
            }
        result = self._result(name, share_path if exists else path, principals, after_access, added, removed, create, False,
                              actions, created_by_us or create)
        return Plan(
            changed=changed, result=result, apply_args=apply_args,
            before=share_view(exists, share_path, before_access),
            after=share_view(True, share_path if exists else path, after_access),
            verify=self._verifier(name, granted_sids, revoked_sids, deleted=False),
        )

    def _plan_absent(self, params: dict[str, t.Any], principals: list[dict[str, t.Any]], exists: bool,
                     share_path: str | None, before_access: list[dict[str, t.Any]], created_by_us: bool,
                     recorded: set[str]) -> Plan:
        name = params['name']
        actions: list[str] = []
        warnings: list[str] = []
        ours = {p['sid'] for p in principals}
        added: list[dict[str, t.Any]] = []
        kept: list[dict[str, t.Any]] = []
        apply_args = None
        # Rights on a share this collection created that neither IPAM's principals nor the default Everyone Read
        # account for: someone else relies on the share since, so it is kept unless remove_unrecorded says otherwise.
        others = sorted({access_label(e) for e in before_access if e['sid'] not in ours
                         and not (e['sid'] == EVERYONE_SID and e['type'] == ALLOW and e['right'] == READ)})
        if created_by_us and (not others or params['remove_unrecorded'] or not exists):
            removed = [dict(e) for e in before_access]
            after_access: list[dict[str, t.Any]] = []
            if exists:
                actions.append('Remove-SmbShare -Name %s -Force' % name)
                if others:
                    warnings.append("share '%s' on %s was created by ipam.provisioning and is deleted "
                                    "(remove_unrecorded: true); it also held %s" % (name, self.host_label, ', '.join(others)))
            apply_args = {'name': name, 'delete': exists or None, 'record_created': False,
                          'record_remove': sorted(recorded) or None}
            deleted = exists
            after = share_view(False, None, [])
            forgotten: list[str] = []
            must_lose = ours
        else:
            if created_by_us:
                warnings.append("share '%s' on %s was created by ipam.provisioning but now also grants %s, so it is "
                                "kept and only the access of %s is revoked; set remove_unrecorded: true to delete it" % (
                                    name, self.host_label, ', '.join(others), ', '.join(p['name'] for p in principals)))
            holders = [p for p in principals if any(e['sid'] == p['sid'] and e['type'] == ALLOW for e in before_access)]
            # On a share someone else created, only the grants the record names are revoked.
            revoke = [p for p in holders if created_by_us or p['sid'] in recorded or params['remove_unrecorded']]
            kept = [{'sid': p['sid'], 'name': p['name'], 'reason': UNRECORDED_REASON} for p in holders if p not in revoke]
            revoked_sids = {p['sid'] for p in revoke}
            record_remove = sorted(ours & (recorded | revoked_sids))
            forgotten = [s for s in record_remove if s not in {p['sid'] for p in holders}]
            removed = [dict(e) for e in before_access if e['type'] == ALLOW and e['sid'] in revoked_sids]
            after_access = [e for e in before_access if not (e['type'] == ALLOW and e['sid'] in revoked_sids)]
            actions.extend('Revoke-SmbShareAccess -Name %s -AccountName %s -Force' % (name, p['name']) for p in revoke)
            if revoke or forgotten:
                apply_args = {'name': name, 'revoke': [p['sid'] for p in revoke] or None,
                              'record_remove': [s for s in record_remove if s in recorded] or None}
            deleted = False
            after = share_view(exists, share_path, after_access)
            must_lose = revoked_sids
        result = self._result(name, share_path, principals, after_access, added, removed, False, deleted, actions,
                              created_by_us and not deleted)
        result.update(kept=kept, forgotten=forgotten)
        plan = Plan(
            changed=apply_args is not None, result=result, apply_args=apply_args,
            before=share_view(exists, share_path, before_access), after=after,
            verify=self._verifier(name, set(), must_lose, deleted=deleted or not exists),
            warnings=warnings,
        )
        return plan

    @staticmethod
    def _grant_action(name: str, principal: dict[str, t.Any]) -> str:
        return 'Grant-SmbShareAccess -Name %s -AccountName %s -AccessRight Read -Force' % (name, principal['name'])

    @staticmethod
    def _result(name: str, path: str | None, principals: list[dict[str, t.Any]], access: list[dict[str, t.Any]],
                added: list[dict[str, t.Any]], removed: list[dict[str, t.Any]], created: bool, deleted: bool,
                actions: list[str], created_by_collection: bool) -> dict[str, t.Any]:
        return {
            'name': name, 'path': path, 'access': shown(access), 'added': shown(added), 'removed': shown(removed),
            'created': created, 'deleted': deleted, 'actions': actions,
            'created_by_collection': created_by_collection,
            'principals': [{'sid': p['sid'], 'name': p['name']} for p in principals],
        }

    def _verifier(self, name: str, granted: set[str], revoked: set[str],
                  deleted: bool) -> t.Callable[[dict[str, t.Any]], dict[str, t.Any]]:
        def verify(reply: dict[str, t.Any]) -> dict[str, t.Any]:
            share = reply.get('share')
            exists = bool(share and share.get('exists'))
            if deleted:
                if exists:
                    raise AnsibleActionFail("%s on %s: share '%s' still exists after Remove-SmbShare" % (
                        self.MODULE, self.host_label, name))
                return {'access': [], 'created_by_collection': bool(reply.get('created_by_collection'))}
            if not exists:
                raise AnsibleActionFail("%s on %s: share '%s' does not exist after the change" % (
                    self.MODULE, self.host_label, name))
            access = share.get('access') or []
            for sid in granted:
                if not any(e['sid'] == sid and grants_read(e) for e in access):
                    raise AnsibleActionFail("%s on %s: after granting, share '%s' still gives %s no Read (host reports %s)" % (
                        self.MODULE, self.host_label, name, sid, [access_label(e) for e in access]))
            for sid in revoked:
                if any(e['sid'] == sid and e['type'] == ALLOW for e in access):
                    raise AnsibleActionFail("%s on %s: after revoking, share '%s' still grants %s (host reports %s)" % (
                        self.MODULE, self.host_label, name, sid, [access_label(e) for e in access]))
            return {'access': shown(access), 'path': share.get('path'),
                    'created_by_collection': bool(reply.get('created_by_collection'))}
        return verify
