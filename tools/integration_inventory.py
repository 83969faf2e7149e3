#!/usr/bin/env python
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the ansible-test windows-integration inventory for the simulated lab behind the fake WinRM endpoint.

    tools/integration_inventory.py --lab inventory/lab --port 40123 --user lab --password secret \\
        --state-dir /tmp/x/state [--limit 'dc01,dc02,dns01'] > inventory.winrm

ansible-test reads ``tests/integration/inventory.winrm`` (or ``--inventory PATH``), an INI file with
a ``windows`` group. This writes one from the lab inventory (``ansible-inventory --list --export``):

- ``[windows]``: every lab host with its ``ansible_host`` (127.0.0.x, where the endpoint listens for
  it) and its other host variables (``winsim_profile`` ...);
- the lab's other groups (``domain_controllers``, ``dhcp_servers``, ``dns_servers``, ``nps_servers``,
  ``ipam_servers``) with the same hosts, and the lab's group variables (``ipam_principals``,
  ``ipam_domain``, ``winsim_domain`` ...);
- the WinRM connection to the endpoint (``winrm``, ``basic``, ``http``, port, user, password) instead of
  the lab's ``ansible_connection: winsim``, plus ``winsim_lab=true``, ``winsim_state_dir`` (what the
  targets' simulator-only checks read, e.g. the ``winsim_counters`` lookup; ansible-test clears the
  environment, so ``WINSIM_STATE_DIR`` does not reach them) and ``winsim_repo``, the collection tree
  under test (ansible-test runs a target from a temporary copy of the target alone, so paths relative
  to ``playbook_dir`` do not reach ``tests/simulator`` or ``ansible.cfg``).

``--limit PATTERN`` keeps only the hosts an Ansible host pattern selects (resolved by ansible-inventory
against the lab inventory); the other hosts are left out of every group. That is how a target that
cannot run against every host is limited under ansible-test, which always runs a target's role
against ``hosts: windows``. Values are written as Python literals, which the INI inventory plugin
reads back with ``ast.literal_eval``.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shlex
import subprocess
import sys
import typing as t

# Set here, not taken from the lab: the lab talks to its hosts through the in-process connection.
DROPPED_VARS = frozenset({'ansible_connection', 'ansible_shell_type', 'ansible_port', 'ansible_user',
                          'ansible_password', 'ansible_winrm_transport', 'ansible_winrm_scheme'})
HOST_LINE_VARS_FIRST = ('ansible_host',)


def ansible_bin(name: str) -> str:
    return os.path.join(os.path.dirname(sys.executable), name)


def run_json(argv: list[str], env: dict[str, str]) -> t.Any:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit('integration_inventory: %s failed (exit %d):\n%s' % (' '.join(argv), proc.returncode, proc.stderr))
    return json.loads(proc.stdout)


def lab_inventory(lab: t.Sequence[str], limit: str | None) -> tuple[dict[str, t.Any], list[str]]:
    """(exported inventory, selected hosts in inventory order) of the lab's inventory sources read as one."""
    env = dict(os.environ, ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_NOCOLOR='1')
    env.pop('ANSIBLE_CONFIG', None)  # the lab inventory alone; the repository's ansible.cfg is not needed
    sources = [word for source in lab for word in ('-i', source)]
    exported = run_json([ansible_bin('ansible-inventory'), *sources, '--list', '--export'], env)
    windows = _hosts_of(exported, 'windows')
    if not windows:
        raise SystemExit('integration_inventory: %s has no host in group windows' % ' + '.join(lab))
    if not limit:
        return exported, windows
    argv = [ansible_bin('ansible-inventory'), *sources, '--list', '--limit', limit]
    selected = set(run_json(argv, env).get('_meta', {}).get('hostvars', {}))
    hosts = [h for h in windows if h in selected]
    if not hosts:
        raise SystemExit('integration_inventory: host pattern %r selects no host of group windows in %s' % (limit, ' + '.join(lab)))
    return exported, hosts


def _hosts_of(exported: dict[str, t.Any], group: str, seen: set[str] | None = None) -> list[str]:
    """Hosts of a group and its children, in inventory order, each once."""
    seen = set() if seen is None else seen
    if group in seen:
        return []
    seen.add(group)
    node = exported.get(group) or {}
    result = list(node.get('hosts', []))
    for child in node.get('children', []):
        result.extend(h for h in _hosts_of(exported, child, seen) if h not in result)
    return result


