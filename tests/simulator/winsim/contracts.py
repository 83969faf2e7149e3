# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Raw PowerShell scripts the simulator answers: controller-side plugins that run a script over
WinRM (``winrm.Session.run_ps``) instead of a module.

Such a script carries one line ``# ipam-contract: <name>``. When a command is not a module payload
and its decoded script has that line, the engine calls the contract function registered under the
name with a ``Context`` of the host, the script and the command's stdin; the function returns
``(rc, stdout, stderr)`` as the script would on Windows. Each call is one round trip (counted).

Contracts:

- ``ipam_inventory.v1`` (plugins/plugin_utils/ipam_inventory_transport.py SCRIPT): the IPAM
  server's Get-IpamServerInventory as ``{"contract", "records": [...]}``, or
  ``{"contract", "error": "ipam_module_missing" | "query_failed", "message"}`` with exit code 2 or 3.

Tests can make a host print something else for one contract (a broken or unexpected reply):
``set_reply(ctx.host, name, stdout, rc=0, stderr='')`` inside ``Simulator.edit``; ``set_reply(...,
stdout=None)`` removes it.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from . import faults as f
from . import ipam_server as ipam_model
from .context import Context
from .errors import ACCESS_DENIED_MSG

ContractFunc = Callable[[Context, str, bytes], tuple[int, bytes, bytes]]
REGISTRY: dict[str, ContractFunc] = {}
_MARKER = re.compile(r'^[ \t]*#[ \t]*ipam-contract:[ \t]*([A-Za-z0-9_.-]+)[ \t]*\r?$', re.MULTILINE)
REPLIES_KEY = 'contract_replies'   # host state: {contract name: {rc, stdout, stderr}} set by tests


def contract(name: str) -> Callable[[ContractFunc], ContractFunc]:
    """Register func as the model of the raw script marked '# ipam-contract: name'."""
    def register(func: ContractFunc) -> ContractFunc:
        existing = REGISTRY.get(name)
        # Re-registering the same function (a re-imported module) is harmless; two models are not.
        if existing and (existing.__module__, existing.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError('winsim: contract %s already has a model (%s.%s)' % (name, existing.__module__, existing.__qualname__))
        REGISTRY[name] = func
        return func
    return register


def contract_name(script: str) -> str | None:
    """The name of the first '# ipam-contract: <name>' line of a script, or None."""
    match = _MARKER.search(script or '')
    return match.group(1) if match else None


def set_reply(host: dict[str, Any], name: str, stdout: str | None, rc: int = 0, stderr: str = '') -> None:
    """Make host print stdout (exit code rc) for contract name; stdout None goes back to the model."""
    replies = host.setdefault(REPLIES_KEY, {})
    if stdout is None:
        replies.pop(name, None)
    else:
        replies[name] = {'rc': rc, 'stdout': stdout, 'stderr': stderr}
    if not replies:
        host.pop(REPLIES_KEY, None)


def run(ctx: Context, name: str, script: str, stdin: bytes) -> tuple[int, bytes, bytes]:
    """(rc, stdout, stderr) of the contract script on ctx.host."""
    canned = (ctx.host.get(REPLIES_KEY) or {}).get(name)
    if canned is not None:
        return int(canned.get('rc') or 0), str(canned.get('stdout') or '').encode(), str(canned.get('stderr') or '').encode()
    func = REGISTRY.get(name)
    if func is None:
        return 1, b'', ('winsim: no model for the raw PowerShell contract %r (known: %s)'
                        % (name, ', '.join(sorted(REGISTRY)) or 'none')).encode()
    return func(ctx, script, stdin)


# --- ipam_inventory.v1 ------------------------------------------------------------------------------
IPAM_INVENTORY = 'ipam_inventory.v1'
RC_MODULE_MISSING = 2
RC_QUERY_FAILED = 3


def _reply(rc: int, **body: Any) -> tuple[int, bytes, bytes]:
    body['contract'] = IPAM_INVENTORY
    return rc, json.dumps(body, separators=(',', ':')).encode(), b''


def inventory_record(name: str, server: dict[str, Any], hosts: list[dict[str, Any]]) -> dict[str, Any]:
    """One Get-IpamServerInventory object with the properties the script copies (enums as text)."""
    access = server['access']
    record: dict[str, Any] = {
        'ServerName': name,
        'ServerType': list(server['server_types']),
        'ManageabilityStatus': server['manageability'],
        'IPAMAccessStatus': access['ipam'],
        'DhcpRpcAccessStatus': access['dhcp_rpc'],
        'DnsRpcAccessStatus': access['dns_rpc'],
        'DhcpAuditShareAccessStatus': access['dhcp_audit_share'],
        'EventLogAccessStatus': access['event_log'],
        'RecommendedAction': server.get('recommended_action') or '',
    }
    if server.get('domain'):
        record['DomainName'] = server['domain']
        record['ForestName'] = server['domain']   # the lab's forest has one domain
    host = ipam_model.host_by_fqdn(hosts, name)
    if host is not None and host.get('address'):
        record['IPv4Address'] = [host['address']]
    return record


@contract(IPAM_INVENTORY)
def ipam_inventory_v1(ctx: Context, script: str, stdin: bytes) -> tuple[int, bytes, bytes]:
    """Import-Module IpamServer, then Get-IpamServerInventory; a read is one poll of a running ServerDiscovery."""
    if not ipam_model.has_ipam(ctx.host):
        return _reply(RC_MODULE_MISSING, error='ipam_module_missing', message=ipam_model.IMPORT_ERROR)
    if f.access_denied(ctx.faults) == 'all':
        return _reply(RC_QUERY_FAILED, error='query_failed', message=ACCESS_DENIED_MSG)
    ipam = ipam_model.ipam_state(ctx)
    ipam_model.observe(ctx, ipam)
    hosts = ipam_model.lab_hosts(ctx)
    records = [inventory_record(name, server, hosts) for name, server in sorted(ipam['servers'].items())]
    return _reply(0, records=records)
