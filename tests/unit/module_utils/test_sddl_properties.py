# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests of the SDDL engine on generated, real-looking descriptors."""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from ansible_collections.ipam.provisioning.plugins.module_utils import sddl
from ansible_collections.ipam.provisioning.plugins.module_utils.sddl import SddlError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Kept independent of the engine's own tables on purpose.
ALIASES = {
    'SY': 'S-1-5-18', 'BA': 'S-1-5-32-544', 'BU': 'S-1-5-32-545', 'AU': 'S-1-5-11', 'IU': 'S-1-5-4', 'SU': 'S-1-5-6',
    'LS': 'S-1-5-19', 'NS': 'S-1-5-20', 'WD': 'S-1-1-0', 'ER': 'S-1-5-32-573', 'AC': 'S-1-15-2-1',
}
TRUSTEES = list(ALIASES) + [
    'ba', 'S-1-5-32-544', 'S-1-5-18', 'S-1-5-32-573', 'S-1-5-21-1-2-3-1105', 'S-1-5-21-1-2-3-1106', 'S-1-5-21-9-8-7-512',
    's-1-5-21-1-2-3-1105',
    'S-1-15-3-1024-528118966-3876874398-709513571-1907873084-3598227634-3698730060-278077788-3990600205',
]
BITS = ['CC', 'DC', 'LC', 'SW', 'RP', 'WP', 'DT', 'LO', 'CR', 'SD', 'RC', 'WD', 'WO']
BIT_VALUES = {'CC': 0x1, 'DC': 0x2, 'LC': 0x4, 'SW': 0x8, 'RP': 0x10, 'WP': 0x20, 'DT': 0x40, 'LO': 0x80, 'CR': 0x100,
              'SD': 0x10000, 'RC': 0x20000, 'WD': 0x40000, 'WO': 0x80000}
COMBINED = {'KA': 0xF003F, 'KR': 0x20019, 'FA': 0x1F01FF, 'FR': 0x120089, 'GA': 0x10000000, 'GXGR': 0xA0000000}
GUIDS = ['bf967aba-0de6-11d0-a285-00aa003049e2', '4828cc14-1437-45bc-9b07-ad6f015e5f28', 'BF967ABA-0DE6-11D0-A285-00AA003049E2']
CONDITIONS = ['(Exists WIN://SYSAPPID)', '(WIN://SYSAPPID Contains "{0}{1}")', '(@User.Title == "a)b;c")']
INHERITANCE = ['CI', 'OI', 'NP', 'IO']


def sid_of(trustee: str) -> str:
    t = trustee.strip()
    return ALIASES.get(t.upper(), 'S' + t[1:])


@dataclass(frozen=True)
class GenAce:
    type: str
    flags: Tuple[str, ...]
    rights: str
    mask: int
    guid: str
    trustee: str
    extra: Optional[str]

    @property
    def text(self) -> str:
        fields = [self.type, ''.join(self.flags), self.rights, self.guid, '', self.trustee]
        if self.extra is not None:
            fields.append(self.extra)
        return '(' + ';'.join(fields) + ')'

    @property
    def inherited(self) -> bool:
        return 'ID' in self.flags


def _rights_variants() -> List[Tuple[str, int]]:
    """(text, mask) spellings: letters in any order, hex, HEX, decimal, combined names, KB 323076 blanks."""
    rng = random.Random(323076)
    out = list(COMBINED.items())
    for _attempt in range(80):
        pool = BITS[:4] if rng.random() < 0.5 else BITS
        letters = rng.sample(pool, rng.randint(1, min(6, len(pool))))
        mask = 0
        for letter in letters:
            mask |= BIT_VALUES[letter]
        out.extend([(''.join(letters), mask), ('0x%x' % mask, mask), ('0X%X' % mask, mask), (str(mask), mask)])
    out.extend([(' %s ' % text, mask) for text, mask in out[::7]])
    return out


def _flag_variants(base: List[str], extra: List[List[str]]) -> List[Tuple[str, ...]]:
    out = set()
    for size in range(3):
        for combo in itertools.combinations(base, size):
            for more in extra:
                for perm in itertools.permutations(list(combo) + more):
                    out.add(perm)
    return sorted(out)


