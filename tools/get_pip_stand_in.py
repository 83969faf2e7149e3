# Copyright: (c) 2026, ipam.provisioning contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# ipam.provisioning get-pip stand-in (marker: tools/sanity.sh replaces only files carrying this line)
"""Offline stand-in for the get-pip script ansible-test downloads to bootstrap its venvs.

ansible-test (``--venv``) runs ``~/.ansible/test/cache/get_pip_<version>.py`` as ``__main__`` inside a
fresh, pip-less virtual environment, with pip options and pinned packages (``pip==24.2``) as
arguments. It downloads that script from a host that cannot be reached here, but uses a cached copy
when one exists; ``tools/sanity.sh`` writes this file there.

What it does: install the pip bundled with CPython (``ensurepip``), then let that pip install the
requested packages from the configured index. ``ensurepip`` wipes the ``PIP_*`` variables and sets
``PIP_CONFIG_FILE=/dev/null`` in its own process, so the second step runs in a child process with a
copy of the original environment (otherwise the machine's pip configuration, e.g. its index and CA
bundle, would be lost). ``--no-setuptools``/``--no-wheel`` are get-pip options that pip itself does
not know; they are dropped (nothing asks for those packages anyway).
"""
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = frozenset(('--no-setuptools', '--no-wheel'))


def main(argv):
    env = dict(os.environ)
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], env=env)
    pip_args = [arg for arg in argv if arg not in GET_PIP_ONLY_OPTIONS]
    if not pip_args:
        return 0
    return subprocess.call([sys.executable, '-m', 'pip', 'install', '--upgrade'] + pip_args, env=env)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
