#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamServiceAcl

# Remote half of ipam.provisioning.service_acl. It reads a service's security descriptor and
# writes the exact descriptor its action plugin planned; it makes no decisions of its own.
# The read and apply are in module_utils/_IpamServiceAcl.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamServiceAclSpec))
Invoke-IpamServiceAcl -Module $module
