# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RemoteAccessAction.run: an apply refused with changed_since_read is read, planned and applied once more.

Another writer (a domain controller of a parallel AWX job slice writing the same domain object)
changes the object between our read and apply; the PowerShell half's compare-and-swap refuses the
apply and writes nothing. The scripted host below makes that writer's change visible to the next read.
"""
from __future__ import annotations

import importlib
import pkgutil
import typing as t

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins import action as action_package
from ansible_collections.ipam.provisioning.plugins.action.group_membership import ActionModule as GroupMembership
from ansible_collections.ipam.provisioning.plugins.action.local_group import ActionModule as LocalGroup
from ansible_collections.ipam.provisioning.plugins.action.service_acl import ActionModule as ServiceAcl
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import (
    CHANGED_SINCE_READ,
    RETRIED_KEY,
    RemoteAccessAction,
    RemoteFailure,
)
from harness import RemoteScript, run_action

DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330'
IPAM_SID = DOMAIN + '-1205'
MONITOR_SID = DOMAIN + '-1107'
OTHER_SID = DOMAIN + '-1234'   # what the other writer adds
ELR = 'S-1-5-32-573'
IPAM = {'input': 'CORP\\IPAM01$', 'sid': IPAM_SID, 'name': 'CORP\\IPAM01$', 'error': None}
NAMES = {IPAM_SID: 'CORP\\IPAM01$', MONITOR_SID: 'CORP\\svc-monitor', OTHER_SID: 'CORP\\svc-other'}
GROUP_ARGS = {'group': 'event_log_readers', 'principals': ['CORP\\IPAM01$']}
REFUSED_MSG = "The members of group 'Event Log Readers' changed between read and apply; nothing was written."


def refusal(code: str | None = CHANGED_SINCE_READ, msg: str = REFUSED_MSG) -> dict[str, t.Any]:
    reply: dict[str, t.Any] = {'changed': False, 'failed': True, 'msg': msg}
    if code is not None:
        reply['error'] = code
    return reply


class Collisions:
    """The apply side of a RemoteScript: the first ``refusals`` applies find that ``other_writer`` changed the
    object since the read (the change is what the next read returns) and are refused; later ones go to ``then``."""

    def __init__(self, remote: RemoteScript, other_writer: t.Callable[[dict[str, t.Any]], None], refusals: int,
                 then: t.Callable[[RemoteScript, dict[str, t.Any]], dict[str, t.Any]] | None = None,
                 reply: dict[str, t.Any] | None = None) -> None:
        self.remote = remote
        self.other_writer = other_writer
        self.refusals = refusals
        self.then = then
        self.reply = reply or refusal()
        remote.apply = self

    def __call__(self, args: dict[str, t.Any]) -> dict[str, t.Any]:
        if self.refusals:
            self.refusals -= 1
            self.other_writer(self.remote.read)
            return dict(self.reply)
        assert self.then is not None, 'the test scripted no further apply: %r' % args
        return self.then(self.remote, args)


# ----------------------------------------------------------------------------- group_membership
def group_read(*sids: str) -> dict[str, t.Any]:
    return {'changed': False, 'group': {'name': 'Event Log Readers', 'sid': ELR, 'scope': 'local'},
            'members': [{'sid': s, 'name': NAMES[s]} for s in sids], 'token': ','.join(sorted(sids)),
            'host': {'name': 'DHCP01', 'domain_role': 3}, 'principals': [dict(IPAM)]}


def someone_adds(sid: str) -> t.Callable[[dict[str, t.Any]], None]:
    def write(read: dict[str, t.Any]) -> None:
        read['members'].append({'sid': sid, 'name': NAMES[sid]})
        read['token'] = ','.join(sorted(m['sid'] for m in read['members']))
    return write


def group_apply(remote: RemoteScript, args: dict[str, t.Any]) -> dict[str, t.Any]:
    """The host's compare-and-swap holds: it applies exactly what it is told and reports its members."""
    assert args['token'] == remote.read['token']
    sids = [m['sid'] for m in remote.read['members'] if m['sid'] not in args['remove']] + list(args['add'])
    return {'changed': True, 'group': remote.read['group'], 'members': [{'sid': s, 'name': NAMES[s]} for s in sids],
            'token': ','.join(sorted(sids))}


