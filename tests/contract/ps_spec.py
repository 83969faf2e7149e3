# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the Ansible.Basic argument spec of a PowerShell module without PowerShell.

``parse_spec(text)`` finds the assignment ``$spec = @{ ... }`` with tree-sitter-pwsh and returns its
``options`` as ``{name: {'type', 'required', 'choices', 'elements', 'default', 'options'}}``:

* the values of literals are converted: ``'x'``/``"x"`` -> str, ``$true``/``$false``/``$null``,
  integers, ``@(...)`` and ``'a', 'b'`` -> list, ``@{...}`` -> dict;
* anything else (a variable, a method call, an interpolating string) becomes ``Unparsed(text)``;
* an absent ``type`` is ``'str'`` and an absent ``required`` is ``False`` (Ansible.Basic's defaults);
  absent ``choices``/``elements``/``default``/``options`` are ``None``; nested ``options`` are parsed
  the same way.

The contract therefore requires the option names to be written literally in the ``.ps1``: a spec
assembled at run time (``$spec.options += ...``, a helper returning options) raises ``SpecError``.
"""
from __future__ import annotations

import dataclasses
import typing as t

from tree_sitter import Language, Parser
import tree_sitter_pwsh

OPTION_KEYS = ('type', 'required', 'choices', 'elements', 'default', 'options')

_PARSER = Parser(Language(tree_sitter_pwsh.language()))
# Nodes that only wrap one meaningful child in this grammar.
_WRAPPERS = frozenset({'pipeline', 'pipeline_chain', 'unary_expression', 'assignment_value',
                       'left_assignment_expression', 'parenthesized_expression', 'statement_list',
                       'logical_expression', 'bitwise_expression', 'comparison_expression',
                       'additive_expression', 'multiplicative_expression', 'format_expression',
                       'range_expression', 'argument_expression'})


class SpecError(ValueError):
    """The text has no literal `$spec = @{ options = @{...} }` this parser can read."""


@dataclasses.dataclass(frozen=True)
class Unparsed:
    """A value that is not a plain literal; `text` is its source."""
    text: str


def _named(node) -> list:
    return [child for child in node.children if child.is_named and child.type != 'comment']


def _unwrap(node):
    while node.type in _WRAPPERS:
        named = _named(node)
        if len(named) != 1:
            break
        node = named[0]
    return node


def _text(node) -> str:
    return node.text.decode('utf-8')


def _string_value(node) -> t.Any:
    """Value of a string_literal node (verbatim, expandable, here-strings)."""
    inner = _named(node)
    target = inner[0] if len(inner) == 1 else node
    raw = _text(target)
    kind = target.type
    if kind == 'verbatim_string_characters' or raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    if kind.startswith('verbatim_here_string') or raw.startswith("@'"):
        return raw[2:-2].strip('\r\n')
    if _named(target) or '$' in raw or '`' in raw:  # interpolation or escapes: not a plain literal
        return Unparsed(raw)
    if raw.startswith('@"'):
        return raw[2:-2].strip('\r\n')
    return raw[1:-1]


def _hash_entries(node) -> list[tuple[str, t.Any]]:
    """(key, value node) pairs of a hash_literal_expression, in source order."""
    body = next((c for c in node.children if c.type == 'hash_literal_body'), None)
    if body is None:
        return []
    entries = []
    for entry in body.children:
        if entry.type != 'hash_entry':
            continue
        key_node = next(c for c in entry.children if c.type == 'key_expression')
        key_inner = _unwrap(_named(key_node)[0]) if _named(key_node) else key_node
        if key_inner.type == 'string_literal':
            key = _string_value(key_inner)
            if isinstance(key, Unparsed):
                raise SpecError('hash key %s at line %d is not a literal' % (key.text, key_node.start_point[0] + 1))
        else:
            key = _text(key_inner)
        value_nodes = [c for c in entry.children if c.is_named and c.type not in ('key_expression', 'comment')]
        entries.append((key, value_nodes[0] if value_nodes else None))
    return entries


def literal(node) -> t.Any:
    """Python value of a PowerShell literal expression node, or Unparsed."""
    if node is None:
        return None
    node = _unwrap(node)
    kind = node.type
    if kind == 'string_literal':
        return _string_value(node)
    if kind == 'variable':
        name = _text(node).lower()
        if name in ('$true', '$false', '$null'):
            return {'$true': True, '$false': False, '$null': None}[name]
        return Unparsed(_text(node))
    if kind == 'integer_literal':
        try:
            return int(_text(node), 0)
        except ValueError:
            return Unparsed(_text(node))
    if kind == 'real_literal':
        try:
            return float(_text(node))
        except ValueError:
            return Unparsed(_text(node))
    if kind == 'array_literal_expression':
        return [literal(child) for child in _named(node)]
    if kind == 'array_expression':
        items = []
        for child in _named(node):  # statement_list (absent for @())
            for statement in _named(child):
                value = literal(statement)
                if isinstance(value, list):  # @() enumerates what its statements produce
                    items.extend(value)
                else:
                    items.append(value)
        return items
    if kind == 'hash_literal_expression':
        return {key: literal(value) for key, value in _hash_entries(node)}
    if kind == 'expression_with_unary_operator' and node.children:
        operator = _text(node.children[0])
        operand = literal(node.children[-1]) if len(node.children) == 2 else Unparsed(_text(node))
        if operator == '-' and isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand
        if operator == ',' and not isinstance(operand, Unparsed):  # unary comma: one-element array
            return [operand]
    return Unparsed(_text(node))


def _find_spec_hash(root, variable: str):
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == 'assignment_expression':
            named = _named(node)
            target = _unwrap(named[0]) if named else None
            if target is not None and target.type == 'variable' and _text(target).lower() == variable.lower():
                value = _unwrap(named[-1])
                if value.type == 'hash_literal_expression':
                    return value
                raise SpecError('%s is not assigned a literal hashtable (line %d)' % (variable, node.start_point[0] + 1))
        stack.extend(reversed(node.children))
    return None


def _options(hash_node, where: str) -> dict[str, dict[str, t.Any]]:
    options = {}
    for name, value_node in _hash_entries(hash_node):
        value = _unwrap(value_node) if value_node is not None else None
        if value is None or value.type != 'hash_literal_expression':
            raise SpecError('option %s%s is not a literal hashtable' % (where, name))
        attrs = dict(_hash_entries(value))
        option = {key: literal(attrs.get(key)) for key in OPTION_KEYS if key != 'options'}
        if 'type' not in attrs:
            option['type'] = 'str'
        if 'required' not in attrs:
            option['required'] = False
        nested = attrs.get('options')
        if nested is not None:
            nested = _unwrap(nested)
            if nested.type != 'hash_literal_expression':
                raise SpecError('options of %s%s is not a literal hashtable' % (where, name))
            option['options'] = _options(nested, '%s%s.' % (where, name))
        else:
            option['options'] = None
        options[name] = option
    return options


def parse_spec(source: str | bytes, variable: str = '$spec') -> dict[str, dict[str, t.Any]]:
    """The options of the module spec assigned to `variable` (see the module docstring)."""
    if isinstance(source, str):
        source = source.encode('utf-8')
    if source.startswith(b'\xef\xbb\xbf'):
        source = source[3:]
    tree = _PARSER.parse(source)
    if tree.root_node.has_error:
        raise SpecError('the PowerShell text does not parse (see tools/pwsh_syntax.py)')
    spec = _find_spec_hash(tree.root_node, variable)
    if spec is None:
        raise SpecError('no assignment %s = @{ ... } found' % variable)
    top = dict(_hash_entries(spec))
    if 'options' not in top:
        raise SpecError('%s has no options key' % variable)
    options = _unwrap(top['options'])
    if options.type != 'hash_literal_expression':
        raise SpecError('%s.options is not a literal hashtable' % variable)
    return _options(options, '')


def parse_spec_file(path: str, variable: str = '$spec') -> dict[str, dict[str, t.Any]]:
    with open(path, 'rb') as handle:
        return parse_spec(handle.read(), variable)
