# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The file system: which folders exist (host['paths'], folders only)."""
from __future__ import annotations

from typing import Any

from ..context import Context
from . import operation


def _folded(path: str) -> str:
    # Windows paths: either separator, no trailing separator, any case.
    return path.replace('/', '\\').rstrip('\\').casefold()


@operation('FileSystem.TestFolder')
def test_folder(ctx: Context, args: dict[str, Any]) -> bool:
    """Test-Path -LiteralPath <path> -PathType Container: True for an existing folder, False otherwise
    (a missing drive, a missing folder, an empty path component); environment variables are not expanded.
    https://learn.microsoft.com/powershell/module/microsoft.powershell.management/test-path"""
    wanted = _folded(str(args.get('path') or ''))
    if not wanted:
        return False
    return any(_folded(p) == wanted for p in ctx.host['paths'])