def test_a_refused_apply_is_read_planned_and_applied_again():
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, someone_adds(OTHER_SID), refusals=1, then=group_apply)
    result = run_action(GroupMembership, GROUP_ARGS, remote, diff=True)
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    first, second = remote.calls[1], remote.calls[3]
    assert first['token'] == MONITOR_SID
    assert second['token'] == ','.join(sorted([MONITOR_SID, OTHER_SID]))   # the token of the second read
    assert second['add'] == [IPAM_SID] and second['remove'] == []
    assert result['changed'] is True
    assert result[RETRIED_KEY] is True
    assert [m['sid'] for m in result['members']] == [IPAM_SID, MONITOR_SID, OTHER_SID]  # the other writer's member kept
    # The diff is the one of the plan that was applied: its before is the state the second read found.
    assert result['diff'] == {'before': {'members': ['CORP\\svc-monitor', 'CORP\\svc-other']},
                              'after': {'members': ['CORP\\IPAM01$', 'CORP\\svc-monitor', 'CORP\\svc-other']}}
    assert len(result['warnings']) == 1
    assert 'changed between read and apply' in result['warnings'][0]
    assert 'applied the plan made from the new state' in result['warnings'][0]
    assert 'host1' in result['warnings'][0]


def test_when_the_other_writer_already_did_it_the_retry_reports_no_change():
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, someone_adds(IPAM_SID), refusals=1)   # no further apply scripted: one would fail the test
    result = run_action(GroupMembership, GROUP_ARGS, remote, diff=True)
    assert remote.modes == ['read', 'apply', 'read']
    # The host did change, but not by this task: nothing to report as changed, a warning says what happened.
    assert result['changed'] is False
    assert result['added'] == [] and result['removed'] == []
    assert result[RETRIED_KEY] is True
    assert result['diff']['before'] == result['diff']['after'] == {'members': ['CORP\\IPAM01$', 'CORP\\svc-monitor']}
    assert len(result['warnings']) == 1 and 'this task changed nothing' in result['warnings'][0]


def test_a_second_refusal_in_a_row_fails_and_says_it_was_retried():
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, someone_adds(OTHER_SID), refusals=2)
    with pytest.raises(RemoteFailure) as failure:
        run_action(GroupMembership, GROUP_ARGS, remote)
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    message = failure.value.message
    assert message.startswith('ipam.provisioning.group_membership on host1: ' + REFUSED_MSG)
    assert 'refused twice in a row' in message and 'retried once' in message
    assert failure.value.code == CHANGED_SINCE_READ
    assert failure.value.result == {'error': CHANGED_SINCE_READ, RETRIED_KEY: True, 'failed': True, 'msg': message}


def test_check_mode_never_applies_so_never_retries():
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, someone_adds(OTHER_SID), refusals=2)
    result = run_action(GroupMembership, GROUP_ARGS, remote, check_mode=True)
    assert remote.modes == ['read']
    assert result['changed'] is True
    assert RETRIED_KEY not in result and 'warnings' not in result


@pytest.mark.parametrize('code', ['access_denied', 'not_found', 'invalid_state', 'unresolved_principal', None])
def test_other_host_side_failures_are_not_retried(code):
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, lambda read: None, refusals=1, reply=refusal(code, 'Access is denied.'))
    with pytest.raises(RemoteFailure) as failure:
        run_action(GroupMembership, GROUP_ARGS, remote)
    assert remote.modes == ['read', 'apply']
    assert failure.value.code == code
    assert failure.value.message == 'ipam.provisioning.group_membership on host1: Access is denied.'
    assert RETRIED_KEY not in failure.value.result


def test_without_a_collision_the_round_trips_stay_read_and_apply():
    compliant = RemoteScript(group_read(MONITOR_SID, IPAM_SID))
    result = run_action(GroupMembership, GROUP_ARGS, compliant)
    assert compliant.modes == ['read'] and result['changed'] is False
    assert RETRIED_KEY not in result and 'warnings' not in result

    changing = RemoteScript(group_read(MONITOR_SID))
    Collisions(changing, lambda read: None, refusals=0, then=group_apply)
    result = run_action(GroupMembership, GROUP_ARGS, changing)
    assert changing.modes == ['read', 'apply'] and result['changed'] is True
    assert RETRIED_KEY not in result and 'warnings' not in result


