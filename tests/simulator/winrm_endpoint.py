#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fake WinRM (WS-Management / WinRS) endpoint serving the simulated lab to real WinRM clients.

The real ``ansible.builtin.winrm`` connection plugin and pywinrm talk to it exactly as to a Windows
host over ``http`` with ``basic`` authentication. Every command line and its stdin (Ansible's
pipelined module payload) is handed to the simulator, ``winsim.Simulator.execute``; the simulator
decodes the payload and answers like the PowerShell module would.

    python tests/simulator/winrm_endpoint.py --inventory inventory/lab/hosts.yml \\
        --state-dir .lab/state --port 0 --user lab --password lab

prints ``listening <port> <addr>,<addr>,...`` and serves until SIGTERM or SIGINT. With ``--pwsh``
the modules that have a fake for every Windows call run for real in pwsh (``winsim/pwsh``).

Addressing. There is one listener per simulated host, on the host's ``winsim_profile.address``, all
on the same port; the host a request is for is the local address the client connected to. Only
loopback addresses 127.0.0.x are accepted (every 127/8 address reaches ``lo`` on Linux), so the
endpoint can never be reached from outside the machine.

Protocol subset (what pywinrm 0.5 and the winrm plugin use): Create (open a shell), Command, Send
(stdin, base64, ``End="true"`` on the last chunk), Receive (all output at once with the exit code and
``CommandState/Done``), Signal (terminate: forget the command) and Delete (close the shell). Every
reply carries ``a:RelatesTo`` with the request's MessageID, which pywinrm checks. Errors are SOAP
faults with HTTP 500, wrong credentials are HTTP 401. The command runs at its first Receive, with
the stdin received so far.

Unreachable hosts. A host whose ``unreachable`` fault is set refuses the shell: the endpoint closes
the TCP connection without an answer, pywinrm fails to open the shell, and Ansible reports the host
UNREACHABLE (only a failure while connecting is reported that way). The check is
``Simulator.check_reachable(host)``, which raises ``HostUnreachable``; the same exception raised by
``execute`` later drops the connection too (the task then fails, as a real host vanishing mid-task
would make it).

Bounds: request bodies, stdin per command, open shells per host and commands per shell are capped,
idle keep-alive connections time out, and nothing loops on a client's behalf.
"""
from __future__ import annotations

import argparse
import base64
import collections
import dataclasses
import ipaddress
import os
import signal
import socket
import sys
import threading
import typing as t
import uuid
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

NS = {
    's': 'http://www.w3.org/2003/05/soap-envelope',
    'a': 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
    'w': 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
    'rsp': 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
    'f': 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
}
SHELL_URI = NS['rsp']
TRANSFER = 'http://schemas.xmlsoap.org/ws/2004/09/transfer'
ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous'

MAX_BODY = 32 * 1024 * 1024       # one SOAP request
MAX_STDIN = 64 * 1024 * 1024      # stdin of one command (Ansible sends 200 kB chunks)
MAX_SHELLS_PER_HOST = 32          # oldest shell is dropped beyond this
MAX_COMMANDS_PER_SHELL = 64       # oldest command is dropped beyond this
IDLE_TIMEOUT = 120                # seconds a keep-alive connection may stay silent

# WS-Man fault codes used in replies (the numbers real WinRM sends).
ERROR_INVALID_SELECTORS = 2150858843   # unknown ShellId
ERROR_INVALID_PARAMETER = 87           # unknown CommandId / malformed request
ERROR_UNSUPPORTED_ACTION = 2150858770
ERROR_OPERATION_TIMEDOUT = 2150858793  # a Receive with no output yet: the client asks again (pywinrm)
RECEIVE_WAIT = 10.0                    # seconds a Receive waits for the command before that fault


class DropConnection(Exception):
    """Close the client's TCP connection without an answer (host unreachable)."""


class WSManFault(Exception):
    def __init__(self, code: int, reason: str, subcode: str = 'w:InvalidSelectors') -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.subcode = subcode


@dataclasses.dataclass
class Command:
    command_line: str
    stdin: bytearray = dataclasses.field(default_factory=bytearray)
    stdin_closed: bool = False
    result: tuple[int, bytes, bytes] | None = None
    # Set once the command runs (in its own thread, started by the first Receive).
    finished: threading.Event | None = None
    error: BaseException | None = None


