# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Display names that change with the Windows display language.

SIDs, firewall rule Names and firewall Group resource strings never change with the language;
everything in this file does. The collection must therefore never match on these strings, and a
simulated de-DE host makes any such mistake visible.

Sources: windows-defaults.md section 4 (marked [S]). Entries marked [I] are not in the reference
files: they are the names commonly seen on German/French Windows, or built by analogy with a
published sibling; they exist so that a de-DE host differs from en-US everywhere a real one would.
A key missing for a language falls back to en-US (as Windows does for strings it does not translate,
e.g. ja-JP keeps the English built-in group names, section 4a).
"""
from __future__ import annotations

LANGUAGES: tuple[str, ...] = ('en-US', 'de-DE', 'fr-FR')

# Keys:  prefix.<x>  account-domain prefixes;  sid.<SID>  well-known / builtin names by SID;
#        rid.<RID>   relative names (local accounts, DHCP groups: SID differs per machine/domain);
#        fw.<Name>   firewall DisplayName;  fwgroup.<Group>  firewall DisplayGroup.
_TEXT: dict[str, dict[str, str]] = {
    'en-US': {
        'prefix.builtin': 'BUILTIN',
        'prefix.nt_authority': 'NT AUTHORITY',
        'sid.S-1-1-0': 'Everyone',
        'sid.S-1-3-0': 'CREATOR OWNER',
        'sid.S-1-5-2': 'NETWORK',
        'sid.S-1-5-4': 'INTERACTIVE',
        'sid.S-1-5-6': 'SERVICE',
        'sid.S-1-5-7': 'ANONYMOUS LOGON',
        'sid.S-1-5-9': 'ENTERPRISE DOMAIN CONTROLLERS',
        'sid.S-1-5-11': 'Authenticated Users',
        'sid.S-1-5-18': 'SYSTEM',
        'sid.S-1-5-19': 'LOCAL SERVICE',
        'sid.S-1-5-20': 'NETWORK SERVICE',
        'sid.S-1-5-32-544': 'Administrators',
        'sid.S-1-5-32-545': 'Users',
        'sid.S-1-5-32-546': 'Guests',
        'sid.S-1-5-32-549': 'Server Operators',
        'sid.S-1-5-32-573': 'Event Log Readers',
        'sid.S-1-5-32-580': 'Remote Management Users',
        'group.dhcp_users': 'DHCP Users',
        'group.dhcp_administrators': 'DHCP Administrators',
        'account.administrator': 'Administrator',
        'account.guest': 'Guest',
        'account.default': 'DefaultAccount',
    },
    'de-DE': {
        'prefix.builtin': 'VORDEFINIERT',            # [S] 4a, pewox/smbshare
        'prefix.nt_authority': 'NT-AUTORITÄT',       # [S] 4a
        'sid.S-1-1-0': 'Jeder',                      # [S] 4a
        'sid.S-1-3-0': 'ERSTELLER-BESITZER',         # [I]
        'sid.S-1-5-2': 'NETZWERK',                   # [I]
        'sid.S-1-5-4': 'INTERAKTIV',                 # [I]
        'sid.S-1-5-6': 'DIENST',                     # [I]
        'sid.S-1-5-7': 'ANONYMOUS-ANMELDUNG',        # [I]
        'sid.S-1-5-9': 'DOMÄNENCONTROLLER DER ORGANISATION',  # [I]
        'sid.S-1-5-11': 'Authentifizierte Benutzer',  # [I]
        'sid.S-1-5-18': 'SYSTEM',                    # [S] 4a (NT-AUTORITÄT\SYSTEM)
        'sid.S-1-5-19': 'LOKALER DIENST',            # [I]
        'sid.S-1-5-20': 'NETZWERKDIENST',            # [I]
        'sid.S-1-5-32-544': 'Administratoren',       # [S] 4a
        'sid.S-1-5-32-545': 'Benutzer',              # [I]
        'sid.S-1-5-32-546': 'Gäste',                 # [I]
        'sid.S-1-5-32-549': 'Server-Operatoren',     # [I]
        'sid.S-1-5-32-573': 'Ereignisprotokollleser',  # [S] 4a
        'sid.S-1-5-32-580': 'Remoteverwaltungsbenutzer',  # [S] 4a
        'group.dhcp_users': 'DHCP-Benutzer',         # [S] 4a
        'group.dhcp_administrators': 'DHCP-Administratoren',  # [S] 4a
        'account.guest': 'Gast',                     # [I]
        # Firewall, section 4b.
        'fwgroup.@FirewallAPI.dll,-29252': 'Remote-Ereignisprotokollverwaltung',  # [S]
        'fw.RemoteEventLogSvc-In-TCP': 'Remote-Ereignisprotokollverwaltung (RPC)',  # [S] German script
        'fw.RemoteEventLogSvc-NP-In-TCP': 'Remote-Ereignisprotokollverwaltung (NP-eingehend)',  # [S]
        'fw.RemoteEventLogSvc-RPCSS-In-TCP': 'Remote-Ereignisprotokollverwaltung (RPC-EPMAP)',  # [S]
        'fwgroup.@FirewallAPI.dll,-29502': 'Remotedienstverwaltung',  # [S]
        'fw.RemoteSvcAdmin-In-TCP': 'Remotedienstverwaltung (RPC)',  # [I] by analogy with event log
        'fw.RemoteSvcAdmin-NP-In-TCP': 'Remotedienstverwaltung (NP-eingehend)',  # [I]
        'fw.RemoteSvcAdmin-RPCSS-In-TCP': 'Remotedienstverwaltung (RPC-EPMAP)',  # [I]
        'fwgroup.@FirewallAPI.dll,-28502': 'Datei- und Druckerfreigabe',  # [S]
        'fw.FPS-SMB-In-TCP': 'Datei- und Druckerfreigabe (SMB eingehend)',  # [S]
        'fw.FPS-NB_Session-In-TCP': 'Datei- und Druckerfreigabe (NB-Sitzung eingehend)',  # [S]
        'fwgroup.@firewallapi.dll,-53012': 'DNS-Dienst',  # [I]
        'fw.DNSSrv-RPCEPMAP-TCP-In': 'RPC-Endpunktzuordnung (TCP, eingehend)',  # [I]
        'fw.DNSSrv-DNS-TCP-In': 'DNS (TCP, eingehend)',  # [I]
        'fw.DNSSrv-DNS-UDP-In': 'DNS (UDP, eingehend)',  # [I]
        'fw.DNSSrv-RPC-TCP-In': 'RPC (TCP, eingehend)',  # [I]
    },
    'fr-FR': {
        'prefix.builtin': 'BUILTIN',                 # [S] 4a (icacls: BUILTIN\Administrateurs)
        'prefix.nt_authority': 'AUTORITE NT',        # [S] 4a
        'sid.S-1-1-0': 'Tout le monde',              # [S] 4a
        'sid.S-1-5-18': 'Système',                   # [S] 4a (AUTORITE NT\Système)
        'sid.S-1-5-32-544': 'Administrateurs',       # [S] 4a
        'sid.S-1-5-32-545': 'Utilisateurs',          # [S] 4a
        'sid.S-1-5-32-573': 'Lecteurs des journaux d\u2019événements',  # [S] 4a, U+2019
        'sid.S-1-5-32-580': 'Utilisateurs de gestion à distance',  # [S] 4a
        'group.dhcp_users': 'Utilisateurs DHCP',     # [S] 4a
        'group.dhcp_administrators': 'Administrateurs DHCP',  # [S] 4a
        'fwgroup.@FirewallAPI.dll,-29252': 'Gestion à distance du journal des événements',  # [S] 4b
        'fw.RemoteEventLogSvc-NP-In-TCP': 'Gestion à distance de journal des événements (NP-Entrée)',  # [S] 4b
        'fw.RemoteEventLogSvc-In-TCP': 'Gestion du journal des événements à distance (RPC)',  # [S] 4b, unconfirmed
        'fw.RemoteEventLogSvc-RPCSS-In-TCP': 'Gestion des journaux des événements à distance (RPC-EPMAP)',  # [S] 4b
        'fwgroup.@FirewallAPI.dll,-28502': 'Partage de fichiers et d\u2019imprimantes',  # [I] from the rule name
        'fw.FPS-SMB-In-TCP': 'Partage de fichiers et d\u2019imprimantes (SMB-Entrée)',  # [S] 4b, U+2019
    },
}


def check_language(language: str) -> str:
    """Return the canonical spelling of a supported language tag or raise ValueError."""
    for known in LANGUAGES:
        if known.casefold() == str(language).casefold():
            return known
    raise ValueError('winsim: unsupported language %r (supported: %s)' % (language, ', '.join(LANGUAGES)))


def text(language: str, key: str, default: str | None = None) -> str | None:
    """Localized string for key; en-US when the language has no entry; default when neither has."""
    return _TEXT.get(language, {}).get(key) or _TEXT['en-US'].get(key) or default


def builtin_prefix(language: str) -> str:
    return text(language, 'prefix.builtin') or 'BUILTIN'


def nt_authority_prefix(language: str) -> str:
    return text(language, 'prefix.nt_authority') or 'NT AUTHORITY'


def well_known_name(language: str, sid: str) -> str | None:
    """Localized name of a well-known or builtin SID (without prefix), None when not well known."""
    return text(language, 'sid.' + sid)


def firewall_display_name(language: str, rule_name: str, english: str) -> str:
    return text(language, 'fw.' + rule_name, english) or english


def firewall_display_group(language: str, group: str, english: str) -> str:
    return text(language, 'fwgroup.' + group, english) or english
