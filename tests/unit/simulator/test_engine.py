# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Simulator's round trip: payload -> handler -> result, counters, option checks, faults, sharing."""
from __future__ import annotations

import base64
import json
import multiprocessing
import threading
import time

import pytest

from winsim import HostUnreachable, Simulator

D = 'S-1-5-21-1004336348-1177238915-682003330'
IPAMUG = D + '-1105'
ELR = 'S-1-5-32-573'


def run(sim, host, payload):
    command, stdin = payload
    rc, out, err = sim.execute(host, command, stdin)
    return rc, (json.loads(out) if out else None), err.decode()


# --- a compare-and-swap module shaped like the collection's (read / apply with token) ----------
def _cas_value(ctx):
    return ctx.host['registry'].setdefault('HKLM\\SOFTWARE\\winsim-test', {}).setdefault('Value', 'v1')


def _cas(ctx, args):
    current = _cas_value(ctx)
    if args['mode'] == 'read':
        return {'token': current, 'value': current, 'host': ctx.host_info()}
    if args['token'] != current:
        ctx.fail('value changed since read on %s' % ctx.host['hostname'], error='changed_since_read')
    if not ctx.check_mode:
        ctx.write('Value')
        ctx.host['registry']['HKLM\\SOFTWARE\\winsim-test']['Value'] = args['value']
    return {'changed': True, 'value': args['value']}


def _cas_mutate(ctx, args):
    ctx.host['registry']['HKLM\\SOFTWARE\\winsim-test']['Value'] = 'changed-by-someone-else'


@pytest.fixture
def cas(temp_handler):
    temp_handler('test.winsim.cas', {'mode', 'token', 'value'}, concurrent_change=_cas_mutate)(_cas)
    return 'test.winsim.cas'


# --- transport-level behaviour --------------------------------------------------------------
def test_real_payload_round_trip(lab, make_payload):
    rc, result, err = run(lab, 'dns01', make_payload('ansible.legacy.winsim_echo', {'data': 'hi', 'principals': [ELR]}))
    assert (rc, err) == (0, '')
    assert result['echo'] == 'hi' and result['changed'] is False and result['check_mode'] is False
    assert result['host'] == {'name': 'DNS01', 'domain_role': 3, 'domain_sid': 'S-1-5-21-1004336348-1177238915-682003330',
                              'read_only_dc': False}
    assert result['principals'] == [{'input': ELR, 'sid': ELR, 'name': 'VORDEFINIERT\\Ereignisprotokollleser',
                                     'error': None}]
    assert result['invocation'] == {'module_args': {'data': 'hi', 'principals': [ELR], 'write': None}}
    assert lab.counters('dns01') == {'round_trips': 1, 'writes': 0}


def test_check_mode_is_passed_and_nothing_written(lab, make_payload):
    rc, result, _stderr = run(lab, 'dhcp01', make_payload('ansible.legacy.winsim_echo', {'data': 'x', 'write': True},
                                                          check_mode=True))
    assert rc == 0 and result['check_mode'] is True and result['changed'] is True
    assert 'HKLM\\SOFTWARE\\winsim' not in lab.host_state('dhcp01')['registry']
    assert lab.counters('dhcp01') == {'round_trips': 1, 'writes': 0}
    rc, result, _stderr = run(lab, 'dhcp01', make_payload('ansible.legacy.winsim_echo', {'data': 'x', 'write': True}))
    assert result['changed'] is True and lab.counters('dhcp01') == {'round_trips': 2, 'writes': 1}
    rc, result, _stderr = run(lab, 'dhcp01', make_payload('ansible.legacy.winsim_echo', {'data': 'x', 'write': True}))
    assert result['changed'] is False and lab.counters('dhcp01') == {'round_trips': 3, 'writes': 1}


def test_unknown_options_fail_like_ansible_basic(lab, make_payload):
    rc, result, _stderr = run(lab, 'dhcp01', make_payload('ansible.legacy.winsim_echo', {'data': 'x', 'colour': 1, 'size': 2}))
    assert rc == 1 and result['failed'] is True
    assert result['msg'] == ('Unsupported parameters for (winsim_echo) module: colour, size. '
                             'Supported parameters include: data, principals, write')
    assert lab.counters('dhcp01')['round_trips'] == 1       # it reached the host
    result = lab.run_module('dhcp01', 'ansible.windows.win_ping', {'nope': 1})
    assert result['msg'] == ('Unsupported parameters for (ansible.windows.win_ping) module: nope. '
                             'Supported parameters include: data')


def test_options_are_filled_and_matched_case_insensitively(lab, temp_handler):
    seen = {}

    @temp_handler('test.winsim.opts', {'Name', 'sddl'})
    def opts(ctx, args):
        seen.update(args)
        return {}
    assert lab.run_module('dc01', 'test.winsim.opts', {'name': 'DNS'})['changed'] is False
    assert seen == {'Name': 'DNS', 'sddl': None}


