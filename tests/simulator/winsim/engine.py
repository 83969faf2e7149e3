# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Simulator: seeds hosts and answers module payloads the way a Windows host would."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from typing import Any, Iterator, Mapping

from . import contracts
from . import faults as f
from . import handlers
from .context import Context
from .handlers import managed_server_access as batch_handler
from .errors import ACCESS_DENIED_MSG, HostCrashed, HostUnreachable, ModuleFailure, SimulatorBug
from .payload import ModuleCall, PayloadError, decode_command, parse_payload
from .seed import build_host, check_domain, check_profile, new_domain
from .store import StateStore

# The key of a model's result that says the host crashed in the round trip (never sent to the controller).
_CRASHED = '_winsim_crashed'
# The module that runs several calls of the host-level modules in one round trip (each call is modelled as its module).
BATCH_MODULE = 'ipam.provisioning.managed_server_access'


def _fingerprint(state: Any) -> str:
    return json.dumps(state, sort_keys=True)


def _unsupported_message(module_name: str, unsupported: list[str], options: frozenset[str]) -> str:
    # Ansible.Basic.cs: "Unsupported parameters for ({0}) module: {1}" + ". Supported parameters include: {2}"
    return ('Unsupported parameters for (%s) module: %s. Supported parameters include: %s'
            % (module_name, ', '.join(unsupported), ', '.join(sorted(options))))


def with_address(profile: Mapping[str, Any], ansible_host: str | None) -> dict[str, Any]:
    """The profile with address defaulted to ansible_host, so the inventory says it once."""
    result = dict(profile) if isinstance(profile, Mapping) else profile
    if isinstance(result, dict) and not result.get('address') and ansible_host:
        result['address'] = ansible_host
    return result


def _called_modules(call: ModuleCall) -> list[tuple[handlers.Handler, dict[str, Any]]]:
    """The modules a call ran, with their options: the module itself, or each call of a batch."""
    if call.fqcn != BATCH_MODULE:
        entry = handlers.get(call.fqcn)
        return [(entry, call.user_args)] if entry is not None else []
    called = []
    for item in call.user_args.get('calls') or []:
        entry = handlers.get('ipam.provisioning.%s' % item.get('module')) if isinstance(item, dict) else None
        if entry is not None and isinstance(item.get('options'), dict):
            called.append((entry, item['options']))
    return called


