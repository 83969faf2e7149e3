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
