# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The repository root is the collection root; Ansible needs it under ansible_collections/ipam/provisioning.

A symlink in .lab/collections (git-ignored) gives that layout without copying.
"""
from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_collection_link(repo: str = REPO) -> str:
    """Create .lab/collections/ansible_collections/ipam/provisioning -> repo; return .lab/collections."""
    root = os.path.join(repo, '.lab', 'collections')
    parent = os.path.join(root, 'ansible_collections', 'ipam')
    link = os.path.join(parent, 'provisioning')
    os.makedirs(parent, exist_ok=True)
    if os.path.islink(link) and os.path.realpath(link) != os.path.realpath(repo):
        os.unlink(link)
    if not os.path.lexists(link):
        try:
            os.symlink(repo, link)
        except FileExistsError:  # a parallel worker won the race
            pass
    return root


if __name__ == '__main__':
    print(ensure_collection_link())
