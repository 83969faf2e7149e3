#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamDnsDomainAcl

# Remote half of ipam.provisioning.dns_domain_acl. It reads the DACL of the domain's
# CN=MicrosoftDNS,CN=System object (IPAM's domain-wide "DNS DACL") and writes the exact DACL its
# action plugin planned; owner, group and SACL are never written. It makes no decisions of its own.
# The read and apply are in module_utils/_IpamDnsDomainAcl.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamDnsDomainAclSpec))
Invoke-IpamDnsDomainAcl -Module $module
