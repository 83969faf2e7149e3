# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two-phase read/plan/apply base class shared by every access-setting action plugin.

The PowerShell half of each module only reads state (``mode: read``) and applies an exact,
already planned change (``mode: apply``) after a compare-and-swap on the ``token`` it returned
when it read. Everything else (argument checks, principal policy, merging, diff, check mode)
happens here, on the controller, where it can be unit tested. When the compare-and-swap refuses an
apply (another writer changed the object; nothing was written), the task reads and plans once more.
"""
from __future__ import annotations

import dataclasses
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.ipam.provisioning.plugins.module_utils.principals import (
    broad_reason,
    parse_principal,
    unresolved_reason,
)

# Keys of a remote result that describe the exchange, not the setting; never shown to users.
_REMOTE_INTERNAL_KEYS = frozenset({'invocation', 'token', 'changed', 'failed', 'msg', 'error', '_ansible_no_log'})
# The error code of an apply the compare-and-swap refused: the state changed since it was read, nothing was written.
CHANGED_SINCE_READ = 'changed_since_read'
# Result key, true when an apply was refused with CHANGED_SINCE_READ and the task read and planned again.
RETRIED_KEY = 'retried_after_concurrent_change'


@dataclasses.dataclass
class Plan:
    """What a module decided after one read.

    ``apply_args`` is None when the host is already compliant. ``verify`` receives the reply of
    the apply call and returns result keys to merge (or raises when the host disagrees with the plan).
    """

    changed: bool
    result: dict[str, t.Any]
    apply_args: dict[str, t.Any] | None = None
    before: t.Any = None
    after: t.Any = None
    verify: t.Callable[[dict[str, t.Any]], dict[str, t.Any] | None] | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)


class RemoteFailure(AnsibleActionFail):
    """The PowerShell half reported a failure; ``code`` is its ``error`` key (see docs/design.md)."""

    def __init__(self, message: str, code: str | None = None, result: dict[str, t.Any] | None = None) -> None:
        super().__init__(message, result=result)
        self.code = code


@dataclasses.dataclass(frozen=True)
class RemoteCall:
    """One round trip a plugin's ``steps`` asks for: the module and the options to send it."""

    module: str
    args: dict[str, t.Any]


Steps = t.Generator[RemoteCall, t.Any, t.Any]


def drive(steps: Steps, call: t.Callable[[RemoteCall], dict[str, t.Any]]) -> t.Any:
    """Run a ``steps`` generator to its end, making each round trip it asks for with ``call``.

    A RemoteFailure raised by ``call`` is thrown into the generator at the step that asked, so the
    plugin decides (a compare-and-swap refusal is read and planned again; anything else fails the task).
    """
    try:
        request = next(steps)
        while True:
            try:
                reply = call(request)
            except RemoteFailure as failure:
                request = steps.throw(failure)
            else:
                request = steps.send(reply)
    except StopIteration as done:
        return done.value


