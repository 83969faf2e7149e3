#!powershell

# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ..module_utils._IpamFirewallRules

# Remote half of ipam.provisioning.firewall_rules. It reports predefined rules by their invariant
# Name (never DisplayName, which is localized) and the record of the Names this collection enabled,
# and enables/disables exactly the rules its action plugin planned. No other rule property is touched.
# Rules are read from the effective policy (the ActiveStore, where a rule Group Policy delivers
# replaces the local rule of the same Name) and changed in the local persistent store only.
# The read and apply are in module_utils/_IpamFirewallRules.psm1, which managed_server_access also runs.

$module = [Ansible.Basic.AnsibleModule]::Create($args, (Get-IpamFirewallRulesSpec))
Invoke-IpamFirewallRules -Module $module
