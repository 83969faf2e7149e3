#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamDhcpauditShare

# Remote half of ipam.provisioning.dhcpaudit_share. It reports the DHCP audit folder and the share
# (access list by SID), and applies exactly the create/grant/revoke/delete its action plugin planned.
# The SMB cmdlets do not honour -WhatIf, so every one of them sits behind a check-mode guard.
# The read and apply are in module_utils/_IpamDhcpauditShare.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamDhcpauditShareSpec))
Invoke-IpamDhcpauditShare -Module $module
