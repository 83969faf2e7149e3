# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/simulator/winrm_endpoint.py driven by the real pywinrm client, with a stand-in simulator.

The stand-in implements only the simulator API the endpoint uses (host_for_address, execute,
optionally check_reachable), so these tests do not depend on winsim's behaviour.
"""
from __future__ import annotations

import base64
import json
import time

import pytest
import requests
import winrm
from winrm.exceptions import InvalidCredentialsError, WSManFaultError

import winrm_endpoint  # tests/simulator is on sys.path (tests/conftest.py)

USER, PASSWORD = 'lab', 'Passw0rd!'


class StandInUnreachable(Exception):
    pass


class StandInSimulator:
    def __init__(self, addresses, unreachable=()):
        self.addresses = dict(addresses)
        self.unreachable = set(unreachable)
        self.calls = []

    def host_for_address(self, address):
        return self.addresses.get(address)

    def check_reachable(self, host):
        if host in self.unreachable:
            raise StandInUnreachable('%s is unreachable' % host)

    def execute(self, host, command_line, stdin):
        if host in self.unreachable:
            raise StandInUnreachable('%s is unreachable' % host)
        self.calls.append((host, command_line, stdin))
        if command_line.endswith('fail'):
            return 3, b'', b'it failed'
        return 0, json.dumps({'host': host, 'stdin_len': len(stdin)}).encode(), b''


@pytest.fixture
def serve():
    started = []

    def _serve(sim, addresses=('127.0.0.2', '127.0.0.3')):
        endpoint = winrm_endpoint.Endpoint(sim, USER, PASSWORD, StandInUnreachable)
        listeners = winrm_endpoint.Listeners(endpoint, list(addresses), 0)
        listeners.start()
        started.append(listeners)
        return endpoint, listeners.port

    yield _serve
    for listeners in started:
        listeners.stop()


def _protocol(address, port, password=PASSWORD):
    return winrm.Protocol('http://%s:%d/wsman' % (address, port), transport='basic', username=USER,
                          password=password, operation_timeout_sec=5, read_timeout_sec=10)


def _run(protocol, command, args=(), stdin_chunks=()):
    shell = protocol.open_shell(codepage=65001)
    try:
        command_id = protocol.run_command(shell, command, list(args), console_mode_stdin=not stdin_chunks)
        for index, chunk in enumerate(stdin_chunks):
            protocol.send_command_input(shell, command_id, chunk, end=index == len(stdin_chunks) - 1)
        out, err, rc = protocol.get_command_output(shell, command_id)
        protocol.cleanup_command(shell, command_id)  # asserts RelatesTo == its MessageID
    finally:
        protocol.close_shell(shell)  # asserts RelatesTo too
    return rc, out, err


def test_round_trip_with_chunked_stdin_reaches_the_host_of_the_local_address(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01', '127.0.0.3': 'dc01'})
    _endpoint, port = serve(sim)
    encoded = base64.b64encode('Write-Output 1'.encode('utf-16-le')).decode()

    rc, out, err = _run(_protocol('127.0.0.3', port), 'PowerShell', ['-NoProfile', '-EncodedCommand', encoded],
                        [b'first-', b'second'])

    assert (rc, err) == (0, b'')
    assert json.loads(out) == {'host': 'dc01', 'stdin_len': len(b'first-second')}
    assert sim.calls == [('dc01', 'PowerShell -NoProfile -EncodedCommand %s' % encoded, b'first-second')]

    rc, out, _err = _run(_protocol('127.0.0.2', port), 'whoami')
    assert json.loads(out)['host'] == 'web01'


def test_exit_code_and_stderr_are_passed_through(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    _endpoint, port = serve(sim, ['127.0.0.2'])
    assert _run(_protocol('127.0.0.2', port), 'cmd', ['/c', 'fail']) == (3, b'', b'it failed')


def test_wrong_password_is_rejected(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    _endpoint, port = serve(sim, ['127.0.0.2'])
    with pytest.raises(InvalidCredentialsError):
        _protocol('127.0.0.2', port, password='wrong').open_shell()
    assert not sim.calls


def test_unreachable_host_drops_the_connection_when_the_shell_opens(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01', '127.0.0.3': 'down01'}, unreachable={'down01'})
    _endpoint, port = serve(sim)
    with pytest.raises(requests.exceptions.ConnectionError):
        _protocol('127.0.0.3', port).open_shell()
    assert _run(_protocol('127.0.0.2', port), 'hostname')[0] == 0  # the other host still answers


def test_unreachable_raised_by_execute_drops_the_connection(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    _endpoint, port = serve(sim, ['127.0.0.2'])
    protocol = _protocol('127.0.0.2', port)
    shell = protocol.open_shell()
    command_id = protocol.run_command(shell, 'hostname')
    sim.unreachable.add('web01')  # the host goes away between Command and Receive
    with pytest.raises(requests.exceptions.ConnectionError):
        protocol.get_command_output(shell, command_id)


def test_unknown_shell_is_a_wsman_fault(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    _endpoint, port = serve(sim, ['127.0.0.2'])
    with pytest.raises(WSManFaultError) as caught:
        _protocol('127.0.0.2', port).run_command('NO-SUCH-SHELL', 'hostname')
    assert caught.value.wsman_fault_code == winrm_endpoint.ERROR_INVALID_SELECTORS
    assert 'NO-SUCH-SHELL' in caught.value.reason


def test_address_without_a_host_is_a_fault(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    _endpoint, port = serve(sim, ['127.0.0.2', '127.0.0.4'])
    with pytest.raises(WSManFaultError):
        _protocol('127.0.0.4', port).open_shell()


def test_shells_per_host_are_bounded(serve, monkeypatch):
    monkeypatch.setattr(winrm_endpoint, 'MAX_SHELLS_PER_HOST', 3)
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    endpoint, port = serve(sim, ['127.0.0.2'])
    protocol = _protocol('127.0.0.2', port)
    shells = [protocol.open_shell() for _attempt in range(5)]
    assert list(endpoint.shells['web01']) == shells[-3:]  # the oldest were dropped


@pytest.mark.parametrize('address', ['10.0.0.5', '127.0.1.2', '0.0.0.0', 'localhost', '::1'])
def test_only_loopback_127_0_0_x_is_accepted(address):
    with pytest.raises(ValueError):
        winrm_endpoint.check_loopback(address)


def test_stop_is_prompt_even_with_an_idle_keep_alive_connection(serve):
    sim = StandInSimulator({'127.0.0.2': 'web01'})
    endpoint = winrm_endpoint.Endpoint(sim, USER, PASSWORD, StandInUnreachable)
    listeners = winrm_endpoint.Listeners(endpoint, ['127.0.0.2'], 0)
    listeners.start()
    _protocol('127.0.0.2', listeners.port).open_shell()  # leaves a pooled connection open
    started = time.monotonic()
    listeners.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(requests.exceptions.ConnectionError):
        _protocol('127.0.0.2', listeners.port).open_shell()