@dataclasses.dataclass
class Shell:
    host: str
    commands: collections.OrderedDict = dataclasses.field(default_factory=collections.OrderedDict)


class Endpoint:
    """Protocol state and dispatch, independent of HTTP (unit-testable)."""

    def __init__(self, sim: t.Any, user: str, password: str, unreachable_error: type[BaseException]) -> None:
        self.sim = sim
        self.user = user
        self.password = password
        self.unreachable_error = unreachable_error
        self.lock = threading.Lock()
        self.shells: dict[str, collections.OrderedDict[str, Shell]] = collections.defaultdict(collections.OrderedDict)
        self.stats = collections.Counter()

    # -- authentication and host ------------------------------------------------------------
    def authorized(self, header: str | None) -> bool:
        if not header or not header.startswith('Basic '):
            return False
        try:
            user, _sep, password = base64.b64decode(header[6:].strip()).decode('utf-8').partition(':')
        except (ValueError, UnicodeDecodeError):
            return False
        return user == self.user and password == self.password

    def host_for(self, local_address: str) -> str | None:
        return self.sim.host_for_address(local_address)

    def check_reachable(self, host: str) -> None:
        """Raise DropConnection when the simulator says the host is unreachable."""
        try:
            self.sim.check_reachable(host)
        except self.unreachable_error as exc:
            raise DropConnection(str(exc)) from exc

    # -- dispatch -------------------------------------------------------------------------
    def handle(self, local_address: str, body: bytes) -> bytes:
        """Answer one SOAP request; raises WSManFault or DropConnection."""
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'malformed SOAP request: %s' % exc, 'w:InvalidMessage') from exc
        header = root.find('s:Header', NS)
        action = _text(header, 'a:Action')
        message_id = _text(header, 'a:MessageID')
        if not action or not message_id:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'request without Action or MessageID', 'w:InvalidMessage')
        body_node = root.find('s:Body', NS)
        shell_id = None
        for selector in header.iterfind('w:SelectorSet/w:Selector', NS):
            if selector.get('Name') == 'ShellId':
                shell_id = (selector.text or '').strip()
        operation = action.rsplit('/', 1)[-1]
        self.stats[operation] += 1

        host = self.host_for(local_address)
        if host is None:
            raise WSManFault(ERROR_INVALID_SELECTORS, 'no simulated host at %s' % local_address)

        if action == TRANSFER + '/Create':
            return self._create(host, message_id, local_address)
        shell = self._shell(host, shell_id)
        if action == SHELL_URI + '/Command':
            return self._command(shell, message_id, body_node)
        if action == SHELL_URI + '/Send':
            return self._send(shell, message_id, body_node)
        if action == SHELL_URI + '/Receive':
            return self._receive(shell, message_id, body_node)
        if action == SHELL_URI + '/Signal':
            return self._signal(shell, message_id, body_node)
        if action == TRANSFER + '/Delete':
            with self.lock:
                self.shells[host].pop(shell_id, None)
            return envelope(TRANSFER + '/DeleteResponse', message_id, '')
        raise WSManFault(ERROR_UNSUPPORTED_ACTION, 'unsupported action %s' % action, 'a:ActionNotSupported')

    def _create(self, host: str, message_id: str, local_address: str) -> bytes:
        self.check_reachable(host)
        shell_id = str(uuid.uuid4()).upper()
        with self.lock:
            shells = self.shells[host]
            shells[shell_id] = Shell(host)
            while len(shells) > MAX_SHELLS_PER_HOST:
                shells.popitem(last=False)
        body = ('<w:ResourceCreated><a:Address>http://%s/wsman</a:Address><a:ReferenceParameters>'
                '<w:ResourceURI>%s/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">%s</w:Selector>'
                '</w:SelectorSet></a:ReferenceParameters></w:ResourceCreated>'
                '<rsp:Shell><rsp:ShellId>%s</rsp:ShellId><rsp:State>Connected</rsp:State></rsp:Shell>'
                % (escape(local_address), SHELL_URI, shell_id, shell_id))
        return envelope(TRANSFER + '/CreateResponse', message_id, body)

    def _shell(self, host: str, shell_id: str | None) -> Shell:
        with self.lock:
            shell = self.shells[host].get(shell_id or '')
        if shell is None:
            raise WSManFault(ERROR_INVALID_SELECTORS, 'The request for the Windows Remote Shell with ShellId %s '
                                                      'failed because the shell was not found on the server.' % shell_id)
        return shell

    def _command_of(self, shell: Shell, command_id: str | None) -> Command:
        with self.lock:
            command = shell.commands.get(command_id or '')
        if command is None:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'unknown CommandId %s' % command_id, 'w:InvalidParameter')
        return command

    def _command(self, shell: Shell, message_id: str, body: ET.Element) -> bytes:
        line = body.find('rsp:CommandLine', NS) if body is not None else None
        if line is None:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'Command without CommandLine', 'w:InvalidParameter')
        parts = [_text(line, 'rsp:Command').strip()]
        parts.extend((arg.text or '').strip() for arg in line.findall('rsp:Arguments', NS))
        command_id = str(uuid.uuid4()).upper()
        with self.lock:
            shell.commands[command_id] = Command(' '.join(p for p in parts if p))
            while len(shell.commands) > MAX_COMMANDS_PER_SHELL:
                shell.commands.popitem(last=False)
        return envelope(SHELL_URI + '/CommandResponse', message_id,
                        '<rsp:CommandResponse><rsp:CommandId>%s</rsp:CommandId></rsp:CommandResponse>' % command_id)

    def _send(self, shell: Shell, message_id: str, body: ET.Element) -> bytes:
        stream = body.find('rsp:Send/rsp:Stream', NS) if body is not None else None
        if stream is None:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'Send without Stream', 'w:InvalidParameter')
        command = self._command_of(shell, stream.get('CommandId'))
        try:
            data = base64.b64decode((stream.text or '').strip(), validate=True)
        except ValueError as exc:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'stdin is not base64: %s' % exc, 'w:InvalidParameter') from exc
        with self.lock:
            if command.stdin_closed or command.result is not None:
                raise WSManFault(ERROR_INVALID_PARAMETER, 'stdin of this command is closed', 'w:InvalidParameter')
            if len(command.stdin) + len(data) > MAX_STDIN:
                raise WSManFault(ERROR_INVALID_PARAMETER, 'stdin larger than %d bytes' % MAX_STDIN, 'w:QuotaLimit')
            command.stdin.extend(data)
            command.stdin_closed = stream.get('End', 'false').lower() == 'true'
        return envelope(SHELL_URI + '/SendResponse', message_id, '<rsp:SendResponse/>')

    def _receive(self, shell: Shell, message_id: str, body: ET.Element) -> bytes:
        desired = body.find('rsp:Receive/rsp:DesiredStream', NS) if body is not None else None
        if desired is None:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'Receive without DesiredStream', 'w:InvalidParameter')
        command_id = desired.get('CommandId')
        command = self._command_of(shell, command_id)
        with self.lock:
            if command.finished is None:
                command.finished = threading.Event()
                threading.Thread(target=self._run, args=(shell.host, command), daemon=True).start()
        # A command that runs longer than one Receive (a module in pwsh, a delay fault) is answered
        # as a real WinRM service answers it: an OperationTimeout fault, and the client asks again.
        if not command.finished.wait(RECEIVE_WAIT):
            raise WSManFault(ERROR_OPERATION_TIMEDOUT, 'The WS-Management service cannot complete the operation within '
                             'the time specified in OperationTimeout.', 'w:TimedOut')
        if command.error is not None:
            raise DropConnection(str(command.error)) from command.error
        rc, out, err = command.result
        streams = ''.join('<rsp:Stream Name="%s" CommandId="%s">%s</rsp:Stream>'
                          % (name, command_id, base64.b64encode(data).decode('ascii'))
                          for name, data in (('stdout', out), ('stderr', err)) if data)
        streams += ('<rsp:Stream Name="stdout" CommandId="%s" End="true"></rsp:Stream>'
                    '<rsp:Stream Name="stderr" CommandId="%s" End="true"></rsp:Stream>' % (command_id, command_id))
        state = ('<rsp:CommandState CommandId="%s" State="%s/CommandState/Done"><rsp:ExitCode>%d</rsp:ExitCode>'
                 '</rsp:CommandState>' % (command_id, SHELL_URI, rc))
        return envelope(SHELL_URI + '/ReceiveResponse', message_id,
                        '<rsp:ReceiveResponse>%s%s</rsp:ReceiveResponse>' % (streams, state))

    def _run(self, host: str, command: Command) -> None:
        try:
            rc, out, err = self.sim.execute(host, command.command_line, bytes(command.stdin))
            command.result = (int(rc), bytes(out or b''), bytes(err or b''))
            self.stats['executed'] += 1
        except self.unreachable_error as exc:
            command.error = exc
        except Exception as exc:  # the simulator failed: the shell reports it, as a crashed host process would
            command.result = (1, b'', ('winsim endpoint: %s: %s' % (type(exc).__name__, exc)).encode())
        finally:
            assert command.finished is not None
            command.finished.set()

    def _signal(self, shell: Shell, message_id: str, body: ET.Element) -> bytes:
        signal_node = body.find('rsp:Signal', NS) if body is not None else None
        if signal_node is None:
            raise WSManFault(ERROR_INVALID_PARAMETER, 'Signal without Signal element', 'w:InvalidParameter')
        with self.lock:
            shell.commands.pop(signal_node.get('CommandId') or '', None)
        return envelope(SHELL_URI + '/SignalResponse', message_id, '<rsp:SignalResponse/>')


