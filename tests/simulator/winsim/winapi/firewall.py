# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Defender Firewall rules as the NetSecurity provider (root/StandardCimv2 MSFT_NetFirewallRule)
shows and changes them: Get-NetFirewallRule, Enable-NetFirewallRule, Disable-NetFirewallRule.

The host state holds the local persistent store: host['firewall_rules'] = {Name: {display_name,
group, display_group, enabled}}, display texts already in the host's language. Rules that Group
Policy delivers are in the optional host['firewall_policy_rules'] = {Name: {the same keys, gpo}}
(gpo: the GPO's display name). The ActiveStore is the merge of both, in which a policy rule replaces
the local rule of the same Name ("rules that have the same name but come from multiple stores being
merged, will overwrite one another so that only one exists", -Name on the Get-NetFirewallRule page);
the PersistentStore, which the cmdlets read and change by default, holds the local rules only.
Rule Names (the InstanceID) match without regard to case; -Name takes PowerShell wildcards, and a
wildcard that matches nothing is not an error (the cmdletization engine's BehaviorOnNoMatch.Default).
https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
https://learn.microsoft.com/windows/win32/fwp/wmi/wfascimprov/msft-netfirewallrule
"""
from __future__ import annotations

import fnmatch
from typing import Any

from ..context import Context
from . import ApiError, operation, write

# The stores the cmdlets name (-PolicyStore); PersistentStore when none is given.
PERSISTENT_STORE = 'PersistentStore'
ACTIVE_STORE = 'ActiveStore'
# Text of MSFT_NetFirewallRule.Status for a rule read without error (observed in Get-NetFirewallRule output).
STATUS_OK = 'The rule was parsed successfully from the store. (65536)'


def _is_wildcard(text: str) -> bool:
    # WildcardPattern.ContainsWildcardCharacters: *, ? and [ (an escaped one aside).
    return any(char in text for char in '*?[')


def _matches(pattern: str, name: str) -> bool:
    if _is_wildcard(pattern):
        return fnmatch.fnmatchcase(name.casefold(), pattern.casefold())
    return name.casefold() == pattern.casefold()


def _store(args: dict[str, Any]) -> str:
    store = str(args.get('policy_store') or PERSISTENT_STORE)
    for known in (PERSISTENT_STORE, ACTIVE_STORE):
        if store.casefold() == known.casefold():
            return known
    # GPO stores (domain\GPO name), RSOP, SystemDefaults ... are not modelled.
    raise ApiError('invalid', 'winsim models the policy stores PersistentStore and ActiveStore, not %s' % store)


def _instance(name: str, rule: dict[str, Any], store: str, trace: bool) -> dict[str, Any]:
    """The properties Get-NetFirewallRule shows for one rule; enum-typed ones by their member name."""
    from_policy = rule.get('gpo') is not None
    source_type = 'GroupPolicy' if from_policy else 'Local'
    if store == PERSISTENT_STORE:
        source = PERSISTENT_STORE
    elif trace:
        # -TracePolicyStore: the store the rule came from; for a domain GPO only the GPO's name.
        source = rule['gpo'] if from_policy else PERSISTENT_STORE
    else:
        # Read from the ActiveStore without -TracePolicyStore, PolicyStoreSource is empty and the
        # source type says where the rule came from (Find-NetIPsecRule's documented ActiveStore output).
        source = ''
    return {
        'Name': name,
        'ID': name,
        'InstanceID': name,
        'DisplayName': rule.get('display_name') or name,
        'Description': rule.get('description') or '',
        'DisplayGroup': rule.get('display_group'),
        'Group': rule.get('group'),
        'Enabled': 'True' if rule.get('enabled') else 'False',
        'Profile': rule.get('profile') or 'Any',
        'Platform': [],
        'Direction': rule.get('direction') or 'Inbound',
        'Action': rule.get('action') or 'Allow',
        'EdgeTraversalPolicy': 'Block',
        'LooseSourceMapping': False,
        'LocalOnlyMapping': False,
        'Owner': None,
        'PrimaryStatus': 'OK',
        'Status': STATUS_OK,
        'EnforcementStatus': 'NotApplicable',
        'PolicyStoreSource': source,
        'PolicyStoreSourceType': source_type,
    }


def _rules(ctx: Context, store: str) -> dict[str, dict[str, Any]]:
    """The rules of a store by Name: the local ones, and in the ActiveStore the policy ones over them."""
    rules = dict(ctx.host['firewall_rules'])
    if store == ACTIVE_STORE:
        for name, rule in (ctx.host.get('firewall_policy_rules') or {}).items():
            local = next((key for key in rules if key.casefold() == name.casefold()), None)
            if local is not None:
                del rules[local]
            rules[name] = rule
    return rules


def _select(rules: dict[str, dict[str, Any]], names: list[str]) -> tuple[list[str], list[str]]:
    """(Names of the matching rules in store order, the literal -Name values that matched none)."""
    found = [key for key in rules if any(_matches(pattern, key) for pattern in names)]
    missing = [pattern for pattern in names
               if not _is_wildcard(pattern) and not any(_matches(pattern, key) for key in rules)]
    return found, missing


@operation('Firewall.GetRules')
def get_rules(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Get-NetFirewallRule -Name <String[]> [-PolicyStore]: every rule of the store whose Name matches
    one of the values, once each, in store order; then the values without a match (the cmdlet writes
    one CmdletizationQuery_NotFound_InstanceID error for each, after the rules).
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule"""
    store = _store(args)
    names = [str(n) for n in args.get('names') or []]
    rules = _rules(ctx, store)
    found, missing = _select(rules, names)
    return {'rules': [_instance(key, rules[key], store, bool(args.get('trace'))) for key in found], 'missing': missing}


@operation('Firewall.SetEnabled')
def set_enabled(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Enable-NetFirewallRule / Disable-NetFirewallRule -Name <String[]> [-PolicyStore]: the Enable or
    Disable method of each matching MSFT_NetFirewallRule; a rule already in that state is left as it
    is. Access denied (not elevated) is Win32 error 5. Returns the rules as they are now (what
    -PassThru shows) and the values that matched no rule.
    https://learn.microsoft.com/powershell/module/netsecurity/enable-netfirewallrule
    https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule"""
    store = _store(args)
    if store != PERSISTENT_STORE:
        # The ActiveStore is the merged, resultant policy; what Windows says to a change there is not modelled.
        raise ApiError('invalid', 'winsim models changes to the PersistentStore only, not to %s' % store)
    enabled = bool(args.get('enabled'))
    names = [str(n) for n in args.get('names') or []]
    rules = ctx.host['firewall_rules']
    found, missing = _select(rules, names)
    for key in found:
        if bool(rules[key].get('enabled')) != enabled:
            write(ctx, 'firewall rule %s' % key)
            rules[key]['enabled'] = enabled
    return {'rules': [_instance(key, rules[key], store, bool(args.get('trace'))) for key in found], 'missing': missing}