def test_module_without_model(lab, make_payload):
    rc, result, _stderr = run(lab, 'dc01', make_payload('ansible_collections.ipam.provisioning.plugins.modules.no_such_module'))
    assert rc == 1 and result['msg'] == 'winsim: no model for module ipam.provisioning.no_such_module'


def test_non_module_command_fails_clearly(lab):
    command = 'PowerShell -NoProfile -EncodedCommand ' + base64.b64encode('Get-Item C:\\'.encode('utf-16-le')).decode()
    rc, out, err = lab.execute('dc01', command, None)
    assert rc == 1 and out == b''
    assert b'not a pipelined module payload' in err and b'Get-Item C:\\' in err
    assert lab.counters('dc01')['round_trips'] == 0


def test_unknown_host(lab, make_payload):
    rc, _stdout, err = lab.execute('ghost', *make_payload('ansible.legacy.winsim_echo'))
    assert rc == 1 and b'not seeded' in err


def test_win_ping_and_handler_crash(lab):
    assert lab.run_module('nps01', 'ansible.windows.win_ping') == {
        'changed': False, 'ping': 'pong', 'invocation': {'module_args': {'data': None}}}
    assert lab.run_module('nps01', 'ansible.windows.win_ping', {'data': 'x'})['ping'] == 'x'
    crash = lab.run_module('nps01', 'ansible.windows.win_ping', {'data': 'crash'})
    assert crash['failed'] is True and crash['msg'] == 'Unhandled exception while executing module: boom'
    assert 'Traceback' in crash['exception']


def test_write_in_check_mode_is_reported_as_a_bug(lab, temp_handler):
    @temp_handler('test.winsim.bad', set())
    def bad(ctx, args):
        ctx.write('something')
    result = lab.run_module('dc01', 'test.winsim.bad', check_mode=True)
    assert result['failed'] is True and 'wrote something in check mode' in result['msg']


def test_fail_rejects_unknown_error_codes(lab, temp_handler):
    @temp_handler('test.winsim.code', set())
    def code(ctx, args):
        ctx.fail('x', error='oops')
    result = lab.run_module('dc01', 'test.winsim.code')
    assert result['failed'] is True and 'unknown error code' in result['msg']


# --- faults ---------------------------------------------------------------------------------
def test_unreachable(lab, make_payload):
    lab.set_faults('nps01', {'unreachable': True})
    with pytest.raises(HostUnreachable, match='nps01'):
        lab.execute('nps01', *make_payload('ansible.legacy.winsim_echo'))
    with pytest.raises(HostUnreachable):
        lab.check_reachable('nps01')
    assert lab.counters('nps01')['round_trips'] == 0
    assert run(lab, 'ipam01', make_payload('ansible.legacy.winsim_echo'))[0] == 0
    lab.set_faults('nps01', {'unreachable': False})
    assert run(lab, 'nps01', make_payload('ansible.legacy.winsim_echo'))[0] == 0


def test_access_denied_all_fails_before_reading(lab, temp_handler):
    calls = []

    @temp_handler('test.winsim.reader', {'mode'})
    def reader(ctx, args):
        calls.append(args)
        return {}
    lab.set_faults('dhcp01', {'access_denied': 'all'})
    result = lab.run_module('dhcp01', 'test.winsim.reader', {'mode': 'read'})
    assert result['failed'] is True and result['msg'] == 'Access is denied.' and result['error'] == 'access_denied'
    assert calls == []
    assert lab.counters('dhcp01') == {'round_trips': 1, 'writes': 0}


def test_access_denied_write_lets_reads_through(lab, cas):
    lab.set_faults('dhcp01', {'access_denied': 'write'})
    read = lab.run_module('dhcp01', cas, {'mode': 'read'})
    assert read['token'] == 'v1'
    apply = lab.run_module('dhcp01', cas, {'mode': 'apply', 'token': 'v1', 'value': 'v2'})
    assert apply['failed'] is True and apply['error'] == 'access_denied' and apply['msg'] == 'Access is denied.'
    assert lab.host_state('dhcp01')['registry']['HKLM\\SOFTWARE\\winsim-test']['Value'] == 'v1'
    assert lab.counters('dhcp01') == {'round_trips': 2, 'writes': 0}


def test_delay_is_spent_outside_the_lock(lab, make_payload):
    lab.set_faults('dhcp01', {'delay': 0.4})
    slow_done = {}

    def slow():
        start = time.monotonic()
        run(lab, 'dhcp01', make_payload('ansible.legacy.winsim_echo'))
        slow_done['elapsed'] = time.monotonic() - start
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.05)
    start = time.monotonic()
    assert run(lab, 'nps01', make_payload('ansible.legacy.winsim_echo'))[0] == 0
    fast = time.monotonic() - start
    thread.join()
    assert slow_done['elapsed'] >= 0.35
    assert fast < 0.3          # another host is not held up by the slow one