class Simulator:
    """A simulated Windows lab whose state lives in JSON files under state_dir."""

    def __init__(self, state_dir: str | os.PathLike[str], pwsh: Any = None) -> None:
        """pwsh: a winsim.pwsh.runtime.PwshRuntime; the modules it runs then execute in pwsh for
        real, against the fake Windows API, instead of being answered by their Python handler."""
        self.store = StateStore(state_dir)
        self.pwsh = pwsh

    @property
    def state_dir(self) -> str:
        return self.store.state_dir

    # -- seeding ---------------------------------------------------------------------------------
    def seed_host(self, inventory_hostname: str, profile: Mapping[str, Any],
                  domain: Mapping[str, Any] | None = None, faults: Mapping[str, Any] | None = None) -> bool:
        """Create the host from its profile unless it exists (existing state wins).

        Faults given here are merged into the host's faults every time (the inventory re-arms
        them for each connection); returns True when the host was created now.
        """
        prof = check_profile(profile, inventory_hostname)
        if faults is not None:
            f.normalize(faults)   # fail on a bad fault before touching anything
        with self.store.locked():
            state = self.store.load_host(inventory_hostname)
            if state is not None:
                if faults is not None:
                    merged = f.merge(state.get('faults'), faults)
                    if merged != state.get('faults'):
                        state['faults'] = merged
                        self.store.save_host(inventory_hostname, state)
                return False
            domain_state = None
            if prof['kind'] != 'standalone':
                spec = check_domain(domain, inventory_hostname)
                # The first host of a domain creates it; the lock makes that race-free.
                domain_state = self.store.load_domain(spec['dns_name']) or new_domain(spec)
            host = build_host(inventory_hostname, prof, domain_state, f.merge({}, faults))
            if domain_state is not None:
                self.store.save_domain(domain_state['dns_name'], domain_state)
            self.store.save_host(inventory_hostname, host)
            return True

    def seed_from_inventory(self, path: str | os.PathLike[str] | list[str]) -> list[str]:
        """Seed every host of an inventory that has winsim_profile; return their names. A list of paths
        is read as one inventory, as ansible-playbook reads several -i (an overlay adds hosts to the lab)."""
        exe = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
        if not os.path.exists(exe):
            exe = shutil.which('ansible-inventory') or exe
        sources = [os.fspath(p) for p in path] if isinstance(path, list) else [os.fspath(path)]
        argv = [exe] + [word for source in sources for word in ('-i', source)] + ['--list']
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError('winsim: ansible-inventory -i %s failed: %s' % (' -i '.join(sources), proc.stderr.strip()))
        hostvars = json.loads(proc.stdout).get('_meta', {}).get('hostvars', {})
        seeded = []
        for name in sorted(hostvars):
            hv = hostvars[name]
            if 'winsim_profile' in hv:
                profile = with_address(hv['winsim_profile'], hv.get('ansible_host'))
                self.seed_host(name, profile, hv.get('winsim_domain'), hv.get('winsim_faults'))
                seeded.append(name)
        return seeded

    # -- round trips -----------------------------------------------------------------------------
    def check_reachable(self, host: str) -> None:
        """Raise HostUnreachable when the host has the 'unreachable' fault (transports call it on connect).

        Read without the lock (files are replaced atomically): a transport asks this for every new
        shell, and must not wait behind another host's command that holds the lock."""
        state = self.store.load_host(host)
        if state is not None and (state.get('faults') or {}).get('unreachable'):
            raise HostUnreachable('winsim: %s (%s) is unreachable (fault unreachable)' % (host, state.get('address')))

    def execute(self, host: str, command_line: str, stdin: bytes | str | None = None) -> tuple[int, bytes, bytes]:
        """Run what a transport received for host; (rc, stdout, stderr) like the remote shell.

        Raises HostUnreachable under the 'unreachable' fault.
        """
        with self.store.locked():
            state = self.store.load_host(host)
        if state is None:
            return 1, b'', ('winsim: unknown host %r: not seeded (no winsim_profile?)' % host).encode()
        host_faults = state.get('faults') or {}
        if host_faults.get('unreachable'):
            raise HostUnreachable('winsim: %s (%s) is unreachable (fault unreachable)' % (host, state.get('address')))
        seconds = f.delay(host_faults)
        if seconds:
            time.sleep(seconds)   # outside the lock: a slow host must not stall the others
        try:
            call = parse_payload(stdin)
        except PayloadError as exc:
            try:
                script = decode_command(command_line)
            except PayloadError:
                script = command_line
            contract = contracts.contract_name(script)
            if contract is not None:   # a raw script a controller-side plugin runs (contracts.py)
                return self._run_contract(host, contract, script, stdin)
            first = ' '.join(script.split())[:160]
            return 1, b'', ('%s (command: %s)' % (exc, first)).encode()
        if self.pwsh is not None and self.pwsh.runs(call.fqcn):
            return self._pwsh_transaction(host, call, command_line, stdin)
        result = self._transaction(host, call)
        return (1 if result.get('failed') else 0), json.dumps(result).encode(), b''

    def run_module(self, host: str, fqcn: str, args: Mapping[str, Any] | None = None, *,
                   check_mode: bool = False) -> dict[str, Any]:
        """Like execute() for an already decoded call (tests, tools). Faults apply except delay."""
        with self.store.locked():
            state = self.store.load_host(host)
        if state is None:
            raise KeyError('winsim: unknown host %r' % host)
        if (state.get('faults') or {}).get('unreachable'):
            raise HostUnreachable('winsim: %s is unreachable (fault unreachable)' % host)
        if self.pwsh is not None and self.pwsh.runs(fqcn):
            return self._run_module_in_pwsh(host, fqcn, args or {}, check_mode)
        call_args = dict(args or {})
        call_args['_ansible_check_mode'] = check_mode
        return self._transaction(host, ModuleCall(fqcn=fqcn, args=call_args, script=fqcn + '.ps1'))

    def _run_module_in_pwsh(self, host: str, fqcn: str, args: Mapping[str, Any], check_mode: bool) -> dict[str, Any]:
        """The module's own PowerShell, sent as ansible-core sends it, its reply read as the controller reads it."""
        # Imported here: it imports ansible-core, which the handler path does not need.
        from .pwsh import ansible_payload  # pylint: disable=import-outside-toplevel
        command, stdin = ansible_payload.build(fqcn, args, check_mode=check_mode)
        rc, out, err = self.execute(host, command, stdin)
        return ansible_payload.parse_reply(rc, out, err)

    def _run_contract(self, host: str, name: str, script: str, stdin: bytes | str | None) -> tuple[int, bytes, bytes]:
        """One round trip of a '# ipam-contract: <name>' script, under the lock like a module call."""
        data = stdin.encode('utf-8') if isinstance(stdin, str) else (stdin or b'')
        with self.store.locked():
            state = self.store.load_host(host)
            if state is None:
                return 1, b'', ('winsim: unknown host %r' % host).encode()
            domain = self.store.load_domain(state['domain']) if state.get('domain') else None
            domain_before = _fingerprint(domain)
            counters = state.setdefault('counters', {'round_trips': 0, 'writes': 0})
            counters['round_trips'] = counters.get('round_trips', 0) + 1
            ctx = Context(state, domain, module='contract ' + name, peers=lambda: self._peer_states(host))
            try:
                reply = contracts.run(ctx, name, script, data)
            except ModuleFailure as exc:   # the model's own checks (ctx.fail): a terminating error
                reply = (1, b'', exc.msg.encode())
            self.store.save_host(host, state)
            if domain is not None and _fingerprint(domain) != domain_before:
                self.store.save_domain(domain['dns_name'], domain)
        return reply

    def _transaction(self, host: str, call: ModuleCall) -> dict[str, Any]:
        with self.store.locked():
            state = self.store.load_host(host)
            if state is None:
                return {'changed': False, 'failed': True, 'msg': 'winsim: unknown host %r' % host}
            domain = self.store.load_domain(state['domain']) if state.get('domain') else None
            domain_before = _fingerprint(domain)
            counters = state.setdefault('counters', {'round_trips': 0, 'writes': 0})
            counters['round_trips'] = counters.get('round_trips', 0) + 1
            result = self._dispatch(state, domain, call)
            self.store.save_host(host, state)
            if domain is not None and _fingerprint(domain) != domain_before:
                self.store.save_domain(domain['dns_name'], domain)
        if _CRASHED in result:
            raise HostUnreachable(result[_CRASHED])
        return result

    def _pwsh_transaction(self, host: str, call: ModuleCall, command_line: str,
                          stdin: bytes | str | None) -> tuple[int, bytes, bytes]:
        """One round trip run in pwsh, under the lock like a handler's: the module reads and writes
        the loaded state through the fake Windows API while it runs."""
        with self.store.locked():
            state = self.store.load_host(host)
            if state is None:
                return 1, b'', ('winsim: unknown host %r' % host).encode()
            domain = self.store.load_domain(state['domain']) if state.get('domain') else None
            domain_before = _fingerprint(domain)
            counters = state.setdefault('counters', {'round_trips': 0, 'writes': 0})
            counters['round_trips'] = counters.get('round_trips', 0) + 1
            # The module's Windows calls are answered in the fake API's thread while this thread holds
            # the lock and waits for pwsh: they read the other hosts without taking the lock again
            # (which would wait for this thread forever); holding it here keeps every writer out.
            ctx = Context(state, domain, module=call.fqcn, check_mode=call.check_mode,
                          peers=lambda: self._load_peer_states(state.get('name')))
            reply = self.pwsh.execute(ctx, command_line, stdin)
            if reply[0] == 0 and call.user_args.get('mode') == 'read':
                for entry, called_args in _called_modules(call):
                    if f.concurrent_change_due(ctx.faults, entry.short_name):
                        self._concurrent_change(entry, state, domain, called_args)
            crashed = self._used_up_crash(ctx)
            self.store.save_host(host, state)
            if domain is not None and _fingerprint(domain) != domain_before:
                self.store.save_domain(domain['dns_name'], domain)
        if crashed:
            raise HostUnreachable(crashed)
        return reply

    @staticmethod
    def _used_up_crash(ctx: Context) -> str | None:
        """After a round trip: when the host crashed in it (fault crash_after_writes), the fault is used up
        and the connection is lost; what the module printed after the crash never reaches the controller."""
        if not ctx.crashed:
            return None
        limit = ctx.faults.pop('crash_after_writes', None)
        return 'winsim: %s crashed after %s write(s) of this round trip (fault crash_after_writes): the connection was lost' % (
            ctx.host.get('name'), limit)

    def _dispatch(self, state: dict[str, Any], domain: dict[str, Any] | None, call: ModuleCall) -> dict[str, Any]:
        if call.fqcn == BATCH_MODULE:
            return self._dispatch_batch(state, domain, call)
        entry = handlers.get(call.fqcn)
        if entry is None:
            return {'changed': False, 'failed': True, 'msg': 'winsim: no model for module %s' % call.fqcn}
        # Ansible.Basic: unknown options fail; a case-insensitive match is accepted under the spec's
        # spelling; every spec option is present in Params (null when not given).
        by_fold = {o.casefold(): o for o in entry.options}
        args: dict[str, Any] = dict.fromkeys(entry.options)
        unsupported = []
        for key, value in call.user_args.items():
            canonical = key if key in entry.options else by_fold.get(key.casefold())
            if canonical is None:
                unsupported.append(key)
            else:
                args[canonical] = value
        if unsupported:
            module_name = call.args.get('_ansible_module_name') or call.fqcn
            return {'changed': False, 'failed': True,
                    'msg': _unsupported_message(module_name, unsupported, entry.options)}
        ctx = Context(state, domain, module=call.fqcn, check_mode=call.check_mode,
                      peers=lambda: self._peer_states(state.get('name')))
        try:
            if f.access_denied(ctx.faults) == 'all':
                raise ModuleFailure(ACCESS_DENIED_MSG, error='access_denied')
            result = dict(entry.func(ctx, args) or {})
            result.setdefault('changed', False)
            if args.get('mode') == 'read' and not result.get('failed') \
                    and f.concurrent_change_due(ctx.faults, entry.short_name):
                self._concurrent_change(entry, state, domain, args)
        except ModuleFailure as exc:
            result = exc.result()
        except HostCrashed:
            return {'changed': False, 'failed': True, _CRASHED: self._used_up_crash(ctx)}
        except SimulatorBug as exc:
            result = {'changed': False, 'failed': True, 'msg': str(exc)}
        except Exception as exc:  # a handler bug: report it like Ansible.Basic reports an unhandled error
            result = {'changed': False, 'failed': True,
                      'msg': 'Unhandled exception while executing module: %s' % exc,
                      'exception': traceback.format_exc()}
        result.setdefault('invocation', {'module_args': args})
        return result

    def _dispatch_batch(self, state: dict[str, Any], domain: dict[str, Any] | None, call: ModuleCall) -> dict[str, Any]:
        """managed_server_access: its calls checked first, as the module does, then each run as its own module."""
        args = call.user_args
        mode, calls = args.get('mode'), args.get('calls')
        if mode not in ('read', 'apply') or not isinstance(calls, list):
            return {'changed': False, 'failed': True, 'msg': 'winsim: managed_server_access needs mode read or apply and a '
                                                             'list of calls, got %r' % (args,)}
        for index, item in enumerate(calls):
            name = item.get('module') if isinstance(item, dict) else None
            if name not in batch_handler.CALLABLE:
                return {'changed': False, 'failed': True, 'msg': "Call %d names module '%s', which a batch cannot run; it "
                        'can run %s.' % (index, name, ', '.join(sorted(batch_handler.CALLABLE)))}
            if not isinstance(item.get('options'), dict):
                return {'changed': False, 'failed': True, 'msg': 'Call %d (%s) has no options dictionary.' % (index, name)}
            if item['options'].get('mode') != mode:
                return {'changed': False, 'failed': True, 'msg': "Call %d (%s) has mode '%s' in a %s batch; every call of a "
                        "batch has the batch's mode." % (index, name, item['options'].get('mode'), mode)}
        passed_on = {k: v for k, v in call.args.items() if k.startswith('_ansible_') and k != '_ansible_module_name'}
        replies = []
        for item in calls:
            fqcn = 'ipam.provisioning.%s' % item['module']
            module_call = ModuleCall(fqcn=fqcn, args=dict(item['options'], **passed_on), script=fqcn + '.ps1')
            reply = self._dispatch(state, domain, module_call)
            if _CRASHED in reply:
                return reply
            reply.pop('invocation', None)
            replies.append(reply)
        return {'changed': any(r.get('changed') for r in replies), 'replies': replies,
                'invocation': {'module_args': args}}

    def _peer_states(self, host: str | None) -> dict[str, dict[str, Any]]:
        """The other hosts' state, loaded fresh (callers hold the lock, as _transaction does)."""
        with self.store.locked():
            return self._load_peer_states(host)

    def _load_peer_states(self, host: str | None) -> dict[str, dict[str, Any]]:
        """_peer_states without taking the lock: for a thread working for the one that holds it."""
        peers: dict[str, dict[str, Any]] = {}
        for name in self.store.host_names():
            if name != host:
                loaded = self.store.load_host(name)
                if loaded is not None:
                    peers[name] = loaded
        return peers

    @staticmethod
    def _concurrent_change(entry: handlers.Handler, state: dict[str, Any], domain: dict[str, Any] | None,
                           args: dict[str, Any]) -> None:
        """Someone else changes the object right after the read, so the apply's token is stale."""
        if entry.concurrent_change is None:
            raise SimulatorBug('winsim: fault concurrent_change is set for %s but its handler has no '
                               'concurrent_change function' % entry.fqcn)
        entry.concurrent_change(Context(state, domain, module=entry.fqcn, external=True), args)
        f.clear_concurrent_change(state['faults'], entry.short_name)

    # -- inspection and test helpers --------------------------------------------------------------
    def hosts(self) -> list[str]:
        return self.store.host_names()

    def host_state(self, host: str) -> dict[str, Any] | None:
        with self.store.locked():
            return self.store.load_host(host)

    def domain_state(self, dns_name: str) -> dict[str, Any] | None:
        with self.store.locked():
            return self.store.load_domain(dns_name)

    def counters(self, host: str) -> dict[str, int]:
        state = self.host_state(host)
        if state is None:
            raise KeyError('winsim: unknown host %r' % host)
        return dict(state.get('counters') or {})

    def set_faults(self, host: str, faults: Mapping[str, Any]) -> dict[str, Any]:
        """Merge faults into the host's (a value of None/false switches one off); return the result."""
        with self.edit(host) as ctx:
            merged = f.merge(ctx.host.get('faults'), faults)
            ctx.host['faults'] = merged
        return merged

    def host_for_address(self, address: str) -> str | None:
        """Inventory name of the host seeded with this address (for transports keyed by IP).

        Read without the lock, like check_reachable: every request of a transport asks it."""
        for name in self.store.host_names():
            state = self.store.load_host(name)
            if state and state.get('address') == address:
                return name
        return None

    @contextlib.contextmanager
    def edit(self, host: str) -> Iterator[Context]:
        """Change a host (and its domain) directly, under the lock; saved when the block ends."""
        with self.store.locked():
            state = self.store.load_host(host)
            if state is None:
                raise KeyError('winsim: unknown host %r' % host)
            domain = self.store.load_domain(state['domain']) if state.get('domain') else None
            yield Context(state, domain, module='winsim.edit', external=True,
                          peers=lambda: self._peer_states(host))
            self.store.save_host(host, state)
            if domain is not None:
                self.store.save_domain(domain['dns_name'], domain)

    def reset(self) -> None:
        self.store.reset()
