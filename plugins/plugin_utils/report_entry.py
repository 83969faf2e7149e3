# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One entry of the ipam_report_entries host fact (docs/design.md section 6), defined once for the
report filters (ipam_report_entry, ipam_report_entries, ipam_follower_entries)."""
from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.ipam.provisioning.plugins.module_utils.vocabulary import SETTING_STATUSES


def report_entry(setting: t.Mapping[str, t.Any], *, host: str, state: str, check_mode: bool, status: str,
                 changes: t.Mapping[str, list[str]] | None = None, msg: str | None = None,
                 scope: str | None = None) -> dict[str, t.Any]:
    """An entry as docs/design.md section 6 defines it."""
    if status not in SETTING_STATUSES:
        raise AnsibleFilterError('ipam_report_entry: status %r is not one of %s' % (status, ', '.join(SETTING_STATUSES)))
    if not isinstance(setting, t.Mapping) or not setting.get('id'):
        raise AnsibleFilterError('ipam_report_entry: expected a setting dict with an id, got %r' % (setting,))
    changes = changes or {}
    return {
        'host': str(host),
        'setting': str(setting['id']),
        'title': str(setting.get('title') or setting['id']),
        'server_types': [str(s) for s in setting.get('server_types') or []],
        'scope': str(scope or setting.get('scope') or 'host'),
        'access_type': str(setting.get('access_type') or ''),
        'state': str(state),
        'status': status,
        'check_mode': bool(check_mode),
        'changes': {'added': list(changes.get('added') or []), 'removed': list(changes.get('removed') or [])},
        'msg': str(setting.get('reason') or '') if msg is None else str(msg),
    }
