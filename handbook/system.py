"""System packages the tests need, installed when we may (root on Debian), else named.

Run by make before what needs them: `python -m handbook.system [COMMAND...]` (default: all).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# command -> Debian package that provides it
# chromium: the browser tests and the kit's PDF; npm: the pinned npm packages every build uses (handbook.npm)
NEEDED = {"chromium": "chromium", "npm": "npm"}
WHAT_FOR = {"chromium": "the browser and kit tests", "npm": "fetching the site's pinned fonts and the kit's shim"}


def missing(commands=NEEDED) -> dict[str, str]:
    return {cmd: NEEDED[cmd] for cmd in commands if shutil.which(cmd) is None}


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None and os.path.exists("/etc/debian_version")


def main(commands: list[str]) -> int:
    unknown = [c for c in commands if c not in NEEDED]
    if unknown:
        print(f"handbook: no system package is known for {', '.join(unknown)}", file=sys.stderr)
        return 2
    need = missing(commands or NEEDED)
    if not need:
        return 0
    packages = sorted(set(need.values()))
    if not can_install():
        uses = " and ".join(WHAT_FOR[cmd] for cmd in need)
        print(f"handbook: {uses} need {', '.join(packages)}; install them "
              f"(on Debian: sudo apt-get install {' '.join(packages)}).", file=sys.stderr)
        return 0
    print(f"handbook: installing {' '.join(packages)} with apt-get", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
