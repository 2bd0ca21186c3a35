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


def line_in(path: Path | str, needle: str) -> int | None:
    """The line of `path` that declares `needle`, for an error message; None when unknown."""
    try:
        for number, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if needle in text:
                return number
    except OSError:
        pass
    return None