RIGHTS_VARIANTS = _rights_variants()
PLAIN_FLAGS = _flag_variants(INHERITANCE, [[]])
INHERITED_FLAGS = _flag_variants(INHERITANCE, [['ID']])
AUDIT_FLAGS = _flag_variants(INHERITANCE, [['SA'], ['FA'], ['SA', 'FA'], ['SA', 'ID'], ['FA', 'ID']])
TYPE_CHOICES = {
    'deny': [('D', '', None)],
    'allow': [('A', '', None)] * 6 + [('OA', g, None) for g in GUIDS] + [('XA', '', c) for c in CONDITIONS],
    'inherited': [('A', '', None), ('D', '', None)],
    'audit': [('AU', '', None)],
}
FLAG_CHOICES = {'deny': PLAIN_FLAGS, 'allow': PLAIN_FLAGS, 'inherited': INHERITED_FLAGS, 'audit': AUDIT_FLAGS}
# The CustomSD doc example has a blank before the SID.
TRUSTEE_CHOICES = TRUSTEES * 4 + [' ' + t for t in TRUSTEES[:6]]


def _make(kind_type, flags, rights_variant, trustee) -> GenAce:
    ace_type, guid, extra = kind_type
    return GenAce(ace_type, flags, rights_variant[0], rights_variant[1], guid, trustee, extra)


# Built once: hypothesis validates every new strategy object, which is slow when done per example.
ACE_STRATEGIES = {
    kind: st.builds(_make, st.sampled_from(types), st.sampled_from(FLAG_CHOICES[kind]),
                    st.sampled_from(RIGHTS_VARIANTS), st.sampled_from(TRUSTEE_CHOICES))
    for kind, types in TYPE_CHOICES.items()
}
WANTED = st.one_of(ACE_STRATEGIES['allow'], ACE_STRATEGIES['deny'], ACE_STRATEGIES['audit'].filter(lambda a: not a.inherited))


def aces(kind: str):
    return ACE_STRATEGIES[kind]


@dataclass(frozen=True)
class GenSd:
    text: str
    owner: Optional[str]
    group: Optional[str]
    dacl: Optional[List[GenAce]]
    sacl: Optional[List[GenAce]]
    dacl_canonical: bool


