# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the modules that grant or revoke one IPAM access setting."""
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  principals:
    description:
      - The accounts IPAM reads as, usually the IPAM server's computer account (C(CORP\IPAM01$))
        or the universal group C(CORP\IPAMUG); several IPAM servers may be given at once.
      - Each may be C(DOMAIN\name), C(DOMAIN\HOST$), C(name@domain), C(.\name) or a SID string.
        They are resolved to SIDs on the managed host and compared by SID, never by name.
      - C(.\name) is an account of the host itself; a builtin group there (C(.\Remote Management Users)),
        which Windows files under C(BUILTIN) rather than under the host's name, is found by its bare name.
      - Give a list; a comma-separated string is refused.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) grants the access; V(absent) removes exactly the entry this setting describes
        for these principals and keeps everything else.
    type: str
    choices: [present, absent]
    default: present
  allow_broad_principals:
    description:
      - Broad principals such as Everyone, Authenticated Users, Users or Domain Users are refused
        unless this is V(true). Removing access is always allowed.
    type: bool
    default: false
attributes:
  action_group:
    description: Use C(group/ipam.provisioning.access) in C(module_defaults) to set O(principals) once for
      every module of the collection that takes it.
    support: full
    membership:
      - ipam.provisioning.access
notes:
  - The task runs in at most two round trips. One read, the only one on a compliant host and in
    check mode; and, when something must change, one apply that first checks that the state has
    not changed since it was read and otherwise writes nothing (see the next note).
'''

    # The modules that add one allow ACE per principal to a security descriptor.
    SDDL_ACE = r'''
options:
  remove_conflicting_deny:
    description:
      - An explicit Deny ACE for one of the O(principals) that takes away any of the rights the Allow grants (a
        generic right or a per-property Deny included) voids the Allow, since Windows applies explicit Deny ACEs
        first. With V(false) the task fails on such a Deny, naming it, and writes nothing; in check mode (an audit)
        the setting is reported failed with that finding.
      - With V(true) the task removes those Deny ACEs in the same write that adds the Allow, and returns them in
        RV(removed_deny). They were not added by this collection, so O(state=absent) does not put them back.
      - Inherited Deny ACEs and inherit-only ones do not apply before the explicit Allow and are left alone.
    type: bool
    default: false
'''

    # The modules that grant access on an object someone else owns (group members, ACEs, share rights).
    OWNERSHIP = r'''
options:
  remove_unrecorded:
    description:
      - O(state=absent) removes a grant (a group member, an ACE, a share right) only when this collection's ownership record
        on the host says it added it; access that was there before (granted by hand, by Group Policy, or by
        a version of this collection that kept no such record) stays and is returned in RV(kept).
      - With V(true) the access of O(principals) is removed whoever granted it.
    type: bool
    default: false
notes:
  - The ownership records are REG_MULTI_SZ values under C(HKLM\SOFTWARE\ipam.provisioning) on the host the
    task ran on (for a domain-wide object, the domain controller that made the change), one
    C(<object>|<grant>) line per grant this collection added; C(GroupMembersAdded) holds
    C(<group SID>|<member SID>), C(AcesAdded) holds C(service:<name>|<ACE>), C(eventlog:<log>|<ACE>) and
    C(directory:<distinguished name>|<ACE>), C(ShareRightsGranted) holds C(<share>|<SID>). A grant is recorded before it is made and forgotten after it is
    removed, so a run that stops in between leaves a record the next run finishes (provisioning makes the
    grant) or undoes (removal forgets the entry). Record entries that do not parse are reported, never acted on.
'''

    # Every module that writes extends this fragment, so the note on the retry shared by all of them lives here.
    ATTRIBUTES = r'''
notes:
  - When the apply finds that the object changed since it was read (another writer, such as a domain
    controller in a parallel AWX job slice), it writes nothing; the task then reads and plans once more and
    applies that plan, or changes nothing when the object is already as wanted (two more round trips). The
    result then has C(retried_after_concurrent_change=true) and a warning. A second refusal in a row fails
    the task.
attributes:
  check_mode:
    support: full
    details: Check mode reads the host and reports the full planned change; it never writes.
  diff_mode:
    support: full
  platform:
    platforms: windows
'''
