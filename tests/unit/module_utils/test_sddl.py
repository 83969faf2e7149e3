# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the SDDL engine on real Windows strings (docs/windows-defaults.md of the shared reference)."""
from __future__ import annotations

import pytest

from ansible_collections.ipam.provisioning.plugins.module_utils import sddl
from ansible_collections.ipam.provisioning.plugins.module_utils.sddl import SddlError

IPAM_SID = 'S-1-5-21-1-2-3-1105'
SERVICE_READ_ACE = '(A;;CCLCSWLOCRRC;;;%s)' % IPAM_SID
DOMAIN_SID = 'S-1-5-21-669053619-2741956077-1013132368'

# Real values, copied as published (see the reference file for sources).
DNS_DC = ('D:(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'
          '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SO)(A;;RPWP;;;S-1-5-21-669053619-2741956077-1013132368-1109)'
          'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
SCMANAGER = 'D:(A;;CC;;;AU)(A;;CCLCRPRC;;;IU)(A;;CCLCRPRC;;;SU)(A;;CCLCRPWPRC;;;SY)(A;;KA;;;BA)S:(AU;FA;KA;;;WD)(AU;OIIOFA;GA;;;WD)'
SCMANAGER_AC = ('D:(A;;CC;;;AU)(A;;CCLCRPRC;;;IU)(A;;CCLCRPRC;;;SU)(A;;CCLCRPWPRC;;;SY)(A;;KA;;;BA)(A;;CC;;;AC)'
                '(A;;CC;;;S-1-15-3-1024-528118966-3876874398-709513571-1907873084-3598227634-3698730060-278077788-3990600205)'
                'S:(AU;FA;KA;;;WD)(AU;OIIOFA;GA;;;WD)')
SCMANAGER_WEAK = 'D:(A;;KA;;;AU)(A;;CC;;;AU)(A;;CCLCRPRC;;;IU)(A;;CCLCRPRC;;;SU)(A;;CCLCRPWPRC;;;SY)(A;;KA;;;BA)S:(AU;FA;KA;;;WD)(AU;OIIOFA;GA;;;WD)'
SPOOLER = ('D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWRPWPDTLOCRRC;;;SY)'
           'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
SPOOLER_DACL = 'D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWRPWPDTLOCRRC;;;SY)'
WUAUSERV = ('D:(A;;CCLCSWRPLORC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)'
            'S:(AU;FA;CCDCLCSWRPWPDTLOSDRCWDWO;;;WD)')
DHCP_CLIENT = ('D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCLCSWRPWPDTLOCRRC;;;NO)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWRPLOCRRC;;;S-1-2-1)'
               '(A;;CCLCSWRPWPDTLOCRRC;;;SY)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
GENERIC_SERVICE = ('D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)'
                   'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
MSLLDP = ('D:(D;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BG)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPDTLOCRSDRCWDWO;;;BA)'
          '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SO)(A;;LCRPWP;;;S-1-5-80-3141615172-2057878085-1754447212-2405740020-3916490453)'
          '(A;;CCLCSWLOCRRC;;;SU)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
MS_TCPIP6 = ('D:(A;;CCLCSWLOCRRC;;;AU)(A;;CCLCSWRPLOCRRC;;;PU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SO)'
             '(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;0x40;;;LS)(A;;0x40;;;NS)(A;;CCLCSWRPWPDTLOCRRC;;;NO)')
KB914392_NO_D = ('(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;AU)'
                 '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;PU)(A;;CCDCLCSWLOCRRC;;;LS)')
CUSTOMSD_EXCHANGE = 'O:BAG:SYD:(A;;0xf0005;;;SY)(A;;0x5;;;BA)(A;;0x1;;;S-1-5-32-573)(A;;0x1;;;S-1-5-21-3081388108-1913582122-755921781-506353)'
CUSTOMSD_SECURITY = 'O:BAG:SYD:(A;;0xf0005;;;SY)(A;;0x5;;;BA)(A;;0x1;;;S-1-5-32-573)(A;;0x1;;;S-1-5-21-3589080292-3448680409-2446571098-1001)'
CUSTOMSD_WEF = 'O:BAG:SYD:(A;;0xf0005;;;SY)(A;;0x5;;;BA)(A;;0x1;;;S-1-5-32-573)(A;;0x1;;;S-1-5-20)'
CHANNEL_POWERSHELL = ('O:BAG:SYD:(A;;0x2;;;S-1-15-2-1)(A;;0x2;;;S-1-15-3-1024-3153509613-960666767-3724611135-2725662640-12138253-543910227'
                      '-1950414635-4190290187)(A;;0xf0007;;;SY)(A;;0x7;;;BA)(A;;0x7;;;SO)(A;;0x3;;;IU)(A;;0x3;;;SU)(A;;0x3;;;S-1-5-3)'
                      '(A;;0x3;;;S-1-5-33)(A;;0x1;;;S-1-5-32-573)')
KB323076 = ('O:BAG:SYD:(D;; 0xf0007 ;;;AN)(D;; 0xf0007 ;;;BG)(A;; 0xf0007 ;;;SY)(A;; 0x5 ;;;BA)(A;; 0x7 ;;;SO)(A;; 0x3 ;;;IU)'
            '(A;; 0x2 ;;;BA)(A;; 0x2 ;;;LS)(A;; 0x2 ;;;NS)')
SYSTEM_LOG_DEFAULT = ('O:BAG:SYD:(A;;0xf0007;;;SY)(A;;0x7;;;BA)(A;;0x3;;;BO)(A;;0x5;;;SO)(A;;0x1;;;IU)(A;;0x3;;;SU)(A;;0x1;;;S-1-5-3)'
                      '(A;;0x2;;;S-1-5-33)(A;;0x1;;;S-1-5-32-573)')
REGISTRY_INHERITED = ('O:SYG:SYD:AI(A;CIID;KR;;;BU)(A;CIID;KA;;;BA)(A;CIID;KA;;;SY)(A;CIIOID;KA;;;CO)(A;CIID;KR;;;AC)'
                      '(A;CIID;KR;;;S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681)S:AI')
WINDOWSAPPS = ('O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:PAI'
               '(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)'
               '(A;OICIIO;GA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)'
               '(A;;0x1200a9;;;S-1-15-3-1024-3635283841-2530182609-996808640-1887759898-3848208603-3313616867-983405619-2501854204)'
               '(A;OICIIO;GXGR;;;S-1-15-3-1024-3635283841-2530182609-996808640-1887759898-3848208603-3313616867-983405619-2501854204)'
               '(A;;FA;;;SY)(A;OICIIO;GA;;;SY)(A;CI;0x1200a9;;;BA)(A;OICI;0x1200a9;;;LS)(A;OICI;0x1200a9;;;NS)(A;OICI;0x1200a9;;;RC)'
               '(XA;;0x1200a9;;;BU;(Exists WIN://SYSAPPID))')
WINDOWSAPPS_TEMPLATE_ACE = '(XA;OICI;0x1200a9;;;BU;(WIN://SYSAPPID Contains "{0}{1}"))'
# The published example is the prefix and, on the next line, one ACE of a longer descriptor; joined here.
AD_OBJECT = ('O:DAG:DAD:AI(A;;SDRCWDWOCCDCLCSWRPWPDTLOCR;;;SY)(A;;RCWDWOCCDCLCSWRPWPLOCR;;;DA)'
             '(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)'
             '(OA;CIIOID;RP;4c164200-20c0-11d0-a768-00aa006e0529;4828cc14-1437-45bc-9b07-ad6f015e5f28;RU)')
DOC_CUSTOMSD_ACE = '(A;;0x1;;; S-1-5-21-319372935-2150250437-1932643794-1106)'

REAL = {
    'dns_dc': DNS_DC, 'scmanager': SCMANAGER, 'scmanager_ac': SCMANAGER_AC, 'scmanager_weak': SCMANAGER_WEAK,
    'spooler': SPOOLER, 'spooler_dacl': SPOOLER_DACL, 'wuauserv': WUAUSERV, 'dhcp_client': DHCP_CLIENT,
    'generic_service': GENERIC_SERVICE, 'mslldp': MSLLDP, 'ms_tcpip6': MS_TCPIP6, 'customsd_exchange': CUSTOMSD_EXCHANGE,
    'customsd_security': CUSTOMSD_SECURITY, 'customsd_wef': CUSTOMSD_WEF, 'channel_powershell': CHANNEL_POWERSHELL,
    'kb323076': KB323076, 'system_log_default': SYSTEM_LOG_DEFAULT, 'registry_inherited': REGISTRY_INHERITED,
    'windowsapps': WINDOWSAPPS, 'ad_object': AD_OBJECT,
}


def sacl_text(text: str) -> str:
    sd = sddl.parse(text)
    return text[sd.sacl.start:sd.sacl.end] if sd.sacl else ''


def assert_only_inserted(old: str, result: sddl.EditResult) -> None:
    start, end = result.span
    assert result.text[:start] == old[:start]
    assert result.text[end:] == old[start:]


# --- parsing -----------------------------------------------------------------------------------

@pytest.mark.parametrize('name', sorted(REAL))
def test_real_strings_parse_and_spans_cover_text(name):
    text = REAL[name]
    sd = sddl.parse(text)
    for ace in sd.aces:
        assert text[ace.start:ace.end] == ace.text
        assert ace.text.startswith('(') and ace.text.endswith(')')
    # Spans are contiguous: the ACE texts of each ACL make up the ACL after its flags.
    for acl in (sd.dacl, sd.sacl):
        if acl is not None:
            assert ''.join(a.text for a in acl.aces) == text[acl.aces_start:acl.end]


def test_dns_structure():
    sd = sddl.parse(DNS_DC)
    assert sd.owner is None and sd.group is None
    assert [a.trustee for a in sd.dacl.aces] == ['IU', 'SU', 'SY', 'BA', 'SO', 'S-1-5-21-669053619-2741956077-1013132368-1109']
    assert sd.dacl.aces[0].mask == 0x2018D
    assert sd.dacl.aces[0].sid == 'S-1-5-4'
    assert sd.dacl.aces[3].sid == 'S-1-5-32-544'
    audit = sd.sacl.aces[0]
    assert (audit.type, audit.flags, audit.sid, audit.section) == ('AU', frozenset({'FA'}), 'S-1-1-0', 'S')


def test_scmanager_capability_and_all_app_packages():
    sd = sddl.parse(SCMANAGER_AC)
    ac = [a for a in sd.dacl.aces if a.trustee == 'AC'][0]
    assert ac.sid == 'S-1-15-2-1'
    cap = sd.dacl.aces[-1]
    assert cap.sid.startswith('S-1-15-3-1024-528118966')
    assert sd.sacl.aces[1].flags == frozenset({'OI', 'IO', 'FA'})
    assert sd.sacl.aces[1].mask == 0x10000000


def test_hex_masks_mixed_with_letters():
    sd = sddl.parse(MS_TCPIP6)
    ls = [a for a in sd.dacl.aces if a.trustee == 'LS'][0]
    assert (ls.mask, ls.rights_text, ls.sid) == (0x40, '0x40', 'S-1-5-19')
    assert sddl.add_ace(MS_TCPIP6, '(A;;DT;;;S-1-5-19)').changed is False


def test_kb323076_spaced_masks_parse_and_keep_text():
    sd = sddl.parse(KB323076)
    assert [a.mask for a in sd.dacl.aces] == [0xF0007, 0xF0007, 0xF0007, 0x5, 0x7, 0x3, 0x2, 0x2, 0x2]
    assert sd.dacl.aces[0].rights_text == '0xf0007'
    assert sd.dacl.aces[0].text == '(D;; 0xf0007 ;;;AN)'
    result = sddl.add_ace(KB323076, '(A;;0x1;;;%s)' % IPAM_SID)
    assert result.text == KB323076 + '(A;;0x1;;;%s)' % IPAM_SID


def test_kb914392_form_without_dacl_marker_is_rejected():
    with pytest.raises(SddlError) as err:
        sddl.parse(KB914392_NO_D)
    assert err.value.offset == 0
    assert "'D:'" in str(err.value)


def test_sdshow_leading_blank_line_is_tolerated_and_kept():
    text = '\r\n' + DNS_DC + '\r\n'
    result = sddl.add_ace(text, SERVICE_READ_ACE)
    assert result.text == '\r\n' + DNS_DC.replace('S:(AU', SERVICE_READ_ACE + 'S:(AU') + '\r\n'


def test_conditional_ace():
    sd = sddl.parse(WINDOWSAPPS)
    xa = sd.dacl.aces[-1]
    assert (xa.type, xa.trustee, xa.mask, xa.extra) == ('XA', 'BU', 0x1200A9, '(Exists WIN://SYSAPPID)')
    assert sd.owner.sid == 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
    assert sd.group.text == 'SY' and sd.group.sid == 'S-1-5-18'
    assert sd.dacl.flags == frozenset({'P', 'AI'}) and sd.dacl.flags_text == 'PAI'
    template = sddl.parse_ace(WINDOWSAPPS_TEMPLATE_ACE)
    assert template.extra == '(WIN://SYSAPPID Contains "{0}{1}")'
    assert template.flags == frozenset({'OI', 'CI'})


def test_conditional_ace_with_parenthesis_inside_quotes():
    ace = sddl.parse_ace('(XA;;FA;;;WD;(@User.Title == "a)b;c(" && Member_of {SID(BA)}))')
    assert ace.extra == '(@User.Title == "a)b;c(" && Member_of {SID(BA)})'


def test_resource_attribute_ace_from_the_docs():
    sd = sddl.parse('S:(RA;CI;;;;S-1-1-0; ("Project",TS,0,"Windows","SQL"))')
    ra = sd.sacl.aces[0]
    assert (ra.type, ra.mask, ra.extra) == ('RA', 0, '("Project",TS,0,"Windows","SQL")')


def test_object_aces_and_domain_relative_aliases():
    sd = sddl.parse(AD_OBJECT)
    assert sd.owner.text == 'DA' and sd.owner.sid is None
    oa = sd.dacl.aces[2]
    assert (oa.type, oa.object_guid, oa.inherit_object_guid, oa.sid) == ('OA', 'bf967aba-0de6-11d0-a285-00aa003049e2', None, 'S-1-5-32-548')
    inherited = sd.dacl.aces[3]
    assert inherited.inherited and inherited.inherit_object_guid == '4828cc14-1437-45bc-9b07-ad6f015e5f28'
    assert sd.dacl.aces[1].sid is None
    sd = sddl.parse(AD_OBJECT, domain_sid=DOMAIN_SID)
    assert sd.owner.sid == DOMAIN_SID + '-512'
    assert sd.dacl.aces[1].sid == DOMAIN_SID + '-512'


def test_root_domain_and_machine_aliases():
    ace = sddl.parse_ace('(A;;CC;;;EA)', domain_sid='S-1-5-21-9-9-9')
    assert ace.sid is None  # Enterprise Admins live in the forest root domain
    assert sddl.parse_ace('(A;;CC;;;EA)', root_domain_sid='S-1-5-21-1-1-1').sid == 'S-1-5-21-1-1-1-519'
    assert sddl.parse_ace('(A;;CC;;;LA)', machine_sid='S-1-5-21-7-7-7').sid == 'S-1-5-21-7-7-7-500'
    assert sddl.parse_ace('(A;;CC;;;LG)').sid is None


@pytest.mark.parametrize('alias, sid', [
    ('SY', 'S-1-5-18'), ('BA', 'S-1-5-32-544'), ('BU', 'S-1-5-32-545'), ('BG', 'S-1-5-32-546'), ('PU', 'S-1-5-32-547'),
    ('AO', 'S-1-5-32-548'), ('SO', 'S-1-5-32-549'), ('PO', 'S-1-5-32-550'), ('BO', 'S-1-5-32-551'), ('RE', 'S-1-5-32-552'),
    ('RU', 'S-1-5-32-554'), ('RD', 'S-1-5-32-555'), ('NO', 'S-1-5-32-556'), ('MU', 'S-1-5-32-558'), ('LU', 'S-1-5-32-559'),
    ('IS', 'S-1-5-32-568'), ('CY', 'S-1-5-32-569'), ('ER', 'S-1-5-32-573'), ('RM', 'S-1-5-32-580'), ('WD', 'S-1-1-0'),
    ('AU', 'S-1-5-11'), ('AN', 'S-1-5-7'), ('IU', 'S-1-5-4'), ('SU', 'S-1-5-6'), ('NU', 'S-1-5-2'), ('LS', 'S-1-5-19'),
    ('NS', 'S-1-5-20'), ('CO', 'S-1-3-0'), ('CG', 'S-1-3-1'), ('OW', 'S-1-3-4'), ('PS', 'S-1-5-10'), ('RC', 'S-1-5-12'),
    ('ED', 'S-1-5-9'), ('AC', 'S-1-15-2-1'), ('WR', 'S-1-5-33'), ('LW', 'S-1-16-4096'), ('ME', 'S-1-16-8192'),
    ('MP', 'S-1-16-8448'), ('HI', 'S-1-16-12288'), ('SI', 'S-1-16-16384'), ('AA', 'S-1-5-32-579'), ('CD', 'S-1-5-32-574'),
    ('RA', 'S-1-5-32-575'), ('ES', 'S-1-5-32-576'), ('MS', 'S-1-5-32-577'), ('HA', 'S-1-5-32-578'), ('HO', 'S-1-5-32-584'),
    ('SH', 'S-1-5-32-585'), ('AS', 'S-1-18-1'), ('SS', 'S-1-18-2'), ('UD', 'S-1-5-84-0-0-0-0-0'),
])
def test_alias_table(alias, sid):
    assert sddl.resolve_trustee(alias) == sid
    assert sddl.resolve_trustee(alias.lower()) == sid


@pytest.mark.parametrize('alias, rid', [('DA', 512), ('DU', 513), ('DG', 514), ('DC', 515), ('DD', 516), ('CA', 517), ('PA', 520),
                                        ('CN', 522), ('AP', 525), ('KA', 526), ('RS', 553)])
def test_domain_alias_rids(alias, rid):
    assert sddl.resolve_trustee(alias) is None
    assert sddl.resolve_trustee(alias, domain_sid=DOMAIN_SID) == '%s-%d' % (DOMAIN_SID, rid)


def test_sid_normalisation():
    assert sddl.normalize_sid(' s-1-5-32-0544 ') == 'S-1-5-32-544'
    assert sddl.normalize_sid('S-1-0x000000000005-18') == 'S-1-5-18'
    assert sddl.parse_ace('(A;;CC;;;s-1-5-18)').sid == 'S-1-5-18'
    assert not sddl.is_sid('S-1-5')
    assert not sddl.is_sid('S-2-5-18')
    assert not sddl.is_sid('S-1-5-4294967296')


# --- corrupt strings ----------------------------------------------------------------------------

@pytest.mark.parametrize('text, offset, words', [
    ('', 0, 'empty'),
    ('   ', 0, 'empty'),
    ('D:(A;;CC;;;SY', 2, "missing ')'"),
    ('D:(A;;CC;;;SY)(A;;LC;;;BA', 14, "missing ')'"),
    ('D:(Q;;CC;;;SY)', 3, 'unknown ACE type'),
    ('D:(A;;CC;;;S-1-5-x)', 11, 'bad SID'),
    ('D:(A;;CC;;;S-1-5)', 11, 'bad SID'),
    ('D:(A;;CC;;;ZZ)', 11, 'unknown SID alias'),
    ('D:(A;;CC;;;Bob)', 11, 'bad trustee'),
    ('D:(A;;CC;;;)', 11, 'no trustee'),
    ('D:(A;;CCQQ;;;SY)', 8, 'unknown access right'),
    ('D:(A;;cc;;;SY)', 6, 'unknown access right'),
    ('D:(A;;CCL;;;SY)', 8, 'unknown access right'),
    ('D:(A;;0xZZ;;;SY)', 6, 'hexadecimal'),
    ('D:(A;;0x100000000;;;SY)', 6, '32 bits'),
    ('D:(A;;010;;;SY)', 6, 'octal'),
    ('D:(A;XX;CC;;;SY)', 5, 'unknown ACE flag'),
    ('D:(A;C;CC;;;SY)', 5, 'bad ACE flags'),
    ('D:(A;;CC;;;SY)junk', 14, 'unexpected'),
    ('D:(A;;CC;;;SY))', 14, 'unexpected'),
    ('D:(A;;CC;;SY)', 2, '5 fields'),
    ('D:(A;;CC;;;SY;x;y)', 16, '8 fields'),
    ('D:(A;;CC;;;SY;(x))', 14, '7th'),
    ('D:(XA;;CC;;;SY;x)', 15, 'parentheses'),
    ('D:(A;;CC;bf967aba-0de6-11d0-a285-00aa003049e2;;SY)', 9, 'object ACE'),
    ('D:(OA;;CC;not-a-guid;;SY)', 10, 'bad GUID'),
    ('D:(XA;;CC;;;SY;(a == "x))', 21, 'quoted'),
    ('D:XY(A;;CC;;;SY)', 2, 'ACL flag'),
    ('D:(A;;CC;;;SY)D:(A;;CC;;;BA)', 14, 'twice'),
    ('X:(A;;CC;;;SY)', 0, 'expected a section'),
    ('d:(A;;CC;;;SY)', 0, 'expected a section'),
    ('O:XX', 2, 'unknown SID alias'),
    ('O:BAxG:SY', 4, 'unexpected'),
    ('O:S-1-5G:SY', 2, 'bad SID'),
    ('O:', 2, 'expected a SID'),
    (KB914392_NO_D, 0, "'D:'"),
])
def test_corrupt_strings_raise_with_offset(text, offset, words):
    with pytest.raises(SddlError) as err:
        sddl.parse(text)
    assert err.value.offset == offset, str(err.value)
    assert words in str(err.value)
    assert 'offset %d' % offset in str(err.value)


def test_sddl_error_is_a_value_error():
    assert issubclass(SddlError, ValueError)
    with pytest.raises(ValueError):
        sddl.parse(None)  # type: ignore[arg-type]


def test_null_dacl_parses_as_null():
    sd = sddl.parse('D:NO_ACCESS_CONTROL')
    assert sd.dacl.null and sd.dacl.aces == ()
    assert not sddl.parse('D:').dacl.null


def test_sections_in_other_orders_and_missing():
    assert sddl.parse('S:(AU;FA;KA;;;WD)').dacl is None
    sd = sddl.parse('G:SYO:BAS:AID:P')
    assert (sd.owner.text, sd.group.text, sd.sacl.flags_text, sd.dacl.flags_text) == ('BA', 'SY', 'AI', 'P')


# --- add_ace ------------------------------------------------------------------------------------

def test_add_to_dns_lands_before_sacl_and_keeps_it():
    result = sddl.add_ace(DNS_DC, SERVICE_READ_ACE)
    assert result.changed
    expected = DNS_DC.replace('S:(AU;FA;', SERVICE_READ_ACE + 'S:(AU;FA;')
    assert result.text == expected
    assert result.text.endswith(SERVICE_READ_ACE + 'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)')
    assert sacl_text(result.text) == sacl_text(DNS_DC)
    assert result.ace.sid == IPAM_SID and result.ace.text == SERVICE_READ_ACE
    assert_only_inserted(DNS_DC, result)
    again = sddl.add_ace(result.text, SERVICE_READ_ACE)
    assert not again.changed and again.text == result.text


@pytest.mark.parametrize('name', ['scmanager', 'scmanager_ac', 'spooler', 'wuauserv', 'dhcp_client', 'generic_service', 'mslldp'])
def test_add_service_read_keeps_sacl(name):
    text = REAL[name]
    result = sddl.add_ace(text, SERVICE_READ_ACE)
    assert result.changed
    assert sacl_text(result.text) == sacl_text(text)
    assert result.text.index(SERVICE_READ_ACE) == sddl.parse(text).dacl.end
    assert_only_inserted(text, result)


def test_add_to_dacl_only_string_appends():
    result = sddl.add_ace(SPOOLER_DACL, SERVICE_READ_ACE)
    assert result.text == SPOOLER_DACL + SERVICE_READ_ACE


def test_add_to_customsd():
    ace = '(A;;0x1;;;S-1-5-21-319372935-2150250437-1932643794-1106)'
    result = sddl.add_ace(CUSTOMSD_EXCHANGE, ace)
    assert result.text == CUSTOMSD_EXCHANGE + ace
    assert sddl.parse(result.text).owner.text == 'BA'


def test_add_doc_ace_with_stray_space_is_inserted_as_given():
    ace = sddl.parse_ace(DOC_CUSTOMSD_ACE)
    assert ace.trustee == 'S-1-5-21-319372935-2150250437-1932643794-1106' and ace.mask == 1
    result = sddl.add_ace(SYSTEM_LOG_DEFAULT, DOC_CUSTOMSD_ACE)
    assert result.text == SYSTEM_LOG_DEFAULT + DOC_CUSTOMSD_ACE
    assert not sddl.add_ace(result.text, '(A;;0x1;;;S-1-5-21-319372935-2150250437-1932643794-1106)').changed


@pytest.mark.parametrize('text, ace', [
    (CUSTOMSD_SECURITY, '(A;;0x1;;;S-1-5-21-3589080292-3448680409-2446571098-1001)'),   # already there
    (CUSTOMSD_WEF, '(A;;0x1;;;NS)'),                                                    # alias vs SID
    (CHANNEL_POWERSHELL, '(A;;0x1;;;WR)'),                                              # 0x3 covers 0x1
    (CHANNEL_POWERSHELL, '(A;;0x2;;;AC)'),
    (CUSTOMSD_EXCHANGE, '(A;;0x1;;;ER)'),
    (CUSTOMSD_EXCHANGE, '(A;;1;;;BA)'),                                                 # decimal mask
    (DNS_DC, '(A;;RP;;;S-1-5-21-669053619-2741956077-1013132368-1109)'),                 # RPWP covers RP
    (DNS_DC, '(A;;CCLCSWLOCRRC;;;S-1-5-32-544)'),                                       # BA == S-1-5-32-544
    (DNS_DC, '(A;;0x2018d;;;ba)'),
    (KB323076, '(A;;0x7;;;BA)'),                                                        # 0x5 and 0x2 add up
    (SCMANAGER, '(AU;FA;CC;;;WD)'),                                                     # SACL: KA covers CC
    ('D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;%s)' % IPAM_SID, SERVICE_READ_ACE),
    ('D:(A;;0x3;;;%s)' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),
    ('D:(OA;;CC;;;%s)' % IPAM_SID, '(A;;CC;;;%s)' % IPAM_SID),                           # OA without GUID is an A
])
def test_already_covered_is_unchanged(text, ace):
    result = sddl.add_ace(text, ace)
    assert not result.changed
    assert result.text is text
    assert result.ace is not None and result.aces


@pytest.mark.parametrize('text, ace', [
    ('D:(A;;0x1;;;%s)' % IPAM_SID, '(A;;0x3;;;%s)' % IPAM_SID),          # subset does not cover
    ('D:(A;CI;0x1;;;%s)' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),         # other inheritance flags
    ('D:(A;;0x1;;;%s)' % IPAM_SID, '(A;CI;0x1;;;%s)' % IPAM_SID),
    ('D:(D;;0x1;;;%s)' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),           # a deny is not an allow
    ('D:AI(A;ID;0x1;;;%s)' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),       # inherited does not count
    ('D:(A;;GA;;;%s)' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),            # generic rights are not expanded
    ('S:(AU;FA;KA;;;WD)', '(AU;SAFA;CC;;;WD)'),                           # audits failure only
    ('D:(OA;;RP;bf967aba-0de6-11d0-a285-00aa003049e2;;%s)' % IPAM_SID, '(A;;RP;;;%s)' % IPAM_SID),
    ('D:(XA;;0x1;;;%s;(Exists WIN://SYSAPPID))' % IPAM_SID, '(A;;0x1;;;%s)' % IPAM_SID),
])
def test_not_covered_is_added(text, ace):
    result = sddl.add_ace(text, ace)
    assert result.changed
    assert_only_inserted(text, result)


def test_deny_goes_first():
    deny = '(D;;RPWP;;;%s)' % IPAM_SID
    result = sddl.add_ace(SPOOLER, deny)
    assert result.text == 'D:' + deny + SPOOLER[2:]
    # After the existing explicit deny, before the first allow.
    result = sddl.add_ace(MSLLDP, deny)
    assert result.text == MSLLDP.replace('(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)', deny + '(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)', 1)
    result = sddl.add_ace(KB323076, deny)
    assert result.text == KB323076.replace('(A;; 0xf0007 ;;;SY)', deny + '(A;; 0xf0007 ;;;SY)')


def test_allow_after_explicit_and_before_inherited():
    ace = '(A;CI;KR;;;%s)' % IPAM_SID
    result = sddl.add_ace(REGISTRY_INHERITED, ace)
    assert result.text == REGISTRY_INHERITED.replace('D:AI(', 'D:AI' + ace + '(', 1)
    assert result.text.endswith('S:AI')
    sd = sddl.parse(result.text)
    assert [a.inherited for a in sd.dacl.aces] == [False] + [True] * 6
    text = 'D:AI(D;;CC;;;BG)(A;;CC;;;SY)(A;ID;CC;;;BA)(D;ID;CC;;;AN)'
    result = sddl.add_ace(text, '(A;;CC;;;%s)' % IPAM_SID)
    assert result.text == 'D:AI(D;;CC;;;BG)(A;;CC;;;SY)(A;;CC;;;%s)(A;ID;CC;;;BA)(D;ID;CC;;;AN)' % IPAM_SID
    result = sddl.add_ace(text, '(D;;CC;;;%s)' % IPAM_SID)
    assert result.text == 'D:AI(D;;CC;;;BG)(D;;CC;;;%s)(A;;CC;;;SY)(A;ID;CC;;;BA)(D;ID;CC;;;AN)' % IPAM_SID


def test_add_explicit_when_only_inherited_exists():
    result = sddl.add_ace(REGISTRY_INHERITED, '(A;CI;KR;;;BU)')
    assert result.changed
    assert result.text.startswith('O:SYG:SYD:AI(A;CI;KR;;;BU)(A;CIID;KR;;;BU)')


def test_add_dns_domain_acl_ace_to_ad_object():
    ace = '(A;CI;RPGX;;;S-1-5-21-1-2-3-1106)'
    result = sddl.add_ace(AD_OBJECT, ace, domain_sid=DOMAIN_SID)
    assert result.text == AD_OBJECT.replace('(OA;CIIOID;', ace + '(OA;CIIOID;')


def test_add_conditional_ace_after_conditional():
    ace = '(A;;0x1200a9;;;%s)' % IPAM_SID
    result = sddl.add_ace(WINDOWSAPPS, ace)
    assert result.text == WINDOWSAPPS + ace
    assert not sddl.add_ace(WINDOWSAPPS, '(XA;;0x1;;;BU;(Exists WIN://SYSAPPID))').changed


def test_add_creates_missing_dacl():
    result = sddl.add_ace('O:BAG:SY', '(A;;0x1;;;%s)' % IPAM_SID)
    assert result.text == 'O:BAG:SYD:(A;;0x1;;;%s)' % IPAM_SID
    assert result.span == (8, len(result.text))
    result = sddl.add_ace('S:(AU;FA;KA;;;WD)', SERVICE_READ_ACE)
    assert result.text == 'D:%sS:(AU;FA;KA;;;WD)' % SERVICE_READ_ACE
    result = sddl.add_ace('O:BAG:SYS:AI', SERVICE_READ_ACE)
    assert result.text == 'O:BAG:SYD:%sS:AI' % SERVICE_READ_ACE


def test_add_to_empty_dacl_keeps_flags():
    assert sddl.add_ace('D:PAI', SERVICE_READ_ACE).text == 'D:PAI' + SERVICE_READ_ACE
    assert sddl.add_ace('D:PS:(AU;FA;KA;;;WD)', SERVICE_READ_ACE).text == 'D:P%sS:(AU;FA;KA;;;WD)' % SERVICE_READ_ACE


def test_add_audit_goes_to_sacl():
    audit = '(AU;SA;CCLCSWLOCRRC;;;%s)' % IPAM_SID
    result = sddl.add_ace(DNS_DC, audit)
    assert result.text == DNS_DC + audit
    result = sddl.add_ace(SPOOLER_DACL, audit)
    assert result.text == SPOOLER_DACL + 'S:' + audit
    result = sddl.add_ace(REGISTRY_INHERITED, audit)
    assert result.text == REGISTRY_INHERITED + audit


def test_add_refuses_null_dacl():
    with pytest.raises(SddlError) as err:
        sddl.add_ace('O:BAG:SYD:NO_ACCESS_CONTROL', SERVICE_READ_ACE)
    assert 'NULL' in str(err.value) and err.value.offset == 8
    with pytest.raises(SddlError, match='NULL'):
        sddl.add_ace('D:PAINO_ACCESS_CONTROLS:AI', SERVICE_READ_ACE)
    with pytest.raises(SddlError, match='NULL'):
        sddl.add_ace('D:S:NO_ACCESS_CONTROL', '(AU;FA;CC;;;WD)')
    # Removing from a NULL DACL finds nothing to remove.
    assert not sddl.remove_ace('D:NO_ACCESS_CONTROL', SERVICE_READ_ACE).changed


@pytest.mark.parametrize('ace, words', [
    ('(A;ID;CC;;;%s)' % IPAM_SID, 'inherited'),
    ('(A;;CC;;;DA)', 'domain_sid'),
    ('(A;;;;;%s)' % IPAM_SID, 'access mask is empty'),
    ('(A;;CC;;;%s)(A;;CC;;;SY)' % IPAM_SID, 'after the ACE'),
    ('A;;CC;;;SY', "start with '('"),
    ('', "start with '('"),
])
def test_add_refuses_bad_wanted_ace(ace, words):
    with pytest.raises(SddlError) as err:
        sddl.add_ace(DNS_DC, ace)
    assert words in str(err.value)


def test_add_domain_alias_when_domain_sid_given():
    result = sddl.add_ace(AD_OBJECT, '(A;;RCWDWOCCDCLCSWRPWPLOCR;;;%s-512)' % DOMAIN_SID, domain_sid=DOMAIN_SID)
    assert not result.changed
    assert result.ace.trustee == 'DA'


def test_add_rejects_corrupt_read_back():
    with pytest.raises(SddlError):
        sddl.add_ace(DNS_DC[:-1], SERVICE_READ_ACE)


def test_add_ace_text_surrounding_blanks_are_dropped():
    result = sddl.add_ace(SPOOLER_DACL, '  %s\n' % SERVICE_READ_ACE)
    assert result.text == SPOOLER_DACL + SERVICE_READ_ACE


# --- remove_ace ---------------------------------------------------------------------------------

def test_remove_restores_original():
    added = sddl.add_ace(DNS_DC, SERVICE_READ_ACE)
    removed = sddl.remove_ace(added.text, SERVICE_READ_ACE)
    assert removed.changed and removed.text == DNS_DC
    assert removed.ace.sid == IPAM_SID
    assert not sddl.remove_ace(DNS_DC, SERVICE_READ_ACE).changed


def test_remove_compares_meaning_not_spelling():
    text = 'D:(A;OICI;0x2018d;;;S-1-5-21-1-2-3-1105)(A;;CC;;;SY)'
    result = sddl.remove_ace(text, '(A;CIOI;CCLCSWLOCRRC;;;s-1-5-21-1-2-3-1105)')
    assert result.text == 'D:(A;;CC;;;SY)'
    assert sddl.remove_ace(KB323076, '(A;;0x2;;;S-1-5-32-544)').text == KB323076.replace('(A;; 0x2 ;;;BA)', '')


def test_remove_leaves_everything_else():
    # Not a superset, not a subset, not another type, not other flags.
    text = 'D:(A;;0x3;;;%s)(A;;0x1;;;SY)(D;;0x1;;;%s)(A;CI;0x1;;;%s)S:(AU;FA;0x1;;;%s)' % ((IPAM_SID,) * 4)
    assert not sddl.remove_ace(text, '(A;;0x1;;;%s)' % IPAM_SID).changed
    result = sddl.remove_ace(text, '(D;;0x1;;;%s)' % IPAM_SID)
    assert result.text == 'D:(A;;0x3;;;%s)(A;;0x1;;;SY)(A;CI;0x1;;;%s)S:(AU;FA;0x1;;;%s)' % ((IPAM_SID,) * 3)
    result = sddl.remove_ace(text, '(AU;FA;0x1;;;%s)' % IPAM_SID)
    assert result.text == text[:text.index('S:') + 2]


def test_remove_every_duplicate():
    text = 'D:(A;;0x1;;;%s)(A;;CC;;;SY)(A;;0x1;;;%s)' % (IPAM_SID, IPAM_SID)
    result = sddl.remove_ace(text, '(A;;0x1;;;%s)' % IPAM_SID)
    assert result.text == 'D:(A;;CC;;;SY)' and len(result.aces) == 2


def test_remove_only_ace_leaves_empty_dacl_with_flags():
    assert sddl.remove_ace('D:PAI(A;;CC;;;SY)', '(A;;CC;;;SY)').text == 'D:PAI'
    assert sddl.remove_ace('O:BAG:SYD:(A;;0x1;;;SY)S:(AU;FA;KA;;;WD)', '(A;;0x1;;;SY)').text == 'O:BAG:SYD:S:(AU;FA;KA;;;WD)'


def test_remove_never_touches_inherited():
    text = 'D:AI(A;;CC;;;SY)(A;ID;CC;;;SY)'
    assert sddl.remove_ace(text, '(A;;CC;;;SY)').text == 'D:AI(A;ID;CC;;;SY)'
    with pytest.raises(SddlError):
        sddl.remove_ace(text, '(A;ID;CC;;;SY)')


def test_remove_conditional_ace_by_condition():
    result = sddl.remove_ace(WINDOWSAPPS, '(XA;;0x1200a9;;;BU;(Exists WIN://SYSAPPID))')
    assert result.text == WINDOWSAPPS[:WINDOWSAPPS.index('(XA;')]
    assert not sddl.remove_ace(WINDOWSAPPS, '(XA;;0x1200a9;;;BU;(Exists WIN://OTHER))').changed


def test_remove_from_missing_section_is_unchanged():
    assert not sddl.remove_ace('O:BAG:SY', SERVICE_READ_ACE).changed
    assert not sddl.remove_ace(SPOOLER_DACL, '(AU;FA;KA;;;WD)').changed


# --- helpers ------------------------------------------------------------------------------------

def test_aces_for_sid():
    sd = sddl.parse(DNS_DC)
    assert [a.trustee for a in sddl.aces_for_sid(sd, 'S-1-5-18')] == ['SY']
    assert [a.trustee for a in sddl.aces_for_sid(sd, 'WD')] == ['WD']
    assert sddl.aces_for_sid(sd, IPAM_SID) == []
    sd = sddl.parse(AD_OBJECT)
    assert [a.trustee for a in sddl.aces_for_sid(sd, 'DA')] == ['DA']


def test_covers_directly():
    # Full control for BA covers a read-only grant to the same SID (by alias and by SID), not the reverse.
    full_control = sddl.parse_ace('(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)')
    read_only = sddl.parse_ace('(A;;CCLCSWLOCRRC;;;S-1-5-32-544)')
    assert sddl.covers(full_control, read_only)
    assert not sddl.covers(read_only, full_control)
    assert not sddl.covers(sddl.parse_ace('(A;ID;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)'), read_only)


def test_describe():
    ace = sddl.parse_ace(SERVICE_READ_ACE)
    assert sddl.describe(ace) == 'allow CCLCSWLOCRRC (0x2018d) to %s' % IPAM_SID
    ace = sddl.parse(REGISTRY_INHERITED).dacl.aces[0]
    assert sddl.describe(ace) == 'allow KR (0x20019) to BU (S-1-5-32-545) flags CI [inherited]'
    ace = sddl.parse(WINDOWSAPPS).dacl.aces[-1]
    assert sddl.describe(ace).endswith('when (Exists WIN://SYSAPPID)')


@pytest.mark.parametrize('mask, letters', [
    (0, ''), (0x2018D, 'CCLCSWLOCRRC'), (0xF01FF, 'CCDCLCSWRPWPDTLOCRSDRCWDWO'), (0x1F01FF, 'FA'), (0x20019, 'KR'),
    (0x1200A9, '0x1200a9'), (0xF0005, 'CCLCSDRCWDWO'), (0x100000, '0x100000'), (0x1, 'CC'), (0xA0000000, 'GXGR'), (0x30, 'RPWP'),
])
def test_mask_to_letters(mask, letters):
    assert sddl.mask_to_letters(mask) == letters
    if letters:
        assert sddl.parse_ace('(A;;%s;;;SY)' % letters).mask == mask


def test_rights_table_values():
    assert sddl.RIGHTS['FA'] == 0x1F01FF and sddl.RIGHTS['FR'] == 0x120089 and sddl.RIGHTS['FW'] == 0x120116
    assert sddl.RIGHTS['FX'] == 0x1200A0 and sddl.RIGHTS['KA'] == 0xF003F and sddl.RIGHTS['KW'] == 0x20006
    assert sddl.RIGHTS['KX'] == sddl.RIGHTS['KR'] == 0x20019
    assert (sddl.RIGHTS['NW'], sddl.RIGHTS['NR'], sddl.RIGHTS['NX']) == (1, 2, 4)


# -- Deny ACEs that void an Allow (Windows applies explicit Deny ACEs first) --------------------------------
@pytest.mark.parametrize('deny, conflicts', [
    ('(D;;CC;;;%s)' % IPAM_SID, True),                       # one of the rights the Allow grants
    ('(D;;GA;;;%s)' % IPAM_SID, True),                       # a generic right maps onto the object's rights
    ('(OD;;CR;bf967a86-0de6-11d0-a285-00aa003049e2;;%s)' % IPAM_SID, True),   # a Deny of one extended right
    ('(D;;WPDT;;;%s)' % IPAM_SID, False),                    # rights the Allow does not grant
    ('(D;ID;CC;;;%s)' % IPAM_SID, False),                    # inherited: applied after the explicit Allow
    ('(D;OICIIO;CC;;;%s)' % IPAM_SID, False),                # inherit-only: not applied to this object
    ('(D;;CC;;;S-1-5-21-1-2-3-1106)', False),                # another trustee
])
def test_conflicting_denies(deny, conflicts):
    text = DNS_DC.replace('D:', 'D:' + deny, 1)
    found = sddl.conflicting_denies(text, SERVICE_READ_ACE)
    assert [a.text for a in found] == ([deny] if conflicts else [])


def test_remove_aces_keeps_every_other_character():
    denies = '(D;;CC;;;%s)(D;;LC;;;%s)' % (IPAM_SID, IPAM_SID)
    text = DNS_DC.replace('(A;;CCLCSWLOCRRC;;;SU)', '(A;;CCLCSWLOCRRC;;;SU)' + denies, 1).replace('D:', 'D:', 1)
    found = sddl.conflicting_denies(text, SERVICE_READ_ACE)
    assert len(found) == 2
    assert sddl.remove_aces(text, found) == DNS_DC
