# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Long-lived pwsh workers that run what a WinRM client sent, as a Windows host would run it.

A command line from Ansible is ``PowerShell ... -EncodedCommand <bootstrap>`` with the module
payload on stdin. The pool decodes the script and hands it, with the stdin lines as pipeline input,
to an idle worker (``worker.ps1``), which runs it in a fresh runspace the way Ansible's psrp
connection does. Ansible's exec wrapper, module_wrapper.ps1, Ansible.Basic and our module then run
for real; only what Linux lacks is faked (``fakes.py``).

Two edits are made to the manifest, and only these (``rewrite_manifest``):
- the boundary util ``_IpamWindows.psm1`` is replaced by the simulator's version (the one file the
  design lets a test replace: it holds the .NET calls that throw PlatformNotSupportedException on
  Linux);
- with ``compile_cache`` on (the default), ``Ansible.ModuleUtils.AddType.psm1`` gets a front that
  compiles each distinct set of C# sources once per worker. Types cannot be unloaded and the first
  compiled Ansible.Basic is the one PowerShell resolves in a process anyway (exec-wrapper.md 1.6),
  so a second compile only costs seconds. ``compile_cache=False`` runs Ansible's own AddType.
"""
from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Mapping, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_SCRIPT = os.path.join(HERE, 'worker.ps1')
TYPE_SOURCES = [os.path.join(HERE, 'RecordingHost.cs'), os.path.join(HERE, 'CompileCache.cs')]
FAKES_PSMODULEPATH = os.path.join(HERE, 'modules')
FAKES_BIN = os.path.join(HERE, 'bin')
BOUNDARY_FAKE = os.path.join(HERE, '_IpamWindows.psm1')
BOUNDARY_SUFFIX = '.plugins.module_utils._IpamWindows.psm1'
ADDTYPE_NAME = 'Ansible.ModuleUtils.AddType.psm1'
SEPARATOR = '\n\0\0\0\0\n'
LEGACY_SEPARATOR = '\0\0\0\0'
LEGACY_BOUNDARY_SUFFIX = '_IpamWindows'      # 2.16-2.18 key the utils by the name the requirement gives
LEGACY_ADDTYPE_NAME = 'Ansible.ModuleUtils.AddType'
PWSH_VERSION = '7.6.10'

# Compiles each distinct set of sources (and symbols) once per process; the real function does the work.
_ADDTYPE_FRONT = r'''
Function Add-CSharpType {
    # winsim compile cache (tests only): see tests/simulator/winsim/pwsh/pool.py.
    param(
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][String[]]$References,
        [Switch]$IgnoreWarnings,
        [Switch]$PassThru,
        [Parameter(Mandatory = $true, ParameterSetName = "Module")][Object]$AnsibleModule,
        [Parameter(ParameterSetName = "Manual")][String]$TempPath,
        [Parameter(ParameterSetName = "Manual")][Switch]$IncludeDebugInfo,
        [String[]]$CompileSymbols = @()
    )
    $key = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData(
            [System.Text.Encoding]::UTF8.GetBytes(($References + '--' + $CompileSymbols) -join "`0")))
    $assembly = $null
    if (-not [WinSim.CompileCache]::Assemblies.TryGetValue($key, [ref]$assembly)) {
        $null = $PSBoundParameters.Remove('PassThru')
        $assembly = Invoke-AnsibleAddCSharpType @PSBoundParameters -PassThru
        [WinSim.CompileCache]::Assemblies[$key] = $assembly
    }
    if ($PassThru) { $assembly }
}
'''


class PwshUnavailable(RuntimeError):
    """pwsh could not be started."""


def find_pwsh() -> str | None:
    """pwsh PWSH_VERSION: $PWSH, then PATH, then dotnet's global tools folder."""
    import shutil
    candidates = [os.environ.get('PWSH'), shutil.which('pwsh'),
                  os.path.join(os.path.expanduser('~'), '.dotnet', 'tools', 'pwsh')]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode('utf-8')).decode('ascii')


def _cached_addtype(encoded: str) -> str:
    real = base64.b64decode(encoded).decode('utf-8-sig')
    real = real.replace('Function Add-CSharpType {', 'Function Invoke-AnsibleAddCSharpType {', 1)
    real = real.replace('Export-ModuleMember -Function Add-CSharpType', '')
    return _b64(real + _ADDTYPE_FRONT + '\nExport-ModuleMember -Function Add-CSharpType\n')


