# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The channel between the fake Windows API (in pwsh, and executables such as sc.exe) and the
simulated host's state (in Python).

A fake cmdlet, a function of the fake boundary util, or the fake sc.exe sends one JSON line over
the Unix socket named by $env:WINSIM_API_SOCKET:

    {"token": $env:WINSIM_API_TOKEN, "op": "Service.GetSddl", "args": {...}}

and reads one JSON line back: {"ok": true, "result": ...} or {"ok": false, "error": {"kind": ...,
"message": ..., ...}}. The token names the round trip in progress (one host, its loaded state);
the operation is a function of ``winsim.winapi`` that does to that state what the Windows API does.
Error kinds (``winapi.ApiError``) are turned into the error each real API raises by the fake that
called (an ErrorRecord with the right category and HResult, an exit code, an exception type).
"""
from __future__ import annotations

import contextlib
import json
import os
import socketserver
import tempfile
import threading
import traceback
import uuid
from typing import Any, Callable, Iterator

from ..winapi import ApiError

Dispatch = Callable[[str, dict[str, Any]], Any]
MAX_LINE = 16 * 1024 * 1024


class ApiServer:
    """A Unix socket server in a thread; `session(dispatch)` registers one round trip's handler."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix='winsim-api-')
        self.path = os.path.join(self._dir, 'api.sock')
        self._sessions: dict[str, Dispatch] = {}
        self._lock = threading.Lock()
        server = self

        class _Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(MAX_LINE)
                reply = server._answer(line)
                self.wfile.write(json.dumps(reply).encode('utf-8') + b'\n')

        self._server = socketserver.ThreadingUnixStreamServer(self.path, _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name='winsim-api', daemon=True)
        self._thread.start()

    def _answer(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            with self._lock:
                dispatch = self._sessions.get(request.get('token'))
            if dispatch is None:
                return {'ok': False, 'error': {'kind': 'winsim', 'message': 'winsim: no round trip in progress for '
                                               'this token (a fake called after its command ended?)'}}
            return {'ok': True, 'result': dispatch(request['op'], request.get('args') or {})}
        except ApiError as exc:
            return {'ok': False, 'error': exc.as_dict()}
        except Exception as exc:  # a bug of the simulator: say so loudly, never look like Windows
            return {'ok': False, 'error': {'kind': 'winsim', 'message': 'winsim bug: %s: %s\n%s'
                                           % (type(exc).__name__, exc, traceback.format_exc())}}

    @contextlib.contextmanager
    def session(self, dispatch: Dispatch) -> Iterator[str]:
        token = uuid.uuid4().hex
        with self._lock:
            self._sessions[token] = dispatch
        try:
            yield token
        finally:
            with self._lock:
                del self._sessions[token]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(self._dir)
