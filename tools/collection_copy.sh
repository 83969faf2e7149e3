#!/usr/bin/env bash
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Copy the collection into the layout ansible-test needs:
#
#   tools/collection_copy.sh WORKDIR      prints WORKDIR/ansible_collections/ipam/provisioning
#
# ansible-test needs the collection at .../ansible_collections/<namespace>/<name> on the *resolved*
# path (a symlink does not do), so tools/sanity.sh and tools/integration.sh work on a copy: the files
# git tracks or does not ignore (what a fresh clone plus the work in progress holds; never .venv,
# .lab, tests/output), made a git repository of its own so ansible-test sees exactly those files.
# Progress goes to stderr; the only line on stdout is the path of the copy.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 WORKDIR" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$1
mkdir -p "$WORK"
DEST=$(cd "$WORK" && pwd)/ansible_collections/ipam/provisioning
if [[ -e $DEST ]]; then
    echo "collection_copy: $DEST exists already" >&2
    exit 2
fi
mkdir -p "$DEST"
cd "$REPO"
# Tracked files deleted from the work tree are still listed by git ls-files -c: skip them.
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
    if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
done | tar -c --null -T - -f - | tar -x -f - -C "$DEST"
(
    cd "$DEST"
    git init -q
    git add -A
)
echo "collection_copy: $(cd "$DEST" && find . -path ./.git -prune -o \( -type f -o -type l \) -print | wc -l) files copied to $DEST" >&2
printf '%s\n' "$DEST"
