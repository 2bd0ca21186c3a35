"""System packages the tests need, installed when we may (root on Debian), else named.

Run by `make test` before the suite: `python -m handbook.system`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# command -> Debian package that provides it
# chromium: the browser tests and the kit's PDF; npm: the kit's iframe-worker shim (handbook.kit.shim)
NEEDED = {"chromium": "chromium", "npm": "npm"}


def missing() -> dict[str, str]:
    return {cmd: pkg for cmd, pkg in NEEDED.items() if shutil.which(cmd) is None}


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None and os.path.exists("/etc/debian_version")


def main() -> int:
    need = missing()
    if not need:
        return 0
    packages = sorted(set(need.values()))
    if not can_install():
        print(f"handbook: the browser and kit tests need {', '.join(packages)}; install them "
              f"(on Debian: sudo apt-get install {' '.join(packages)}). Those tests are skipped until then.",
              file=sys.stderr)
        return 0
    print(f"handbook: installing {' '.join(packages)} with apt-get", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
