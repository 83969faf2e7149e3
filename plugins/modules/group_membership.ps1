#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamGroupMembership

# Remote half of ipam.provisioning.group_membership. It reports a group's members and adds or
# removes exactly the member SIDs its action plugin planned; it makes no decisions of its own.
# The read and apply are in module_utils/_IpamGroupMembership.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamGroupMembershipSpec))
Invoke-IpamGroupMembership -Module $module
