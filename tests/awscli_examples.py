"""aws-cli's own documentation examples (awscli/examples/**/*.rst), read with docutils.

Each literal block whose first line starts with `aws ` is one example. They are valid by
construction, so runbook mode must accept every one that awscli itself accepts. An example
awscli rejects as written (a command that no longer exists, an option since removed) is not
a false alarm: `awscli_rejects` runs the example's words through awscli unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import awscli
import docutils.core
import docutils.nodes

EXAMPLES = Path(awscli.__file__).parent / "examples"


def commands(rst: Path) -> list[str]:
    settings = {"report_level": 5, "halt_level": 5, "warning_stream": False}
    tree = docutils.core.publish_doctree(rst.read_text(encoding="utf-8"), settings_overrides=settings)
    return [block.astext() for block in tree.findall(docutils.nodes.literal_block)
            if block.astext().lstrip().startswith("aws ")]


def files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.rst"))


def shard(rst: Path, shards: int) -> int:
    """Which of `shards` deterministic parts a file belongs to, by the hash of its path."""
    return int(hashlib.sha256(rst.relative_to(EXAMPLES).as_posix().encode()).hexdigest(), 16) % shards


def sample(every: int) -> list[Path]:
    """A deterministic sample: the files whose path hashes to 0 modulo `every`."""
    return [p for p in files() if shard(p, every) == 0]
