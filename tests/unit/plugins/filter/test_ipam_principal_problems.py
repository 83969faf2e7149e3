# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipam_principal_problems: what the roles refuse on the controller before the first round trip."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.filter.ipam_principal_problems import ipam_principal_problems


@pytest.mark.parametrize('principal', [
    'CORP\\IPAM01$', 'CORP\\IPAMUG', 'ipam01$@corp.example.com', 'S-1-5-21-1-2-3-1105', '.\\ipam', 'IPAMUG',
])
def test_the_accounts_ipam_reads_as_pass(principal):
    assert ipam_principal_problems([principal]) == []


@pytest.mark.parametrize('principal, named', [
    ('Everyone', 'Everyone (S-1-1-0)'),
    ('everyone', 'Everyone (S-1-1-0)'),
    ('S-1-1-0', 'Everyone (S-1-1-0)'),
    ('NT AUTHORITY\\Authenticated Users', 'Authenticated Users (S-1-5-11)'),
    ('BUILTIN\\Users', 'Users (S-1-5-32-545)'),
    ('CORP\\Domain Users', 'Domain Users (domain RID 513)'),
    ('S-1-5-21-1-2-3-515', 'Domain Computers'),
])
def test_broad_principals_are_refused_by_sid_or_english_name(principal, named):
    problems = ipam_principal_problems(['CORP\\IPAM01$', principal])
    assert len(problems) == 1 and named in problems[0] and 'ipam_allow_broad_principals' in problems[0], problems
    assert ipam_principal_problems([principal], allow_broad=True) == []


@pytest.mark.parametrize('principal, message', [
    ('CORP\\a,CORP\\b', 'comma'),
    ('CORP\\a\\b', 'more than one backslash'),
    ('S-1-x', 'looks like a SID'),
    ('', 'empty'),
    (5, 'must be a string'),
])
def test_malformed_principals_are_named(principal, message):
    problems = ipam_principal_problems([principal])
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize('value', ['CORP\\IPAM01$', {'a': 1}, None])
def test_a_value_that_is_not_a_list_is_an_error(value):
    with pytest.raises(AnsibleFilterError, match='expected a list'):
        ipam_principal_problems(value)


# ---------------------------------------------------------------------------- with the host's answer (access_info)
def _answer(text, sid=None, error=None):
    return {'input': text, 'sid': sid, 'name': text if sid else None, 'error': error}


def test_a_localized_broad_name_is_refused_by_the_sid_the_host_gave():
    # 'Jeder' is Everyone on a German host; the controller cannot know that from the name.
    assert ipam_principal_problems(['Jeder']) == []
    problems = ipam_principal_problems(['Jeder'], resolved=[_answer('Jeder', 'S-1-1-0')])
    assert len(problems) == 1 and "principal 'Jeder' is Everyone (S-1-1-0)" in problems[0], problems
    assert ipam_principal_problems(['Jeder'], allow_broad=True, resolved=[_answer('Jeder', 'S-1-1-0')]) == []


def test_a_name_the_host_cannot_resolve_is_refused_with_the_dollar_hint():
    error = 'Some or all identity references could not be translated.'
    problems = ipam_principal_problems(['CORP\\IPAM01', 'CORP\\IPAMUG'],
                                       resolved=[_answer('CORP\\IPAM01', error=error),
                                                 _answer('CORP\\IPAMUG', 'S-1-5-21-1-2-3-1106')])
    assert problems == ["principal 'CORP\\IPAM01' could not be resolved to a SID on the host: Some or all identity "
                        "references could not be translated; a computer account's name ends with '$' (CORP\\IPAM01$)"]
    # Refused whatever allow_broad says: nothing can be granted to an account the host does not know.
    assert len(ipam_principal_problems(['CORP\\IPAM01'], allow_broad=True,
                                       resolved=[_answer('CORP\\IPAM01', error=error)])) == 1


def test_resolved_accounts_that_are_not_broad_pass():
    assert ipam_principal_problems(['CORP\\IPAM01$'], resolved=[_answer('CORP\\IPAM01$', 'S-1-5-21-1-2-3-1105')]) == []


def test_a_malformed_answer_is_an_error():
    with pytest.raises(AnsibleFilterError, match='resolved must be the list of principals access_info returns'):
        ipam_principal_problems(['CORP\\IPAM01$'], resolved='S-1-1-0')