@pytest.mark.parametrize('armed', [['cas'], ['test.winsim.cas'], True])
def test_concurrent_change_fires_once_after_a_read(lab, cas, armed):
    lab.set_faults('dc01', {'concurrent_change': armed})
    read = lab.run_module('dc01', cas, {'mode': 'read'})
    assert read['token'] == 'v1' and 'failed' not in read       # the read itself reports the old state
    assert 'concurrent_change' not in lab.host_state('dc01')['faults']
    apply = lab.run_module('dc01', cas, {'mode': 'apply', 'token': read['token'], 'value': 'v2'})
    assert apply['failed'] is True and apply['error'] == 'changed_since_read'
    assert lab.counters('dc01')['writes'] == 0                  # the mutation was not ours
    read = lab.run_module('dc01', cas, {'mode': 'read'})
    assert read['token'] == 'changed-by-someone-else'
    apply = lab.run_module('dc01', cas, {'mode': 'apply', 'token': read['token'], 'value': 'v2'})
    assert apply['changed'] is True and lab.counters('dc01')['writes'] == 1


def test_a_module_listed_twice_fires_on_two_reads(lab, cas):
    lab.set_faults('dc01', {'concurrent_change': ['cas', 'service_acl', 'cas']})
    lab.run_module('dc01', cas, {'mode': 'read'})
    assert lab.host_state('dc01')['faults']['concurrent_change'] == ['cas', 'service_acl']
    lab.run_module('dc01', cas, {'mode': 'read'})
    assert lab.host_state('dc01')['faults']['concurrent_change'] == ['service_acl']


def test_concurrent_change_of_other_module_does_not_fire(lab, cas):
    lab.set_faults('dc01', {'concurrent_change': ['service_acl']})
    read = lab.run_module('dc01', cas, {'mode': 'read'})
    assert lab.run_module('dc01', cas, {'mode': 'apply', 'token': read['token'], 'value': 'v2'})['changed'] is True
    assert lab.host_state('dc01')['faults']['concurrent_change'] == ['service_acl']


def test_concurrent_change_needs_a_mutator(lab, temp_handler):
    temp_handler('test.winsim.plain', {'mode'})(lambda ctx, args: {'token': 'x'})
    lab.set_faults('dc01', {'concurrent_change': True})
    result = lab.run_module('dc01', 'test.winsim.plain', {'mode': 'read'})
    assert result['failed'] is True and 'has no concurrent_change function' in result['msg']


# --- DCs share the domain -------------------------------------------------------------------
def _group_add(ctx, args):
    groups, scope = ctx.group_store()
    group = groups[args['group']]
    if args['mode'] == 'apply' and args['member'] not in group['members']:
        ctx.write('member')
        group['members'].append(args['member'])
    return {'scope': scope, 'members': list(group['members']),
            'names': [ctx.name_of(s) for s in group['members']]}


def test_change_through_dc01_is_seen_through_dc02(lab, temp_handler):
    temp_handler('test.winsim.group', {'mode', 'group', 'member'})(_group_add)
    other = Simulator(lab.state_dir)       # a second process' view of the same lab
    before = other.run_module('dc02', 'test.winsim.group', {'mode': 'read', 'group': ELR})
    assert IPAMUG not in before['members'] and before['scope'] == 'domain'
    lab.run_module('dc01', 'test.winsim.group', {'mode': 'apply', 'group': ELR, 'member': IPAMUG})
    after = other.run_module('dc02', 'test.winsim.group', {'mode': 'read', 'group': ELR})
    assert after['members'] == before['members'] + [IPAMUG]
    assert 'CORP\\IPAMUG' in after['names']
    # members keep their own local group
    local = lab.run_module('dhcp01', 'test.winsim.group', {'mode': 'read', 'group': ELR})
    assert local['scope'] == 'local' and IPAMUG not in local['members']
    assert lab.counters('dc01')['writes'] == 1 and lab.counters('dc02')['writes'] == 0


def _increment(ctx, args):
    groups, _scope = ctx.group_store()
    group = groups['S-1-5-32-580']
    group['members'].append('S-1-5-21-1-2-3-%d' % len(group['members']))
    return {}


def _worker(state_dir, host, count):
    sim = Simulator(state_dir)
    for _iteration in range(count):
        sim.run_module(host, 'test.winsim.increment', {})


def test_forked_workers_do_not_lose_updates(lab, temp_handler):
    temp_handler('test.winsim.increment', set())(_increment)
    ctx = multiprocessing.get_context('fork')
    procs = [ctx.Process(target=_worker, args=(lab.state_dir, host, 15)) for host in ('dc01', 'dc02', 'dc01', 'dc02')]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    members = lab.domain_state('corp.example.com')['groups']['S-1-5-32-580']['members']
    assert len(members) == 60 and len(set(members)) == 60
    assert lab.counters('dc01')['round_trips'] + lab.counters('dc02')['round_trips'] == 60
