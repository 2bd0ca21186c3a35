"""A YAML file read with the line of every key and list item, so that an error names its line.

`read(path)` gives the data (plain `yaml.safe_load`) and a map from each place in it, as a
path of keys and indexes (`("check", 0, "query")`), to its 1-based line. A place is written for
people as `check[0].query`: `place(("check", 0, "query"))`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from handbook.errors import HandbookError

# One parse gives both the nodes (with their lines) and the data; libyaml's when it is there.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: Path | str, what: str = "file") -> tuple[Any, dict[tuple, int]]:
    """The document of `path` and the line of every place in it; bad YAML is an error at its line."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        problem = getattr(bad, "problem", None) or str(bad)
        raise HandbookError(path, mark.line + 1 if mark else None, f"the {what} is not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    return data, lines_of(root)


def lines_of(node: Any, prefix: tuple = ()) -> dict[tuple, int]:
    """The line of every mapping key and list item under `node`, by its place."""
    out: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = prefix + (key.value,)
            out[here] = key.start_mark.line + 1
            out.update(lines_of(value, here))
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            out[prefix + (number,)] = item.start_mark.line + 1
            out.update(lines_of(item, prefix + (number,)))
    return out


def place(at: tuple) -> str:
    """`("exercises", "ct-s08", "commands", 2)` as a person reads it: `exercises.ct-s08.commands[2]`."""
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top"
