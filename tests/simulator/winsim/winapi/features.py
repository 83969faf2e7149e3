# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ServerManager: the roles and features of a Windows Server (Get-WindowsFeature).

Every host of the lab is a Windows Server, so every feature below exists on each of them; it is
installed when the host state's roles hold the seed role it stands for (the seed role NPS is the
feature NPAS, Network Policy and Access Services; the other seed roles are feature names already).
[I] Only the features of the roles IPAM deals with, with their Windows Server 2022 en-US display names
and types; display names are not localized here.
https://learn.microsoft.com/powershell/module/servermanager/get-windowsfeature
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .. import defaults as d
from ..context import Context
from . import operation


class Feature(NamedTuple):
    name: str
    display_name: str
    feature_type: str     # Role, Role Service or Feature
    role: str             # the seed role that installs it


FEATURES = (
    Feature('AD-Domain-Services', 'Active Directory Domain Services', 'Role', d.ROLE_ADDS),
    Feature('DHCP', 'DHCP Server', 'Role', d.ROLE_DHCP),
    Feature('DNS', 'DNS Server', 'Role', d.ROLE_DNS),
    Feature('NPAS', 'Network Policy and Access Services', 'Role', d.ROLE_NPS),
    Feature('IPAM', 'IP Address Management (IPAM) Server', 'Feature', d.ROLE_IPAM),
)


@operation('ServerManager.GetFeatures')
def get_features(ctx: Context, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Every feature of the server with whether it is installed (Get-WindowsFeature without -Name; the fake
    cmdlet applies -Name). InstallState is Installed or Available.
    https://learn.microsoft.com/powershell/module/servermanager/get-windowsfeature"""
    del args
    roles = set(ctx.host['roles'])
    return [{'Name': feature.name, 'DisplayName': feature.display_name, 'FeatureType': feature.feature_type,
             'Installed': feature.role in roles, 'InstallState': 'Installed' if feature.role in roles else 'Available',
             'Path': feature.display_name, 'Depth': 1}
            for feature in FEATURES]