def test_a_host_that_disagrees_after_the_retried_apply_fails_without_a_third_try():
    remote = RemoteScript(group_read(MONITOR_SID))
    Collisions(remote, someone_adds(OTHER_SID), refusals=1,
               then=lambda script, args: {'changed': True, 'members': script.read['members'], 'token': 'x'})
    with pytest.raises(AnsibleActionFail, match='after writing, group Event Log Readers still lacks CORP.IPAM01'):
        run_action(GroupMembership, GROUP_ARGS, remote)
    assert remote.modes == ['read', 'apply', 'read', 'apply']


# ----------------------------------------------------------------------------- an SDDL module
DNS_SDDL = 'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)'
OUR_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID
OTHER_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % OTHER_SID


def service_read(sddl: str = DNS_SDDL) -> dict[str, t.Any]:
    return {'changed': False, 'exists': True, 'display_name': 'DNS Server', 'sddl': sddl, 'token': sddl,
            'host': {'name': 'DC01', 'domain_role': 5}, 'principals': [dict(IPAM)]}


def someone_grants_another_account(read: dict[str, t.Any]) -> None:
    read['sddl'] = read['token'] = read['sddl'].replace('S:', OTHER_ACE + 'S:')


def service_apply(remote: RemoteScript, args: dict[str, t.Any]) -> dict[str, t.Any]:
    assert args['token'] == remote.read['sddl']
    return {'changed': True, 'sddl': args['sddl'], 'token': args['sddl']}


def test_an_sddl_module_replans_from_the_descriptor_the_other_writer_left():
    remote = RemoteScript(service_read())
    Collisions(remote, someone_grants_another_account, refusals=1, then=service_apply)
    result = run_action(ServiceAcl, {'name': 'DNS', 'principals': ['CORP\\IPAM01$']}, remote, diff=True)
    assert remote.modes == ['read', 'apply', 'read', 'apply']
    with_other = DNS_SDDL.replace('S:', OTHER_ACE + 'S:')
    expected = DNS_SDDL.replace('S:', OTHER_ACE + OUR_ACE + 'S:')
    assert remote.calls[1]['sddl'] == DNS_SDDL.replace('S:', OUR_ACE + 'S:')   # the stale plan, refused
    assert remote.calls[3]['sddl'] == expected and remote.calls[3]['token'] == with_other
    assert result['changed'] is True and result[RETRIED_KEY] is True
    assert result['sddl'] == expected and result['added'] == [OUR_ACE]
    assert result['diff'] == {'before': {'sddl': with_other}, 'after': {'sddl': expected}}


# ----------------------------------------------------------------------------- a plan of another shape
def local_group_read(group: dict[str, t.Any] | None) -> dict[str, t.Any]:
    return {'changed': False, 'token': 'absent' if group is None else 'exists', 'host': {'name': 'IPAM01', 'domain_role': 3},
            'group': group, 'name_conflict': None, 'created_by_collection': False}


def someone_creates_the_group(read: dict[str, t.Any]) -> None:
    read.update(local_group_read({'name': 'VMM Users', 'sid': 'S-1-5-21-11-22-33-1005', 'description': 'VMM account'}))


def test_a_group_someone_else_created_meanwhile_is_not_created_again():
    remote = RemoteScript(local_group_read(None))
    Collisions(remote, someone_creates_the_group, refusals=1)
    result = run_action(LocalGroup, {'name': 'VMM Users', 'description': 'VMM account'}, remote)
    assert remote.modes == ['read', 'apply', 'read']
    assert remote.calls[1]['create'] is True
    assert result['changed'] is False and result[RETRIED_KEY] is True
    assert result['created'] is False and result['group']['sid'] == 'S-1-5-21-11-22-33-1005'


# ----------------------------------------------------------------------------- every module gets the retry
def writing_action_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(action_package.__path__):
        module = importlib.import_module('%s.%s' % (action_package.__name__, info.name))
        cls = getattr(module, 'ActionModule', None)
        if isinstance(cls, type) and issubclass(cls, RemoteAccessAction) and not cls.READ_ONLY:
            found.append(cls)
    return found


def test_every_module_that_writes_runs_the_shared_read_plan_apply():
    classes = writing_action_classes()
    assert GroupMembership in classes and ServiceAcl in classes and len(classes) >= 15
    for cls in classes:
        # An override of run or of the steps would bypass the retry (or could do it twice), or the batching.
        for name in ('run', 'steps', 'read_step', 'apply_step', 'call_remote'):
            assert getattr(cls, name) is getattr(RemoteAccessAction, name), '%s overrides %s' % (cls.__module__, name)
