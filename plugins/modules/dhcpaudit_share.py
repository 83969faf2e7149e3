# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: dhcpaudit_share
short_description: Share the DHCP audit log folder as dhcpaudit with Read for IPAM
version_added: 0.1.0
description:
  - Makes sure the DHCP server's audit log folder is shared as C(dhcpaudit) and that the principals
    (the IPAM server's computer account or C(IPAMUG)) have C(Read) share access, so that IPAM's
    audit task can collect the C(DhcpSrv*.txt) logs; or removes that access again.
  - The folder is the one in the registry value
    C(HKLM\SYSTEM\CurrentControlSet\Services\DHCPServer\Parameters\DhcpLogFilePath), as Microsoft's
    provisioning script reads it, unless O(path) is given.
  - When the share does not exist it is created with C(New-SmbShare) without access parameters, so
    Windows grants C(Everyone) C(Read) as usual; then the principals get C(Read). Microsoft's manual
    procedure removes C(Everyone), its Group Policy startup script does not; choose with O(remove_everyone).
  - A share of that name that exists for another folder is never repointed; the task fails instead.
    A C(Deny) entry for one of the principals, or for C(Everyone), C(NETWORK) or C(Authenticated Users),
    also fails the task, since no grant could override it.
  - Principals whose Allow entry already holds every right of C(Read) (access mask C(0x1200A9), or
    C(GENERIC_ALL), or C(GENERIC_READ) with C(GENERIC_EXECUTE)) are left as they are, whatever the mask is
    called (C(Read), C(Change), C(Full) or C(Custom)); every other entry of the share is kept.
  - A principal with an Allow entry that lacks some right of C(Read) fails the task before anything is
    written. C(Grant-SmbShareAccess) would replace that entry, and the right someone gave the principal
    would be lost. Give it C(Read) or more, or revoke it, first.
  - With O(state=absent), a share this collection created (it keeps a record on the host, in
    C(HKLM\SOFTWARE\ipam.provisioning) value C(SharesCreated)) is deleted, unless accounts other than the
    principals and the default C(Everyone) Read have been given rights on it since. Such a share is kept (with
    a warning) and only the principals lose their access, unless O(remove_unrecorded=true) deletes it. A
    share that existed before only loses the Read this collection granted (value C(ShareRightsGranted)).
    C(Everyone) is not restored.
  - Check mode reports the full planned access list even when the share does not exist yet (Everyone
    Read unless O(remove_everyone), plus the principals), unlike C(ansible.windows.win_share).
  - The planning runs in the action plugin on the controller; the PowerShell module only reads the
    share and runs the exact SMB cmdlets planned.
options:
  name:
    description:
      - The share name.
    type: str
    default: dhcpaudit
  path:
    description:
      - The folder to share, overriding the DHCP server's C(DhcpLogFilePath) registry value (for example
        a clustered DHCP server's audit folder).
      - The folder must exist. It is used only when the share is created; an existing share of that
        name must already point to it.
    type: str
  remove_everyone:
    description:
      - Remove C(Everyone)'s access from the share, as Microsoft's manual procedure does.
      - The default keeps it, as Microsoft's provisioning script does (C(net share) grants Everyone Read).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ipam.provisioning.access
  - ipam.provisioning.access.attributes
  - ipam.provisioning.access.ownership
notes:
  - Only share permissions are changed. NTFS permissions of the folder are left alone; on the default
    folder C(%windir%\system32\dhcp) the C(DHCP Users) group can read the logs. For another folder make
    sure the principals can read it.
  - The SMB cmdlets do not honour C(-WhatIf); in check mode none of them runs at all.
  - An account that no longer exists is revoked by its SID. Microsoft documents C(-AccountName) as an
    account name only; where C(Revoke-SmbShareAccess) refuses the SID, the task fails with
    C(unresolved_principal) and says to remove that entry in the share's permissions by hand.
seealso:
  - module: ipam.provisioning.firewall_rules
  - module: ipam.provisioning.dhcp_users_membership
author:
  - ipam.provisioning contributors (@ipam-provisioning)
'''

EXAMPLES = r'''
- name: Share the DHCP audit log folder with the IPAM server
  ipam.provisioning.dhcpaudit_share:
    principals:
      - CORP\IPAM01$

- name: Same, following Microsoft's manual procedure (no Everyone access)
  ipam.provisioning.dhcpaudit_share:
    principals:
      - CORP\IPAMUG
    remove_everyone: true

- name: Share the audit folder of a clustered DHCP server
  ipam.provisioning.dhcpaudit_share:
    path: S:\DhcpAudit
    principals:
      - CORP\IPAM01$

- name: Remove the IPAM server's access (deletes the share if this collection created it)
  ipam.provisioning.dhcpaudit_share:
    principals:
      - CORP\IPAM01$
    state: absent
'''

RETURN = r'''
name:
  description: The share name.
  returned: always
  type: str
  sample: dhcpaudit
path:
  description: The shared folder (the share's path; on removal of a share that did not exist, null).
  returned: always
  type: str
  sample: C:\Windows\system32\dhcp
access:
  description:
    - The share's access list after the task (the planned one in check mode).
    - C(name) is the account name on the host (localized for well-known accounts), null when the SID
      does not resolve or, in check mode, for the C(Everyone) entry a new share will get.
  returned: always
  type: list
  elements: dict
  sample:
    - {sid: S-1-1-0, name: Everyone, type: Allow, right: Read}
    - {sid: S-1-5-21-1004336348-1177238915-682003330-1105, name: CORP\IPAM01$, type: Allow, right: Read}
added:
  description: The access entries granted by this task.
  returned: always
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1105, name: CORP\IPAM01$, type: Allow, right: Read}]
removed:
  description: The access entries that existed before the task and were removed (with a deleted share, all of them).
  returned: always
  type: list
  elements: dict
  sample: [{sid: S-1-1-0, name: Everyone, type: Allow, right: Read}]
created:
  description: Whether the share was created (would be, in check mode).
  returned: always
  type: bool
  sample: true
deleted:
  description: Whether the share was deleted (would be, in check mode).
  returned: always
  type: bool
  sample: false
created_by_collection:
  description: Whether the host's record lists the share as created by this collection, after the task.
  returned: always
  type: bool
  sample: true
actions:
  description: The SMB cmdlets run (planned, in check mode), for audit evidence.
  returned: always
  type: list
  elements: str
  sample:
    - New-SmbShare -Name dhcpaudit -Path C:\Windows\system32\dhcp
    - Grant-SmbShareAccess -Name dhcpaudit -AccountName CORP\IPAM01$ -AccessRight Read -Force
pre_existing:
  description:
    - Allow rights the principals held on a share this collection did not create, although its ownership record
      does not say it granted them. O(state=absent) keeps them unless O(remove_unrecorded=true).
  returned: always
  type: list
  elements: dict
  sample: []
kept:
  description: With O(state=absent), the principals whose rights were left in place because this collection did not grant them, each with a C(reason).
  returned: always
  type: list
  elements: dict
  sample: []
forgotten:
  description: Recorded grants dropped from the ownership record although the share no longer held them.
  returned: always
  type: list
  elements: str
  sample: []
principals:
  description: The principals as resolved on the host.
  returned: always
  type: list
  elements: dict
  sample: [{sid: S-1-5-21-1004336348-1177238915-682003330-1105, name: CORP\IPAM01$}]
'''
