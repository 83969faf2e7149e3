# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.managed_server_access: the access settings of a host in one read and one apply.

Each setting is planned by the action plugin of the module the catalog names (``service_acl``,
``group_membership``...), exactly as ``access_setting`` runs it; only the round trips differ. The
plugins' ``steps`` are driven in lockstep: every read they ask for travels in one call of the
PowerShell batch, every apply in another, and a compare-and-swap refusal is read and planned again
in one more pair. A compliant host, or any host in check mode, costs one round trip; a drifted one two.
"""
from __future__ import annotations

import copy
import dataclasses
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import SETTINGS_BY_ID
from ansible_collections.ipam.provisioning.plugins.plugin_utils.nested_action import (
    COLLECTION,
    accepted_options,
    action_name,
    load_action,
    role_options_spec,
    setting_target_arguments,
    validated_setting_params,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import (
    RemoteAccessAction,
    RemoteCall,
    RemoteFailure,
    Steps,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.setting_result import (
    effective_scope,
    failed_scope,
    setting_summary,
)

MODULE = '%s.managed_server_access' % COLLECTION
# The modules the PowerShell batch can call ($callable in plugins/modules/managed_server_access.ps1): the
# module of every catalog setting, and access_info for the facts (a unit test keeps the three lists equal).
BATCH_MODULES = ('access_info', 'group_membership', 'dhcp_users_membership', 'service_acl', 'dhcpaudit_share',
                 'firewall_rules', 'eventlog_customsd', 'dns_domain_acl')

# The module whose read brings the host's facts (facts: true).
FACTS_MODULE = 'access_info'

ARGUMENT_SPEC: dict[str, dict[str, t.Any]] = {
    'settings': {'type': 'list', 'elements': 'raw', 'default': []},
    'facts': {'type': 'bool', 'default': False},
    'reads': {'type': 'list', 'elements': 'dict', 'default': []},
    'principals': {'type': 'list', 'elements': 'str'},
    'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
    'options': {
        'type': 'dict',
        'default': {},
        'options': role_options_spec(),
    },
}


# Read options that say how, not which objects: two settings with equal values here may still touch different objects.
_NOT_OBJECTS = frozenset({'mode', 'principals'})


@dataclasses.dataclass
class SettingRun:
    """One setting of the host on its way through read, plan and apply."""

    item: dict[str, t.Any]
    setting: dict[str, t.Any]
    summary: dict[str, t.Any]
    target: RemoteAccessAction | None = None
    steps: Steps | None = None
    request: RemoteCall | None = None
    result: dict[str, t.Any] | None = None
    invocation: dict[str, t.Any] | None = None
    params: dict[str, t.Any] | None = None
    # The options of the setting's first read: which objects it covers.
    read_options: dict[str, t.Any] | None = None

    def start(self, steps: Steps) -> None:
        """Run fresh steps of the setting up to their first round trip."""
        self.steps = steps
        self.advance(lambda: next(steps))
        if self.request is not None and self.read_options is None:
            self.read_options = dict(self.request.args)

    def restart(self) -> None:
        """Read and plan the setting anew: its plan was made before another setting wrote the same objects."""
        if self.target is None or self.params is None or self.steps is None:
            raise AnsibleActionFail('internal error: setting %s restarted before it started' % self.setting['id'])
        self.steps.close()
        self.start(self.target.steps(self.params))

    def overlaps(self, other: SettingRun) -> bool:
        """Whether two settings' reads cover a common object of the same module (a shared firewall rule)."""
        if self.request is None or other.request is None or self.request.module != other.request.module:
            return False
        mine, theirs = self.read_options or {}, other.read_options or {}
        for key in set(mine) & set(theirs) - _NOT_OBJECTS:
            a, b = mine[key], theirs[key]
            if isinstance(a, list) and isinstance(b, list):
                if set(map(str, a)) & set(map(str, b)):
                    return True
            elif a == b:
                return True
        return False

    def advance(self, step: t.Callable[[], RemoteCall]) -> None:
        """Run the setting's steps up to its next round trip, or to its end."""
        try:
            self.request = step()
        except StopIteration as done:
            self.request = None
            self.succeed(done.value)
        except AnsibleActionFail as e:
            self.request = None
            self.fail(e)

    def reply(self, reply: dict[str, t.Any]) -> None:
        """Hand the setting the reply of its call."""
        if self.target is None or self.steps is None:
            raise AnsibleActionFail('internal error: setting %s got a reply it did not ask for' % self.setting['id'])
        try:
            checked = self.target.checked_reply(reply)
        except RemoteFailure as failure:
            self.advance(lambda: self.steps.throw(failure))  # type: ignore[union-attr]
        else:
            self.advance(lambda: self.steps.send(checked))  # type: ignore[union-attr]

    def succeed(self, outcome: dict[str, t.Any]) -> None:
        result = dict(outcome)
        self.summary['scope'] = effective_scope(self.setting, result)
        result['ipam_setting'] = self.summary
        self.result = self.finished(result)

    def fail(self, error: AnsibleActionFail) -> None:
        """As access_setting reports a failed setting: its message, prefixed with the setting's id."""
        carried = {k: v for k, v in (error.result or {}).items() if k not in ('failed', 'msg')}
        self.summary['scope'] = failed_scope(self.setting, self.target) if self.target else self.setting['scope']
        carried.update(failed=True, msg='%s: %s' % (self.setting['id'], error.message), ipam_setting=self.summary)
        self.result = self.finished(carried)

    def finished(self, result: dict[str, t.Any]) -> dict[str, t.Any]:
        # The setting travels with its result, as a loop's item does, so ipam_report_entries reads both alike.
        result['item'] = self.item
        result.setdefault('changed', False)
        if self.invocation is not None:
            result.setdefault('invocation', self.invocation)
        return result


