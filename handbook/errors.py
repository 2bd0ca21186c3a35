"""One error type for everything an author can get wrong: it names the file and line."""

from __future__ import annotations

from pathlib import Path


class HandbookError(Exception):
    """A problem in the handbook's input, reported as `file:line: message`."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
