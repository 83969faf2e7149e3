# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Active Directory over LDAP, as System.DirectoryServices reaches it: an attribute of an object
(rootDSE included) through DirectoryEntry.RefreshCache, DirectorySearcher.FindAll, DirectoryEntry.Exists,
and the DACL of an object (ObjectSecurity with SecurityMasks.Dacl, read and written).

The directory is built from the domain state at every call, so every DC holds the same data (the lab
has no replication delay) [I: a single-domain forest, so the configuration partition is named after
the domain]:
    <domain DN>                                   domainDNS
    CN=Users, CN=Computers, CN=System, CN=Builtin, OU=Domain Controllers, CN=Configuration, CN=Partitions
    the domain's accounts                         users and groups in CN=Users, builtin groups in CN=Builtin,
                                                  computers in CN=Computers or, for a DC (a member of Domain
                                                  Controllers), in OU=Domain Controllers with primaryGroupID 516
    CN=<NetBIOS>,CN=Partitions,CN=Configuration   the domain's crossRef (nCName, nETBIOSName, dnsRoot)
    domain['ad_objects']                          objects with a stored DACL (CN=MicrosoftDNS,CN=System,<DN>);
                                                  an entry with caller_read_control: false is one the account
                                                  running the module may not read the security descriptor of
Binding (the server part of an ADsPath, 'LDAP://<server>/<DN>'):
    none, or the domain's DNS or NetBIOS name      the DC locator: this computer when it is a working DC, else
                                                  another working DC of its domain; none (or a computer in no
                                                  domain): 0x8007054B ERROR_NO_SUCH_DOMAIN
    a DC's host name (NetBIOS or DNS)             that DC; 0x8007203A when it is not a DC, is down
                                                  (faults unreachable, directory_unreadable) or unknown
    a DN that names no object                     0x80072030 LDAP_NO_SUCH_OBJECT
Read-only domain controllers (computers in Read-only Domain Controllers, primaryGroupID 521) answer reads like
any DC; their rootDSE lists LDAP_CAP_ACTIVE_DIRECTORY_PARTIAL_SECRETS_OID in supportedCapabilities (MS-ADTS
3.1.1.3.4.3), and a write bound to one fails with 0x8007202B ERROR_DS_REFERRAL, since an RODC refers every
originating write to a writable DC (learn.microsoft.com windows-server/identity/ad-ds/deploy/rodc/
read-only-domain-controller-updates) [I: ADSI does not chase the referral of a modify]. A serverless bind locates
any DC (an RODC too); Domain.FindDomainController(WriteableRequired) only writable ones.
An ADsPath escapes '/' inside the DN as '\\/'. DNs compare without regard to case and to blanks around
commas. Error texts are FormatMessage's for the HRESULT (the fakes add the CRLF it ends with).
https://learn.microsoft.com/windows/win32/adsi/ldap-adspath
https://learn.microsoft.com/windows/win32/adsi/win32-error-codes-for-adsi
https://learn.microsoft.com/windows/win32/adsi/rootdse
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from .. import defaults as d
from .. import faults as f
from ..context import Context
from . import ApiError, access_denied, operation, write


def _hresult(value: int) -> int:
    """The HRESULT as .NET's Exception.HResult holds it (a signed 32-bit int)."""
    return value - (1 << 32) if value & 0x80000000 else value


