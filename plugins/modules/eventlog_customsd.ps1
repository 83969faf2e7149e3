#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamEventlogCustomsd

# Remote half of ipam.provisioning.eventlog_customsd. It reads the CustomSD value (REG_SZ SDDL)
# of a classic event log and writes the exact string its action plugin planned; it makes no
# decisions of its own and never writes a value that was not there.
# The read and apply are in module_utils/_IpamEventlogCustomsd.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamEventlogCustomsdSpec))
Invoke-IpamEventlogCustomsd -Module $module
