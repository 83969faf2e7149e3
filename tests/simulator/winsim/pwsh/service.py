# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A long-lived process that runs simulated hosts' commands in pwsh for the `winsim` connection.

The winsim connection plugin runs inside Ansible's forked task workers, which live for one task:
too short to keep pwsh warm. When the environment names a service socket (WINSIM_PWSH_SERVICE),
the plugin hands every command to this process instead, which answers it as Simulator.execute
does, on the same state files (the store's file lock serialises the two): the modules of
runtime.REAL_MODULES in pwsh for real, the others from their Python model.

    python -m winsim.pwsh.service --socket PATH [--workers N]   prints 'listening PATH'

Protocol: one JSON line in, {"state_dir", "host", "command", "stdin" (base64 or null)}; one JSON
line out, {"rc", "stdout", "stderr"} (base64) or {"unreachable": message}.
"""
from __future__ import annotations

import argparse
import base64
import json
import signal
import socket
import socketserver
import sys
import threading
from typing import Any

from ..engine import Simulator
from ..errors import HostUnreachable
from .runtime import PwshRuntime

ENV = 'WINSIM_PWSH_SERVICE'
MAX_REQUEST = 64 * 1024 * 1024


def forward(path: str, state_dir: str, host: str, command: str, stdin: bytes | None) -> tuple[int, bytes, bytes]:
    """Client side (the connection plugin): run one command through the service."""
    request = {'state_dir': state_dir, 'host': host, 'command': command,
               'stdin': base64.b64encode(stdin).decode('ascii') if stdin is not None else None}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        sock.sendall(json.dumps(request).encode('utf-8') + b'\n')
        with sock.makefile('rb') as stream:
            line = stream.readline()
    if not line:
        raise RuntimeError('winsim: the pwsh service at %s closed the connection without an answer' % path)
    reply = json.loads(line)
    if 'unreachable' in reply:
        raise HostUnreachable(reply['unreachable'])
    return reply['rc'], base64.b64decode(reply['stdout']), base64.b64decode(reply['stderr'])


class Service:
    def __init__(self, path: str, runtime: PwshRuntime) -> None:
        self.runtime = runtime
        self._simulators: dict[str, Simulator] = {}
        self._lock = threading.Lock()
        service = self

        class _Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                reply = service.answer(json.loads(self.rfile.readline(MAX_REQUEST)))
                self.wfile.write(json.dumps(reply).encode('utf-8') + b'\n')

        self.server = socketserver.ThreadingUnixStreamServer(path, _Handler)
        self.server.daemon_threads = True

    def simulator(self, state_dir: str) -> Simulator:
        with self._lock:
            if state_dir not in self._simulators:
                self._simulators[state_dir] = Simulator(state_dir, pwsh=self.runtime)
            return self._simulators[state_dir]

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        stdin = base64.b64decode(request['stdin']) if request.get('stdin') is not None else None
        try:
            rc, out, err = self.simulator(request['state_dir']).execute(request['host'], request['command'], stdin)
        except HostUnreachable as exc:
            return {'unreachable': str(exc)}
        except Exception as exc:  # the host's shell reports what broke; the caller sees a failed command
            rc, out, err = 1, b'', ('winsim pwsh service: %s: %s' % (type(exc).__name__, exc)).encode()
        return {'rc': rc, 'stdout': base64.b64encode(out).decode('ascii'), 'stderr': base64.b64encode(err).decode('ascii')}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--socket', required=True, help='Unix socket path to listen on')
    parser.add_argument('--workers', type=int, default=2, help='pwsh workers (default: %(default)s)')
    args = parser.parse_args(argv)
    runtime = PwshRuntime(size=args.workers)
    service = Service(args.socket, runtime)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=service.server.serve_forever, daemon=True).start()
    print('listening %s' % args.socket, flush=True)
    while not stop.wait(1.0):
        pass
    service.server.shutdown()
    print(runtime.summary(), file=sys.stderr, flush=True)   # stderr: the caller's log keeps it
    runtime.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