class RemoteAccessAction(ActionBase):
    """Base class: subclasses declare their options and implement ``read_args`` and ``plan``."""

    MODULE: str = ''
    ARGUMENT_SPEC: dict[str, dict[str, t.Any]] = {}
    MUTUALLY_EXCLUSIVE: list[list[str]] = []
    REQUIRED_IF: list[t.Any] = []
    REMOTE_OPTIONS: frozenset[str] = frozenset()
    # Remote options the PowerShell $spec marks required; the contract test checks they are always sent.
    REMOTE_REQUIRED: frozenset[str] = frozenset({'mode'})
    READ_ONLY: bool = False
    # Options holding principals: their syntax is checked before anything is sent.
    PRINCIPAL_OPTIONS: tuple[str, ...] = ('principals',)

    _supports_check_mode = True
    _supports_async = False
    _requires_connection = True
    # The 'host' facts ({name, domain_role, domain_sid}) of the last read, None before one succeeded; a
    # plugin running this one nested (access_setting) reads the domain role from it when this one failed.
    host_facts: dict[str, t.Any] | None = None

    # ------------------------------------------------------------------ subclass API
    def read_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Options sent with ``mode: read``."""
        raise NotImplementedError

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        """Decide the change from what the host reported."""
        raise NotImplementedError

    # ------------------------------------------------------------------ the run
    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        self.prepare(task_vars)
        params, no_log_values = self.validate_arguments()
        result['invocation'] = {'module_args': remove_values(params, no_log_values)}
        result.update(drive(self.steps(params), self.call_remote))
        return result

    def prepare(self, task_vars: dict[str, t.Any] | None) -> None:
        """Forget what an earlier run of this plugin object learned; keep the task's variables for messages."""
        self._task_vars = task_vars or {}
        self.host_facts = None

    def steps(self, params: dict[str, t.Any]) -> Steps:
        """Read, plan and apply, as a generator: it yields each round trip it needs and returns the task's result.

        Whoever drives it sends the reply of each call, or throws the call's RemoteFailure into it. ``run``
        drives one plugin call by call; ``managed_server_access`` drives every setting of a host in
        lockstep, so that all their reads travel in one round trip and all their applies in another.
        """
        read_args = self.read_args(params)
        state = yield from self.read_step(read_args)
        plan = self.plan(params, state)
        retried = False
        applied: dict[str, t.Any] | None = None
        try:
            applied = yield from self.apply_step(plan, state)
        except RemoteFailure as refused:
            if refused.code != CHANGED_SINCE_READ:
                raise
            # Someone else (a domain controller of a parallel AWX job slice, for a domain-wide object) wrote
            # between our read and apply. Nothing was written: plan once more against what they left.
            retried = True
            state = yield from self.read_step(read_args)
            plan = self.plan(params, state)
            try:
                applied = yield from self.apply_step(plan, state)
            except RemoteFailure as again:
                if again.code != CHANGED_SINCE_READ:
                    raise
                carried = {k: v for k, v in again.result.items() if k not in ('failed', 'msg')}
                raise RemoteFailure('%s It was refused twice in a row: after the first refusal the task read the state '
                                    'again and retried once.' % again.message, code=again.code,
                                    result=dict(carried, **{RETRIED_KEY: True})) from again

        result: dict[str, t.Any] = dict(plan.result)
        result['changed'] = bool(plan.changed)
        if retried:
            result[RETRIED_KEY] = True
            result.setdefault('warnings', []).append(self.retry_warning(plan))
        if plan.warnings:
            result.setdefault('warnings', []).extend(plan.warnings)
        if applied is not None and plan.verify is not None:
            result.update(plan.verify(applied) or {})

        # The plan that was carried out: its before is the state that plan was made from.
        if self._task.diff and (plan.before is not None or plan.after is not None):
            result['diff'] = {'before': plan.before, 'after': plan.after}
        return result

    def read_step(self, read_args: dict[str, t.Any]) -> Steps:
        """One ``mode: read`` round trip; remembers the host facts it reports."""
        state = yield self.remote_call('read', read_args)
        host = state.get('host')
        self.host_facts = dict(host) if isinstance(host, dict) else None
        return state

    def apply_step(self, plan: Plan, state: dict[str, t.Any]) -> Steps:
        """The ``mode: apply`` round trip of a plan that changes something, outside check mode; else none."""
        if not plan.changed or plan.apply_args is None or self._task.check_mode:
            return None
        if self.READ_ONLY:
            raise AnsibleActionFail('internal error: %s is read-only but planned a change' % self.MODULE)
        reply = yield self.remote_call('apply', dict(plan.apply_args, token=state.get('token')))
        return reply

    def retry_warning(self, plan: Plan) -> str:
        """Says that another writer changed the object between read and apply, and what the retry did."""
        outcome = ('applied the plan made from the new state' if plan.changed
                   else 'found it already as wanted, so this task changed nothing')
        return ('%s on %s: the object changed between read and apply (another writer, such as a domain controller in a '
                'parallel job slice); the apply wrote nothing, so the task read it again and %s' % (
                    self.MODULE, self.host_label, outcome))

    # ------------------------------------------------------------------ helpers
    @property
    def host_label(self) -> str:
        """The host as users know it, for error messages."""
        return str(self._task_vars.get('inventory_hostname', 'the host'))

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        """Check the task's options before anything is sent to the host."""
        if self._task.async_val:
            raise AnsibleActionFail('%s does not support async' % self.MODULE)
        for option in self.PRINCIPAL_OPTIONS:
            for name in [option] + list(self.ARGUMENT_SPEC.get(option, {}).get('aliases') or []):
                raw = self._task.args.get(name)
                # Ansible would silently split 'a,b' into a list; chef/chef#7933 shows where that ends.
                if isinstance(raw, str) and ',' in raw:
                    raise AnsibleActionFail('%s: option %s: give a YAML list, not the comma-separated string "%s"'
                                            % (self.MODULE, name, raw))
        validator = ArgumentSpecValidator(
            self.ARGUMENT_SPEC,
            mutually_exclusive=self.MUTUALLY_EXCLUSIVE or None,
            required_if=self.REQUIRED_IF or None,
        )
        validated = validator.validate(self._task.args)
        if validated.error_messages:
            raise AnsibleActionFail('%s: %s' % (self.MODULE, '; '.join(sorted(validated.error_messages))))
        params = validated.validated_parameters
        for option in self.PRINCIPAL_OPTIONS:
            if params.get(option):
                self.check_principal_syntax(option, params[option])
        return params, validated._no_log_values  # pylint: disable=protected-access

    def check_principal_syntax(self, option: str, values: list[str]) -> None:
        """Reject malformed principals on the controller, before any connection."""
        for value in values:
            try:
                parse_principal(value)
            except ValueError as e:
                raise AnsibleActionFail('%s: option %s: %s' % (self.MODULE, option, e)) from e

    def remote_call(self, mode: str, args: dict[str, t.Any]) -> RemoteCall:
        """The message of one round trip to the PowerShell half, checked against the options it declares."""
        module_args = {k: v for k, v in dict(args, mode=mode).items() if v is not None}
        unexpected = sorted(set(module_args) - self.REMOTE_OPTIONS)
        if unexpected:  # a programming error: the contract test should have caught it
            raise AnsibleActionFail('internal error: %s would send undeclared options %s' % (self.MODULE, unexpected))
        return RemoteCall(module=self.MODULE, args=module_args)

    def call_remote(self, mode: str | RemoteCall, args: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        """One round trip to the PowerShell half: a RemoteCall, or a mode and its options."""
        call = mode if isinstance(mode, RemoteCall) else self.remote_call(mode, args or {})
        reply = self._execute_module(module_name=call.module, module_args=call.args, task_vars=self._task_vars)
        return self.checked_reply(reply)

    def checked_reply(self, reply: dict[str, t.Any]) -> dict[str, t.Any]:
        """The reply of the PowerShell half; a failure it reports is raised as RemoteFailure."""
        if reply.get('failed'):
            msg = reply.get('msg') or 'the PowerShell half of %s failed without a message' % self.MODULE
            raise RemoteFailure('%s on %s: %s' % (self.MODULE, self.host_label, msg), code=reply.get('error'),
                                result={k: v for k, v in reply.items() if k in ('error', 'exception')})
        return reply

    def resolved_principals(self, state: dict[str, t.Any], *, allow_broad: bool = False,
                            check_broad: bool = True) -> list[dict[str, t.Any]]:
        """The principals the host resolved, deduplicated by SID; fails on any that did not resolve."""
        resolved: list[dict[str, t.Any]] = []
        seen: set[str] = set()
        for entry in state.get('principals') or []:
            if not entry.get('sid'):
                text = str(entry.get('input') or '')
                raise AnsibleActionFail("%s on %s: principal '%s' could not be resolved to a SID: %s" % (
                    self.MODULE, self.host_label, text, unresolved_reason(text, entry.get('error'))))
            sid = entry['sid'].upper()
            reason = broad_reason(sid)
            if check_broad and reason and not allow_broad:
                raise AnsibleActionFail(
                    "%s on %s: principal '%s' (%s) is %s; IPAM needs its computer account or IPAMUG. "
                    "Set allow_broad_principals: true if you really mean it." % (
                        self.MODULE, self.host_label, entry.get('input'), sid, reason))
            if sid in seen:
                continue
            seen.add(sid)
            resolved.append({'input': entry.get('input'), 'sid': sid, 'name': entry.get('name') or sid})
        return resolved

    @staticmethod
    def public(state: dict[str, t.Any]) -> dict[str, t.Any]:
        """A remote reply without the protocol keys."""
        return {k: v for k, v in state.items() if k not in _REMOTE_INTERNAL_KEYS}