# (HRESULT, FormatMessage text of its Win32 code): windows-api.md 8, learn.microsoft.com adsi/win32-error-codes.
SERVER_NOT_OPERATIONAL = (0x8007203A, 'The server is not operational.')
NO_SUCH_DOMAIN = (0x8007054B, 'The specified domain either does not exist or could not be contacted.')
NO_SUCH_OBJECT = (0x80072030, 'There is no such object on the server.')
INVALID_DN_SYNTAX = (0x80072032, 'An invalid dn syntax has been specified.')
# E_ADS_BAD_PATHNAME: ADSI's own code, which FormatMessage does not know (DirectoryServices' DSUnknown text).
BAD_PATHNAME = (0x80005000, 'Unknown error (0x80005000)')
# DirectorySearcher: ArgumentException(SR.DSInvalidSearchFilter) when ADSI answers 0x8007203E (dotnet/runtime
# System.DirectoryServices Strings.resx 'The {0} search filter is invalid.', {0} the filter with its parentheses).
INVALID_FILTER = 'The %s search filter is invalid.'
# ObjectSecurity.SetSecurityDescriptorSddlForm: ArgumentException of the SDDL conversion (RawSecurityDescriptor).
INVALID_SDDL = 'The SDDL form of a security descriptor object is invalid.'
# ERROR_DS_REFERRAL (8235): what a write to an RODC returns (learn.microsoft.com adsi/win32-error-codes-for-adsi).
REFERRAL = (0x8007202B, 'A referral was returned from the server.')
# LDAP_OPERATIONS_ERROR -> ERROR_DS_OPERATIONS_ERROR (8224, learn.microsoft.com adsi/win32-error-codes-for-adsi):
# Active Directory answers every operation of an anonymous connection but a bind and a rootDSE read with it
# (learn.microsoft.com troubleshoot/windows-server/identity/anonymous-ldap-operations-active-directory-disabled).
# A logon without network credentials reaches another machine's LDAP anonymously: the second hop
# (learn.microsoft.com powershell/scripting/security/remoting/ps-remoting-second-hop).
OPERATIONS_ERROR = (0x80072020, 'An operations error occurred.')
# rootDSE supportedCapabilities of a Windows Server 2012 R2 or later DC (MS-ADTS 3.1.1.3.4.3); an RODC adds
# LDAP_CAP_ACTIVE_DIRECTORY_PARTIAL_SECRETS_OID.
DC_CAPABILITIES = ('1.2.840.113556.1.4.800', '1.2.840.113556.1.4.1670', '1.2.840.113556.1.4.1791',
                   '1.2.840.113556.1.4.1935', '1.2.840.113556.1.4.2080', '1.2.840.113556.1.4.2237')
RODC_CAPABILITY = '1.2.840.113556.1.4.1920'
# Domain.FindDomainController when the locator finds no DC that fits: ActiveDirectoryObjectNotFoundException
# (learn.microsoft.com dotnet/api/system.directoryservices.activedirectory.domain.finddomaincontroller)
# [I: the message text].
NO_WRITABLE_DC = 'A domain controller could not be found that matches the specified criteria.'

PRIMARY_GROUP_DC = d.RID_DOMAIN_CONTROLLERS           # 516: writable domain controllers
PRIMARY_GROUP_RODC = d.RID_READ_ONLY_DOMAIN_CONTROLLERS   # 521: read-only domain controllers
PRIMARY_GROUP_COMPUTER = d.RID_DOMAIN_COMPUTERS       # 515
PRIMARY_GROUP_USER = d.RID_DOMAIN_USERS               # 513
# objectCategory=<class> in a filter: AD reads the class's defaultObjectCategory (user -> Person).
CATEGORY_OF_CLASS = {'computer': 'Computer', 'user': 'Person', 'person': 'Person', 'group': 'Group',
                     'domaindns': 'Domain-DNS', 'crossref': 'Cross-Ref', 'container': 'Container',
                     'organizationalunit': 'Organizational-Unit'}
# Attributes whose values are DNs (compared as DNs).
DN_ATTRIBUTES = frozenset({'distinguishedname', 'objectcategory', 'ncname', 'defaultnamingcontext',
                           'configurationnamingcontext', 'rootdomainnamingcontext', 'schemanamingcontext'})
INTEGER_ATTRIBUTES = frozenset({'primarygroupid'})


def _error(kind: str, code: tuple[int, str], **data: Any) -> ApiError:
    return ApiError(kind, code[1], hresult=_hresult(code[0]), **data)


# ----------------------------------------------------------------------------------------- DNs
def dn_key(dn: str) -> str:
    """A DN for comparison: no blanks around the separating commas, case folded."""
    parts = _split_dn(dn.strip())
    return ','.join(p.strip() for p in parts).casefold()


def _split_dn(dn: str) -> list[str]:
    """The RDNs of a DN, split at commas that are not escaped with a backslash (RFC 4514)."""
    parts, current, escaped = [], [], False
    for char in dn:
        if escaped:
            current.append(char)
            escaped = False
        elif char == '\\':
            current.append(char)
            escaped = True
        elif char == ',':
            parts.append(''.join(current))
            current = []
        else:
            current.append(char)
    parts.append(''.join(current))
    return parts


def _rdn_value(text: str) -> str:
    """An attribute value escaped for an RDN (RFC 4514 section 2.4)."""
    escaped = re.sub(r'([,+"\\<>;=])', r'\\\1', text)
    if escaped.startswith((' ', '#')):
        escaped = '\\' + escaped
    if escaped.endswith(' '):
        escaped = escaped[:-1] + '\\ '
    return escaped