class ActionModule(ActionBase):
    # What this plugin sends to its PowerShell half (the contract test compares them with its $spec).
    REMOTE_OPTIONS = frozenset({'mode', 'calls'})
    REMOTE_REQUIRED = frozenset({'mode', 'calls'})
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        params = self._params()
        facts = self._start_facts(params, task_vars) if params['facts'] else None
        runs = [self._start(item, setting, params, task_vars) for item, setting in self._settings(params)]
        every = runs + ([facts] if facts else [])
        known = [r for r in params['reads'] if isinstance(r.get('reply'), dict)]
        reads: list[dict[str, t.Any]] = []
        round_trips = self._drive(every, known, reads, task_vars)

        results = [run.result or {} for run in runs]
        failed = [r for r in results if r.get('failed')]
        result.update(
            results=results,
            changed=any(r.get('changed') for r in results),
            round_trips=round_trips,
            reads=reads,
        )
        if facts is not None:
            facts_result = facts.result or {}
            if facts_result.get('failed'):
                result.update(failed=True, msg='%s: the host facts could not be read: %s' % (MODULE, facts_result.get('msg')))
                return result
            result['facts'] = {k: v for k, v in facts_result.items() if k not in ('item', 'ipam_setting', 'invocation', 'changed')}
        warnings = ['%s: %s' % (r['item']['id'], w) for r in results for w in r.get('warnings') or []]
        if warnings:
            result['warnings'] = warnings
        diffs = [r['diff'] for r in results if r.get('diff')]
        if self._task.diff and diffs:
            result['diff'] = diffs
        if failed:
            result['failed'] = True
            result['msg'] = '%d of %d settings failed: %s' % (len(failed), len(results), '; '.join(str(r['msg']) for r in failed))
        return result

    # ------------------------------------------------------------------ arguments
    def _params(self) -> dict[str, t.Any]:
        return validated_setting_params(self._task, ARGUMENT_SPEC, MODULE)

    def _settings(self, params: dict[str, t.Any]) -> list[tuple[dict[str, t.Any], dict[str, t.Any]]]:
        """(item, catalog entry) per listed setting; anything wrong with the list fails before the first round trip."""
        chosen: list[tuple[dict[str, t.Any], dict[str, t.Any]]] = []
        for given in params['settings']:
            item = dict(given) if isinstance(given, t.Mapping) else {'id': given}
            setting_id = item.get('id')
            if not isinstance(setting_id, str) or setting_id not in SETTINGS_BY_ID:
                raise AnsibleActionFail('%s: unknown setting %r; valid settings: %s' % (
                    MODULE, setting_id, ', '.join(SETTINGS_BY_ID)))
            setting = SETTINGS_BY_ID[setting_id]
            if any(c[1]['id'] == setting_id for c in chosen):
                raise AnsibleActionFail('%s: setting %s is listed twice' % (MODULE, setting_id))
            for key in ('title', 'scope', 'access_type'):
                item.setdefault(key, setting[key])
            item.setdefault('server_types', list(setting['server_types']))
            chosen.append((item, setting))
        return chosen

    def _start_facts(self, params: dict[str, t.Any], task_vars: dict[str, t.Any]) -> SettingRun:
        """The access_info run whose read brings the host's facts (domain role, roles, principals as resolved)."""
        run = SettingRun(item={'id': FACTS_MODULE}, setting={'id': FACTS_MODULE, 'scope': 'host'}, summary={})
        try:
            target = load_action(self, FACTS_MODULE, check_mode=True)
            run.target = target
            target._task.args = {'principals': params['principals'], 'settings': False}  # pylint: disable=protected-access
            target.prepare(task_vars)
            target_params, _no_log_values = target.validate_arguments()
        except AnsibleActionFail as e:
            run.fail(e)
            return run
        run.params = target_params
        run.start(target.steps(target_params))
        return run

    def _start(self, item: dict[str, t.Any], setting: dict[str, t.Any], params: dict[str, t.Any],
               task_vars: dict[str, t.Any]) -> SettingRun:
        """Load the setting's plugin and run its steps up to its first round trip (its read)."""
        run = SettingRun(item=item, setting=setting, summary=setting_summary(setting))
        run.summary['check_mode'] = bool(self._task.check_mode)
        try:
            target = load_action(self, setting['module'])
            if not isinstance(target, RemoteAccessAction):
                raise AnsibleActionFail('internal error: %s is not a read/plan/apply module' % action_name(setting['module']))
            args = setting_target_arguments(setting, params, accepted_options(target), MODULE)
            run.summary['module_args'] = dict(args)
            run.target = target
            target._task.args = args  # pylint: disable=protected-access
            target.prepare(task_vars)
            target_params, no_log_values = target.validate_arguments()
        except AnsibleActionFail as e:
            run.fail(e)
            return run
        run.invocation = {'module_args': remove_values(target_params, no_log_values)}
        run.params = target_params
        run.start(target.steps(target_params))
        return run

    # ------------------------------------------------------------------ the round trips
    def _drive(self, runs: list[SettingRun], known: list[dict[str, t.Any]], reads: list[dict[str, t.Any]],
               task_vars: dict[str, t.Any]) -> int:
        """Send the pending calls of all runs, reads and applies in separate batches, until none is left.

        A read whose module and options match one of ``known`` (the ``reads`` of an earlier task) takes
        that reply instead of a round trip, once per run; every read reply is appended to ``reads``.
        """
        round_trips = 0
        reused: set[int] = set()
        while True:
            for run in runs:
                while run.request is not None and id(run) not in reused and run.request.args.get('mode') == 'read':
                    earlier = self._known_reply(run.request, known)
                    if earlier is None:
                        break
                    reused.add(id(run))
                    reads.append(self._read_record(run.request, earlier))
                    run.reply(earlier)
            pending = [run for run in runs if run.request is not None]
            if not pending:
                return round_trips
            mode = pending[0].request.args['mode']  # type: ignore[union-attr]
            batch = [run for run in pending if run.request.args['mode'] == mode]  # type: ignore[union-attr]
            if mode == 'apply':
                batch = self._without_overlaps(batch)
            calls = [{'module': self._short(run.request), 'options': run.request.args} for run in batch]  # type: ignore[arg-type]
            reply = self._execute_module(module_name=MODULE, module_args={'mode': mode, 'calls': calls},
                                         task_vars=task_vars)
            round_trips += 1
            replies = reply.get('replies')
            if reply.get('failed') or not isinstance(replies, list) or len(replies) != len(batch):
                message = reply.get('msg') or 'the batch returned %r instead of one reply per call' % (replies,)
                error = AnsibleActionFail('%s on %s: %s' % (MODULE, task_vars.get('inventory_hostname', 'the host'), message))
                for run in batch:
                    run.request = None
                    run.fail(error)
                continue
            for run, answer in zip(batch, replies):
                answer = answer if isinstance(answer, dict) else {'failed': True, 'msg': 'no reply: %r' % (answer,)}
                if mode == 'read' and not answer.get('failed'):
                    reads.append(self._read_record(run.request, answer))  # type: ignore[arg-type]
                run.reply(answer)

    @staticmethod
    def _without_overlaps(batch: list[SettingRun]) -> list[SettingRun]:
        """The applies that can go together; a setting that shares an object with an earlier one starts again.

        Two settings of one host may cover the same object (a DNS server that is also a domain controller
        needs the Remote Event Log rules for both). Each planned from the same read, so the later apply
        would find the object changed by the earlier one and be refused; instead it is read and planned
        again after the earlier one was applied.
        """
        kept: list[SettingRun] = []
        for run in batch:
            if any(run.overlaps(earlier) for earlier in kept):
                run.restart()
            else:
                kept.append(run)
        return kept

    @staticmethod
    def _short(request: RemoteCall) -> str:
        return request.module.rsplit('.', 1)[-1]

    def _read_record(self, request: RemoteCall, reply: dict[str, t.Any]) -> dict[str, t.Any]:
        """A read as ``reads`` returns it: which module was asked what, and what it replied."""
        return {'module': self._short(request), 'options': request.args, 'reply': reply}

    def _known_reply(self, request: RemoteCall, known: list[dict[str, t.Any]]) -> dict[str, t.Any] | None:
        """The reply of an earlier read of the same module with the same options, if one was given."""
        for earlier in known:
            if earlier.get('module') == self._short(request) and earlier.get('options') == request.args:
                return copy.deepcopy(earlier['reply'])
        return None
