#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamAccessInfo

# Remote half of ipam.provisioning.access_info. Read only: it reports the host facts IPAM cares
# about (domain role, installed roles, services, DHCP audit folder), resolves the principals it is
# given, and changes nothing. Which server types that makes, whether the principals may be granted,
# and the audit of each access setting, are decided by the action plugin and the roles.
# The read and apply are in module_utils/_IpamAccessInfo.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamAccessInfoSpec))
Invoke-IpamAccessInfo -Module $module
