# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The handler registry API other handler authors (and the contract test) rely on."""
from __future__ import annotations

import pytest

from winsim import REGISTRY, handler
from winsim import handlers


def test_throwaway_handler_is_registered_with_its_options(temp_handler):
    def mutate(ctx, args):
        pass

    @temp_handler('test.winsim.thing', options=['mode', 'name', 'mode'], concurrent_change=mutate)
    def thing(ctx, args):
        return {}
    entry = REGISTRY['test.winsim.thing']
    assert entry.options == frozenset({'mode', 'name'}) and isinstance(entry.options, frozenset)
    assert entry.func is thing and entry.concurrent_change is mutate
    assert entry.short_name == 'thing' and handlers.get('test.winsim.thing') is entry


def test_unregister(temp_handler):
    temp_handler('test.winsim.gone', set())(lambda ctx, args: {})
    handlers.unregister('test.winsim.gone')
    assert 'test.winsim.gone' not in REGISTRY


def test_two_models_for_one_module_are_refused(temp_handler):
    temp_handler('test.winsim.dup', set())(lambda ctx, args: {})

    def other(ctx, args):
        return {}
    with pytest.raises(ValueError, match='already has a handler'):
        handler('test.winsim.dup', options=set())(other)


def test_reimport_of_the_same_function_is_fine():
    entry = REGISTRY['ansible.windows.win_ping']
    handler('ansible.windows.win_ping', options={'data'})(entry.func)
    assert REGISTRY['ansible.windows.win_ping'].func is entry.func


@pytest.mark.parametrize('fqcn, options, error', [
    ('service_acl', set(), ValueError),
    ('test.winsim.x', 'mode', TypeError),
    ('test.winsim.x', {'_ansible_check_mode'}, ValueError),
])
def test_bad_registrations(fqcn, options, error):
    with pytest.raises(error):
        handler(fqcn, options=options)


def test_every_handler_module_is_imported():
    assert {'win_ping', 'winsim_echo'} <= set(handlers.load_all())
    assert REGISTRY['ansible.windows.win_ping'].options == frozenset({'data'})
    assert REGISTRY['ansible.legacy.winsim_echo'].options == frozenset({'data', 'write', 'principals'})