# ----------------------------------------------------------------------------------------- the directory
def _object(dn: str, classes: list[str], category: str, domain_dn: str, **attributes: Any) -> dict[str, Any]:
    values: dict[str, list[Any]] = {
        'distinguishedname': [dn],
        'objectclass': ['top'] + classes,
        'objectcategory': ['CN=%s,CN=Schema,CN=Configuration,%s' % (category, domain_dn)],
        'name': [_split_dn(dn)[0].split('=', 1)[1]],
    }
    for name, value in attributes.items():
        values[name.lower()] = value if isinstance(value, list) else [value]
    return {'dn': dn, 'attributes': values}


def _dc_members(domain: dict[str, Any]) -> set[str]:
    """SIDs of the writable DCs' computer accounts."""
    group = domain['accounts'].get('%s-%d' % (domain['sid'], d.RID_DOMAIN_CONTROLLERS)) or {}
    return set(group.get('members') or [])


def _rodc_members(domain: dict[str, Any]) -> set[str]:
    """SIDs of the read-only DCs' computer accounts."""
    group = domain['accounts'].get('%s-%d' % (domain['sid'], d.RID_READ_ONLY_DOMAIN_CONTROLLERS)) or {}
    return set(group.get('members') or [])


def directory_objects(domain: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object of the domain's directory, as the module docstring lays them out."""
    dn = domain['dn']
    objects = [
        _object(dn, ['domain', 'domainDNS'], 'Domain-DNS', dn, objectSid=domain['sid']),
        _object('CN=Users,' + dn, ['container'], 'Container', dn),
        _object('CN=Computers,' + dn, ['container'], 'Container', dn),
        _object('CN=System,' + dn, ['container'], 'Container', dn),
        _object('CN=Builtin,' + dn, ['builtinDomain'], 'Builtin-Domain', dn),
        _object('OU=Domain Controllers,' + dn, ['organizationalUnit'], 'Organizational-Unit', dn),
        _object('CN=Configuration,' + dn, ['configuration'], 'Configuration', dn),
        _object('CN=Partitions,CN=Configuration,' + dn, ['crossRefContainer'], 'Cross-Ref-Container', dn),
        _object('CN=%s,CN=Partitions,CN=Configuration,%s' % (_rdn_value(domain['netbios']), dn), ['crossRef'],
                'Cross-Ref', dn, nCName=dn, nETBIOSName=domain['netbios'], dnsRoot=domain['dns_name'],
                systemFlags=3),
    ]
    controllers, read_only = _dc_members(domain), _rodc_members(domain)
    for sid, account in domain['accounts'].items():
        kind, name = account.get('type'), account['name']
        if kind == 'computer':
            host = name.rstrip('$')
            is_dc = sid in controllers or sid in read_only
            parent = ('OU=Domain Controllers,' if is_dc else 'CN=Computers,') + dn
            primary = PRIMARY_GROUP_RODC if sid in read_only else PRIMARY_GROUP_DC if is_dc else PRIMARY_GROUP_COMPUTER
            objects.append(_object(
                'CN=%s,%s' % (_rdn_value(host), parent), ['person', 'organizationalPerson', 'user', 'computer'],
                'Computer', dn, objectSid=sid, sAMAccountName=name,
                dNSHostName='%s.%s' % (host.lower(), domain['dns_name']),
                primaryGroupID=primary))
        elif kind == 'user':
            objects.append(_object('CN=%s,CN=Users,%s' % (_rdn_value(name), dn),
                                   ['person', 'organizationalPerson', 'user'], 'Person', dn,
                                   objectSid=sid, sAMAccountName=name, primaryGroupID=PRIMARY_GROUP_USER))
        else:
            objects.append(_object('CN=%s,CN=Users,%s' % (_rdn_value(name), dn), ['group'], 'Group', dn,
                                   objectSid=sid, sAMAccountName=name))
    for sid, group in (domain.get('groups') or {}).items():
        parent = 'CN=Builtin,' if sid.startswith('S-1-5-32-') else 'CN=Users,'
        objects.append(_object('CN=%s,%s%s' % (_rdn_value(group['name']), parent, dn), ['group'], 'Group', dn,
                               objectSid=sid, sAMAccountName=group['name']))
    known = {dn_key(o['dn']) for o in objects}
    for key, entry in (domain.get('ad_objects') or {}).items():
        if dn_key(key) not in known:
            objects.append(_object(key, ['container'], 'Container', dn, uSNChanged=object_usn(entry)))
            known.add(dn_key(key))
    return objects


# The USN a seeded object was last changed at; every DACL write takes the domain's next one. A real DC keeps
# its own USN space (uSNChanged differs per replica), which is why the module pins one DC.
# https://learn.microsoft.com/windows/win32/adschema/a-usnchanged
SEEDED_USN = 12000


def object_usn(entry: dict[str, Any]) -> int:
    return int(entry.get('usn') or SEEDED_USN)


def bump_usn(domain: dict[str, Any], entry: dict[str, Any]) -> None:
    """What a write to the object does to its uSNChanged: the DC's highest committed USN plus one."""
    domain['highest_usn'] = max(int(domain.get('highest_usn') or SEEDED_USN), object_usn(entry)) + 1
    entry['usn'] = domain['highest_usn']


def _rootdse(domain: dict[str, Any], server: str) -> dict[str, Any]:
    """The rootDSE of a DC of the domain (learn.microsoft.com adsi/rootdse: the attributes read)."""
    dn = domain['dn']
    return {'dn': '', 'attributes': {
        'defaultnamingcontext': [dn],
        'rootdomainnamingcontext': [dn],
        'configurationnamingcontext': ['CN=Configuration,' + dn],
        'schemanamingcontext': ['CN=Schema,CN=Configuration,' + dn],
        'dnshostname': [server],
        'namingcontexts': [dn, 'CN=Configuration,' + dn, 'CN=Schema,CN=Configuration,' + dn],
        'supportedcapabilities': list(DC_CAPABILITIES) + ([RODC_CAPABILITY] if server in read_only_controllers(domain)
                                                          else []),
    }}


# ----------------------------------------------------------------------------------------- binding
def _dns_names(domain: dict[str, Any], sids: set[str]) -> list[str]:
    names = (a['name'].rstrip('$').lower() for s, a in domain['accounts'].items() if s in sids)
    return sorted('%s.%s' % (n, domain['dns_name']) for n in names)


def _domain_controllers(domain: dict[str, Any]) -> list[str]:
    """DNS host names of the domain's DCs, writable and read-only, sorted."""
    return _dns_names(domain, _dc_members(domain) | _rodc_members(domain))


def read_only_controllers(domain: dict[str, Any]) -> list[str]:
    """DNS host names of the domain's read-only DCs."""
    return _dns_names(domain, _rodc_members(domain))


def dc_answers(ctx: Context, fqdn: str) -> bool:
    """Whether the DC of that DNS name answers LDAP (this host, or a lab peer; one outside the lab does)."""
    if fqdn == (ctx.host.get('fqdn') or '').lower():
        state = ctx.host
    else:
        state = next((p for p in ctx.peers().values() if (p.get('fqdn') or '').lower() == fqdn), None)
        if state is None:
            return True
    faults = state.get('faults') or {}
    return not (faults.get('unreachable') or f.directory_unreadable(faults))


def locate_dc(ctx: Context, domain: dict[str, Any], writable: bool = False) -> str | None:
    """The DC a serverless bind reaches (DsGetDcName): this host when it is one, else the first that answers;
    with writable, only writable DCs (DS_WRITABLE_REQUIRED)."""
    own = (ctx.host.get('fqdn') or '').lower()
    fitting = [c for c in _domain_controllers(domain) if not (writable and c in read_only_controllers(domain))]
    candidates = ([own] if own in fitting else []) + [c for c in fitting if c != own]
    return next((c for c in candidates if dc_answers(ctx, c)), None)


def refuse_anonymous(ctx: Context, server: str, dn: str) -> None:
    """The operations error of an anonymous connection: this host asks another DC as a logon without network
    credentials (fault no_network_credentials) for anything but the rootDSE. A DC asking itself is local."""
    if (f.no_network_credentials(ctx.faults) and server != (ctx.host.get('fqdn') or '').lower()
            and dn.casefold() != 'rootdse'):
        raise _error('access_denied', OPERATIONS_ERROR)


def _bind(ctx: Context, path: str) -> tuple[dict[str, Any], str, str]:
    """(domain, server's DNS name, DN) of an ADsPath; the errors of ADsOpenObject when it does not bind."""
    match = re.match(r'^LDAP://(?:([^/=]+)/)?(.*)$', str(path or ''), re.IGNORECASE)
    if not match:
        raise _error('invalid', BAD_PATHNAME)
    server, dn = (match.group(1) or '').strip(), match.group(2).replace('\\/', '/')
    if match.group(1) is None and '=' not in dn and dn.casefold() != 'rootdse' and dn:
        server, dn = dn, ''           # 'LDAP://server' alone
    domain = ctx.domain
    folded = server.casefold().rstrip('.')
    if not folded or (domain is not None and folded in (domain['dns_name'].casefold(), domain['netbios'].casefold())):
        if domain is None:
            raise _error('not_found', NO_SUCH_DOMAIN)
        chosen = locate_dc(ctx, domain)
        if chosen is None:
            raise _error('not_found', NO_SUCH_DOMAIN)
        refuse_anonymous(ctx, chosen, dn)
        return domain, chosen, dn
    if domain is None:
        raise _error('not_found', SERVER_NOT_OPERATIONAL)
    for fqdn in _domain_controllers(domain):
        if folded in (fqdn, fqdn.split('.', 1)[0]):
            if not dc_answers(ctx, fqdn):
                raise _error('not_found', SERVER_NOT_OPERATIONAL)
            refuse_anonymous(ctx, fqdn, dn)
            return domain, fqdn, dn
    raise _error('not_found', SERVER_NOT_OPERATIONAL)


def _find(domain: dict[str, Any], server: str, dn: str) -> dict[str, Any]:
    """The object a bound DN names (the rootDSE for 'RootDSE', the domain head for an empty DN)."""
    if dn.casefold() == 'rootdse':
        return _rootdse(domain, server)
    if not dn:
        dn = domain['dn']
    if any('=' not in part for part in _split_dn(dn)):
        raise _error('invalid', INVALID_DN_SYNTAX)
    wanted = dn_key(dn)
    found = next((o for o in directory_objects(domain) if dn_key(o['dn']) == wanted), None)
    if found is None:
        raise _error('not_found', NO_SUCH_OBJECT)
    return found


# ----------------------------------------------------------------------------------------- filters
class _Filter:
    """An RFC 4515 search filter: (&...), (|...), (!...), attr=value, attr=*, attr=a*b*c, attr>=/<=value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tree = self._filter()
        if self.pos != len(text):
            raise self._invalid()

    def _invalid(self) -> ApiError:
        return ApiError('invalid', INVALID_FILTER % self.text)

    def _filter(self) -> tuple[Any, ...]:
        if self.text[self.pos:self.pos + 1] != '(':
            raise self._invalid()
        self.pos += 1
        char = self.text[self.pos:self.pos + 1]
        if char in ('&', '|'):
            self.pos += 1
            items = []
            while self.text[self.pos:self.pos + 1] == '(':
                items.append(self._filter())
            node: tuple[Any, ...] = (char, items)
        elif char == '!':
            self.pos += 1
            node = ('!', self._filter())
        else:
            node = self._item()
        if self.text[self.pos:self.pos + 1] != ')':
            raise self._invalid()
        self.pos += 1
        return node

    def _item(self) -> tuple[Any, ...]:
        end = self.text.find(')', self.pos)
        if end < 0:
            raise self._invalid()
        body = self.text[self.pos:end]
        match = re.match(r'^([A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(=|>=|<=|~=)(.*)$', body, re.DOTALL)
        if not match or '(' in match.group(3):
            if ':' in body.split('=', 1)[0]:
                raise ApiError('winsim', 'winsim models no extensible-match LDAP filters: %r' % self.text)
            raise self._invalid()
        self.pos = end
        attribute, operator, raw = match.group(1).lower(), match.group(2), match.group(3)
        if operator == '=' and raw == '*':
            return ('present', attribute)
        if operator == '=' and '*' in raw:
            return ('substring', attribute, [self._value(p) for p in raw.split('*')])
        return (operator, attribute, self._value(raw))

    def _value(self, raw: str) -> str:
        """An assertion value with its \\XX escapes decoded; a bare backslash or '*' is invalid."""
        data = bytearray()
        i = 0
        while i < len(raw):
            char = raw[i]
            if char == '\\':
                pair = raw[i + 1:i + 3]
                if not re.match(r'^[0-9A-Fa-f]{2}$', pair):
                    raise self._invalid()
                data.append(int(pair, 16))
                i += 3
            elif char == '*':
                raise self._invalid()
            else:
                data.extend(char.encode('utf-8'))
                i += 1
        try:
            return data.decode('utf-8')
        except UnicodeDecodeError:
            raise self._invalid() from None


def _values_equal(attribute: str, stored: Any, wanted: str) -> bool:
    if attribute in INTEGER_ATTRIBUTES:
        try:
            return int(stored) == int(wanted)
        except ValueError:
            return False
    if attribute == 'objectcategory' and '=' not in wanted:
        category = CATEGORY_OF_CLASS.get(wanted.casefold(), wanted)
        return _split_dn(str(stored))[0].casefold() == ('CN=' + category).casefold()
    if attribute in DN_ATTRIBUTES:
        return dn_key(str(stored)) == dn_key(wanted)
    return str(stored).casefold() == wanted.casefold()


def _matches(node: tuple[Any, ...], attributes: dict[str, list[Any]]) -> bool:
    kind = node[0]
    if kind == '&':
        return all(_matches(n, attributes) for n in node[1])
    if kind == '|':
        return any(_matches(n, attributes) for n in node[1])
    if kind == '!':
        return not _matches(node[1], attributes)
    values = attributes.get(node[1]) or []
    if kind == 'present':
        return bool(values)
    if kind == 'substring':
        parts = [re.escape(p.casefold()) for p in node[2]]
        pattern = re.compile('^' + '.*'.join(parts) + '$', re.DOTALL)
        return any(pattern.match(str(v).casefold()) for v in values)
    if kind in ('=', '~='):
        return any(_values_equal(node[1], v, node[2]) for v in values)
    for value in values:
        if node[1] in INTEGER_ATTRIBUTES:
            left, right = int(value), int(node[2])
        else:
            left, right = str(value).casefold(), node[2].casefold()
        if (kind == '>=' and left >= right) or (kind == '<=' and left <= right):
            return True
    return False


def _subtree(domain: dict[str, Any], base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    suffix = dn_key(base['dn'])
    for obj in directory_objects(domain):
        key = dn_key(obj['dn'])
        if key == suffix or key.endswith(',' + suffix):
            yield obj


# ----------------------------------------------------------------------------------------- operations
@operation('Ldap.ReadAttribute')
def read_attribute(ctx: Context, args: dict[str, Any]) -> list[str]:
    """new DirectoryEntry(path).RefreshCache([name]) then .Properties[name]: the attribute's values (none when
    the object has no value); the bind errors of ADsOpenObject.
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.refreshcache"""
    domain, server, dn = _bind(ctx, args.get('path'))
    obj = _find(domain, server, dn)
    return [str(v) for v in obj['attributes'].get(str(args.get('name') or '').lower(), [])]


@operation('Ldap.FindAll')
def find_all(ctx: Context, args: dict[str, Any]) -> list[dict[str, list[str]]]:
    """new DirectorySearcher(new DirectoryEntry(path), filter, properties).FindAll() (subtree scope): for each
    match, its requested attributes {lowercased name: [values]} (SearchResult.Properties); the bind errors of
    ADsOpenObject, or ArgumentException 'The <filter> search filter is invalid.' (kind invalid).
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directorysearcher.findall"""
    domain, server, dn = _bind(ctx, args.get('path'))
    base = _find(domain, server, dn)
    tree = _Filter(str(args.get('filter') or '(objectClass=*)')).tree
    wanted = [str(p).lower() for p in args.get('properties') or []]
    results = []
    for obj in _subtree(domain, base):
        if _matches(tree, obj['attributes']):
            names = wanted or list(obj['attributes'])
            results.append({n: [str(v) for v in obj['attributes'][n]] for n in names if obj['attributes'].get(n)})
    return results


@operation('Ldap.Exists')
def exists(ctx: Context, args: dict[str, Any]) -> bool:
    """DirectoryEntry.Exists(path): False for 0x80072030 (no such object), the bind's error otherwise.
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.exists"""
    try:
        domain, server, dn = _bind(ctx, args.get('path'))
        _find(domain, server, dn)
    except ApiError as exc:
        if exc.data.get('hresult') == _hresult(NO_SUCH_OBJECT[0]):
            return False
        raise
    return True


def _stored(ctx: Context, path: Any, method: str) -> dict[str, Any]:
    """The ad_objects entry a bound path names; the bind's error with the .NET method that binds."""
    try:
        domain, server, dn = _bind(ctx, path)
        _find(domain, server, dn)
    except ApiError as exc:
        exc.data.setdefault('method', method)
        raise
    wanted = dn_key(dn or domain['dn'])
    entry = next((o for k, o in (domain.get('ad_objects') or {}).items() if dn_key(k) == wanted), None)
    if entry is None:
        raise ApiError('winsim', 'winsim models the security descriptor of the ad_objects of the domain state only, '
                                 'not of %r' % dn)
    return entry


