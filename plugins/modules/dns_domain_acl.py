# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: dns_domain_acl
short_description: Grant or revoke IPAM's read access in the domain-wide DNS DACL
version_added: 0.1.0
description:
  - Adds one allow ACE per principal to the DACL of the Active Directory object
    C(CN=MicrosoftDNS,CN=System,<domain DN>), the domain-wide "DNS DACL" that gives IPAM DNS RPC access to
    the DNS servers running on the domain controllers of that domain, or removes exactly that ACE again.
  - The ACE is C((A;CI;RPLCRC;;;<SID>)), i.e. ReadProperty and GenericExecute inherited by all child objects,
    exactly what Microsoft's C(Invoke-IpamGpoProvisioning) grants to IPAMUG.
  - An ACE is added only when no ACE of the same SID and type already grants those rights. Every other ACE
    is kept; only the DACL is written (owner, group and SACL are not touched).
  - There is one such object per domain. A change made through one domain controller is seen through every
    domain controller of that domain, so run the task once per domain (for example with C(run_once) on the
    first DC of each domain); running it on every DC is harmless (the others report no change).
  - Principals are resolved on the host and compared by SID.
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the DACL and
    writes the exact DACL planned.
options:
  distinguished_name:
    description:
      - The distinguished name of the object whose DACL is edited.
      - When not set, the host computes C(CN=MicrosoftDNS,CN=System,<DN of its domain>) from the rootDSE
        C(defaultNamingContext) of its domain.
      - When the object does not exist (there is no Active Directory-integrated DNS in the domain) the task
        fails and says what Microsoft recommends instead.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access
  - ipam.provisioning.access.attributes
  - ipam.provisioning.access.ownership
  - ipam.provisioning.access.sddl_ace
notes:
  - Run it on a domain controller. On a domain member, over WinRM, the read and the write both bind to
    Active Directory with the caller's credentials, which is a second hop. With NTLM, or Kerberos without
    delegation, the logon has no network credentials, so both fail (the bind is anonymous or refused).
    Use Kerberos delegation, CredSSP or C(become) with a domain account there.
  - On a writable domain controller the module reads, writes and reads back through that DC, so the
    compare-and-swap is made against one replica; other DCs see the change after replication.
  - A read-only domain controller (RODC) refers every write to a writable one, as would a member whose
    serverless bind reached an RODC. On both, the module asks the DC locator for a writable DC of the
    domain and pins it for the read and the write.
  - For DNS servers that are not domain controllers this DACL does not apply; Microsoft says to add the IPAM
    server computer account (or IPAMUG) to the local Administrators group on the DNS server instead (see
    M(ipam.provisioning.group_membership)).
seealso:
  - module: ipam.provisioning.group_membership
  - module: ipam.provisioning.access_info
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Give the IPAM server DNS RPC access on every DC/DNS server of the domain (once per domain)
  ipam.provisioning.dns_domain_acl:
    principals:
      - CORP\IPAMUG
  run_once: true

- name: Name the object explicitly
  ipam.provisioning.dns_domain_acl:
    distinguished_name: CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com
    principals:
      - CORP\IPAM01$

- name: Revoke that access again (every other ACE stays)
  ipam.provisioning.dns_domain_acl:
    principals:
      - CORP\IPAM01$
    state: absent
  run_once: true
'''

RETURN = r'''
distinguished_name:
  description: The object whose DACL was read (and written), as resolved on the host.
  returned: always
  type: str
  sample: CN=MicrosoftDNS,CN=System,DC=corp,DC=example,DC=com
scope:
  description: Always C(domain) - the object is shared by every domain controller of the domain.
  returned: always
  type: str
  sample: domain
sddl:
  description:
    - The DACL after the task (planned value in check mode), as C(GetSecurityDescriptorSddlForm('Access'))
      prints it. Active Directory may print rights letters in its own order.
  returned: always
  type: str
  sample: D:AI(A;;RCWDWOCCDCLCSWRPWPLOCR;;;DA)(A;CI;RPLCRC;;;S-1-5-21-1-2-3-1105)(A;;SDRCWDWOCCDCLCSWRPWPDTLOCR;;;SY)
added:
  description: The ACEs added.
  returned: always
  type: list
  elements: str
  sample: ['(A;CI;RPLCRC;;;S-1-5-21-1-2-3-1105)']
removed:
  description: The ACEs removed.
  returned: always
  type: list
  elements: str
  sample: []
removed_deny:
  description: The Deny ACEs of the principals removed with O(remove_conflicting_deny=true) (empty otherwise).
  returned: always
  type: list
  elements: str
  sample: ['(D;;CCLC;;;S-1-5-21-1-2-3-1105)']
pre_existing:
  description:
    - The principals whose ACE was there although this collection's ownership record does not say it added it
      (C(sid), C(name), C(ace)). O(state=absent) keeps such an ACE unless O(remove_unrecorded=true).
  returned: always
  type: list
  elements: dict
  sample: []
kept:
  description: With O(state=absent), the ACEs left in place because this collection did not add them, each with a C(reason).
  returned: always
  type: list
  elements: dict
  sample: []
forgotten:
  description:
    - Recorded ACEs dropped from the ownership record although the descriptor no longer held them (removed by
      hand, or a run that stopped between its record and its change).
  returned: always
  type: list
  elements: str
  sample: []
principals:
  description: The principals as resolved on the host.
  returned: always
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1-2-3-1105, name: CORP\IPAM01$}]
'''
