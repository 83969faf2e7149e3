# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of ipam.provisioning.dns_domain_acl: IPAM's domain-wide "DNS DACL" on CN=MicrosoftDNS."""
from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.ipam.provisioning.plugins.module_utils.catalog import (
    ADMINISTRATORS_SID,
    DNS_OBJECT_READ_FLAGS,
    DNS_OBJECT_READ_RIGHTS,
    microsoft_dns_dn,
)
from ansible_collections.ipam.provisioning.plugins.plugin_utils.remote_action import Plan
from ansible_collections.ipam.provisioning.plugins.plugin_utils.sddl_ace_action import COMMON_OPTIONS, SddlAceAction

# One RDN: an attribute type, '=', and a value in which ',' '+' '"' '\' '<' '>' ';' appear escaped.
_RDN = r'[A-Za-z][A-Za-z0-9-]*=(?:[^,+"\\<>;]|\\.)+'
_DN = re.compile(r'^%s(?:\s*,\s*%s)*$' % (_RDN, _RDN))

# What Microsoft says to do where there is no AD-integrated DNS (ipam-facts.md section 4).
_NO_AD_DNS_ADVICE = (
    'the domain-wide DNS DACL only exists for Active Directory-integrated DNS. Microsoft: for DNS servers that '
    'are not domain controllers, add the IPAM server computer account (or IPAMUG) to the local Administrators '
    'group (%s) on the DNS server instead, for example with ipam.provisioning.group_membership' % ADMINISTRATORS_SID)


class ActionModule(SddlAceAction):
    MODULE = 'ipam.provisioning.dns_domain_acl'
    ARGUMENT_SPEC = dict(
        COMMON_OPTIONS,
        distinguished_name={'type': 'str'},
    )
    REMOTE_OPTIONS = frozenset({'mode', 'principals', 'token', 'distinguished_name', 'sddl', 'server', 'record_add',
                                'record_remove'})
    REMOTE_REQUIRED = frozenset({'mode'})
    # ActiveDirectorySecurityInheritance.All, as Microsoft's Invoke-IpamGpoProvisioning grants it.
    ACE_FLAGS = DNS_OBJECT_READ_FLAGS

    def validate_arguments(self) -> tuple[dict[str, t.Any], set[str]]:
        params, no_log_values = super().validate_arguments()
        dn = params.get('distinguished_name')
        if dn is not None and not _DN.match(dn.strip()):
            raise AnsibleActionFail(
                '%s: option distinguished_name: %r is not an LDAP distinguished name; expected for example %r '
                '(or leave it out to use the host\'s domain)' % (
                    self.MODULE, dn, microsoft_dns_dn('DC=corp,DC=example,DC=com')))
        return params, no_log_values

    def rights(self, params: dict[str, t.Any]) -> str:
        # The ACE is fixed: ReadProperty | GenericExecute (RP, LC, RC), what IPAM's own provisioning grants.
        return DNS_OBJECT_READ_RIGHTS

    def target_args(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        dn = params.get('distinguished_name')
        return {'distinguished_name': dn.strip() if dn else None}

    def describe(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str:
        dn = state.get('distinguished_name') or params.get('distinguished_name') or microsoft_dns_dn('<domain>')
        return "the DACL of '%s'" % dn

    def missing_reason(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> str | None:
        dn = state.get('distinguished_name')
        if not dn:
            return ('the host is not a member of an Active Directory domain, so it has no %s object; %s' % (
                microsoft_dns_dn('<domain DN>'), _NO_AD_DNS_ADVICE))
        if not state.get('exists'):
            return "the Active Directory object '%s' does not exist; %s" % (dn, _NO_AD_DNS_ADVICE)
        if state.get('sddl') is None:
            return "the host could not read the DACL of '%s'" % dn
        return None

    def result_keys(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> dict[str, t.Any]:
        # One object per domain: a change made through one DC is seen through every DC of the domain.
        return {'distinguished_name': state.get('distinguished_name'), 'scope': 'domain'}

    def plan(self, params: dict[str, t.Any], state: dict[str, t.Any]) -> Plan:
        made = super().plan(params, state)
        if made.apply_args is not None:
            # Apply the object that was read, not a default the host might resolve differently, on the domain
            # controller it was read from (its uSNChanged is in the token, and means something on that DC only).
            made.apply_args['distinguished_name'] = state['distinguished_name']
            made.apply_args['server'] = state.get('server')
        return made
