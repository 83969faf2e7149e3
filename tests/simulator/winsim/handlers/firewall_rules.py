# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam.provisioning.firewall_rules: model of plugins/modules/firewall_rules.ps1.

Rules live in host['firewall_rules'] (the local store) keyed by their invariant Name (matched
case-insensitively, as Get-NetFirewallRule -Name does); display names come localized from the seed.
Rules a GPO delivers are in the optional host['firewall_policy_rules'] (winapi/firewall.py). The module
reads the effective policy, where a policy rule replaces the local one of the same Name, and changes
the local store only. Enabling an enabled rule (or disabling a disabled one) is a no-op and writes
nothing. The record of the Names this collection enabled is the REG_MULTI_SZ FirewallRulesEnabled
(model.record_values).
"""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..model import record_values, write_record
from . import handler

MODULE = 'ipam.provisioning.firewall_rules'
OPTIONS = frozenset({'mode', 'token', 'names', 'enable', 'disable', 'record_add', 'record_remove'})
RECORD = 'FirewallRulesEnabled'


def check_spec(ctx: Context, args: dict[str, Any]) -> None:
    """What Ansible.Basic enforces from the module's $spec, with its messages."""
    missing = [o for o in ('mode', 'names') if args[o] is None]
    if missing:
        ctx.fail('missing required arguments: %s' % ', '.join(missing))
    if args['mode'] not in ('read', 'apply'):
        ctx.fail('value of mode must be one of: read, apply. Got no match for: %s' % args['mode'])
    if args['mode'] == 'apply' and args['token'] is None:
        ctx.fail('mode is apply but all of the following are missing: token')


def find_rule(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    """The local rule of that Name (the store Enable-/Disable-NetFirewallRule change)."""
    for key, rule in ctx.host['firewall_rules'].items():
        if key.casefold() == name.casefold():
            return key, rule
    return None


def find_effective_rule(ctx: Context, name: str) -> tuple[str, dict[str, Any]] | None:
    """The rule in force (Get-NetFirewallRule -PolicyStore ActiveStore): a GPO's rule of that Name
    replaces the local one."""
    for key, rule in (ctx.host.get('firewall_policy_rules') or {}).items():
        if key.casefold() == name.casefold():
            return key, rule
    return find_rule(ctx, name)


def rule_states(ctx: Context, names: list[str]) -> list[dict[str, Any]]:
    states = []
    for name in names:
        found = find_effective_rule(ctx, name)
        if found is None:
            states.append({'name': name, 'exists': False, 'enabled': False, 'display_name': None, 'group': None,
                           'display_group': None, 'source': None})
            continue
        key, rule = found
        states.append({'name': key, 'exists': True, 'enabled': bool(rule['enabled']), 'display_name': rule['display_name'],
                       'group': rule['group'], 'display_group': rule['display_group'],
                       'source': 'GroupPolicy' if rule.get('gpo') is not None else 'Local'})
    return states


def rules_token(rules: list[dict[str, Any]], recorded: list[str]) -> str:
    """Same string as Get-RuleToken in the .ps1."""
    rule_text = sorted('%s=%s' % (r['name'], ('1' if r['enabled'] else '0') if r['exists'] else 'missing') for r in rules)
    return '%s#%s' % (';'.join(rule_text), ';'.join(sorted(recorded)))


def set_enabled(ctx: Context, name: str, enabled: bool) -> None:
    found = find_rule(ctx, name)
    if found is None:
        # Enable-NetFirewallRule's CIM error for a Name that matches nothing: the CDXML maps -Name to
        # the InstanceID property, which the cmdletization engine's message names (two spaces before Verify).
        cmdlet = 'Enable-NetFirewallRule' if enabled else 'Disable-NetFirewallRule'
        ctx.fail("%s -Name %s failed: No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to '%s'.  "
                 "Verify the value of the property and retry." % (cmdlet, name, name), error='invalid_state')
    rule = found[1]
    if bool(rule['enabled']) != enabled:
        ctx.write('firewall rule %s' % found[0])
        rule['enabled'] = enabled


def read_result(ctx: Context, names: list[str]) -> dict[str, Any]:
    rules = rule_states(ctx, names)
    recorded = record_values(ctx.host, RECORD)
    return {'host': ctx.host_info(), 'rules': rules, 'recorded': recorded, 'token': rules_token(rules, recorded)}


def flip_rule(ctx: Context, args: dict[str, Any]) -> None:
    """concurrent_change: another administrator toggles the first requested rule that exists."""
    for name in args.get('names') or []:
        found = find_rule(ctx, name)
        if found is not None:
            found[1]['enabled'] = not found[1]['enabled']
            return


@handler(MODULE, options=OPTIONS, concurrent_change=flip_rule)
def firewall_rules(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    check_spec(ctx, args)
    names = list(args['names'])
    result = read_result(ctx, names)
    if args['mode'] == 'read':
        return result

    if args['token'] != result['token']:
        ctx.fail('The firewall rules %s changed between read and apply; nothing was written. Run the task again to '
                 'plan against the new state.' % ', '.join(names), error='changed_since_read')
    if not ctx.check_mode:
        for name in args['enable'] or []:
            set_enabled(ctx, name, True)
        for name in args['disable'] or []:
            set_enabled(ctx, name, False)
    if args['record_add'] or args['record_remove']:
        # As the .ps1: keep recorded Names not being removed, then append new ones (case-insensitive).
        remove = {n.casefold() for n in args['record_remove'] or []}
        wanted: list[str] = []
        for name in result['recorded']:
            if name and name.casefold() not in remove and name.casefold() not in {w.casefold() for w in wanted}:
                wanted.append(name)
        for name in args['record_add'] or []:
            if name.casefold() not in {w.casefold() for w in wanted}:
                wanted.append(name)
        if not ctx.check_mode:
            write_record(ctx, RECORD, wanted)
    if not ctx.check_mode:
        result = read_result(ctx, names)
    result['changed'] = True
    return result
