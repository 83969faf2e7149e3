# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line for the simulated lab: seed it, look at it, break it, reset it.

    python -m winsim [--state DIR] seed --inventory inventory/lab
    python -m winsim show dhcp01            python -m winsim show --domain corp.example.com
    python -m winsim counters dhcp01
    python -m winsim fault dhcp01 access_denied=write delay=0.5   (key= switches a fault off)
    python -m winsim reset
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Sequence

from . import faults as f
from .engine import Simulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DEFAULT_STATE = os.environ.get('WINSIM_STATE_DIR') or os.path.join(REPO, '.lab', 'state')


def _print(data: object) -> None:
    print(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m winsim', description='Simulated Windows lab for ipam.provisioning.')
    parser.add_argument('--state', default=DEFAULT_STATE,
                        help='state directory (default: $WINSIM_STATE_DIR or <repo>/.lab/state)')
    sub = parser.add_subparsers(dest='command', required=True)
    seed = sub.add_parser('seed', help='seed every host of an inventory that has winsim_profile')
    seed.add_argument('--inventory', required=True)
    seed.add_argument('--state', dest='state_override', help=argparse.SUPPRESS)
    show = sub.add_parser('show', help='print the state of a host (or of a domain)')
    show.add_argument('host', nargs='?')
    show.add_argument('--domain', help='print this domain instead')
    counters = sub.add_parser('counters', help='print round trips and writes of a host')
    counters.add_argument('host')
    fault = sub.add_parser('fault', help='set faults: key=value (YAML values; key= clears)')
    fault.add_argument('host')
    fault.add_argument('assignments', nargs='+')
    sub.add_parser('reset', help='forget all hosts and domains')
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sim = Simulator(getattr(args, 'state_override', None) or args.state)
    try:
        if args.command == 'seed':
            for name in sim.seed_from_inventory(args.inventory):
                print(name)
        elif args.command == 'show':
            if args.domain:
                state = sim.domain_state(args.domain)
            elif args.host:
                state = sim.host_state(args.host)
            else:
                _print({'hosts': sim.hosts(), 'domains': sim.store.domain_names()})
                return 0
            if state is None:
                print('winsim: no such host or domain', file=sys.stderr)
                return 1
            _print(state)
        elif args.command == 'counters':
            _print(sim.counters(args.host))
        elif args.command == 'fault':
            _print(sim.set_faults(args.host, dict(f.parse_assignment(a) for a in args.assignments)))
        elif args.command == 'reset':
            sim.reset()
    except (KeyError, ValueError, RuntimeError) as exc:
        print(exc.args[0] if exc.args else exc, file=sys.stderr)
        return 1
    return 0