def literal(value: t.Any, top: bool = True) -> str:
    """A value the INI inventory plugin reads back unchanged (it tries ast.literal_eval on each value).

    Plain words (127.0.0.11, winrm) are written bare, other strings with double quotes, containers as
    Python literals.
    """
    if isinstance(value, str):
        if top and re.fullmatch(r'[A-Za-z0-9_.:/@%+-]+', value) and not _evaluates(value):
            return value
        return json.dumps(value)  # a valid Python string literal too
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, list):
        return '[%s]' % ', '.join(literal(v, False) for v in value)
    if isinstance(value, dict):
        return '{%s}' % ', '.join('%s: %s' % (json.dumps(str(k)), literal(v, False)) for k, v in value.items())
    raise SystemExit('integration_inventory: cannot write %r as an INI inventory value' % (value,))


def _evaluates(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def host_word(key: str, value: t.Any) -> str:
    """key=value on a host line, which the INI plugin splits like a shell would."""
    word = '%s=%s' % (key, literal(value))
    if re.fullmatch(r'[A-Za-z0-9_.:/@%+=-]+', word):
        return word
    if "'" not in word:
        return "%s='%s'" % (key, literal(value))
    return shlex.quote(word)


def render(exported: dict[str, t.Any], hosts: list[str], connection: dict[str, t.Any], extra: dict[str, t.Any],
           source: str) -> str:
    hostvars = exported.get('_meta', {}).get('hostvars', {})
    out = ['# Generated by tools/integration_inventory.py from %s for ansible-test windows-integration' % source,
           '# against the fake WinRM endpoint (tests/simulator/winrm_endpoint.py). Do not edit.', '',
           '[windows]']
    for host in hosts:
        variables = {k: v for k, v in sorted(hostvars.get(host, {}).items()) if k not in DROPPED_VARS}
        words = [host] + [host_word(k, variables.pop(k)) for k in HOST_LINE_VARS_FIRST if k in variables]
        words += [host_word(k, v) for k, v in variables.items()]
        out.append(' '.join(words))

    # The lab's group variables: those of 'all' and 'windows' go to [windows:vars], with the connection.
    group_vars: dict[str, t.Any] = {}
    for group in ('all', 'windows'):
        group_vars.update((exported.get(group) or {}).get('vars', {}))
    group_vars = {k: v for k, v in group_vars.items() if k not in DROPPED_VARS}
    group_vars.update(connection)
    group_vars.update(extra)
    out += ['', '[windows:vars]']
    out += ['%s=%s' % (k, literal(v)) for k, v in group_vars.items()]

    groups = [g for g in (exported.get('all') or {}).get('children', []) if g not in ('ungrouped', 'windows')]
    for group in groups:
        members = [h for h in _hosts_of(exported, group) if h in hosts]
        out += ['', '[%s]' % group] + members
        own_vars = {k: v for k, v in (exported.get(group) or {}).get('vars', {}).items() if k not in DROPPED_VARS}
        if own_vars:
            out += ['', '[%s:vars]' % group] + ['%s=%s' % (k, literal(v)) for k, v in own_vars.items()]
    return '\n'.join(out) + '\n'


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--lab', required=True, action='append',
                        help='the lab inventory (inventory/lab); repeat it to add an overlay (read as one inventory)')
    parser.add_argument('--port', type=int, required=True, help='port of the fake WinRM endpoint')
    parser.add_argument('--user', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--state-dir', required=True, help="the endpoint's simulator state directory")
    parser.add_argument('--repo', help='the collection tree under test (default: the repository of this script)')
    parser.add_argument('--limit', help='Ansible host pattern: keep only these hosts (default: all of windows)')
    parser.add_argument('--output', '-o', help='file to write (default: stdout)')
    args = parser.parse_args(argv)

    exported, hosts = lab_inventory(args.lab, args.limit)
    connection = {
        'ansible_connection': 'winrm',
        'ansible_port': args.port,
        'ansible_winrm_transport': 'basic',
        'ansible_winrm_scheme': 'http',
        'ansible_user': args.user,
        'ansible_password': args.password,
    }
    repo = os.path.abspath(args.repo or os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    extra = {'winsim_lab': True, 'winsim_state_dir': os.path.abspath(args.state_dir), 'winsim_repo': repo}
    text = render(exported, hosts, connection, extra, ' + '.join(args.lab) + (' (limit %s)' % args.limit if args.limit else ''))
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