def rewrite_manifest(stdin: str, *, boundary: str | None, compile_cache: bool) -> str:
    """The pipelined payload with the two test edits described above: ansible-core >= 2.19's
    (bootstrap JSON, manifest JSON with scripts {name: {script: base64}}) or 2.16-2.18's (exec
    wrapper text, JSON with powershell_modules {name: base64})."""
    if SEPARATOR in stdin:
        head, manifest_text = stdin.split(SEPARATOR, 1)
        separator = SEPARATOR
        manifest = json.loads(manifest_text)
        scripts = {name: entry['script'] for name, entry in (manifest.get('scripts') or {}).items()}
        boundary_names = [name for name in scripts if name.endswith(BOUNDARY_SUFFIX)]
        addtype_name = ADDTYPE_NAME
    elif LEGACY_SEPARATOR in stdin:
        head, manifest_text = stdin.split(LEGACY_SEPARATOR, 1)
        separator = LEGACY_SEPARATOR
        manifest = json.loads(manifest_text)
        scripts = dict(manifest.get('powershell_modules') or {})
        boundary_names = [name for name in scripts if name.endswith(LEGACY_BOUNDARY_SUFFIX)]
        addtype_name = LEGACY_ADDTYPE_NAME
    else:
        return stdin
    edits = {}
    if boundary is not None:
        edits.update(dict.fromkeys(boundary_names, _b64(boundary)))
    if compile_cache and addtype_name in scripts:
        edits[addtype_name] = _cached_addtype(scripts[addtype_name])
    if not edits:
        return stdin
    for name, encoded in edits.items():
        if separator == SEPARATOR:
            manifest['scripts'][name]['script'] = encoded
        else:
            manifest['powershell_modules'][name] = encoded
    return head + separator + json.dumps(manifest)


@dataclass
class Reply:
    rc: int
    stdout: str
    stderr: str
    seconds: float


class Worker:
    """One pwsh process running worker.ps1; one request at a time."""

    def __init__(self, pwsh: str, start_timeout: float = 120.0) -> None:
        env = dict(os.environ)
        env.setdefault('LANG', 'C.UTF-8')
        env['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
        env['POWERSHELL_UPDATECHECK'] = 'Off'
        self.runs = 0
        self.proc = subprocess.Popen(
            [pwsh, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', WORKER_SCRIPT, '-TypeSource', ','.join(TYPE_SOURCES)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            text=True, encoding='utf-8', bufsize=1)
        ready = self._read_line(start_timeout)
        if ready is None or not ready.startswith('{"ready"'):
            self.close()
            raise PwshUnavailable('winsim: the pwsh worker did not start: %s' % (ready or self._stderr_tail()))

    def _stderr_tail(self) -> str:
        try:
            return (self.proc.stderr.read() or '')[-2000:] if self.proc.poll() is not None else ''
        except (OSError, ValueError):
            return ''

    def _read_line(self, timeout: float) -> str | None:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            self.close()
            return None
        return result[0] if result and result[0] else None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, script: str, lines: Sequence[str], env: Mapping[str, str], culture: str,
            timeout: float) -> Reply:
        start = time.monotonic()
        request = {'script': script, 'input': list(lines), 'env': dict(env), 'culture': culture}
        try:
            self.proc.stdin.write(json.dumps(request) + '\n')
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise PwshUnavailable('winsim: the pwsh worker died: %s %s' % (exc, self._stderr_tail())) from None
        line = self._read_line(timeout)
        if line is None:
            raise PwshUnavailable('winsim: no answer from the pwsh worker within %ss (killed)' % timeout)
        self.runs += 1
        reply = json.loads(line)
        return Reply(int(reply['rc']), reply.get('stdout') or '', reply.get('stderr') or '',
                     time.monotonic() - start)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


class PwshPool:
    """Up to `size` workers, started on demand and recycled after `max_runs` commands
    (compiled assemblies pile up in a process and cannot be unloaded)."""

    def __init__(self, pwsh: str | None = None, *, size: int = 2, max_runs: int = 200,
                 compile_cache: bool = True, timeout: float = 300.0) -> None:
        self.pwsh = pwsh or find_pwsh()
        if not self.pwsh:
            raise PwshUnavailable('winsim: pwsh %s was not found ($PWSH, PATH, ~/.dotnet/tools); install it with '
                                  '`dotnet tool install --global PowerShell --version %s`' % (PWSH_VERSION, PWSH_VERSION))
        self.size = size
        self.max_runs = max_runs
        self.compile_cache = compile_cache
        self.timeout = timeout
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._closed = False
        with open(BOUNDARY_FAKE, encoding='utf-8') as handle:
            self.boundary = handle.read()

    def _checkout(self) -> Worker:
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                start_new = True
            else:
                start_new = False
        if start_new:
            try:
                return Worker(self.pwsh)
            except Exception:
                with self._lock:
                    self._started -= 1
                raise
        return self._idle.get()

    def _checkin(self, worker: Worker) -> None:
        if self._closed or not worker.alive() or worker.runs >= self.max_runs:
            worker.close()
            with self._lock:
                self._started -= 1
            return
        self._idle.put(worker)

    def run(self, script: str, stdin: str, env: Mapping[str, str], culture: str = 'en-US') -> Reply:
        payload = rewrite_manifest(stdin, boundary=self.boundary, compile_cache=self.compile_cache)
        worker = self._checkout()
        try:
            return worker.run(script, payload.splitlines(), env, culture, self.timeout)
        finally:
            self._checkin(worker)

    def close(self) -> None:
        self._closed = True
        while not self._idle.empty():
            self._idle.get().close()
