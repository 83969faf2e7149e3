#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamDhcpUsersMembership

# Remote half of ipam.provisioning.dhcp_users_membership. The DHCP role's groups have no
# well-known SID and a localized name, so the action plugin sends a SID or the candidate names to
# try. This module reports the group's members and the DHCP Server service, adds or removes
# exactly the planned member SIDs and restarts the service when told to; it decides nothing.
# The read and apply are in module_utils/_IpamDhcpUsersMembership.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamDhcpUsersMembershipSpec))
Invoke-IpamDhcpUsersMembership -Module $module