def _text(node: ET.Element | None, path: str) -> str:
    if node is None:
        return ''
    found = node.find(path, NS)
    return (found.text or '').strip() if found is not None else ''


def envelope(action: str, relates_to: str, body: str) -> bytes:
    return ('<s:Envelope xmlns:s="{s}" xmlns:a="{a}" xmlns:w="{w}" xmlns:rsp="{rsp}">'
            '<s:Header><a:To>{to}</a:To><a:Action s:mustUnderstand="true">{action}</a:Action>'
            '<a:MessageID>uuid:{mid}</a:MessageID><a:RelatesTo>{rel}</a:RelatesTo></s:Header>'
            '<s:Body>{body}</s:Body></s:Envelope>').format(
        to=ANONYMOUS, action=escape(action), mid=str(uuid.uuid4()).upper(), rel=escape(relates_to), body=body,
        **NS).encode('utf-8')


def fault_envelope(relates_to: str, fault: WSManFault) -> bytes:
    body = ('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>{sub}</s:Value></s:Subcode></s:Code>'
            '<s:Reason><s:Text xml:lang="en-US">{reason}</s:Text></s:Reason>'
            '<s:Detail><f:WSManFault xmlns:f="{f}" Code="{code}" Machine="localhost">'
            '<f:Message>{reason}</f:Message></f:WSManFault></s:Detail></s:Fault>').format(
        sub=escape(fault.subcode), reason=escape(fault.reason), code=fault.code, f=NS['f'])
    return envelope('http://schemas.dmtf.org/wbem/wsman/1/wsman/fault', relates_to or 'uuid:unknown', body)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'Microsoft-HTTPAPI/2.0'
    sys_version = ''
    timeout = IDLE_TIMEOUT
    endpoint: Endpoint  # set on a subclass per server

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if os.environ.get('WINRM_ENDPOINT_DEBUG'):
            super().log_message(format, *args)

    def _reply(self, status: int, body: bytes = b'', extra: t.Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header('Content-Type', 'application/soap+xml;charset=UTF-8')
        self.send_header('Content-Length', str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_POST(self):  # pylint: disable=invalid-name
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return self._reply(413)
        body = self.rfile.read(length)
        if not self.endpoint.authorized(self.headers.get('Authorization')):
            return self._reply(401, extra={'WWW-Authenticate': 'Basic realm="WSMAN"'})
        local_address = self.connection.getsockname()[0]
        message_id = ''
        try:
            try:
                message_id = _text(ET.fromstring(body).find('s:Header', NS), 'a:MessageID')
            except ET.ParseError:
                pass
            return self._reply(200, self.endpoint.handle(local_address, body))
        except DropConnection:
            return self._drop()
        except WSManFault as fault:
            return self._reply(500, fault_envelope(message_id, fault))
        # Anything else is a simulator bug: tell the client instead of dropping the request.
        except Exception as exc:  # pylint: disable=broad-except
            return self._reply(500, fault_envelope(message_id, WSManFault(
                ERROR_INVALID_PARAMETER, 'endpoint error: %s: %s' % (type(exc).__name__, exc), 'w:InternalError')))

    def do_GET(self):  # pylint: disable=invalid-name
        self.close_connection = True
        self._reply(405)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def check_loopback(address: str) -> str:
    try:
        parsed = ipaddress.IPv4Address(address)
    except ValueError:
        raise ValueError('%r is not an IPv4 address' % (address,)) from None
    if parsed not in ipaddress.IPv4Network('127.0.0.0/24'):
        raise ValueError('%s is not a loopback address 127.0.0.x; the endpoint listens on loopback only' % address)
    return str(parsed)


class Listeners:
    """One HTTP server per address, same port, each in its own thread."""

    def __init__(self, endpoint: Endpoint, addresses: t.Sequence[str], port: int, attempts: int = 20) -> None:
        if not addresses:
            raise ValueError('no address to listen on')
        self.addresses = [check_loopback(a) for a in addresses]
        handler = type('BoundRequestHandler', (RequestHandler,), {'endpoint': endpoint})
        self.servers: list[Server] = []
        last_error: OSError | None = None
        for _attempt in range(attempts if port == 0 else 1):
            try:
                self._bind_all(handler, port)
                break
            except OSError as exc:  # the free port of the first address is taken on another one
                last_error = exc
                self._close_all()
        if not self.servers:
            raise OSError('cannot listen on %s port %s: %s' % (','.join(self.addresses), port or 'any', last_error))
        self.port = self.servers[0].server_address[1]
        self.threads: list[threading.Thread] = []

    def _bind_all(self, handler, port: int) -> None:
        for address in self.addresses:
            server = Server((address, port), handler)
            self.servers.append(server)
            port = server.server_address[1]

    def _close_all(self) -> None:
        for server in self.servers:
            server.server_close()
        self.servers = []

    def start(self) -> None:
        for server in self.servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2},
                                      name='winrm-%s' % server.server_address[0], daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
        for thread in self.threads:
            thread.join(timeout=5)
        self._close_all()


def lab_addresses(sim: t.Any, names: t.Iterable[str]) -> dict[str, str]:
    """{address: inventory_hostname} of the seeded hosts, checked against sim.host_for_address."""
    result = {}
    for name in names:
        address = (sim.host_state(name) or {}).get('address')
        if not address:
            raise ValueError('simulated host %s has no address' % name)
        try:
            address = check_loopback(address)
        except ValueError as exc:
            raise ValueError('host %s: %s' % (name, exc)) from None
        found = sim.host_for_address(address)
        if found != name:
            raise ValueError('host %s: the simulator maps %s to %r' % (name, address, found))
        result[address] = name
    return result


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--inventory', required=True, action='append',
                        help='lab inventory whose hosts have winsim_profile.address; repeat it to add an overlay')
    parser.add_argument('--state-dir', required=True, help='simulator state directory (created if missing)')
    parser.add_argument('--port', type=int, default=5985, help='port for every address; 0 picks a free one')
    parser.add_argument('--user', default='lab', help='basic-auth user (default: %(default)s)')
    parser.add_argument('--password', default='lab', help='basic-auth password (default: %(default)s)')
    parser.add_argument('--pwsh', action='store_true',
                        help='run the modules that have fakes for every Windows call in pwsh for real '
                             '(winsim/pwsh/runtime.py REAL_MODULES); the others stay simulated')
    parser.add_argument('--pwsh-workers', type=int, default=2, help='long-lived pwsh workers (default: %(default)s)')
    parser.add_argument('--no-compile-cache', action='store_true',
                        help="compile Ansible's C# utils on every command, as Windows does (slow)")
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from winsim import HostUnreachable, Simulator  # pylint: disable=import-outside-toplevel

    os.makedirs(args.state_dir, exist_ok=True)
    runtime = None
    if args.pwsh:
        from winsim.pwsh.runtime import PwshRuntime  # pylint: disable=import-outside-toplevel
        runtime = PwshRuntime(size=args.pwsh_workers, compile_cache=not args.no_compile_cache)
    sim = Simulator(args.state_dir, pwsh=runtime)
    seeded = sim.seed_from_inventory(args.inventory)
    if not seeded:
        parser.error('%s has no host with winsim_profile' % ' + '.join(args.inventory))
    addresses = lab_addresses(sim, seeded)
    endpoint = Endpoint(sim, args.user, args.password, HostUnreachable)
    listeners = Listeners(endpoint, sorted(addresses), args.port)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    listeners.start()
    print('listening %d %s' % (listeners.port, ','.join(listeners.addresses)), flush=True)
    while not stop.wait(1.0):
        pass
    listeners.stop()
    if runtime is not None:
        print(runtime.summary(), flush=True)
        runtime.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
