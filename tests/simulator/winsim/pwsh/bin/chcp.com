#!/bin/sh
# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Fake chcp.com (tests only): the bootstrap of ansible-core 2.16 and 2.17 runs `&chcp.com 65001`.
# https://learn.microsoft.com/windows-server/administration/windows-commands/chcp
if [ -n "$1" ]; then echo "Active code page: $1"; else echo "Active code page: 65001"; fi
