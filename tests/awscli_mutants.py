"""Mutants of aws-cli's packaged examples: the two copy defects runbooks suffer most, made on purpose.

- a lost continuation: in an example over several lines, the `\\` at the end of the first line
  whose next line starts with an option is removed; the check must flag that next line;
- broken JSON: in an example that gives a JSON document inline to an option the check reads as
  one (an event pattern, a policy, a dashboard body...), the document's last `}` is removed; the
  check must flag the option's line.

Each function returns the mutated text and the 1-based line the finding must be on, or None
when the example has no such place.
"""

from __future__ import annotations

import re

from botocore import xform_name

from handbook.examples import embedded

CONTINUED = re.compile(r"[ \t]*\\[ \t]*$")
OPTION = re.compile(r"\s*--[a-z][a-z0-9-]*(\s|=|$)")
JSON_OPTIONS = sorted({xform_name(member, "-") for member in (*embedded.JSON_STRING_MEMBERS,
                                                              *embedded.JSON_DOCUMENT_MEMBERS)})
INLINE_JSON = re.compile(r"--(%s)[ =]+'(\{)" % "|".join(map(re.escape, JSON_OPTIONS)))


def lost_continuation(text: str) -> tuple[str, int] | None:
    lines = text.split("\n")
    for number, line in enumerate(lines[:-1]):
        if CONTINUED.search(line) and OPTION.match(lines[number + 1]) and "'" not in line and '"' not in line:
            lines[number] = CONTINUED.sub("", line)
            return "\n".join(lines), number + 2
    return None


def broken_json(text: str) -> tuple[str, int] | None:
    found = INLINE_JSON.search(text)
    if found is None:
        return None
    end = text.find("'", found.end(2))  # the closing quote: the document holds no apostrophe
    brace = text.rfind("}", found.end(2), end)
    if end < 0 or brace < 0:
        return None
    return text[:brace] + text[brace + 1:], text.count("\n", 0, found.start()) + 1