OWNERS = st.one_of(st.none(), st.sampled_from(['BA', 'SY', 'S-1-5-18', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']))
GROUPS = st.one_of(st.none(), st.sampled_from(['SY', 'BA', 'S-1-5-21-1-2-3-513']))
DENIES = st.lists(ACE_STRATEGIES['deny'], max_size=2)
ALLOWS = st.lists(ACE_STRATEGIES['allow'], max_size=5)
INHERITED = st.lists(ACE_STRATEGIES['inherited'], max_size=3)
AUDITS = st.lists(ACE_STRATEGIES['audit'], max_size=3)
DACL_FLAGS = st.sampled_from(['', 'P', 'AI', 'PAI', 'AR'])
SACL_FLAGS = st.sampled_from(['', 'AI', 'P'])
LEADING = st.sampled_from(['', '', '', '\r\n'])  # sc.exe sdshow prints a blank line first
TRAILING = st.sampled_from(['', '', '\r\n'])
ONE_IN_FOUR = st.sampled_from([True, True, True, False])
ONE_IN_FIVE = st.integers(0, 4)


@st.composite
def descriptors(draw) -> GenSd:
    owner = draw(OWNERS)
    group = draw(GROUPS)
    dacl = None
    canonical = True
    if draw(ONE_IN_FOUR):
        dacl = draw(DENIES) + draw(ALLOWS) + draw(INHERITED)
        if draw(ONE_IN_FIVE) == 0:
            dacl = list(draw(st.permutations(dacl)))
            canonical = is_canonical([(a.type == 'D', a.inherited) for a in dacl])
    sacl = draw(AUDITS) if draw(st.booleans()) else None
    if owner is None and group is None and dacl is None and sacl is None:
        dacl = []
    text = ''
    if owner is not None:
        text += 'O:' + owner
    if group is not None:
        text += 'G:' + group
    if dacl is not None:
        text += 'D:' + draw(DACL_FLAGS) + ''.join(a.text for a in dacl)
    if sacl is not None:
        text += 'S:' + draw(SACL_FLAGS) + ''.join(a.text for a in sacl)
    text = draw(LEADING) + text + draw(TRAILING)
    return GenSd(text, owner, group, dacl, sacl, canonical)


def wanted_aces():
    return WANTED


def is_canonical(states: List[Tuple[bool, bool]]) -> bool:
    ranks = [2 if inherited else (0 if deny else 1) for deny, inherited in states]
    return ranks == sorted(ranks)


def same(a: sddl.Ace, w: GenAce) -> bool:
    return (a.type == w.type and a.flags == frozenset(w.flags) and a.mask == w.mask and sid_of(a.trustee) == sid_of(w.trustee)
            and (a.object_guid or '') == w.guid.lower() and a.extra == w.extra)


def check_acl(acl: Optional[sddl.Acl], gen: Optional[List[GenAce]]) -> None:
    if gen is None:
        assert acl is None
        return
    assert len(acl.aces) == len(gen)
    for ace, g in zip(acl.aces, gen):
        assert ace.text == g.text
        assert ace.type == g.type
        assert ace.flags == frozenset(g.flags)
        assert ace.mask == g.mask
        assert ace.trustee == g.trustee.strip()
        assert ace.sid == sid_of(g.trustee)
        assert ace.object_guid == (g.guid.lower() or None)
        assert ace.extra == g.extra
        assert ace.inherited == g.inherited


@SETTINGS
@given(descriptors())
def test_parse_round_trip(gen):
    sd = sddl.parse(gen.text)
    assert (sd.owner.text if sd.owner else None) == gen.owner
    assert (sd.group.text if sd.group else None) == gen.group
    check_acl(sd.dacl, gen.dacl)
    check_acl(sd.sacl, gen.sacl)
    for ace in sd.aces:
        assert gen.text[ace.start:ace.end] == ace.text


@SETTINGS
@given(descriptors(), wanted_aces())
def test_add_then_remove_restores_the_original(gen, wanted):
    sd = sddl.parse(gen.text)
    added = sddl.add_ace(gen.text, wanted.text)
    event('changed' if added.changed else 'already covered')
    if not added.changed:
        assert added.text == gen.text
        return
    start, end = added.span
    prefix = added.text[start:end - len(wanted.text)]
    removed = sddl.remove_ace(added.text, wanted.text)
    assert removed.changed and len(removed.aces) == 1
    if sd.acl('D' if wanted.type in ('A', 'D', 'OA', 'XA') else 'S') is not None:
        assert prefix == ''
        assert removed.text == gen.text
    else:
        # A new section stays: an empty DACL and a missing one mean opposite things.
        assert prefix in ('D:', 'S:')
        assert removed.text == gen.text[:start] + prefix + gen.text[start:]


@SETTINGS
@given(descriptors(), wanted_aces())
def test_adding_twice_equals_adding_once(gen, wanted):
    once = sddl.add_ace(gen.text, wanted.text)
    twice = sddl.add_ace(once.text, wanted.text)
    assert not twice.changed
    assert twice.text == once.text


@SETTINGS
@given(descriptors(), wanted_aces())
def test_add_changes_nothing_outside_the_inserted_span(gen, wanted):
    before = sddl.parse(gen.text)
    result = sddl.add_ace(gen.text, wanted.text)
    if not result.changed:
        return
    start, end = result.span
    assert result.text[:start] == gen.text[:start]
    assert result.text[end:] == gen.text[start:]
    assert result.text[start:end].endswith(wanted.text)
    after = sddl.parse(result.text)
    # Every ACE that was there is still there, in the same order, spelled the same.
    assert [a.text for a in after.aces if a.start != result.ace.start] == [a.text for a in before.aces]
    section = result.ace.section
    other = 'S' if section == 'D' else 'D'
    if before.acl(other) is not None:
        old, new = before.acl(other), after.acl(other)
        assert gen.text[old.start:old.end] == result.text[new.start:new.end]
    if section == 'D' and gen.dacl_canonical:
        assert is_canonical([(a.is_deny, a.inherited) for a in after.dacl.aces])


@SETTINGS
@given(descriptors(), st.data())
def test_removal_touches_only_what_it_describes(gen, data):
    sd = sddl.parse(gen.text)
    candidates = (gen.dacl or []) + (gen.sacl or [])
    if candidates and data.draw(st.booleans()):
        wanted = data.draw(st.sampled_from(candidates))
    else:
        wanted = data.draw(wanted_aces())
    if wanted.inherited:
        with pytest.raises(SddlError):
            sddl.remove_ace(gen.text, wanted.text)
        return
    result = sddl.remove_ace(gen.text, wanted.text)
    event('removed %d' % len(result.aces))
    section = 'D' if wanted.type in ('A', 'D', 'OA', 'XA') else 'S'
    acl = sd.acl(section)
    doomed = [a for a in (acl.aces if acl else ()) if not a.inherited and same(a, wanted)]
    assert result.changed == bool(doomed)
    assert list(result.aces) == doomed
    kept = [a.text for a in sd.aces if a not in doomed]
    assert [a.text for a in sddl.parse(result.text).aces] == kept
    # The text left is the original minus the removed spans.
    expected = gen.text
    for ace in reversed(doomed):
        expected = expected[:ace.start] + expected[ace.end:]
    assert result.text == expected


@SETTINGS
@given(descriptors(), st.data())
def test_an_existing_explicit_ace_covers_itself(gen, data):
    explicit = [a for a in (gen.dacl or []) + (gen.sacl or []) if not a.inherited]
    if not explicit:
        return
    wanted = data.draw(st.sampled_from(explicit))
    result = sddl.add_ace(gen.text, wanted.text)
    assert not result.changed
    assert result.text == gen.text


SID_TO_ALIAS = {sid: alias for alias, sid in ALIASES.items()}


@SETTINGS
@given(descriptors(), st.data())
def test_a_weaker_respelled_copy_of_an_explicit_ace_is_covered(gen, data):
    explicit = [a for a in (gen.dacl or []) + (gen.sacl or []) if not a.inherited]
    if not explicit:
        return
    base = data.draw(st.sampled_from(explicit))
    sub_mask = data.draw(st.integers(1, base.mask).map(lambda m: m & base.mask).filter(bool))
    sid = sid_of(base.trustee)
    trustee = data.draw(st.sampled_from([sid, sid.lower(), SID_TO_ALIAS.get(sid, sid)]))
    flags = data.draw(st.permutations(list(base.flags)))
    wanted = GenAce(base.type, tuple(flags), '0x%X' % sub_mask, sub_mask, base.guid.upper(), trustee, base.extra)
    result = sddl.add_ace(gen.text, wanted.text)
    assert not result.changed
    assert result.text == gen.text
    assert sid_of(result.ace.trustee) == sid


@SETTINGS
@given(st.text(alphabet='DOGS:()AIPNU;CRLW0x1-SY5 "', max_size=60))
def test_garbage_raises_only_sddl_error(text):
    try:
        sddl.parse(text)
    except SddlError as err:
        assert err.offset is None or 0 <= err.offset <= len(text)


@SETTINGS
@given(descriptors(), st.data())
def test_mutations_raise_only_sddl_error(gen, data):
    text = gen.text
    pos = data.draw(st.integers(0, len(text)))
    mutated = data.draw(st.sampled_from([
        text[:pos] + text[pos + 1:],
        text[:pos] + data.draw(st.sampled_from(list('();:"x- '))) + text[pos:],
    ]))
    try:
        sd = sddl.parse(mutated)
    except SddlError as err:
        assert err.offset is not None and 0 <= err.offset <= len(mutated)
    else:
        for ace in sd.aces:
            assert mutated[ace.start:ace.end] == ace.text
