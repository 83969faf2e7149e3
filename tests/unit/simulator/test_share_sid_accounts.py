# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dhcpaudit_share revoking the access of an account that no longer exists (windows-api.md R6).

Such an entry has only its SID, and the SMB cmdlets take -AccountName, which Microsoft documents as an
account name; whether a SID string is accepted is unconfirmed. The fake can answer both ways (fault
smb_sid_account_refused); the real module runs, in pwsh, and must either revoke the entry or fail with
a message that says what is left to do, without touching anything else.
"""
from __future__ import annotations

import pytest

from winsim import defaults as d

MODULE = 'ipam.provisioning.dhcpaudit_share'
ORPHAN = 'S-1-5-21-1004336348-1177238915-682003330-1150'   # a SID of the lab's domain that names no account


def seed_share_with_orphan(sim):
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': ORPHAN, 'type': 'Allow', 'right': 'Read'},
            {'sid': d.BUILTIN_ADMINISTRATORS, 'type': 'Allow', 'right': 'Full'}]}
    return sim.run_module('dhcp01', MODULE, {'mode': 'read', 'name': 'dhcpaudit'})['token']


@pytest.mark.parametrize('refused', [False, True])
def test_an_orphaned_sid_is_revoked_or_named_with_what_to_do(fresh, refused):
    sim = fresh('orphan-%s' % refused)
    sim.set_faults('dhcp01', {'smb_sid_account_refused': refused})
    token = seed_share_with_orphan(sim)
    before = sim.host_state('dhcp01')['shares']['dhcpaudit']
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token, 'revoke': [ORPHAN]})
    if not refused:
        assert result.get('failed') is None, result
        assert [e['sid'] for e in result['share']['access']] == [d.BUILTIN_ADMINISTRATORS]
        return
    assert result['failed'] is True and result['error'] == 'unresolved_principal', result
    assert 'the account no longer exists' in result['msg'] and 'Revoke-SmbShareAccess does not take its SID' in result['msg']
    assert 'No mapping between account names and security IDs was done.' in result['msg']
    assert sim.host_state('dhcp01')['shares']['dhcpaudit'] == before
    assert sim.counters('dhcp01')['writes'] == 0


def test_a_named_account_is_revoked_whichever_way_the_cmdlets_take_sids(fresh):
    """The fault only refuses SID strings: an account with a name is revoked by name as before."""
    sim = fresh('named-revoke')
    sim.set_faults('dhcp01', {'smb_sid_account_refused': True})
    with sim.edit('dhcp01') as ctx:
        ctx.host['shares']['dhcpaudit'] = {'path': d.DHCP_LOG_PATH, 'access': [
            {'sid': d.BUILTIN_USERS, 'type': 'Allow', 'right': 'Read'},
            {'sid': d.BUILTIN_ADMINISTRATORS, 'type': 'Allow', 'right': 'Full'}]}
    token = sim.run_module('dhcp01', MODULE, {'mode': 'read', 'name': 'dhcpaudit'})['token']
    result = sim.run_module('dhcp01', MODULE, {'mode': 'apply', 'name': 'dhcpaudit', 'token': token,
                                               'revoke': [d.BUILTIN_USERS]})
    assert result.get('failed') is None, result
    assert [e['sid'] for e in result['share']['access']] == [d.BUILTIN_ADMINISTRATORS]
