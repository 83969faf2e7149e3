# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Select report entries with a JMESPath expression, e.g. ``[?status=='drift']``."""
from __future__ import annotations

import typing as t

try:
    import jmespath
    import jmespath.exceptions
except ImportError:  # pragma: no cover - jmespath is a requirement of the collection; fail when used, not on import
    jmespath = None

from ansible_collections.ipam.provisioning.plugins.plugin_utils.report_model import ReportError, normalize_entry


def filter_entries(entries: list[dict[str, t.Any]], expression: str) -> list[dict[str, t.Any]]:
    """The entries the expression selects, applied to the list of entries.

    The result must still be entries (a list of dicts with host, setting and status): the filter
    chooses rows, it does not reshape them. ``null`` (nothing matched a projection) is an empty list.
    """
    if jmespath is None:
        raise ReportError('filter: the Python library jmespath is required on the controller '
                          '(pip install jmespath) to filter the report')
    if not expression or not expression.strip():
        raise ReportError('filter: the JMESPath expression is empty')
    try:
        selected = jmespath.search(expression, entries)
    except jmespath.exceptions.JMESPathError as e:
        raise ReportError('filter: %r is not a valid JMESPath expression for the report entries: %s'
                          % (expression, _one_line(e))) from e
    if selected is None:
        return []
    if isinstance(selected, dict):
        selected = [selected]
    if not isinstance(selected, list):
        raise ReportError('filter: %r selects %s, not report entries; use a filter expression such as '
                          "[?status=='drift']" % (expression, type(selected).__name__))
    try:
        return [normalize_entry(e, 'filter %r' % expression) for e in selected]
    except ReportError as e:
        raise ReportError("%s; the filter must keep whole entries, e.g. [?status=='drift'], not project fields"
                          % e) from e


def _one_line(error: Exception) -> str:
    return ' '.join(str(error).split())