@operation('Ldap.ReadDacl')
def read_dacl(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """DirectoryEntry(path) with Options.SecurityMasks = Dacl, then ObjectSecurity
    .GetSecurityDescriptorSddlForm(Access): {'sddl': the DACL}. {'sddl': None} when Active Directory leaves
    nTSecurityDescriptor out because the caller may not read it (ObjectSecurity is then $null,
    windows-api.md 8 and R1: no error). Binding errors come from Options (method get_Options).
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.objectsecurity"""
    entry = _stored(ctx, args.get('path'), 'get_Options')
    if entry.get('caller_read_control') is False:
        return {'sddl': None}
    return {'sddl': entry['sddl']}


def _dacl_part(sddl: str) -> str:
    """The DACL section of an SDDL string, as SetSecurityDescriptorSddlForm(sddl, Access) takes it."""
    sections = list(re.finditer(r'([OGDS]):', sddl))
    if not sddl or not sections or sections[0].start() != 0:
        raise ApiError('invalid', INVALID_SDDL, method='SetSecurityDescriptorSddlForm', count=2)
    for i, section in enumerate(sections):
        end = sections[i + 1].start() if i + 1 < len(sections) else len(sddl)
        if section.group(1) == 'D':
            body = sddl[section.end():end]
            if not re.match(r'^[A-Z_]*(\([^()]*\))*$', body):
                raise ApiError('invalid', INVALID_SDDL, method='SetSecurityDescriptorSddlForm', count=2)
            return 'D:' + body
    raise ApiError('winsim', 'winsim models writing a DACL, not an SDDL without one: %r' % sddl)


@operation('Ldap.WriteDacl')
def write_dacl(ctx: Context, args: dict[str, Any]) -> None:
    """DirectoryEntry(path) with Options.SecurityMasks = Dacl, ObjectSecurity set to an ActiveDirectorySecurity
    holding the SDDL's DACL, CommitChanges(): only the DACL is replaced (the SD flags control). Access denied
    (0x80070005) and no such object come from CommitChanges; an invalid SDDL from SetSecurityDescriptorSddlForm.
    https://learn.microsoft.com/dotnet/api/system.directoryservices.directoryentry.commitchanges"""
    entry = _stored(ctx, args.get('path'), 'get_Options')
    dacl = _dacl_part(str(args.get('sddl') or ''))
    domain, server, _dn = _bind(ctx, args.get('path'))
    if server in read_only_controllers(domain):
        raise _error('invalid', REFERRAL, method='CommitChanges')
    try:
        write(ctx, 'DACL of %s' % args.get('path'))
    except ApiError as exc:
        if exc.kind == 'access_denied':
            raise access_denied_on_commit(ctx) from None
        raise
    entry['sddl'] = dacl
    bump_usn(ctx.domain, entry)


@operation('Ldap.FindWritableDc')
def find_writable_dc(ctx: Context, args: dict[str, Any]) -> str:
    """Domain.GetComputerDomain().FindDomainController(LocatorOptions.WriteableRequired).Name: the DNS name of a
    writable DC of the computer's domain (this one when it is writable). Off a domain, and when no writable DC
    answers, ActiveDirectoryObjectNotFoundException (kind not_found).
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.domain.getcomputerdomain
    https://learn.microsoft.com/dotnet/api/system.directoryservices.activedirectory.locatoroptions"""
    domain = ctx.domain
    if domain is None:
        raise ApiError('not_found', 'The local computer is not joined to a domain or the domain cannot be contacted.')
    found = locate_dc(ctx, domain, writable=True)
    if found is None:
        raise ApiError('not_found', NO_WRITABLE_DC)
    return found


def access_denied_on_commit(ctx: Context) -> ApiError:
    """LDAP_INSUFFICIENT_RIGHTS as ADSI reports it: 0x80070005 (windows-api.md 8), from CommitChanges."""
    error = access_denied(ctx)
    error.data['method'] = 'CommitChanges'
    return error
