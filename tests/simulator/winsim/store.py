# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON state files of the simulated lab, guarded by one lock for the whole state directory.

Ansible runs tasks in forked workers and the fake WinRM endpoint may use threads, so the lock is
an fcntl.flock (between processes) plus a threading.RLock (between threads of one process; flock
alone would not serialize them because they share the descriptor). One lock for everything keeps
host + domain updates atomic: a DC's change to the shared domain file and its own host file are
written together.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import threading
from typing import Any, Iterator

HOSTS_DIR = 'hosts'
DOMAINS_DIR = 'domains'
LOCK_FILE = '.winsim.lock'


class _DirLock:
    """Reentrant within a process, exclusive across processes."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None


_LOCKS: dict[str, _DirLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(state_dir: str) -> _DirLock:
    # One lock object per directory and process, so two Simulator objects on the same directory
    # in one process nest instead of deadlocking on two flock descriptors.
    key = os.path.realpath(state_dir)
    with _LOCKS_GUARD:
        if key not in _LOCKS:
            _LOCKS[key] = _DirLock(os.path.join(key, LOCK_FILE))
        return _LOCKS[key]


def _safe_name(name: str) -> str:
    if not name or name in ('.', '..') or '/' in name or '\\' in name or '\0' in name:
        raise ValueError('winsim: invalid state file name %r' % (name,))
    return name


class StateStore:
    """Load and save host and domain state below state_dir."""

    def __init__(self, state_dir: str | os.PathLike[str]) -> None:
        self.state_dir = os.path.abspath(os.fspath(state_dir))
        for sub in (HOSTS_DIR, DOMAINS_DIR):
            os.makedirs(os.path.join(self.state_dir, sub), exist_ok=True)
        self._lock = _lock_for(self.state_dir)

    def locked(self) -> contextlib.AbstractContextManager[None]:
        return self._lock.hold()

    # -- paths
    def host_path(self, name: str) -> str:
        return os.path.join(self.state_dir, HOSTS_DIR, _safe_name(name) + '.json')

    def domain_path(self, dns_name: str) -> str:
        return os.path.join(self.state_dir, DOMAINS_DIR, _safe_name(dns_name.lower()) + '.json')

    # -- load / save (callers hold the lock)
    @staticmethod
    def _load(path: str) -> dict[str, Any] | None:
        try:
            with open(path, encoding='utf-8') as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    @staticmethod
    def _save(path: str, data: dict[str, Any]) -> None:
        # Temp file in the same directory + os.replace: readers never see a half-written file.
        # No fsync: a lost state file after a power cut does not matter for a test lab.
        fd, tmp = tempfile.mkstemp(prefix='.tmp-', suffix='.json', dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                json.dump(data, f, indent=1, sort_keys=True, ensure_ascii=False)
                f.write('\n')
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def load_host(self, name: str) -> dict[str, Any] | None:
        return self._load(self.host_path(name))

    def save_host(self, name: str, state: dict[str, Any]) -> None:
        self._save(self.host_path(name), state)

    def load_domain(self, dns_name: str) -> dict[str, Any] | None:
        return self._load(self.domain_path(dns_name))

    def save_domain(self, dns_name: str, state: dict[str, Any]) -> None:
        self._save(self.domain_path(dns_name), state)

    def host_names(self) -> list[str]:
        folder = os.path.join(self.state_dir, HOSTS_DIR)
        return sorted(f[:-5] for f in os.listdir(folder) if f.endswith('.json') and not f.startswith('.'))

    def domain_names(self) -> list[str]:
        folder = os.path.join(self.state_dir, DOMAINS_DIR)
        return sorted(f[:-5] for f in os.listdir(folder) if f.endswith('.json') and not f.startswith('.'))

    def reset(self) -> None:
        """Forget every host and domain (the lock file stays: another process may hold it)."""
        with self.locked():
            for sub in (HOSTS_DIR, DOMAINS_DIR):
                shutil.rmtree(os.path.join(self.state_dir, sub), ignore_errors=True)
                os.makedirs(os.path.join(self.state_dir, sub), exist_ok=True)
